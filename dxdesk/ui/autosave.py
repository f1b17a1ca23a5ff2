"""Forms that save as the user types (debounced) and when focus leaves a field.

A form is a set of bindings, one per record field: the widget, how to read and write its value
and the signal that says the user changed it. Saving runs on the store's worker thread, so a
slow disk never freezes typing, and nothing typed is lost if the app or the machine stops.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from PySide6.QtCore import QDate, QTimer, Signal, SignalInstance
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from dxdesk.services.unsaved import SaveOutcome, UnsavedField, UnsavedRecord
from dxdesk.ui.choice_box import DateBox
from dxdesk.ui.format import vocabulary_text
from dxdesk.ui.message_label import message_label
from dxdesk.ui.refusal_text import error_text
from dxdesk.ui.runner import StoreRunner

SAVE_DELAY_MS = 500
LIST_SEPARATOR = "、"

Record = dict[str, Any]


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
    edit = DateBox()  # (the mouse wheel scrolls past it: see choice_box)
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


class EditStore(Protocol):
    """Where a form's edits go: a record facade, or a draft kept on this device."""

    def save_edits(self, record_id: str, patch: Mapping[str, Any]) -> SaveOutcome: ...

    def kept_edits(self) -> list[UnsavedRecord]: ...


class SaveEverything:
    """An EditStore over a save that takes every edit (a draft on this device)."""

    def __init__(self, save: Callable[[str, Mapping[str, Any]], Record]) -> None:
        self._save = save

    def save_edits(self, record_id: str, patch: Mapping[str, Any]) -> SaveOutcome:
        return SaveOutcome(record_id, self._save(record_id, patch), {})

    def kept_edits(self) -> list[UnsavedRecord]:
        return []


class AutosaveForm(QWidget):
    """The fields of one record; changes go to ``store.save_edits`` on the worker.

    A field the rules refuse never holds back the others: they are saved, and the refused value
    stays on screen marked 未保存 with the reason. It is kept on this device (services/unsaved.py)
    and shown again whenever the record is, until an edit makes it valid.
    """

    saved = Signal(dict)  # the record as stored

    def __init__(
        self,
        store: EditStore,
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
        self._store = store
        self._runner = runner
        self._bindings = {field: binding for field, (_, binding) in bindings.items()}
        self._labels = {field: label for field, (label, _) in bindings.items()}
        self._record_id: str | None = None
        self._dirty: set[str] = set()
        # Per record id: the fields refused so far, and the values on their way to the store
        # (field -> (which save, value)), shown if the record is loaded before they arrive.
        self._kept: dict[str, dict[str, UnsavedField]] = {}
        self._in_flight: dict[str, dict[str, tuple[int, Any]]] = {}
        # Per record id: the fields whose save failed in the store itself (not a rule). Only
        # this form holds them: the window names them before closing, as lost if it closes.
        self._failed: dict[str, set[str]] = {}
        self._saves = 0
        self._timer = QTimer(self, singleShot=True, interval=SAVE_DELAY_MS)
        self._timer.timeout.connect(self.flush)
        self.state_label = message_label()
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
        runner.run(store.kept_edits, on_done=self._kept_loaded)

    @property
    def record_id(self) -> str | None:
        return self._record_id

    def holds(self, widget: QWidget) -> bool:
        """``widget`` is (in) one of this form's fields, wherever the caller laid it out."""
        return any(
            b.widget is widget or b.widget.isAncestorOf(widget) for b in self._bindings.values()
        )

    def unsaved_fields(self) -> dict[str, UnsavedField]:
        """The shown record's fields that could not be saved yet, with why."""
        return dict(self._kept.get(self._record_id or "", {}))

    def lost_on_close(self) -> list[tuple[list[str], str]]:
        """Per record, the labels of the fields whose save failed (the store, not a rule) and
        why: they are on screen only, so closing the window loses them."""
        lost: list[tuple[list[str], str]] = []
        for record_id, fields in self._failed.items():
            kept = self._kept.get(record_id, {})
            named = [f for f in self._bindings if f in fields and f in kept]
            if named:
                labels = [self._labels[f] for f in named]
                lost.append((labels, kept[named[0]].reason))
        return lost

    def _owns(self, widget: QWidget) -> bool:
        return any(
            b.widget is widget or b.widget.isAncestorOf(widget) for b in self._bindings.values()
        )

    def _focus_changed(self, old: QWidget | None, _new: QWidget | None) -> None:
        if old is not None and self._dirty and self._owns(old):
            self.flush()

    def _write(self, field: str, value: Any) -> None:
        binding = self._bindings[field]
        binding.widget.blockSignals(True)
        try:
            binding.write(value)
        finally:
            binding.widget.blockSignals(False)

    def load(self, record: Record | None) -> None:
        """Show a record (or nothing); pending typing of the previous one is saved first.

        What could not be saved of it, and what is still on its way, is shown over the record.
        """
        self.flush()
        self._record_id = None if record is None else record["id"]
        self.setEnabled(record is not None)
        for field in self._bindings:
            self._write(field, None if record is None else record.get(field))
        self._overlay(set(self._bindings))
        self._show_state("")

    def _overlay(self, fields: set[str]) -> None:
        record_id = self._record_id or ""
        values = {f: u.value for f, u in self._kept.get(record_id, {}).items()}
        values |= {f: value for f, (_, value) in self._in_flight.get(record_id, {}).items()}
        for field, value in values.items():
            if field in fields and field in self._bindings:
                self._write(field, value)

    def _kept_loaded(self, records: list[UnsavedRecord]) -> None:
        """At start: the edits left unsaved in an earlier session, shown if their record is."""
        for record in records:
            self._kept.setdefault(record.record_id, record.fields)
        if self._record_id in self._kept:
            self._overlay(set(self._kept[self._record_id]) - self._dirty)
            self._show_state("")

    def _changed(self, field: str) -> None:
        if self._record_id is None:
            return
        self._dirty.add(field)
        self.state_label.setText(self.tr("編集中…"))
        self._timer.start()

    def flush(self) -> None:
        """Queue a save of whatever changed since the last one (with what still waits)."""
        self._timer.stop()
        if self._record_id is None or not self._dirty:
            return
        record_id = self._record_id
        fields = self._dirty | set(self._kept.get(record_id, {}))
        patch = {field: self._bindings[field].read() for field in fields}
        self._dirty.clear()
        self._saves += 1
        save = self._saves
        self._in_flight.setdefault(record_id, {}).update(
            {field: (save, value) for field, value in patch.items()}
        )
        self.state_label.setText(self.tr("保存中…"))
        self._runner.run(
            lambda: self._store.save_edits(record_id, patch),
            on_done=lambda outcome: self._on_saved(save, outcome, patch),
            on_error=lambda error: self._on_error(save, record_id, patch, error),
        )

    def _landed(self, save: int, record_id: str) -> None:
        flying = self._in_flight.get(record_id, {})
        for field in [f for f, (which, _) in flying.items() if which == save]:
            del flying[field]
        if not flying:
            self._in_flight.pop(record_id, None)

    def _on_saved(self, save: int, outcome: SaveOutcome, patch: Mapping[str, Any]) -> None:
        self._landed(save, outcome.record_id)
        self._keep(outcome.record_id, outcome.unsaved)
        failed = self._failed.get(outcome.record_id, set()) - set(patch)
        if failed:
            self._failed[outcome.record_id] = failed
        else:
            self._failed.pop(outcome.record_id, None)
        if outcome.gone:  # deleted (here or by a colleague) or out of the assignment
            self._kept.pop(outcome.record_id, None)
            self._failed.pop(outcome.record_id, None)
            if outcome.record_id == self._record_id:
                self.state_label.setText(
                    self.tr(
                        "この記録はもうありません（削除されたか、担当から外れました）。"
                        "入力は保存できません。"
                    )
                )
                self.state_label.setStyleSheet("color: #b00020;")
            return
        if outcome.record_id == self._record_id:
            self._show_state(self.tr("保存済み"))
        if outcome.record is not None:
            self.saved.emit(outcome.record)

    def _on_error(
        self, save: int, record_id: str, patch: Mapping[str, Any], error: BaseException
    ) -> None:
        """The store itself failed (not a rule): keep the whole patch as unsaved, in memory."""
        self._landed(save, record_id)
        kept = dict(self._kept.get(record_id, {}))
        kept |= {field: UnsavedField(value, error_text(error)) for field, value in patch.items()}
        self._keep(record_id, kept)
        self._failed.setdefault(record_id, set()).update(patch)
        if record_id == self._record_id:
            self._show_state("")

    def _keep(self, record_id: str, fields: Mapping[str, UnsavedField]) -> None:
        if fields:
            self._kept[record_id] = dict(fields)
        else:
            self._kept.pop(record_id, None)

    def _show_state(self, settled: str) -> None:
        """未保存 with each field's label and reason; else ``settled`` once nothing is pending."""
        kept = self._kept.get(self._record_id or "", {})
        if kept:
            self.state_label.setText(
                "\n".join(
                    self.tr("未保存: {label} — {reason}").format(
                        label=self._labels.get(field, field), reason=unsaved.reason
                    )
                    for field, unsaved in kept.items()
                )
            )
            self.state_label.setStyleSheet("color: #b00020;")
            return
        self.state_label.setStyleSheet("")
        if not self._dirty and not self._in_flight.get(self._record_id or ""):
            self.state_label.setText(settled)


def typing_in(widget: QWidget) -> bool:
    """Someone is at work in ``widget``: the keyboard focus is inside it.

    A panel keeps such a form as it is when the store changes under it (a background sync must
    not move the cursor); it is read again when the record is chosen again.
    """
    focus = QApplication.focusWidget()
    if focus is None:
        return False
    if focus is widget or widget.isAncestorOf(focus):
        return True
    # A form's fields may sit outside it (the assessment's 判断理由 and answers do).
    forms = widget.findChildren(AutosaveForm)
    if isinstance(widget, AutosaveForm):
        forms.append(widget)
    return any(form.holds(focus) for form in forms)


def flush_forms(root: QWidget) -> None:
    """Queue a save of pending typing in every form under ``root`` (its dialogs included),
    before work that reads the store: a sync, a backup, a report, closing."""
    for form in root.findChildren(AutosaveForm):
        form.flush()
