"""相談記録: the municipality's engagements, newest first, beside the editor of one."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QItemSelection, Signal
from PySide6.QtWidgets import (
    QHeaderView,
    QMessageBox,
    QPushButton,
    QTableView,
    QWidget,
)

from dxdesk.domain.changes import Changes
from dxdesk.services.records import RecordKey
from dxdesk.services.workspace import Workspace
from dxdesk.ui.engagement_editor import EngagementEditor
from dxdesk.ui.format import QT_TRANSLATE_NOOP, engagement_type_text, mode_text
from dxdesk.ui.list_editor import lay_out_list_and_editor
from dxdesk.ui.overview_panel import make_table_view
from dxdesk.ui.runner import StoreRunner
from dxdesk.ui.stale_record import StaleRecord
from dxdesk.ui.table_model import RECORD_ROLE, Column, RecordTableModel, select_record

ENGAGEMENT_COLUMNS = (
    Column("date", QT_TRANSLATE_NOOP("Column", "日付")),
    Column("type", QT_TRANSLATE_NOOP("Column", "種別"), display=engagement_type_text),
    Column("mode", QT_TRANSLATE_NOOP("Column", "形式"), display=mode_text),
    Column("title", QT_TRANSLATE_NOOP("Column", "件名")),
)
TITLE_COLUMN = next(i for i, column in enumerate(ENGAGEMENT_COLUMNS) if column.key == "title")


# What the editor shows: a visit with its interview notes and follow-ups.
SHOWN_KINDS = ("visit", "interview", "followup")


class EngagementsPanel(QWidget):
    deleted = Signal(object, str, list)  # facade, what was deleted (for undo), record keys

    def __init__(
        self, workspace: Workspace, runner: StoreRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._runner = runner
        self._municipality: str | None = None
        self.model = RecordTableModel(ENGAGEMENT_COLUMNS, parent=self)
        self.view = make_table_view(self.model, self.tr("相談記録の一覧"), descending=True)
        self.view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        # The title takes the room the other columns leave, shortened with … (whole in its
        # tooltip) rather than running past the list's edge.
        self.view.horizontalHeader().setSectionResizeMode(
            TITLE_COLUMN, QHeaderView.ResizeMode.Stretch
        )
        self.editor = EngagementEditor(workspace, runner, self)
        # The store may hold newer values than the open visit shows.
        self._stale = StaleRecord(self.editor, flush=self.editor.flush, kinds=SHOWN_KINDS)
        self.new_button = QPushButton(self.tr("新規（Ctrl+N）"))
        self.new_button.setAccessibleName(self.tr("相談記録を追加"))
        self.delete_button = QPushButton(self.tr("削除"))
        self.delete_button.setAccessibleName(self.tr("相談記録を削除"))
        self.new_button.clicked.connect(self.new_engagement)
        lay_out_list_and_editor(
            self,
            view=self.view,
            editor=self.editor,
            new_button=self.new_button,
            delete_button=self.delete_button,
            delete=self.delete_selected,
            # (Beside the list rather than above the editor's tabs: the editor stays narrow
            # enough for the list to show 件名 at the window's default size.)
            more_buttons=[self.editor.share_button],
        )
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.editor.saved.connect(self._saved)
        self.editor.deleted.connect(self.deleted)
        runner.changed.connect(self._store_changed)

    def _store_changed(self, changes: Changes) -> None:
        self._stale.judge(changes, self.editor.record_id, self._municipality)

    def show_engagements(self, municipality: str, records: list[dict[str, Any]]) -> None:
        keep = self.editor.record_id if municipality == self._municipality else None
        self._municipality = municipality
        self.model.set_records(records)
        if self._stale.take():
            self.editor.load(None)  # (saves what is typed first) chosen again below, as stored
        self.select(keep)
        if keep is not None and keep == self.editor.record_id:
            self.editor.reload_children()  # e.g. after an undo brought a note back

    def select(self, record_id: str | None) -> None:
        if not select_record(self.view, record_id):
            self.editor.load(None)

    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        record = indexes[0].data(RECORD_ROLE) if indexes else None
        if record is None or record["id"] != self.editor.record_id:
            self.editor.load(record)

    def _saved(self, record: dict[str, Any]) -> None:
        row = self.model.row_of(record["id"])
        if row < 0:
            return
        records = self.model.records()
        records[row] = record
        current = self.editor.record_id
        self.model.set_records(records)
        self.select(current)

    def new_engagement(self) -> None:
        if self._municipality is None:
            return
        payload = {
            "municipality": self._municipality,
            "date": date.today().isoformat(),
            "type": "visit",
            "mode": "in_person",
        }
        self._runner.run(lambda: self._ws.engagements.add(payload), on_done=self._added)

    def _added(self, record: dict[str, Any]) -> None:
        self.model.set_records([record, *self.model.records()])
        self.select(record["id"])
        self.editor.title_edit.setFocus()

    def delete_selected(self) -> None:
        record_id = self.editor.record_id
        if record_id is None:
            return
        row = self.model.row_of(record_id)
        record = self.model.records()[row]
        what = self.tr("{date} の相談記録「{title}」").format(
            date=record["date"], title=record["title"] or self.tr("件名なし")
        )
        answer = QMessageBox.question(
            self,
            self.tr("相談記録の削除"),
            self.tr("{what}を、そのヒアリングとフォローアップごと削除しますか？").format(what=what),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.editor.load(None)
        self._runner.run(
            lambda: self._ws.engagements.delete(record_id),
            on_done=lambda keys: self._deleted(record_id, what, keys),
        )

    def _deleted(self, record_id: str, what: str, keys: list[RecordKey]) -> None:
        self.model.set_records([r for r in self.model.records() if r["id"] != record_id])
        self.select(None)
        self.deleted.emit(self._ws.engagements, what, keys)
