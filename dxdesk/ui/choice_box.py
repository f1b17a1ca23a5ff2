"""The app's drop-downs, dates and spin boxes: they change only when the person means it.

A plain QComboBox takes the focus and changes its value when the mouse wheel passes over it
(scrolling a form of 26 answers changed them), and the arrow keys change a closed one (meant to
scroll, they changed 確定). Here the wheel always scrolls what is around the drop-down, and an
arrow key on a closed one opens its list, where arrows and Enter choose as usual (Space, F4 and
Alt+Down open it too). Typing the start of an entry still picks it. A date field and a spin box
(QAbstractSpinBox: a date, a fiscal year) ignore the wheel the same way (it moved 実施日 a year at
a turn, and the survey import's 年度); every such widget in dxdesk/ui is made with IgnoresWheel
first among its bases, and a test finds any that is not. Their keys are the usual ones: Up and
Down step a focused spin box. It has no list to open instead, its focus came from a click or Tab,
never from the wheel passing over it, and like the text typed into it the arrows act on the field
the person is in (a text field's arrows do not scroll the page either).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QWheelEvent
from PySide6.QtWidgets import QComboBox, QDateEdit, QSpinBox, QWidget

# Keys a closed QComboBox would use to step through its entries.
_OPENING_KEYS = {Qt.Key.Key_Up, Qt.Key.Key_Down}
_STEPPING_KEYS = {Qt.Key.Key_PageUp, Qt.Key.Key_PageDown, Qt.Key.Key_Home, Qt.Key.Key_End}


class IgnoresWheel:
    """For a widget the wheel would change (QComboBox, QAbstractSpinBox), first among its bases:
    the wheel passing over it scrolls what is around it, and neither changes nor focuses it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert isinstance(self, QWidget)
        # Focus by Tab or a click, never by the wheel passing over it.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def wheelEvent(self, event: QWheelEvent) -> None:
        event.ignore()  # to the parent: the page scrolls


class ChoiceBox(IgnoresWheel, QComboBox):
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        plain = event.modifiers() in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.KeypadModifier,
        )
        if plain and key in _OPENING_KEYS and not self.isEditable():
            self.showPopup()
            return
        if key in _STEPPING_KEYS and not self.isEditable():
            event.ignore()  # to the parent (a scroll area pages)
            return
        super().keyPressEvent(event)


class DateBox(IgnoresWheel, QDateEdit):
    pass


class NumberBox(IgnoresWheel, QSpinBox):
    pass
