"""Filling an assessment in the window: the suggestion follows the answers, a level is confirmed
(with a reason where it departs from the suggestion), last year's answers stand beside."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from dxdesk.domain.catalog import load_catalog
from dxdesk.services.workspace import Workspace
from dxdesk.ui.assessment_panel import AssessmentPanel
from dxdesk.ui.main_window import MainWindow
from tests.gui.keys import select_municipality, type_text


def _answer(panel: AssessmentPanel, code: str, value: int) -> None:
    box = panel.grid.boxes[code]
    box.setCurrentIndex(box.findData(value))  # as choosing from the drop-down does


def _open(window: MainWindow, qtbot: QtBot, code: str) -> AssessmentPanel:
    select_municipality(window, qtbot, code)
    window.tabs.setCurrentWidget(window.assessment)
    return window.assessment


def test_new_assessment_suggestion_follows_the_answers_and_a_level_is_confirmed(
    window: MainWindow, qtbot: QtBot, workspace: Workspace
) -> None:
    panel = _open(window, qtbot, "302023")
    assert panel.body.isHidden() and "まだありません" in panel.empty_label.text()
    panel.year_box.setCurrentIndex(panel.year_box.findData(2025))
    QTest.mouseClick(panel.new_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.form.record_id is not None)
    record_id = panel.form.record_id or ""
    assert panel.chooser.currentText().startswith("R7 (2025)")
    assert panel.suggested_label.text() == "1 関与"

    catalog = load_catalog()
    for item in catalog.items:  # everything at the top of its scale
        _answer(panel, item.code, item.scale.maximum)
    assert panel.suggested_label.text() == "4 共創"
    assert "得点率 100%" in panel.total_label.text()
    assert any("得点率" in line for line in panel.reasons_label.text().splitlines())
    for item in catalog.items:  # then nothing at all
        _answer(panel, item.code, 0)
    assert panel.suggested_label.text() == "1 関与"
    _answer(panel, "0-1", 3)
    qtbot.waitUntil(lambda: panel.form.state_label.text() == "保存済み", timeout=3000)
    stored = workspace.assessments.get(record_id)
    assert stored["scores"]["0-1"] == 3 and stored["scores"]["3-4"] == 0
    assert stored["suggested_level"] == 1

    # Confirming a level above the suggestion needs a reason: refused until it is written.
    panel.level_box.setCurrentIndex(panel.level_box.findData(2))
    assert "判断理由を書いてください" in panel.mismatch_label.text()
    qtbot.waitUntil(lambda: "未保存" in panel.form.state_label.text(), timeout=3000)
    assert workspace.assessments.get(record_id)["level"] is None
    type_text(panel.reason_edit, "首長の方針で推進体制が動き始めた")
    assert panel.mismatch_label.text() == ""
    qtbot.waitUntil(lambda: panel.form.state_label.text() == "保存済み", timeout=3000)
    stored = workspace.assessments.get(record_id)
    assert stored["level"] == 2
    assert stored["level_reason"] == "首長の方針で推進体制が動き始めた"
    # The municipality list shows the confirmed level once it reloads.
    row = window.municipalities.row_of("302023")
    qtbot.waitUntil(lambda: window.municipalities.records()[row]["level"] == 2)


def test_previous_years_answers_stand_beside_and_missing_year_says_so(
    window: MainWindow, qtbot: QtBot, workspace: Workspace
) -> None:
    workspace.assessments.add(
        {"municipality": "302015", "fiscal_year": 2023, "scores": {"0-1": 2, "3-5": 0}}
    )
    current = workspace.assessments.add(
        {"municipality": "302015", "fiscal_year": 2024, "scores": {"0-1": 3}}
    )
    panel = _open(window, qtbot, "302015")
    qtbot.waitUntil(lambda: panel.form.record_id == current["id"])
    assert panel.chooser.count() == 2
    # The 前年度 column shows the score (its words in the tooltip, read out by a screen reader).
    assert panel.grid.previous_labels["0-1"].text() == "2"
    assert panel.grid.previous_labels["0-1"].toolTip() == "前年度: 2 推進予定"
    assert panel.grid.previous_labels["0-1"].accessibleDescription() == "前年度: 2 推進予定"
    assert panel.grid.previous_labels["0-3"].text() == "未回答"
    assert panel.grid.previous_labels["0-3"].toolTip() == "前年度: 未回答"
    assert {h.text() for h in panel.grid.previous_headings} == {"前年度"}
    assert panel.grid.boxes["0-1"].currentData() == 3
    panel.chooser.setCurrentIndex(1)  # the FY2023 one: nothing before it
    qtbot.waitUntil(lambda: panel.form.record_id != current["id"])
    assert panel.grid.previous_labels["0-1"].toolTip() == "前年度なし"
    assert {h.text() for h in panel.grid.previous_headings} == {"前年度なし"}
    assert panel.grid.boxes["3-5"].currentData() == 0
