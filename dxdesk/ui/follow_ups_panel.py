"""フォローアップ: open follow-ups across all the user's municipalities, overdue ones marked.

The window names the municipalities (those of its list); the panel reads their follow-ups
again itself whenever a change notice says follow-ups were written. Below the list, the files
of the chosen follow-up (open, save, attach more by dropping them on the panel).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from PySide6.QtCore import QItemSelection, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from dxdesk.domain.changes import Changes
from dxdesk.services.workspace import Workspace
from dxdesk.ui.attachments_panel import AttachmentsPanel
from dxdesk.ui.format import QT_TRANSLATE_NOOP, status_text, unwritten_text
from dxdesk.ui.overview_panel import make_table_view
from dxdesk.ui.runner import StoreRunner
from dxdesk.ui.table_model import RECORD_ROLE, Column, RecordTableModel, select_record

OVERDUE = QColor("#f8d7da")
DUE_TODAY = QColor("#fff3cd")


def _highlight(record: dict[str, Any]) -> QColor | None:
    if record.get("overdue"):
        return OVERDUE
    if record.get("due_today"):
        return DUE_TODAY
    return None


class FollowUpsPanel(QWidget):
    deleted = Signal(object, str, list)  # an attachment went: facade, label, keys (for undo)

    def __init__(
        self, workspace: Workspace, runner: StoreRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._runner = runner
        self._names: Mapping[str, str] = {}
        self._wanted: dict[str, str] | None = None  # the municipalities to read, once named
        runner.changed.connect(self._store_changed)
        no_due = self.tr("（期限なし）")
        columns = (
            Column(
                "due", QT_TRANSLATE_NOOP("Column", "期限"), display=lambda r: r["due"] or no_due
            ),
            Column(
                "municipality",
                QT_TRANSLATE_NOOP("Column", "市町村"),
                display=lambda r: self._names.get(r["municipality"], r["municipality"]),
            ),
            Column(
                "description",
                QT_TRANSLATE_NOOP("Column", "内容"),
                display=lambda r: unwritten_text(r["description"]),
            ),
            Column("owner", QT_TRANSLATE_NOOP("Column", "担当")),
            Column("status", QT_TRANSLATE_NOOP("Column", "状態"), display=status_text),
        )
        self.model = RecordTableModel(columns, highlight=_highlight, parent=self)
        self.view = make_table_view(self.model, self.tr("未完了のフォローアップ"))
        self.filter_edit = QLineEdit(placeholderText=self.tr("絞り込み（市町村・内容・担当）"))
        self.filter_edit.setAccessibleName(self.tr("フォローアップの絞り込み"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(
            self.view.model().setFilterFixedString  # type: ignore[attr-defined]
        )
        self.summary = QLabel()
        self.attachments = AttachmentsPanel(
            workspace,
            runner,
            "followup",
            no_parent_hint=self.tr("フォローアップを選ぶと、その添付ファイルが表示されます。"),
            compact=True,
        )
        self.attachments.deleted.connect(self.deleted)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 3)
        layout.addWidget(QLabel(self.tr("選んだフォローアップの添付ファイル")))
        layout.addWidget(self.attachments, 1)
        self.attachments.take_row_drops(
            self.view,
            lambda r: self.tr("フォローアップ「{what}」").format(
                what=unwritten_text(r["description"])
            ),
        )

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.view.selectionModel().selectedRows()
        record = rows[0].data(RECORD_ROLE) if rows else None
        self.attachments.set_parent(record["id"] if isinstance(record, dict) else None)

    def show_municipalities(self, names: Mapping[str, str], *, read: bool = True) -> None:
        """The follow-ups of these municipalities (code -> name); ``read=False`` reads them
        only if the municipalities differ from those shown (a change notice reads them)."""
        if read or dict(names) != self._wanted:
            self._wanted = dict(names)
            self.reload()

    def reload(self) -> None:
        names = self._wanted
        if names is None:
            return
        today = date.today()
        self._runner.run(
            lambda: self._ws.follow_ups.open_items(today=today, municipalities=list(names)),
            on_done=lambda items: self.show_items(items, names, today),
        )

    def _store_changed(self, changes: Changes) -> None:
        if changes.touches("followup"):
            self.reload()

    def show_items(
        self, items: list[dict[str, Any]], names: Mapping[str, str], today: date
    ) -> None:
        self._names = names
        chosen = self.attachments.parent_id
        self.model.set_records(items)
        if chosen is not None and self.model.row_of(chosen) >= 0:
            select_record(self.view, chosen)  # (a reset list keeps the follow-up chosen)
        else:
            self.attachments.set_parent(None)
        overdue = sum(1 for item in items if item["overdue"])
        self.summary.setText(
            self.tr("未完了 {count} 件（うち期限切れ {overdue} 件、{today} 時点）").format(
                count=len(items), overdue=overdue, today=today.isoformat()
            )
        )
