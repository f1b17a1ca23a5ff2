"""「調査の比較レポート…」 on the アセスメント tab asks the fiscal year (the newest with answers
first) and shows the municipality's survey comparison report in the print preview; an
advisor's folder, which holds only its own municipalities' answers, has both buttons off."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from dxdesk.models.store import META_SYNC_ROLE
from dxdesk.reports.survey_data import NOT_WHOLE_PREFECTURE
from dxdesk.services.workspace import Workspace
from dxdesk.ui import survey_report_actions
from dxdesk.ui.main_window import MainWindow
from tests.gui.keys import select_municipality
from tests.reports.pdf_tools import pdf_text, require_poppler, squash
from tests.reports.survey_answers import WAKAYAMA, add_survey


def test_the_button_previews_the_municipalitys_comparison_report(
    window: MainWindow, qtbot: QtBot, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_poppler()
    add_survey(workspace)
    asked: list[tuple[str, int]] = []

    def choose(_parent: object, title: str, _label: str, default: int) -> int:
        asked.append((title, default))
        return 2024

    monkeypatch.setattr(survey_report_actions, "choose_fiscal_year", choose)
    select_municipality(window, qtbot, WAKAYAMA)
    window.tabs.setCurrentWidget(window.assessment)
    panel = window.assessment
    qtbot.waitUntil(panel.survey_button.isEnabled, timeout=10_000)
    assert panel.survey_all_button.isEnabled()
    QTest.mouseClick(panel.survey_button, Qt.MouseButton.LeftButton)
    preview = panel.survey_reports.preview
    assert preview is not None and asked == [("調査の比較レポート", 2024)]
    qtbot.waitUntil(lambda: preview.render_count == 1, timeout=10_000)
    assert preview.file_name == "調査比較_2024_302015_和歌山市.pdf"
    assert preview.document.pageCount() >= 1
    assert preview.pdf_path is not None
    assert "和歌山市調査結果の比較レポート" in squash(pdf_text(preview.pdf_path))
    preview.close()


def test_an_advisors_folder_cannot_make_the_prefectures_figures(
    window: MainWindow, qtbot: QtBot, workspace: Workspace
) -> None:
    add_survey(workspace)
    workspace.store.set_meta(META_SYNC_ROLE, "advisor")
    select_municipality(window, qtbot, WAKAYAMA)
    panel = window.assessment
    qtbot.waitUntil(lambda: panel.survey_button.toolTip() == NOT_WHOLE_PREFECTURE, timeout=10_000)
    assert not panel.survey_button.isEnabled()
    assert not panel.survey_all_button.isEnabled()
    assert panel.survey_all_button.toolTip() == NOT_WHOLE_PREFECTURE


def test_the_overview_button_writes_the_folder_and_says_where(
    window: MainWindow,
    qtbot: QtBot,
    workspace: Workspace,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    add_survey(workspace)
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: said.append(text))
    monkeypatch.setattr(survey_report_actions, "choose_fiscal_year", lambda *_a: 2024)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_a: str(tmp_path / "out"))
    select_municipality(window, qtbot, WAKAYAMA)
    panel = window.assessment
    qtbot.waitUntil(panel.survey_all_button.isEnabled, timeout=10_000)
    QTest.mouseClick(panel.survey_all_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(said), timeout=20_000)
    assert "6 件作成しました" in said[0] and "「事務局用」フォルダ" in said[0]
    assert "有田市" in said[0]  # not answered
    assert (tmp_path / "out" / "事務局用" / "調査_全体_2024.xlsx").is_file()
