"""The editor of one engagement. It saves as the user types (debounced) and on focus change,
so nothing typed is lost if the app or the machine stops."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from dxdesk.domain.vocabulary import ENGAGEMENT_TYPES, MODES
from dxdesk.models.workspace import Workspace
from dxdesk.ui.runner import StoreRunner

SAVE_DELAY_MS = 500
THEME_SEPARATOR = "、"


class EngagementEditor(QWidget):
    saved = Signal(dict)  # the record as stored

    def __init__(
        self, workspace: Workspace, runner: StoreRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._runner = runner
        self._record_id: str | None = None
        self._dirty: set[str] = set()
        self._timer = QTimer(self, singleShot=True, interval=SAVE_DELAY_MS)
        self._timer.timeout.connect(self.flush)

        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.type_box = QComboBox()
        for code, label in ENGAGEMENT_TYPES.items():
            self.type_box.addItem(label, code)
        self.mode_box = QComboBox()
        for code, label in MODES.items():
            self.mode_box.addItem(label, code)
        self.title_edit = QLineEdit(placeholderText="件名")
        self.themes_edit = QLineEdit(placeholderText="テーマ（「、」区切り）")
        self.attendees_edit = QLineEdit(placeholderText="出席者（市町村側、「、」区切り）")
        self.summary_edit = QPlainTextEdit(placeholderText="概要")
        self.notes_edit = QPlainTextEdit(placeholderText="メモ")
        self.state_label = QLabel()
        self._widgets: dict[str, QWidget] = {
            "date": self.date_edit,
            "type": self.type_box,
            "mode": self.mode_box,
            "title": self.title_edit,
            "themes": self.themes_edit,
            "municipal_attendees": self.attendees_edit,
            "summary": self.summary_edit,
            "notes": self.notes_edit,
        }
        names = {
            "date": "日付",
            "type": "種別",
            "mode": "形式",
            "title": "件名",
            "themes": "テーマ",
            "municipal_attendees": "出席者",
            "summary": "概要",
            "notes": "メモ",
        }
        form = QFormLayout()
        for field, widget in self._widgets.items():
            widget.setAccessibleName(names[field])
            form.addRow(names[field], widget)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.state_label, alignment=Qt.AlignmentFlag.AlignRight)

        self.date_edit.dateChanged.connect(lambda _d: self._changed("date"))
        self.type_box.currentIndexChanged.connect(lambda _i: self._changed("type"))
        self.mode_box.currentIndexChanged.connect(lambda _i: self._changed("mode"))
        self.title_edit.textEdited.connect(lambda _t: self._changed("title"))
        self.themes_edit.textEdited.connect(lambda _t: self._changed("themes"))
        self.attendees_edit.textEdited.connect(lambda _t: self._changed("municipal_attendees"))
        self.summary_edit.textChanged.connect(lambda: self._changed("summary"))
        self.notes_edit.textChanged.connect(lambda: self._changed("notes"))
        self.setEnabled(False)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)

    def _focus_changed(self, old: QWidget | None, _new: QWidget | None) -> None:
        if old is not None and old in self._widgets.values():
            self.flush()

    @property
    def record_id(self) -> str | None:
        return self._record_id

    def load(self, record: dict[str, Any] | None) -> None:
        """Show a record (or nothing); pending typing of the previous one is saved first."""
        self.flush()
        self._record_id = None if record is None else record["id"]
        self.setEnabled(record is not None)
        for widget in self._widgets.values():
            widget.blockSignals(True)
        try:
            if record is None:
                for edit in (self.title_edit, self.themes_edit, self.attendees_edit):
                    edit.clear()
                self.summary_edit.clear()
                self.notes_edit.clear()
            else:
                self.date_edit.setDate(QDate.fromString(record["date"], "yyyy-MM-dd"))
                self.type_box.setCurrentIndex(self.type_box.findData(record["type"]))
                self.mode_box.setCurrentIndex(self.mode_box.findData(record["mode"]))
                self.title_edit.setText(record["title"])
                self.themes_edit.setText(THEME_SEPARATOR.join(record["themes"]))
                self.attendees_edit.setText(THEME_SEPARATOR.join(record["municipal_attendees"]))
                self.summary_edit.setPlainText(record["summary"])
                self.notes_edit.setPlainText(record["notes"])
        finally:
            for widget in self._widgets.values():
                widget.blockSignals(False)
        self.state_label.setText("")

    def _changed(self, field: str) -> None:
        if self._record_id is None:
            return
        self._dirty.add(field)
        self.state_label.setText("編集中…")
        self._timer.start()

    def _value(self, field: str) -> Any:
        match field:
            case "date":
                qdate = self.date_edit.date()
                return date(qdate.year(), qdate.month(), qdate.day()).isoformat()
            case "type":
                return self.type_box.currentData()
            case "mode":
                return self.mode_box.currentData()
            case "title":
                return self.title_edit.text()
            case "themes" | "municipal_attendees":
                edit = self.themes_edit if field == "themes" else self.attendees_edit
                text = edit.text().replace(",", THEME_SEPARATOR).replace("，", THEME_SEPARATOR)
                return [part.strip() for part in text.split(THEME_SEPARATOR) if part.strip()]
            case "summary":
                return self.summary_edit.toPlainText()
            case "notes":
                return self.notes_edit.toPlainText()
        raise KeyError(field)

    def flush(self) -> None:
        """Queue a save of whatever changed since the last one."""
        self._timer.stop()
        if self._record_id is None or not self._dirty:
            return
        record_id = self._record_id
        patch = {field: self._value(field) for field in self._dirty}
        self._dirty.clear()
        self.state_label.setText("保存中…")
        update: Callable[[], dict[str, Any]] = lambda: self._ws.engagements.update(  # noqa: E731
            record_id, patch
        )
        self._runner.run(update, on_done=self._on_saved, on_error=self._on_error)

    def _on_saved(self, record: dict[str, Any]) -> None:
        if record["id"] == self._record_id and not self._dirty:
            self.state_label.setText("保存済み")
        self.saved.emit(record)

    def _on_error(self, error: BaseException) -> None:
        self.state_label.setText(f"保存できません: {error}")
