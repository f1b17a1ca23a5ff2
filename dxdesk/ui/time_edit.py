"""A time of day that may be blank (all day): a short text field read by the domain's rule.

Blank is a value here (a consultation without times is all day), which a QTimeEdit cannot
hold; what is typed is checked by the store (domain/calendar_values.clean_time), so 「9:30」
and 「０９：３０」 read alike and a wrong one is refused by the field like any other. Every
editor of a time (a consultation, a group event, the planning dialog) uses these, so a time is
typed, read and laid out alike everywhere.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QWidget

from dxdesk.ui.autosave import Binding


def new_time_edit(accessible_name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText(QCoreApplication.translate("TimeEdit", "例 10:00"))
    edit.setAccessibleName(accessible_name)
    # (Said here rather than beside the fields: a hint on their row widened every form.)
    edit.setToolTip(QCoreApplication.translate("TimeEdit", "空欄なら終日です。"))
    edit.setMaxLength(8)  # (「０９：３０」 and spaces fit)
    # Wide enough for 「00:00」 and its placeholder, however narrow the form around it.
    edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance("例 00:00") + 16)
    edit.setMaximumWidth(edit.fontMetrics().horizontalAdvance("00:00") * 3)
    return edit


def time_value(edit: QLineEdit) -> str | None:
    """What the field holds: None when blank (all day)."""
    return edit.text().strip() or None


def time_binding(edit: QLineEdit) -> Binding:
    """A form field over a time edit: blank is saved as no time (None), as the store keeps it."""
    return Binding(edit, lambda: time_value(edit), lambda v: edit.setText(v or ""), edit.textEdited)


def time_range_row(start: QLineEdit, end: QLineEdit) -> QWidget:
    """開始〜終了 on a row of their own (under 日付 in a form): no wider than the form's other
    fields, so that an editor beside a list leaves the list its room."""
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(start)
    layout.addWidget(QLabel("〜"))
    layout.addWidget(end)
    layout.addStretch(1)
    return row
