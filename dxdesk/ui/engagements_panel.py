"""相談記録: the municipality's engagements, newest first, beside the editor of one.

The list also holds the group events the municipality takes part in (合同の場), so that its
history is whole; an event is opened in the 合同の場 tab (``open_event``), not edited here.
Each row says its status: planned ones are tinted, and marked 期限超過 once their date passed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, QItemSelection, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dxdesk.domain.changes import Changes
from dxdesk.services.records import RecordKey
from dxdesk.services.workspace import Workspace
from dxdesk.ui.engagement_editor import EngagementEditor
from dxdesk.ui.event_format import event_type_text, people_count
from dxdesk.ui.format import QT_TRANSLATE_NOOP, engagement_type_text
from dxdesk.ui.list_editor import lay_out_list_and_editor
from dxdesk.ui.overview_panel import make_table_view
from dxdesk.ui.record_status import status_cell, status_colour, status_text
from dxdesk.ui.runner import StoreRunner
from dxdesk.ui.stale_record import StaleRecord
from dxdesk.ui.table_model import RECORD_ROLE, Column, RecordTableModel, select_record

EVENT_MARK = "group_event"  # a row of the list that is a group event, not an engagement


def is_event(record: dict[str, Any]) -> bool:
    return bool(record.get(EVENT_MARK))


def _type_text(record: dict[str, Any]) -> str:
    """An event reads 合同の場 (its own type is in its name, and in its tooltip)."""
    if not is_event(record):
        return engagement_type_text(record)
    return QCoreApplication.translate("EngagementsPanel", "合同の場")


# The 形式 (in person or online) is in the editor: the list keeps its width for 件名, which
# comes last and takes what is left; the 状態 beside the date is blank for what was held.
ENGAGEMENT_COLUMNS = (
    Column("date", QT_TRANSLATE_NOOP("Column", "日付")),
    Column(
        "status",
        QT_TRANSLATE_NOOP("Column", "状態"),
        display=lambda r: status_cell(r, date.today()),
    ),
    Column("type", QT_TRANSLATE_NOOP("Column", "種別"), display=_type_text),
    Column("title", QT_TRANSLATE_NOOP("Column", "件名")),
)
TITLE_COLUMN = next(i for i, column in enumerate(ENGAGEMENT_COLUMNS) if column.key == "title")


# What the editor shows: a visit with its interview notes and follow-ups.
SHOWN_KINDS = ("visit", "interview", "followup")
# An event's fields the history shows (its row and its pane): a write of others (the summary
# typed in the 合同の場 tab, saved as it is typed) leaves the history as it is.
HISTORY_EVENT_FIELDS = frozenset(
    {"participants", "attendance", "date", "title", "status", "type", "deleted"}
)


class EngagementsPanel(QWidget):
    deleted = Signal(object, str, list)  # facade, what was deleted (for undo), record keys
    open_event = Signal(str)  # show this group event in the 合同の場 tab

    def __init__(
        self, workspace: Workspace, runner: StoreRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._runner = runner
        self._municipality: str | None = None
        self.model = RecordTableModel(
            ENGAGEMENT_COLUMNS, highlight=lambda r: status_colour(r, date.today()), parent=self
        )
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
        # A group event chosen in the list shows what it is, to be opened in its own tab.
        self.event_label = QLabel(wordWrap=True)
        self.event_label.setAccessibleName(self.tr("選んだ合同の場"))
        self.event_button = QPushButton(self.tr("合同の場タブで開く"))
        self.event_button.setAccessibleName(self.tr("選んだ合同の場を合同の場タブで開く"))
        self.event_button.clicked.connect(self._open_chosen_event)
        event_pane = QWidget()
        event_layout = QVBoxLayout(event_pane)
        event_layout.addWidget(self.event_label)
        event_layout.addWidget(self.event_button, 0, Qt.AlignmentFlag.AlignLeft)
        event_layout.addStretch(1)
        self.right = QStackedWidget()
        self.right.addWidget(self.editor)
        self.right.addWidget(event_pane)
        lay_out_list_and_editor(
            self,
            view=self.view,
            editor=self.right,
            new_button=self.new_button,
            delete_button=self.delete_button,
            delete=self.delete_selected,
            # (Above the list rather than above the editor's tabs, and on a row of its own:
            # neither the editor nor this tab widens for it, so the list shows 件名 and the
            # municipality list its columns at the window's default size.)
            above_list=self._share_row(),
        )
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.view.activated.connect(self._activated)
        self.editor.saved.connect(self._saved)
        self.editor.deleted.connect(self.deleted)
        runner.changed.connect(self._store_changed)

    def _share_row(self) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addStretch(1)
        layout.addWidget(self.editor.share_button)
        return row

    def _store_changed(self, changes: Changes) -> None:
        self._stale.judge(changes, self.editor.record_id, self._municipality)
        code = self._municipality
        if code is not None and changes.wrote("event", HISTORY_EVENT_FIELDS):
            # (An event is written in its own tab, and names no municipality of its own.)
            self._runner.run(
                lambda: self._ws.events.for_municipality(code),
                on_done=lambda events: self._show_events(code, events),
            )

    def show_engagements(
        self,
        municipality: str,
        records: list[dict[str, Any]],
        events: list[dict[str, Any]] | None = None,
    ) -> None:
        """The municipality's engagements and the group events it takes part in."""
        keep = self.editor.record_id if municipality == self._municipality else None
        self._municipality = municipality
        marked = [{**event, EVENT_MARK: True} for event in events or []]
        self.model.set_records([*records, *marked])
        if self._stale.take():
            self.editor.load(None)  # (saves what is typed first) chosen again below, as stored
        self.select(keep)
        if keep is not None and keep == self.editor.record_id:
            self.editor.reload_children()  # e.g. after an undo brought a note back

    def select(self, record_id: str | None) -> None:
        if not select_record(self.view, record_id):
            self.editor.load(None)

    def _show_events(self, municipality: str, events: list[dict[str, Any]]) -> None:
        """The group events of the list read again; the engagements and the open one stay."""
        if municipality != self._municipality:
            return  # the user moved on while this loaded
        chosen = self._chosen()
        current = self.editor.record_id if chosen is None else chosen["id"]
        engagements = [r for r in self.model.records() if not is_event(r)]
        self.model.set_records([*engagements, *({**e, EVENT_MARK: True} for e in events)])
        select_record(self.view, current)

    def _chosen(self) -> dict[str, Any] | None:
        indexes = self.view.selectionModel().selectedRows()
        record = indexes[0].data(RECORD_ROLE) if indexes else None
        return record if isinstance(record, dict) else None

    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        record = indexes[0].data(RECORD_ROLE) if indexes else None
        chose_event = record is not None and is_event(record)
        self.right.setCurrentIndex(1 if chose_event else 0)
        if chose_event:
            assert record is not None
            self.event_label.setText(self._event_text(record))
            self.editor.load(None)  # an event is edited in its own tab
        elif record is None or record["id"] != self.editor.record_id:
            self.editor.load(record)

    def _event_text(self, record: dict[str, Any]) -> str:
        return self.tr(
            "合同の場（{type}）\n{date}　{title}\n"
            "状態: {status}　参加 {count} 市町村・{people} 名\n\n"
            "合同の場の記録は、すべての参加市町村に共通です。「合同の場」タブで編集します。"
        ).format(
            type=event_type_text(record),
            date=record["date"],
            title=record["title"],
            status=status_text(record, date.today()),
            count=len(record.get("participants") or []),
            people=people_count(record),
        )

    def _activated(self, index: QModelIndex) -> None:
        record = index.data(RECORD_ROLE)
        if isinstance(record, dict) and is_event(record):
            self.open_event.emit(record["id"])

    def _open_chosen_event(self) -> None:
        record = self._chosen()
        if record is not None and is_event(record):
            self.open_event.emit(record["id"])

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
