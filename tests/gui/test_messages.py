"""Messages a person reads name fields by their labels (判断理由, never level_reason), and a long
one wraps inside its form: the window keeps its width and the municipality list its own."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from dxdesk.services.workspace import Workspace
from dxdesk.ui.main_window import MainWindow
from dxdesk.ui.runner import StoreRunner
from tests.gui.keys import select_municipality, type_text

INTERNAL_NAMES = ("level", "level_reason", "title", "assessor")


def _new_assessment(window: MainWindow, qtbot: QtBot) -> None:
    select_municipality(window, qtbot, "302023")
    window.tabs.setCurrentWidget(window.assessment)
    window.assessment.new_button.click()
    qtbot.waitUntil(lambda: window.assessment.form.record_id is not None)


def test_a_refused_level_is_named_by_its_label_with_its_reason(
    window: MainWindow, qtbot: QtBot
) -> None:
    _new_assessment(window, qtbot)
    panel = window.assessment
    panel.level_box.setCurrentIndex(panel.level_box.findData(2))
    panel.form.flush()
    qtbot.waitUntil(lambda: "判断理由" in panel.form.state_label.text(), timeout=3000)
    text = panel.form.state_label.text()
    assert "確定した支援分類" in text
    assert not any(name in text for name in INTERNAL_NAMES), text
    type_text(panel.reason_edit, "理由")  # leave nothing unsaved behind
    qtbot.waitUntil(lambda: panel.form.state_label.text() == "保存済み", timeout=3000)


def test_an_unhandled_refusal_in_the_status_bar_names_labels(
    qtbot: QtBot, workspace: Workspace
) -> None:
    runner = StoreRunner()
    try:
        with qtbot.waitSignal(runner.failed) as failed:
            runner.run(
                lambda: workspace.engagements.add(
                    {"municipality": "302015", "date": "昔", "title": "長" * 501}
                )
            )
        message = str(failed.args[0] if failed.args else "")
    finally:
        runner.shutdown()
    assert "件名" in message and "日付" in message
    assert "title" not in message and "date" not in message


@pytest.mark.parametrize(
    "long_text",
    ["判断理由を書いてください。" * 200, "level_reason_" * 200],
    ids=["japanese", "unbroken"],
)
def test_a_long_message_keeps_the_window_and_the_list_as_wide_as_they_were(
    window: MainWindow, qtbot: QtBot, long_text: str
) -> None:
    window.resize(1280, 800)
    _new_assessment(window, qtbot)
    QApplication.processEvents()
    width, list_width = window.width(), window.municipality_view.width()
    for label in (window.assessment.form.state_label, window.engagements.editor.state_label):
        label.setText(long_text)
    for _ in range(3):
        QApplication.processEvents()
    assert window.width() == width
    assert window.municipality_view.width() == list_width
