"""One label for messages of any length (errors, states, explanations), and the one way an
error is shown in red (a message, or a field the store refused)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

ERROR_COLOR = "#b00020"
ERROR_STYLE = f"color: {ERROR_COLOR};"
# A field at fault: its frame in the error colour, its text left readable.
FIELD_ERROR_STYLE = f"border: 1px solid {ERROR_COLOR};"


def message_label(
    text: str = "", *, style: str = "", selectable: bool = False, error: bool = False
) -> QLabel:
    """A label that wraps and never widens its window (a long path or answer in an error);
    ``error`` shows its text in the error colour."""
    label = QLabel(text)
    label.setWordWrap(True)
    # Ignored: the text's width is no claim on the layout; the label takes the width it is given.
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    if style or error:
        label.setStyleSheet(style or ERROR_STYLE)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def show_error(label: QLabel, text: str, *, error: bool = True) -> None:
    """Say ``text`` on ``label``, in the error colour when it is an error (else plainly)."""
    label.setText(text)
    label.setStyleSheet(ERROR_STYLE if error else "")


def mark_field(widget: QWidget, reason: str | None) -> None:
    """Mark ``widget`` as the field at fault, ``reason`` as its tooltip; None unmarks it."""
    widget.setStyleSheet("" if reason is None else FIELD_ERROR_STYLE)
    widget.setToolTip(reason or "")
