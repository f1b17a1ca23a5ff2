"""合同の場: the prefecture's group events (地域別・テーマ別よろず相談, 合同研修, …), newest
first and filtered by fiscal year, type and status, beside the editor of one.

Events are prefecture-wide (every laptop has them all); the list is read when the tab is first
shown and again when a sync, an undo or a restore may have changed it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QItemSelection, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QTableView,
    QWidget,
)

from dxdesk.domain.changes import Changes, Source
from dxdesk.domain.fiscal_year import fiscal_year_of
from dxdesk.domain.vocabulary import RECORD_STATUSES
from dxdesk.services.records import RecordKey
from dxdesk.services.workspace import Workspace
from dxdesk.ui.attendance_table import Municipality
from dxdesk.ui.autosave import typing_in
from dxdesk.ui.choice_box import ChoiceBox
from dxdesk.ui.event_editor import EventEditor
from dxdesk.ui.event_format import (
    LEGACY_EVENT_TYPE,
    event_type_choices,
    event_type_text,
    people_count,
)
from dxdesk.ui.format import QT_TRANSLATE_NOOP, fiscal_year_text, untitled_text, vocabulary_text
from dxdesk.ui.list_editor import lay_out_list_and_editor
from dxdesk.ui.overview_panel import make_table_view
from dxdesk.ui.record_status import status_cell, status_colour
from dxdesk.ui.runner import StoreRunner
from dxdesk.ui.table_model import RECORD_ROLE, Column, RecordTableModel, select_record

Record = dict[str, Any]
ALL = None  # a filter's 「すべて」
FILTER_CHARS = 5
NEW_EVENT_TYPE = "regional_consultation"  # a new event's type when the filter names none


def _today() -> date:
    return date.today()


EVENT_COLUMNS = (
    # The start beside the date (the end is in the editor), and no column of the type (the
    # type filter, the name and the editor say it): the 名称 keeps the room.
    Column(
        "date",
        QT_TRANSLATE_NOOP("Column", "日時"),
        display=lambda r: f"{r['date']} {r.get('start_time') or ''}".rstrip(),
        sort_value=lambda r: (r["date"], r.get("start_time") or ""),
    ),
    Column(
        "title", QT_TRANSLATE_NOOP("Column", "名称"), display=lambda r: untitled_text(r["title"])
    ),
    Column(
        "status",
        QT_TRANSLATE_NOOP("Column", "状態"),
        display=lambda r: status_cell(r, _today()),
    ),
    Column(
        "participants",
        QT_TRANSLATE_NOOP("Column", "参加"),
        display=lambda r: str(len(r.get("participants") or [])),
        sort_value=lambda r: len(r.get("participants") or []),
        align_right=True,
    ),
    Column(
        "people",
        QT_TRANSLATE_NOOP("Column", "人数"),
        display=lambda r: str(people_count(r) or ""),
        sort_value=people_count,
        align_right=True,
    ),
)
TITLE_COLUMN = next(i for i, column in enumerate(EVENT_COLUMNS) if column.key == "title")


class EventsPanel(QWidget):
    deleted = Signal(object, str, list)  # facade, what was deleted (for undo), record keys

    def __init__(
        self, workspace: Workspace, runner: StoreRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._runner = runner
        self._loaded = False  # a read was asked for
        self._read_once = False  # a read came back
        self._events: list[Record] = []  # every event; the list shows those the filters pass
        self._wanted: str | None = None  # an event to show once the list has it
        self.model = RecordTableModel(
            EVENT_COLUMNS, highlight=lambda r: status_colour(r, _today()), parent=self
        )
        self.view = make_table_view(self.model, self.tr("合同の場の一覧"), descending=True)
        self.view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        header = self.view.horizontalHeader()
        header.setStretchLastSection(False)  # the 名称 takes the room the others leave
        header.setSectionResizeMode(TITLE_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.year_box = ChoiceBox()
        self.year_box.setAccessibleName(self.tr("年度で絞り込む"))
        self.type_box = ChoiceBox()
        self.type_box.setAccessibleName(self.tr("種別で絞り込む"))
        self._fill_types()
        self.status_box = ChoiceBox()
        self.status_box.setAccessibleName(self.tr("状態で絞り込む"))
        self.status_box.addItem(self.tr("すべての状態"), ALL)
        for code, label in RECORD_STATUSES.items():
            self.status_box.addItem(vocabulary_text(label), code)
        self._fill_years()
        filters = QWidget()
        filters_layout = QHBoxLayout(filters)
        filters_layout.setContentsMargins(0, 0, 0, 0)
        for box in (self.year_box, self.type_box, self.status_box):
            # As narrow as a short entry (the list opens wide enough for the longest): the
            # tab must leave the municipality list its width.
            box.setSizeAdjustPolicy(
                ChoiceBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            box.setMinimumContentsLength(FILTER_CHARS)
            filters_layout.addWidget(box, 1)
            box.currentIndexChanged.connect(lambda _i: self._show_filtered())
        filters_layout.addStretch(1)

        self.editor = EventEditor(workspace, runner, self)
        self.new_button = QPushButton(self.tr("新規"))
        self.new_button.setAccessibleName(self.tr("合同の場を追加"))
        self.delete_button = QPushButton(self.tr("削除"))
        self.delete_button.setAccessibleName(self.tr("合同の場を削除"))
        self.new_button.clicked.connect(self.new_event)
        lay_out_list_and_editor(
            self,
            view=self.view,
            editor=self.editor,
            new_button=self.new_button,
            delete_button=self.delete_button,
            delete=self.delete_selected,
            above_list=filters,
        )
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.editor.saved.connect(self._saved)
        self.editor.deleted.connect(self.deleted)  # a follow-up's or a file's delete
        runner.changed.connect(self._store_changed)

    # -- loading -------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        """The events are read when someone first looks at them."""
        super().showEvent(event)
        if not self._loaded:
            self.reload()

    def reload(self) -> None:
        """Read the events and the roster again; the open event stays open."""
        self._loaded = True
        ws = self._ws

        def read() -> tuple[list[Record], list[Municipality], set[str]]:
            rows = ws.municipalities.roster()
            roster = [Municipality(m["code"], m["name"], m["region"]) for m in rows]
            assigned = {m["code"] for m in rows if m["assigned"]}
            return ws.events.list_records(), roster, assigned

        self._runner.run(read, on_done=self._read)

    def _read(self, result: tuple[list[Record], list[Municipality], set[str]]) -> None:
        events, roster, assigned = result
        self.editor.set_municipalities(roster, assigned)
        first, self._events = not self._read_once, events
        self._read_once = True
        self._fill_years(first=first)
        self._fill_types()
        wanted, self._wanted = self._wanted, None
        keep = self.editor.record_id
        if keep is not None and not typing_in(self.editor):
            # The store may hold newer values (a sync): shown unless someone is typing in it.
            stored = next((e for e in events if e["id"] == keep), None)
            self.editor.load(stored)
            if stored is not None:
                self.editor.reload_children()
        if wanted is not None and any(e["id"] == wanted for e in events):
            self.show_event(wanted)
        else:
            self._show_filtered(keep_open=True)

    def _store_changed(self, changes: Changes) -> None:
        if not self._loaded or changes.source is Source.EDIT:
            return  # (this panel shows what it wrote itself)
        if changes.touches("event") or changes.source in (Source.LOGIN, Source.RESTORE):
            self.reload()
        elif changes.touches("followup") and not typing_in(self.editor.follow_ups):
            self.editor.reload_children()

    # -- the list and its filters --------------------------------------------------------

    def _fill_years(self, *, first: bool = False) -> None:
        """The fiscal years with events (and this one). At the first read the list shows this
        year, or the latest with events when this one has none yet; then the person's choice."""
        years = {fiscal_year_of(date.fromisoformat(e["date"])) for e in self._events}
        this_year = fiscal_year_of(_today())
        current = self.year_box.currentData()
        if first:
            current = this_year if this_year in years or not years else max(years)
        years.add(this_year)
        self.year_box.blockSignals(True)
        try:
            self.year_box.clear()
            self.year_box.addItem(self.tr("すべての年度"), ALL)
            for year in sorted(years, reverse=True):
                self.year_box.addItem(fiscal_year_text(year), year)
            self.year_box.setCurrentIndex(max(self.year_box.findData(current), 0))
        finally:
            self.year_box.blockSignals(False)

    def _fill_types(self) -> None:
        """The group-session types, and the legacy 定例よろず相談 only while an event has it."""
        current = self.type_box.currentData()
        choices = event_type_choices(e["type"] for e in self._events)
        self.type_box.blockSignals(True)
        try:
            self.type_box.clear()
            self.type_box.addItem(self.tr("すべての種別"), ALL)
            for code, label in choices.items():
                self.type_box.addItem(vocabulary_text(label), code)
            self.type_box.setCurrentIndex(max(self.type_box.findData(current), 0))
        finally:
            self.type_box.blockSignals(False)

    def _passes(self, record: Record) -> bool:
        year, kind, status = (
            box.currentData() for box in (self.year_box, self.type_box, self.status_box)
        )
        return (
            (year is ALL or fiscal_year_of(date.fromisoformat(record["date"])) == year)
            and (kind is ALL or record["type"] == kind)
            and (status is ALL or (record.get("status") or "held") == status)
        )

    def _show_filtered(self, select: str | None = None, *, keep_open: bool = False) -> None:
        """Show the events the filters pass; the open one stays chosen while it is listed.

        With ``keep_open`` (after a save or a read, not a filter the person chose) the open
        event stays listed and chosen even when it no longer passes: the editor never moves to
        another event under the person's hands."""
        current = select or self.editor.record_id
        kept = current if keep_open else None
        self.model.set_records([e for e in self._events if self._passes(e) or e["id"] == kept])
        if current is not None and self.model.row_of(current) >= 0:
            select_record(self.view, current)
        elif not select_record(self.view, None):
            self.editor.load(None)

    def show_event(self, event_id: str) -> None:
        """Bring an event on screen (from a municipality's history): the filters make way."""
        if not any(e["id"] == event_id for e in self._events):
            self._wanted = event_id
            self.reload()
            return
        record = next(e for e in self._events if e["id"] == event_id)
        if not self._passes(record):
            for box in (self.year_box, self.type_box, self.status_box):
                box.blockSignals(True)
                box.setCurrentIndex(0)
                box.blockSignals(False)
        self._show_filtered(event_id)

    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if not indexes:
            return  # (a filter hid the row: the editor keeps what it shows)
        record = indexes[0].data(RECORD_ROLE)
        if record["id"] != self.editor.record_id:
            self.editor.load(record)

    def _saved(self, record: Record) -> None:
        self._events = [record if e["id"] == record["id"] else e for e in self._events]
        self._fill_years()  # (a date moved into a year not listed yet)
        self._show_filtered(self.editor.record_id, keep_open=True)

    # -- adding and deleting -------------------------------------------------------------

    def new_event(self) -> None:
        kind = self.type_box.currentData() or NEW_EVENT_TYPE
        if kind == LEGACY_EVENT_TYPE:
            kind = NEW_EVENT_TYPE  # (kept for old events, never chosen for a new one)
        today = _today()
        # A real title (its type and month) rather than a placeholder: the name is required,
        # and the person usually adds the place or theme to it.
        title = self.tr("{type}（{month}月）").format(
            type=event_type_text({"type": kind}), month=today.month
        )
        payload = {
            "type": kind,
            "title": title,
            "date": today.isoformat(),
            "status": "planned",
            "mode": "in_person",
        }
        self._runner.run(lambda: self._ws.events.add(payload), on_done=self._added)

    def _added(self, record: Record) -> None:
        self._events = [record, *self._events]
        self._fill_years()
        self.show_event(record["id"])
        self.editor.title_edit.setFocus()
        self.editor.title_edit.selectAll()

    def delete_selected(self) -> None:
        record_id = self.editor.record_id
        record = next((e for e in self._events if e["id"] == record_id), None)
        if record_id is None or record is None:
            return
        what = self.tr("{date} の合同の場「{title}」").format(
            date=record["date"], title=untitled_text(record["title"])
        )
        answer = QMessageBox.question(
            self,
            self.tr("合同の場の削除"),
            self.tr("{what}を、そのフォローアップと資料ごと削除しますか？").format(what=what),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.editor.load(None)
        self._runner.run(
            lambda: self._ws.events.delete(record_id),
            on_done=lambda keys: self._deleted(record_id, what, keys),
        )

    def _deleted(self, record_id: str, what: str, keys: list[RecordKey]) -> None:
        self._events = [e for e in self._events if e["id"] != record_id]
        self._show_filtered()
        self.deleted.emit(self._ws.events, what, keys)
