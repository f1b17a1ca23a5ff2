"""Driving the window as a person does: typing Japanese, choosing a municipality."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from dxdesk.ui.main_window import MainWindow


def type_text(widget: QWidget, text: str) -> None:
    """Type like a person with a Japanese input method: one key event per committed character.

    (QTest.keyClicks only knows ASCII.)
    """
    widget.setFocus()
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def select_municipality(window: MainWindow, qtbot: QtBot, code: str) -> None:
    window._select_code(code)
    qtbot.waitUntil(
        lambda: window.heading.text().startswith(window._ws.municipalities.get(code)["name"])
    )
