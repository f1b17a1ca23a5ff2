"""Forms that save as the user types (debounced) and when focus leaves a field.

A form is a set of bindings, one per record field: the widget, how to read and write its value
and the signal that says the user changed it. Saving runs on the store's worker thread, so a
slow disk never freezes typing, and nothing typed is lost if the app or the machine stops.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QTimer, Signal, SignalInstance
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from dxdesk.ui.format import vocabulary_text
from dxdesk.ui.runner import StoreRunner

SAVE_DELAY_MS = 500
LIST_SEPARATOR = "、"

Record = dict[str, Any]
SaveCall = Callable[[str, Mapping[str, Any]], Record]


@dataclass(frozen=True)
class Binding:
    widget: QWidget
    read: Callable[[], Any]
    write: Callable[[Any], None]
    edited: SignalInstance  # emitted when the user (not load()) changes the value


def text_binding(edit: QLineEdit) -> Binding:
    return Binding(edit, edit.text, lambda v: edit.setText(v or ""), edit.textEdited)


def long_text_binding(edit: QPlainTextEdit) -> Binding:
    return Binding(edit, edit.toPlainText, lambda v: edit.setPlainText(v or ""), edit.textChanged)


def split_list(text: str) -> list[str]:
    """「A、B, C，D」 -> ["A", "B", "C", "D"]."""
    text = text.replace(",", LIST_SEPARATOR).replace("，", LIST_SEPARATOR)
    return [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()]


def list_binding(edit: QLineEdit) -> Binding:
    return Binding(
        edit,
        lambda: split_list(edit.text()),
        lambda v: edit.setText(LIST_SEPARATOR.join(v or [])),
        edit.textEdited,
    )


def choice_binding(box: QComboBox, choices: Mapping[str, str]) -> Binding:
    """``choices`` maps stored codes to the domain's labels, shown translated."""
    for code, label in choices.items():
        box.addItem(vocabulary_text(label), code)
    return Binding(
        box,
        box.currentData,
        lambda v: box.setCurrentIndex(max(box.findData(v), 0)),
        box.currentIndexChanged,
    )


def _to_iso(qdate: QDate) -> str:
    return date(qdate.year(), qdate.month(), qdate.day()).isoformat()


def new_date_edit() -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def date_binding(edit: QDateEdit) -> Binding:
    return Binding(
        edit,
        lambda: _to_iso(edit.date()),
        lambda v: edit.setDate(QDate.fromString(v, "yyyy-MM-dd") if v else QDate.currentDate()),
        edit.dateChanged,
    )


class OptionalDateEdit(QWidget):
    """A date that may be absent (a follow-up with no due date): a check box and a date."""

    edited = Signal()

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = QCheckBox(label)
        self.date_edit = new_date_edit()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.date_edit, 1)
        self.check.toggled.connect(self._toggled)
        self.date_edit.dateChanged.connect(lambda _d: self.edited.emit())
        self.date_edit.setEnabled(False)

    def _toggled(self, on: bool) -> None:
        self.date_edit.setEnabled(on)
        self.edited.emit()

    def value(self) -> str | None:
        return _to_iso(self.date_edit.date()) if self.check.isChecked() else None

    def set_value(self, value: str | None) -> None:
        for widget in (self.check, self.date_edit):
            widget.blockSignals(True)
        try:
            self.check.setChecked(value is not None)
            self.date_edit.setEnabled(value is not None)
            qdate = QDate.fromString(value, "yyyy-MM-dd") if value else QDate.currentDate()
            self.date_edit.setDate(qdate)
        finally:
            for widget in (self.check, self.date_edit):
                widget.blockSignals(False)


def optional_date_binding(edit: OptionalDateEdit) -> Binding:
    return Binding(edit, edit.value, edit.set_value, edit.edited)


class AutosaveForm(QWidget):
    """The fields of one record; changes go to ``save(record_id, patch)`` on the worker."""

    saved = Signal(dict)  # the record as stored

    def __init__(
        self,
        save: SaveCall,
        runner: StoreRunner,
        bindings: Mapping[str, tuple[str, Binding]],
        parent: QWidget | None = None,
        *,
        laid_out: Collection[str] | None = None,
    ) -> None:
        """``bindings`` maps each field name to its label and binding, in display order.

        The fields named in ``laid_out`` (all by default) go in this widget's form; the caller
        places the others where it likes, and they save all the same.
        """
        super().__init__(parent)
        self._save = save
        self._runner = runner
        self._bindings = {field: binding for field, (_, binding) in bindings.items()}
        self._record_id: str | None = None
        self._dirty: set[str] = set()
        self._timer = QTimer(self, singleShot=True, interval=SAVE_DELAY_MS)
        self._timer.timeout.connect(self.flush)
        self.state_label = QLabel()
        self.state_label.setAccessibleName(self.tr("保存の状態"))
        self.form = QFormLayout(self)
        for field, (label, binding) in bindings.items():
            binding.widget.setAccessibleName(label)
            if laid_out is None or field in laid_out:
                self.form.addRow(label, binding.widget)
            binding.edited.connect(lambda *_args, f=field: self._changed(f))
        self.form.addRow("", self.state_label)
        self.setEnabled(False)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)

    @property
    def record_id(self) -> str | None:
        return self._record_id

    def _owns(self, widget: QWidget) -> bool:
        return any(
            b.widget is widget or b.widget.isAncestorOf(widget) for b in self._bindings.values()
        )

    def _focus_changed(self, old: QWidget | None, _new: QWidget | None) -> None:
        if old is not None and self._dirty and self._owns(old):
            self.flush()

    def load(self, record: Record | None) -> None:
        """Show a record (or nothing); pending typing of the previous one is saved first."""
        self.flush()
        self._record_id = None if record is None else record["id"]
        self.setEnabled(record is not None)
        for field, binding in self._bindings.items():
            binding.widget.blockSignals(True)
            try:
                binding.write(None if record is None else record.get(field))
            finally:
                binding.widget.blockSignals(False)
        self.state_label.setText("")

    def _changed(self, field: str) -> None:
        if self._record_id is None:
            return
        self._dirty.add(field)
        self.state_label.setText(self.tr("編集中…"))
        self._timer.start()

    def flush(self) -> None:
        """Queue a save of whatever changed since the last one."""
        self._timer.stop()
        if self._record_id is None or not self._dirty:
            return
        record_id = self._record_id
        patch = {field: self._bindings[field].read() for field in self._dirty}
        self._dirty.clear()
        self.state_label.setText(self.tr("保存中…"))
        self._runner.run(
            lambda: self._save(record_id, patch),
            on_done=self._on_saved,
            on_error=lambda error: self._on_error(record_id, set(patch), error),
        )

    def _on_saved(self, record: Record) -> None:
        if record["id"] == self._record_id and not self._dirty:
            self.state_label.setText(self.tr("保存済み"))
        self.saved.emit(record)

    def _on_error(self, record_id: str, fields: set[str], error: BaseException) -> None:
        if record_id != self._record_id:
            return  # the user moved on: that record shows what it has
        # Refused (e.g. a level without its reason): keep the fields pending, so the next
        # edit saves them together with what makes them valid.
        self._dirty |= fields
        self.state_label.setText(self.tr("保存できません: {error}").format(error=error))
