"""A time of day that may be blank (all day): a short text field read by the domain's rule.

Blank is a value here (a consultation without times is all day), which a QTimeEdit cannot
hold; what is typed is checked by the store (domain/calendar_values.clean_time), so 「9:30」
and 「０９：３０」 read alike and a wrong one is refused by the field like any other.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLineEdit


def new_time_edit(accessible_name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText(QCoreApplication.translate("TimeEdit", "例 10:00"))
    edit.setAccessibleName(accessible_name)
    edit.setMaxLength(8)  # (「０９：３０」 and spaces fit)
    # Wide enough for 「00:00」 and its placeholder, however narrow the form around it.
    edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance("例 00:00") + 16)
    edit.setMaximumWidth(edit.fontMetrics().horizontalAdvance("00:00") * 3)
    return edit


def time_value(edit: QLineEdit) -> str | None:
    """What the field holds: None when blank (all day)."""
    return edit.text().strip() or None
