"""The 調査 tab: who has answered the year's survey and who has not, read again when answers
are imported; the names not answered go to the clipboard for a reminder; its buttons are the
file menu's 回答票を作成… and 調査の回答を取り込む…."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from dxdesk.domain.fiscal_year import fiscal_year_of
from dxdesk.services.workspace import Workspace
from dxdesk.ui import main_window
from dxdesk.ui.analysis_panel import MET, UNMET
from dxdesk.ui.main_window import MainWindow
from dxdesk.ui.runner import StoreRunner
from dxdesk.ui.survey_panel import SurveyPanel

THIS_YEAR = fiscal_year_of(date.today())


def response(code: str, source_name: str) -> dict[str, Any]:
    return {
        "municipality": code,
        "fiscal_year": THIS_YEAR,
        "answers": {"1-1": 3},
        "answered_on": "2024-05-07",
        "imported_on": "2024-05-10",
        "source_name": source_name,
    }


@pytest.fixture
def runner(workspace: Workspace) -> Iterator[StoreRunner]:
    runner = StoreRunner(collect=workspace.collect_changes)
    yield runner
    runner.shutdown()


def _cells(panel: SurveyPanel, code: str) -> dict[str, Any]:
    model = panel.model
    row = model.row_of(code)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    return {h: model.index(row, c).data() for c, h in enumerate(headers)}


def test_the_table_shows_who_answered_and_the_names_not_answered_are_copied(
    qtbot: QtBot, qtmodeltester: ModelTester, workspace: Workspace, runner: StoreRunner
) -> None:
    workspace.survey_responses.add(response("302015", "回答_和歌山市.xlsx"))
    panel = SurveyPanel(workspace, runner)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 30)

    qtmodeltester.check(panel.view.model())
    wakayama = _cells(panel, "302015")
    assert wakayama["市町村"] == "和歌山市"
    assert wakayama["振興局"] == "海草"
    assert wakayama["回答状況"] == "回答済み"
    assert wakayama["回答日"] == "2024-05-07"
    assert wakayama["元のファイル"] == "回答_和歌山市.xlsx"
    assert wakayama["取り込み日"] == "2024-05-10"
    assert _cells(panel, "302023")["回答状況"] == "未回答"
    state = panel.model.column_of("state")
    answered_colour = panel.model.index(panel.model.row_of("302015"), state).data(
        Qt.ItemDataRole.BackgroundRole
    )
    missing_colour = panel.model.index(panel.model.row_of("302023"), state).data(
        Qt.ItemDataRole.BackgroundRole
    )
    assert (answered_colour.color(), missing_colour.color()) == (MET[0], UNMET[0])
    assert panel.summary.text() == "回答済み 1 / 30 団体、未回答 29 団体"
    assert panel.year_combo.currentData() == THIS_YEAR
    # No definition loaded or shipped for this year: the catalog's 26 items stand for it.
    assert (
        panel.definition_label.text() == "定義: 読み込まれていません。アセスメント項目のみ（26 問）"
    )

    panel.copy_button.click()
    copied = QGuiApplication.clipboard().text().splitlines()
    assert len(copied) == 29
    assert copied[0] == "海南市"
    assert "和歌山市" not in copied
    assert panel.copied.text() == "29 団体の名前をコピーしました"

    # An import elsewhere in the window: the panel hears it and reads again.
    runner.run(lambda: workspace.survey_responses.add(response("302023", "海南.xlsx")))
    qtbot.waitUntil(lambda: panel.summary.text() == "回答済み 2 / 30 団体、未回答 28 団体")
    assert _cells(panel, "302023")["元のファイル"] == "海南.xlsx"
    assert "海南市" not in panel.not_answered_model.stringList()
    assert panel.copied.text() == ""


def test_the_tab_follows_assessment_and_its_buttons_are_the_file_menus(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    tabs = window.tabs
    assert tabs.tabText(tabs.indexOf(window.survey)) == "調査"
    assert tabs.indexOf(window.survey) == tabs.indexOf(window.assessment) + 1
    asked: list[str] = []
    monkeypatch.setattr(main_window, "ask_answer_sheet", lambda *_a: asked.append("sheet"))
    monkeypatch.setattr(main_window, "show_import_wizard", lambda *_a: asked.append("import"))

    tabs.setCurrentWidget(window.survey)
    qtbot.waitUntil(lambda: window.survey.model.rowCount() == 30)
    window.survey.sheet_button.click()
    window.survey.import_button.click()

    assert asked == ["sheet", "import"]


def test_the_tab_opens_on_the_newest_year_with_answers(
    qtbot: QtBot, workspace: Workspace, runner: StoreRunner
) -> None:
    earlier = THIS_YEAR - 2  # last answered two years ago; nothing yet this year
    workspace.survey_responses.add({**response("302015", "前回.xlsx"), "fiscal_year": earlier})
    panel = SurveyPanel(workspace, runner)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 30)
    assert panel.chosen_year() == earlier
    assert _cells(panel, "302015")["元のファイル"] == "前回.xlsx"
