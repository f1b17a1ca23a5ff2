"""The records taken at one parent record: a list and an editor.

The visit editor's interview notes and follow-ups have the engagement as their parent (the
default); the group event's follow-ups name the event instead (``parent_field="event"``) and are
read by it (``list_children``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dxdesk.services.records import RecordFacade, RecordKey
from dxdesk.ui.autosave import AutosaveForm, Binding
from dxdesk.ui.format import vocabulary_text
from dxdesk.ui.overview_panel import make_table_view
from dxdesk.ui.runner import StoreRunner
from dxdesk.ui.table_model import RECORD_ROLE, Column, RecordTableModel, select_record

Record = dict[str, Any]


class ChildRecordsSection(QWidget):
    count_changed = Signal(int)
    deleted = Signal(object, str, list)  # facade, what was deleted (for the undo label), keys

    def __init__(
        self,
        facade: RecordFacade,
        runner: StoreRunner,
        *,
        columns: Sequence[Column],
        bindings: Mapping[str, tuple[str, Binding]],
        new_payload: Callable[[str], Record],
        describe: Callable[[Record], str],
        focus_field: QWidget,
        parent_field: str = "engagement",
        list_children: Callable[[str], list[Record]] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """``parent_field`` is the field of a child naming its parent record; ``list_children``
        reads a parent's children on the worker (by default the facade's records of that
        engagement, the only parent ``list_records`` filters by)."""
        super().__init__(parent)
        self._facade = facade
        self._runner = runner
        self._new_payload = new_payload
        self._describe = describe
        self._focus_field = focus_field
        if list_children is None:
            if parent_field != "engagement":
                raise ValueError(f"list_children is needed for children of a {parent_field}")

            def list_children(parent_id: str) -> list[Record]:
                return facade.list_records(engagement=parent_id)

        self._parent_field = parent_field
        self._list_children = list_children
        self._parent: str | None = None
        noun = vocabulary_text(facade.spec.label)
        self._noun = noun
        self.model = RecordTableModel(columns, parent=self)
        self.view = make_table_view(self.model, self.tr("{noun}の一覧").format(noun=noun))
        self.view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.form = AutosaveForm(facade, runner, bindings, self)
        self.add_button = QPushButton(self.tr("{noun}を追加").format(noun=noun))
        self.add_button.setAccessibleName(self.add_button.text())
        self.delete_button = QPushButton(self.tr("削除"))
        self.delete_button.setAccessibleName(self.tr("{noun}を削除").format(noun=noun))
        self.add_button.clicked.connect(self.add)
        self.delete_button.clicked.connect(self.delete_selected)
        QShortcut(
            QKeySequence.StandardKey.Delete,
            self.view,
            self.delete_selected,
            context=Qt.ShortcutContext.WidgetShortcut,
        )

        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.form, 2)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.form.saved.connect(self._saved)
        self._set_enabled()

    def _set_enabled(self) -> None:
        self.add_button.setEnabled(self._parent is not None)
        self.delete_button.setEnabled(self.form.record_id is not None)

    def load(self, parent_id: str | None) -> None:
        """Show the records of a parent record (or none), loaded on the worker."""
        self.form.flush()
        self._parent = parent_id
        self._set_enabled()
        if parent_id is None:
            self._show(None, [])
            return
        list_children = self._list_children
        self._runner.run(
            lambda: list_children(parent_id),
            on_done=lambda records: self._show(parent_id, records),
        )

    def _show(self, parent_id: str | None, records: list[Record]) -> None:
        if parent_id != self._parent:
            return  # the user moved on while this loaded
        keep = self.form.record_id
        self.model.set_records(records)
        self.count_changed.emit(len(records))
        self.select(keep)

    def select(self, record_id: str | None) -> None:
        if not select_record(self.view, record_id):
            self.form.load(None)
        self._set_enabled()

    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        record = indexes[0].data(RECORD_ROLE) if indexes else None
        if record is None or record["id"] != self.form.record_id:
            self.form.load(record)
        self._set_enabled()

    def _saved(self, record: Record) -> None:
        records = self.model.records()
        row = self.model.row_of(record["id"])
        if row < 0:
            return
        records[row] = record
        current = self.form.record_id
        self.model.set_records(records)
        self.select(current)

    def add(self) -> None:
        if self._parent is None:
            return
        payload = self._new_payload(self._parent)
        self._runner.run(lambda: self._facade.add(payload), on_done=self._added)

    def _added(self, record: Record) -> None:
        if record.get(self._parent_field) != self._parent:
            return  # the user moved to another parent while this was written
        records = [*self.model.records(), record]
        self.model.set_records(records)
        self.count_changed.emit(len(records))
        self.select(record["id"])
        self._focus_field.setFocus(Qt.FocusReason.OtherFocusReason)

    def delete_selected(self) -> None:
        record_id = self.form.record_id
        row = self.model.row_of(record_id) if record_id else -1
        if record_id is None or row < 0:
            return
        what = self._describe(self.model.records()[row])
        answer = QMessageBox.question(
            self,
            self.tr("{noun}の削除").format(noun=self._noun),
            self.tr("{what} を削除しますか？").format(what=what),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.form.load(None)
        self._runner.run(
            lambda: self._facade.delete(record_id),
            on_done=lambda keys: self._deleted(record_id, what, keys),
        )

    def _deleted(self, record_id: str, what: str, keys: list[RecordKey]) -> None:
        records = [r for r in self.model.records() if r["id"] != record_id]
        self.model.set_records(records)
        self.count_changed.emit(len(records))
        self.select(None)
        self.deleted.emit(self._facade, what, keys)
