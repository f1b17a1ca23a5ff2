"""資料: the files attached to one record (a visit, an interview note, a follow-up, an article,
later an event), with a thumbnail, kind, size, who and when, and whether the bytes are here.

Attach by dropping files (here or on the record's editor: see attachment_drops) or with
「ファイルを添付…」; open, save as and delete (undone like any record) the chosen one. Every store
call runs on the store's worker (attachment_actions), so the window never freezes; the list
reads itself again whenever a change notice says attachments changed (a sync brought files).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelection, QModelIndex, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dxdesk.domain.changes import Changes
from dxdesk.services.workspace import Workspace
from dxdesk.ui.attachment_actions import AttachmentActions, FileFetcher
from dxdesk.ui.attachment_drops import DropRoute, RowDropRoute, route_drops, route_row_drops
from dxdesk.ui.attachment_format import (
    added_text,
    details_text,
    is_image,
    is_pdf,
    state_tooltip,
)
from dxdesk.ui.format import QT_TRANSLATE_NOOP
from dxdesk.ui.message_label import message_label
from dxdesk.ui.overview_panel import make_table_view
from dxdesk.ui.runner import StoreRunner
from dxdesk.ui.table_model import RECORD_ROLE, Column, RecordTableModel, select_record
from dxdesk.ui.thumbnails import Thumbnails, forget_failure

Record = dict[str, Any]
AnyIndex = QModelIndex | QPersistentModelIndex
ICON_SIZE = QSize(40, 40)
COMPACT_ICON_SIZE = QSize(32, 32)

# The name with its kind, size and state below it (「PDF・2.4 MB・送信待ち」): a narrow editor
# still shows all of them, where one column each ran past its edge.
COLUMNS = (
    Column(
        "name",
        QT_TRANSLATE_NOOP("Column", "ファイル"),
        display=lambda r: f"{r['name']}\n{details_text(r)}",
        sort_value=lambda r: r["name"],
    ),
    Column("updated_by", QT_TRANSLATE_NOOP("Column", "追加者")),
    Column(
        "created_at",
        QT_TRANSLATE_NOOP("Column", "追加日時"),
        display=added_text,
        sort_value=lambda r: r.get("created_at") or r.get("updated_at"),
    ),
)
NAME_COLUMN = 0
ADDED_COLUMN = 2


class AttachmentTableModel(RecordTableModel):
    """The attachments, with a thumbnail beside the name (made on another thread) and, in the
    name's tooltip, why a file is marked 未取得 or 送信待ち."""

    def __init__(self, thumbnails: Thumbnails, file_icon: QIcon, parent: QWidget) -> None:
        super().__init__(COLUMNS, parent=parent)
        self._thumbnails = thumbnails
        self._file_icon = file_icon
        self._icons: dict[str, QIcon] = {}
        thumbnails.ready.connect(self._thumbnail_ready)

    def set_records(self, records: Sequence[Record]) -> None:
        """Show these; a file whose bytes came or went since gets its thumbnail made anew."""
        before = {r.get("sha256"): r.get("present", True) for r in self._records}
        for record in records:
            sha256 = record.get("sha256") or ""
            if sha256 in before and before[sha256] != record.get("present", True):
                forget_failure(sha256)
                self._icons.pop(sha256, None)
        super().set_records(records)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and role == Qt.ItemDataRole.DecorationRole:
            if index.column() == NAME_COLUMN:
                return self._icon(self._records[index.row()])
            return None
        if (
            index.isValid()
            and role == Qt.ItemDataRole.ToolTipRole
            and index.column() == NAME_COLUMN
        ):
            record = self._records[index.row()]
            lines = (record["name"], details_text(record), state_tooltip(record))
            return "\n".join(line for line in lines if line)
        return super().data(index, role)

    def _icon(self, record: Record) -> QIcon:
        sha256 = record.get("sha256") or ""
        if sha256 in self._icons:
            return self._icons[sha256]
        pictured = is_image(record) or is_pdf(record)
        if pictured and record.get("present", True):
            image = self._thumbnails.thumbnail(sha256, pdf=is_pdf(record))
            if image is not None:
                icon = QIcon(QPixmap.fromImage(image))
                self._icons[sha256] = icon
                return icon
        return self._file_icon

    def _thumbnail_ready(self, sha256: str) -> None:
        for row, record in enumerate(self._records):
            if record.get("sha256") == sha256:
                index = self.index(row, NAME_COLUMN)
                self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])


class AttachmentsPanel(QWidget):
    """The attachments of one record of ``parent_kind``; ``set_parent`` names the record."""

    count_changed = Signal(int)
    deleted = Signal(object, str, list)  # facade, what was deleted (for undo), record keys
    attaching = Signal()  # files were dropped or chosen: the editor shows this panel

    def __init__(
        self,
        workspace: Workspace,
        runner: StoreRunner,
        parent_kind: str,
        *,
        no_parent_hint: str = "",
        compact: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._runner = runner
        self.parent_kind = parent_kind
        self._parent_id: str | None = None
        self._reading = False
        self._read_again = False
        self._no_parent_hint = no_parent_hint or self.tr("記録を選ぶと、ファイルを添付できます。")
        self.thumbnails = Thumbnails(workspace.files.opened, self)
        file_icon = self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        self.model = AttachmentTableModel(self.thumbnails, file_icon, self)
        self.view = make_table_view(
            self.model, self.tr("添付ファイルの一覧"), sort_column=ADDED_COLUMN, descending=True
        )
        self.view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        # The name takes the room the others leave (shortened with …, whole in its tooltip).
        header = self.view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(NAME_COLUMN, QHeaderView.ResizeMode.Stretch)
        icon_size = COMPACT_ICON_SIZE if compact else ICON_SIZE
        self.view.setIconSize(icon_size)
        two_lines = 2 * self.view.fontMetrics().lineSpacing()
        self.view.verticalHeader().setDefaultSectionSize(max(icon_size.height(), two_lines) + 8)
        self.message = message_label()
        self.message.setAccessibleName(self.tr("添付の状態"))
        self.operations = AttachmentActions(self, workspace, runner, self.message)
        self.operations.attached.connect(self.reload)

        self.attach_button = QPushButton(self.tr("ファイルを添付…"))
        self.open_button = QPushButton(self.tr("開く"))
        self.save_button = QPushButton(self.tr("名前を付けて保存…"))
        self.delete_button = QPushButton(self.tr("削除"))
        self.delete_button.setAccessibleName(self.tr("添付ファイルを削除"))
        self.attach_button.clicked.connect(self.choose_files)
        self.open_button.clicked.connect(self.open_selected)
        self.save_button.clicked.connect(self.save_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.view.activated.connect(lambda _index: self.open_selected())
        QShortcut(
            QKeySequence.StandardKey.Delete,
            self.view,
            self.delete_selected,
            context=Qt.ShortcutContext.WidgetShortcut,
        )
        # (Taking no width of its own: the editor stays as narrow as before it had files.)
        self.hint = message_label(style="color: #555;")

        # Adding above the list, what to do with the chosen file below it: no row wider than
        # the editor's own fields.
        adding = QHBoxLayout()
        adding.addWidget(self.attach_button)
        adding.addWidget(self.hint, 1)
        chosen = QHBoxLayout()
        chosen.addWidget(self.open_button)
        chosen.addWidget(self.save_button)
        chosen.addStretch(1)
        chosen.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        if compact:
            layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(adding)
        layout.addWidget(self.view, 1)
        layout.addLayout(chosen)
        layout.addWidget(self.message)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        runner.changed.connect(self._store_changed)
        self.drop_route = DropRoute(self.attach_paths, self.can_attach, self)
        route_drops(self, self.drop_route)
        self._set_enabled()

    # -- which record ----------------------------------------------------------------------

    @property
    def parent_id(self) -> str | None:
        return self._parent_id

    def can_attach(self) -> bool:
        return self._parent_id is not None

    def set_parent(self, parent_id: str | None) -> None:
        """Show the attachments of this record (or none: attaching is then disabled)."""
        if parent_id == self._parent_id:
            return
        self._parent_id = parent_id
        self.model.set_records([])
        self.message.clear()
        self._set_enabled()
        self.count_changed.emit(0)
        self.reload()

    def reload(self) -> None:
        """Read the list again on the worker (one read at a time; a request meanwhile reads
        once more after it)."""
        if self._parent_id is None:
            return
        if self._reading:
            self._read_again = True
            return
        self._reading = True
        parent_id = self._parent_id
        self._runner.run(
            lambda: self._ws.attachments.list_for(self.parent_kind, parent_id),
            on_done=lambda records: self._show(parent_id, records),
            on_error=lambda error: self._read_failed(error),
        )

    def _read_done(self) -> None:
        self._reading = False
        if self._read_again:
            self._read_again = False
            self.reload()

    def _read_failed(self, error: BaseException) -> None:
        self.operations.show_error(error)
        self._read_done()

    def _show(self, parent_id: str, records: list[Record]) -> None:
        if parent_id == self._parent_id:
            keep = self.selected()
            self.model.set_records(records)
            select_record(self.view, None if keep is None else keep["id"])
            if keep is None:
                self.view.clearSelection()
            self.count_changed.emit(len(records))
            self._set_enabled()
        self._read_done()

    def _store_changed(self, changes: Changes) -> None:
        if changes.touches("attachment"):
            self.reload()

    # -- the chosen file -------------------------------------------------------------------

    def selected(self) -> Record | None:
        rows = self.view.selectionModel().selectedRows()
        record = rows[0].data(RECORD_ROLE) if rows else None
        return record if isinstance(record, dict) else None

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._set_enabled()

    def _set_enabled(self) -> None:
        can = self.can_attach()
        self.attach_button.setEnabled(can)
        self.attach_button.setToolTip("" if can else self._no_parent_hint)
        self.hint.setText(
            self.tr("ファイルをここにドラッグ＆ドロップしても添付できます。")
            if can
            else self._no_parent_hint
        )
        chosen = self.selected() is not None
        for button in (self.open_button, self.save_button, self.delete_button):
            button.setEnabled(chosen)

    # -- actions ---------------------------------------------------------------------------

    def set_fetcher(self, fetcher: FileFetcher | None) -> None:
        """Where a file not yet on this laptop is fetched from (the sync controller)."""
        self.operations.set_fetcher(fetcher)

    def choose_files(self) -> None:
        if self._parent_id is None:
            return
        names, _filter = QFileDialog.getOpenFileNames(
            self, self.tr("添付するファイルを選ぶ"), str(Path.home())
        )
        if names:
            self.attach_paths([Path(name) for name in names])

    def attach_paths(
        self, paths: list[Path], *, parent_id: str | None = None, target: str = ""
    ) -> None:
        """Attach to the record shown (or to ``parent_id``, named ``target`` in the message).
        Folders are not attached (the store takes files only): the files beside them are, and
        the message names the folders left out."""
        parent_id = parent_id or self._parent_id
        if parent_id is None or not paths:
            return
        folders = [path for path in paths if path.is_dir()]
        files = [path for path in paths if path not in folders]
        if not files:
            self.operations.show_error(
                self.tr(
                    "フォルダは添付できません: {names}。"
                    "フォルダを開いて、中のファイルを選んで添付してください。"
                ).format(names="、".join(folder.name for folder in folders))
            )
            return
        self.attaching.emit()
        self.operations.attach(self.parent_kind, parent_id, files, target=target, skipped=folders)

    def take_row_drops(self, view: QAbstractItemView, describe: Callable[[Record], str]) -> None:
        """Files dropped on a row of ``view`` (the list of the records whose files this panel
        shows) attach to that row's record, chosen first so that its files show here; the
        message names it (``describe``)."""

        def attach_to(paths: list[Path], record: Record) -> None:
            if self._parent_id != record["id"]:
                select_record(view, record["id"])
                self.set_parent(record["id"])
            self.attach_paths(paths, parent_id=record["id"], target=describe(record))

        route_row_drops(view, RowDropRoute(view, attach_to, self))

    def open_selected(self) -> None:
        record = self.selected()
        if record is not None:
            self.operations.open(record)

    def save_selected(self) -> None:
        record = self.selected()
        if record is None:
            return
        suggested = str(Path.home() / Path(record["name"]).name)
        name, _filter = QFileDialog.getSaveFileName(self, self.tr("名前を付けて保存"), suggested)
        if name:
            self.operations.save_as(record, Path(name))

    def delete_selected(self) -> None:
        record = self.selected()
        if record is not None:
            self.operations.delete(record, on_deleted=self._deleted)

    def _deleted(self, what: str, keys: list[Any]) -> None:
        self.reload()
        self.deleted.emit(self._ws.attachments, what, keys)


def set_file_fetcher(root: QWidget, fetcher: FileFetcher | None) -> None:
    """Give every attachments panel under ``root`` the sync controller, which fetches files
    not yet on this laptop (the window calls this once its sync controller exists)."""
    for panel in root.findChildren(AttachmentsPanel):
        panel.set_fetcher(fetcher)
