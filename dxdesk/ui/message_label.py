"""One label for messages of any length (errors, states, explanations)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy


def message_label(text: str = "", *, style: str = "", selectable: bool = False) -> QLabel:
    """A label that wraps and never widens its window (a long path or answer in an error)."""
    label = QLabel(text)
    label.setWordWrap(True)
    # Ignored: the text's width is no claim on the layout; the label takes the width it is given.
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    if style:
        label.setStyleSheet(style)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
