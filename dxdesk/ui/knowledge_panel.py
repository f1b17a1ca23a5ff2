"""ナレッジ: the prefecture's knowledge articles, newest first, beside the editor of one."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Signal
from PySide6.QtWidgets import (
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QWidget,
)

from dxdesk.domain.vocabulary import ARTICLE_CATEGORIES
from dxdesk.services.records import RecordKey
from dxdesk.services.workspace import Workspace
from dxdesk.ui.article_editor import ArticleEditor
from dxdesk.ui.autosave import LIST_SEPARATOR
from dxdesk.ui.format import (
    QT_TRANSLATE_NOOP,
    fiscal_year_text,
    untitled_text,
    vocabulary_text,
)
from dxdesk.ui.list_editor import lay_out_list_and_editor
from dxdesk.ui.overview_panel import make_table_view
from dxdesk.ui.runner import StoreRunner
from dxdesk.ui.table_model import ID_ROLE, RECORD_ROLE, Column, RecordProxy, RecordTableModel

Record = dict[str, Any]
UPDATED_COLUMN = 5


def category_text(record: Record) -> str:
    category = record.get("category") or ""
    return vocabulary_text(ARTICLE_CATEGORIES.get(category, category))


def updated_text(record: Record) -> str:
    """The last change in local time, to the minute."""
    stamp = record.get("updated_at")
    if not stamp:
        return ""
    return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")


class KnowledgePanel(QWidget):
    changed = Signal()  # an article was added, saved or deleted
    deleted = Signal(object, str, list)  # facade, what was deleted (for undo), record keys

    def __init__(
        self, workspace: Workspace, runner: StoreRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._runner = runner
        self._names: dict[str, str] = {}  # municipality code -> name
        self._wanted: str | None = None  # an article to show once the list has it
        # While the list itself changes (filter, reload, save), Qt moves the selection on its
        # own; only a row the user picks may change what the editor shows.
        self._settling = False
        self.model = RecordTableModel(
            (
                Column(
                    "title",
                    QT_TRANSLATE_NOOP("Column", "題名"),
                    display=lambda r: untitled_text(r["title"]),
                ),
                Column("category", QT_TRANSLATE_NOOP("Column", "区分"), display=category_text),
                Column(
                    "fiscal_year",
                    QT_TRANSLATE_NOOP("Column", "年度"),
                    display=lambda r: fiscal_year_text(r.get("fiscal_year")),
                ),
                Column(
                    "municipality",
                    QT_TRANSLATE_NOOP("Column", "市町村"),
                    display=self._municipality_text,
                ),
                Column(
                    "themes",
                    QT_TRANSLATE_NOOP("Column", "テーマ"),
                    display=lambda r: LIST_SEPARATOR.join(r.get("themes") or []),
                ),
                Column("updated_at", QT_TRANSLATE_NOOP("Column", "更新"), display=updated_text),
            ),
            parent=self,
        )
        self.view = make_table_view(
            self.model, self.tr("ナレッジの一覧"), sort_column=UPDATED_COLUMN, descending=True
        )
        self.view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.filter_edit = QLineEdit(placeholderText=self.tr("絞り込み（題名・市町村・テーマ…）"))
        self.filter_edit.setAccessibleName(self.tr("ナレッジの絞り込み"))
        self.filter_edit.setClearButtonEnabled(True)
        proxy = self.view.model()
        assert isinstance(proxy, RecordProxy)
        self.proxy = proxy
        self.filter_edit.textChanged.connect(self._filter)
        self.editor = ArticleEditor(workspace, runner, [], self)
        self.new_button = QPushButton(self.tr("新規"))
        self.new_button.setAccessibleName(self.tr("ナレッジを追加"))
        self.delete_button = QPushButton(self.tr("削除"))
        self.delete_button.setAccessibleName(self.tr("ナレッジを削除"))
        self.new_button.clicked.connect(self.new_article)
        lay_out_list_and_editor(
            self,
            view=self.view,
            editor=self.editor,
            new_button=self.new_button,
            delete_button=self.delete_button,
            delete=self.delete_selected,
            above_list=self.filter_edit,
        )
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.editor.saved.connect(self._saved)
        self.editor.deleted.connect(self.deleted)  # an attachment's delete, undone like ours

    def _municipality_text(self, record: Record) -> str:
        code: str | None = record.get("municipality")
        return self.tr("県全体") if code is None else self._names.get(code, code)

    # -- loading and showing -------------------------------------------------------------

    def reload(self) -> None:
        """Read the articles again (after a sync, an import or an undo); the open one stays."""
        load_names = not self._names

        def read() -> tuple[list[Record], list[tuple[str, str]] | None]:
            names = None
            if load_names:
                rows = self._ws.municipalities.overview(assigned_only=False)
                names = [(m["code"], m["name"]) for m in rows]
            return self._ws.articles.list_records(), names

        self._runner.run(read, on_done=self._loaded)

    def _loaded(self, result: tuple[list[Record], list[tuple[str, str]] | None]) -> None:
        records, names = result
        if names is not None:
            self._names = dict(names)
            self.editor.set_municipalities(names)
        wanted, self._wanted = self._wanted or self.editor.record_id, None
        self._set_records(records)
        if wanted is not None and self.model.row_of(wanted) >= 0:
            self._show(wanted, reveal=wanted != self.editor.record_id)
        elif not self._show_first():
            self.editor.load(None)

    def select(self, article_id: str) -> None:
        """Show this article, reading the list again first when it is not in it yet."""
        if self.model.row_of(article_id) < 0:
            self._wanted = article_id
            self.reload()
            return
        self._show(article_id)

    def _visible_row(self, article_id: str) -> int:
        rows = range(self.proxy.rowCount())
        return next((r for r in rows if self.proxy.index(r, 0).data(ID_ROLE) == article_id), -1)

    def _select_row(self, row: int) -> None:
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.view.selectionModel().setCurrentIndex(self.proxy.index(row, 0), flags)

    def _show(self, article_id: str, *, reveal: bool = True) -> None:
        if reveal and self._visible_row(article_id) < 0:
            self.filter_edit.clear()  # asked for by name: the filter must not hide it
        row = self._visible_row(article_id)
        if row >= 0:
            self._select_row(row)
            self.view.scrollTo(self.proxy.index(row, 0))
        record = self.model.records()[self.model.row_of(article_id)]
        if self.editor.record_id != article_id:
            self.editor.load(record)

    def _show_first(self) -> bool:
        if self.proxy.rowCount() == 0:
            return False
        self._select_row(0)
        return True

    def _set_records(self, records: list[Record]) -> None:
        self._settling = True
        try:
            self.model.set_records(records)
        finally:
            self._settling = False
        self._mark_open()

    def _filter(self, text: str) -> None:
        self._settling = True
        try:
            self.proxy.setFilterFixedString(text)
        finally:
            self._settling = False
        self._mark_open()

    def _mark_open(self) -> None:
        """Select the open article's row when the list shows it, else no row."""
        current = self.editor.record_id
        row = -1 if current is None else self._visible_row(current)
        if row >= 0:
            self._select_row(row)
        else:
            self.view.selectionModel().clear()

    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        if self._settling:
            return
        # An empty selection (the filter hid the row, the list was reset) keeps the editor as
        # it is: only choosing another article, or deleting this one, changes what it shows.
        indexes = selected.indexes()
        record = indexes[0].data(RECORD_ROLE) if indexes else None
        if record is not None and record["id"] != self.editor.record_id:
            self.editor.load(record)

    def _saved(self, record: Record) -> None:
        row = self.model.row_of(record["id"])
        if row < 0:
            return
        records = self.model.records()
        records[row] = record
        self._set_records(records)  # the editor stays as it is, under the typing
        self.changed.emit()

    # -- adding and deleting -------------------------------------------------------------

    def new_article(self) -> None:
        # Starts without a title (a placeholder is never a value: this one was stored, in the
        # UI's language, and shared prefecture-wide); the list reads （無題） meanwhile.
        payload = {"title": "", "category": "know_how"}
        self._runner.run(lambda: self._ws.articles.add(payload), on_done=self._added)

    def _added(self, record: Record) -> None:
        self._set_records([record, *self.model.records()])
        self._show(record["id"])
        self.editor.title_edit.setFocus()
        self.changed.emit()

    def delete_selected(self) -> None:
        record_id = self.editor.record_id
        if record_id is None:
            return
        row = self.model.row_of(record_id)
        if row < 0:
            return
        record = self.model.records()[row]
        title = untitled_text(self.editor.title_edit.text().strip() or record["title"])
        what = self.tr("ナレッジ「{title}」").format(title=title)
        answer = QMessageBox.question(
            self, self.tr("ナレッジの削除"), self.tr("{what}を削除しますか？").format(what=what)
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.editor.load(None)
        self._runner.run(
            lambda: self._ws.articles.delete(record_id),
            on_done=lambda keys: self._deleted(record_id, what, keys),
        )

    def _deleted(self, record_id: str, what: str, keys: list[RecordKey]) -> None:
        self._set_records([r for r in self.model.records() if r["id"] != record_id])
        if not self._show_first():
            self.editor.load(None)
        self.changed.emit()
        self.deleted.emit(self._ws.articles, what, keys)
