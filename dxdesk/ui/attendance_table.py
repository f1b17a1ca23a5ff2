"""Who took part in a group event and how many of their people came: one row per municipality
of the roster, a check box to take part and a number of people.

The table is the widget of two fields of the event, ``participants`` and ``attendance``: a
change to either is saved with the other (see ``participant_bindings``). Each change is said at
once (a check, a digit typed), so the event's autosave sees it and a crash loses nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dxdesk.domain.calendar_values import MAX_PEOPLE
from dxdesk.ui.autosave import Binding
from dxdesk.ui.choice_box import NumberBox
from dxdesk.ui.event_format import people_count
from dxdesk.ui.message_label import message_label

CODE_ROLE = Qt.ItemDataRole.UserRole + 1
NAME_COLUMN, REGION_COLUMN, PEOPLE_COLUMN = range(3)


class Municipality(NamedTuple):
    code: str
    name: str
    region: str


class AttendanceTable(QWidget):
    edited = Signal()  # the person changed who takes part or how many came (not a load)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._roster: list[Municipality] = []
        self._participants: list[str] = []
        self._attendance: dict[str, int] = {}
        self._region = ""
        self._rendering = False
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(
            [self.tr("市町村"), self.tr("振興局"), self.tr("人数")]
        )
        self.table.setAccessibleName(self.tr("参加市町村と人数"))
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(NAME_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(REGION_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(PEOPLE_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemChanged.connect(self._item_changed)
        self.only_participants = QCheckBox(self.tr("参加する市町村だけを表示"))
        self.only_participants.toggled.connect(lambda _on: self._render())
        self.region_button = QPushButton()
        self.region_button.clicked.connect(self._add_region)
        self.summary_label = QLabel()
        self.summary_label.setAccessibleName(self.tr("参加の合計"))
        # What the editor has to say about the participants (follow-ups of one taken off).
        self.warning_label = message_label(error=True)
        self.warning_label.setAccessibleName(self.tr("参加市町村についての注意"))
        self.warning_label.hide()
        tools = QHBoxLayout()
        tools.addWidget(self.only_participants)
        tools.addStretch(1)
        tools.addWidget(self.region_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(tools)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.warning_label)
        self._render()

    # -- what the form reads and writes --------------------------------------------------

    def participants(self) -> list[str]:
        return list(self._participants)

    def attendance(self) -> dict[str, int]:
        """People per participant; a participant with no count (0: not known) is left out."""
        return {c: n for c, n in self._attendance.items() if n and c in self._participants}

    def set_participants(self, codes: Sequence[str] | None) -> None:
        self._participants = list(dict.fromkeys(codes or []))
        self._render()

    def set_attendance(self, people: Mapping[str, int] | None) -> None:
        self._attendance = dict(people or {})
        for code in self._attendance:
            if code not in self._participants:
                self._participants.append(code)  # (the store adds them too)
        self._render()

    # -- what the editor tells it --------------------------------------------------------

    def set_municipalities(self, roster: Sequence[Municipality]) -> None:
        self._roster = list(roster)
        self._render()

    def set_warning(self, text: str) -> None:
        """Say ``text`` under the table (hidden when empty)."""
        self.warning_label.setText(text)
        self.warning_label.setVisible(bool(text))

    def set_region(self, region: str) -> None:
        """The event's 振興局: its municipalities can be added in one go."""
        self._region = region.strip()
        self._render()

    # -- the table -----------------------------------------------------------------------

    def _names(self) -> dict[str, str]:
        return {m.code: m.name for m in self._roster}

    def _render(self) -> None:
        self._rendering = True
        try:
            known = {m.code for m in self._roster}
            # A participant this laptop's roster lacks (synced from elsewhere) still shows.
            rows = self._roster + [
                Municipality(c, c, "") for c in self._participants if c not in known
            ]
            if self.only_participants.isChecked():
                rows = [m for m in rows if m.code in self._participants]
            self.table.setRowCount(len(rows))
            for row, municipality in enumerate(rows):
                self._fill_row(row, municipality)
        finally:
            self._rendering = False
        in_region = [m.code for m in self._roster if self._region and m.region == self._region]
        self.region_button.setText(
            self.tr("{region}の市町村をすべて参加にする").format(region=self._region)
        )
        self.region_button.setVisible(bool(in_region))
        self.region_button.setEnabled(any(c not in self._participants for c in in_region))
        self.summary_label.setText(
            self.tr("参加 {count} 市町村・{people} 名").format(
                count=len(self._participants),
                people=people_count({"attendance": self.attendance()}),
            )
        )

    def _fill_row(self, row: int, municipality: Municipality) -> None:
        """Fill a row, reusing its items and number box (a render runs inside their own
        signals, and the box may hold the keyboard focus)."""
        taking_part = municipality.code in self._participants
        name = self._item(row, NAME_COLUMN, Qt.ItemFlag.ItemIsUserCheckable)
        name.setText(municipality.name)
        name.setData(CODE_ROLE, municipality.code)
        name.setCheckState(Qt.CheckState.Checked if taking_part else Qt.CheckState.Unchecked)
        self._item(row, REGION_COLUMN).setText(municipality.region)
        box = self.table.cellWidget(row, PEOPLE_COLUMN)
        if not isinstance(box, NumberBox):
            box = NumberBox()
            box.setRange(0, MAX_PEOPLE)
            box.setSpecialValueText("—")  # 0: not counted (yet)
            box.setSuffix(self.tr(" 名"))
            box.valueChanged.connect(lambda value, box=box: self._people_changed(box, value))
            self.table.setCellWidget(row, PEOPLE_COLUMN, box)
        box.setProperty("code", municipality.code)
        box.setAccessibleName(self.tr("{name}の人数").format(name=municipality.name))
        box.blockSignals(True)
        box.setValue(self._attendance.get(municipality.code, 0) if taking_part else 0)
        box.blockSignals(False)

    def _item(
        self, row: int, column: int, more: Qt.ItemFlag = Qt.ItemFlag.NoItemFlags
    ) -> QTableWidgetItem:
        item = self.table.item(row, column)
        if item is None:
            item = QTableWidgetItem()
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | more)
            self.table.setItem(row, column, item)
        return item

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._rendering or item.column() != NAME_COLUMN:
            return
        code = str(item.data(CODE_ROLE))
        if item.checkState() == Qt.CheckState.Checked:
            if code not in self._participants:
                self._participants.append(code)
        else:
            self._participants = [c for c in self._participants if c != code]
            self._attendance.pop(code, None)
        self._changed()

    def _people_changed(self, box: NumberBox, value: int) -> None:
        if self._rendering:
            return
        code = str(box.property("code"))
        self._attendance[code] = value
        if value and code not in self._participants:
            self._participants.append(code)  # people came from it: it took part
        self._changed()

    def _add_region(self) -> None:
        for m in self._roster:
            if m.region == self._region and m.code not in self._participants:
                self._participants.append(m.code)
        self._changed()

    def _changed(self) -> None:
        self._render()
        self.edited.emit()

    def row_of(self, code: str) -> int:
        """The table row of a municipality (for tests and keyboard focus), or -1."""
        rows = range(self.table.rowCount())
        return next((r for r in rows if self._code_at(r) == code), -1)

    def _code_at(self, row: int) -> Any:
        item = self.table.item(row, NAME_COLUMN)
        return None if item is None else item.data(CODE_ROLE)


def participant_bindings(table: AttendanceTable) -> tuple[Binding, Binding]:
    """The bindings of ``participants`` and ``attendance``, both over ``table``: an edit of
    either marks both changed, so they are saved together (the store keeps them in step)."""
    return (
        Binding(table, table.participants, table.set_participants, table.edited),
        Binding(table, table.attendance, table.set_attendance, table.edited),
    )
