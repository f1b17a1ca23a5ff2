"""Qt's own dialogs speak the app's language, set up as the app starts (language.py): standard
buttons, the file dialog, and the calendar of a date field, whatever the system's locale."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QDate, QLocale, QTranslator
from PySide6.QtWidgets import (
    QApplication,
    QCalendarWidget,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
)
from pytestqt.qtbot import QtBot

from dxdesk.ui.language import install_translators


@pytest.fixture
def started_in(qapp: QApplication) -> Iterator[Callable[[str], None]]:
    """``started_in(language)`` sets the language up as ``run_app`` does; undone afterwards."""
    installed: list[QTranslator] = []
    before = QLocale()

    def start(language: str) -> None:
        installed.extend(install_translators(qapp, language))

    yield start
    for translator in installed:
        qapp.removeTranslator(translator)
    QLocale.setDefault(before)


def _file_dialog_labels(qtbot: QtBot) -> dict[str, str]:
    dialog = QFileDialog()
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)  # Qt's own, as on Linux
    qtbot.addWidget(dialog)
    return {label.objectName(): label.text() for label in dialog.findChildren(QLabel)}


def test_in_japanese_standard_buttons_the_file_dialog_and_the_calendar_read_japanese(
    started_in: Callable[[str], None], qtbot: QtBot
) -> None:
    started_in("ja")
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "DX Desk",
        "？",
        QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel,
    )
    qtbot.addWidget(box)
    assert box.button(QMessageBox.StandardButton.Cancel).text() == "キャンセル"
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
    )
    qtbot.addWidget(buttons)
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "キャンセル"
    assert buttons.button(QDialogButtonBox.StandardButton.Save).text() == "保存"

    labels = _file_dialog_labels(qtbot)
    assert labels == {
        "lookInLabel": "場所(&L):",
        "fileNameLabel": "ファイル名(&N):",
        "fileTypeLabel": "ファイルの種類(&T):",
    }

    # A date field's calendar (and every date Qt writes by itself) follows the UI language,
    # not the system's locale (often C or en_US on a shared machine).
    assert QLocale().monthName(12) == "12月"
    calendar = QCalendarWidget()
    qtbot.addWidget(calendar)
    calendar.setSelectedDate(QDate(2026, 12, 6))
    assert calendar.locale().dayName(7, QLocale.FormatType.ShortFormat) == "日"


def test_in_english_qt_speaks_english(started_in: Callable[[str], None], qtbot: QtBot) -> None:
    started_in("en")
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(buttons)
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "Cancel"
    assert _file_dialog_labels(qtbot)["lookInLabel"] == "&Look in:"
    assert QLocale().monthName(12) == "December"
