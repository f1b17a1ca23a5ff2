"""The 調査 tab's 「調査の定義を読み込む…」: a workbook with problems lists each one (sheet, row,
column) and loads nothing; a good one shows what it changes and loads only on 読み込む; an
advisor's folder cannot load."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from dxdesk.imports.definition_workbook import read_definition_workbook, write_definition_workbook
from dxdesk.models.store import META_SYNC_ROLE
from dxdesk.services.survey_definitions import (
    loaded_definitions,
    shipped_definition,
    year_definition,
)
from dxdesk.services.workspace import Workspace
from dxdesk.ui.fonts import register_bundled_font
from dxdesk.ui.runner import StoreRunner
from dxdesk.ui.survey_definition_dialog import DefinitionCheckDialog
from dxdesk.ui.survey_panel import SurveyPanel

R6 = 2024


@pytest.fixture
def runner(workspace: Workspace) -> Iterator[StoreRunner]:
    runner = StoreRunner(collect=workspace.collect_changes)
    yield runner
    runner.shutdown()


@pytest.fixture
def panel(qtbot: QtBot, workspace: Workspace, runner: StoreRunner) -> SurveyPanel:
    register_bundled_font()  # as the app does (the screenshot reads Japanese)
    panel = SurveyPanel(workspace, runner)
    qtbot.addWidget(panel)
    panel.resize(1280, 700)
    panel.show()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 30)
    return panel


def choose_file(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args: (str(path), ""))


def open_dialog(qtbot: QtBot, panel: SurveyPanel) -> DefinitionCheckDialog:
    panel.definitions.load_button.click()
    qtbot.waitUntil(lambda: panel.definitions.dialog is not None)
    dialog = panel.definitions.dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def rows(dialog: DefinitionCheckDialog) -> list[dict[str, Any]]:
    return dialog.model.records()


def r6_definition() -> Any:
    shipped = shipped_definition(R6)
    assert shipped is not None
    return shipped.definition


def test_a_file_with_problems_lists_each_and_loads_nothing(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    workspace: Workspace,
    panel: SurveyPanel,
    tmp_path: Path,
) -> None:
    book = write_definition_workbook(r6_definition(), tmp_path / "調査定義.xlsx")
    wb = openpyxl.load_workbook(book)
    sheet = wb["設問"]
    headers = {cell.value: cell.column_letter for cell in sheet[1]}
    sheet[f"{headers['設問番号']}3"] = sheet[f"{headers['設問番号']}2"].value  # a duplicate code
    sheet[f"{headers['形式']}5"] = "なにか"  # no such type
    wb.save(book)
    choose_file(monkeypatch, book)

    dialog = open_dialog(qtbot, panel)

    assert dialog.load_button is None  # nothing to load: only 閉じる and the copy
    assert "問題が 2 件" in dialog.heading.text()
    assert "何も読み込んでいません" in dialog.heading.text()
    found = {(r["sheet"], r["row"], r["column"]) for r in rows(dialog)}
    assert found == {("設問", 3, headers["設問番号"]), ("設問", 5, headers["形式"])}
    assert all(r["message"] for r in rows(dialog))
    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text().splitlines()
    assert copied[0] == "シート\t行\t列\t値\t内容"
    assert f"設問\t5\t{headers['形式']}\tなにか\t" in "\n".join(copied)
    dialog.reject()
    panel._runner.wait_idle()
    assert loaded_definitions(workspace.store) == []
    assert panel.definitions.message.text() == ""


def test_a_good_file_shows_its_changes_and_loads_on_yomikomu(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    workspace: Workspace,
    panel: SurveyPanel,
    tmp_path: Path,
) -> None:
    workspace.survey_responses.add(
        {
            "municipality": "302015",
            "fiscal_year": R6,
            "answers": {"1-1": 3},
            "source_name": "a.xlsx",
        }
    )
    r6 = r6_definition()
    renamed = next(q for q in r6.questions if q.to_confirm)
    edited = dataclasses.replace(
        r6,
        questions=tuple(
            dataclasses.replace(
                q, text="回答される部署名（課・室まで）を教えてください", to_confirm=False
            )
            if q is renamed
            else q
            for q in r6.questions[:-1]
        ),
    )
    removed = r6.questions[-1]
    book = write_definition_workbook(edited, tmp_path / "調査定義_R6.xlsx")
    choose_file(monkeypatch, book)

    dialog = open_dialog(qtbot, panel)

    assert dialog.load_button is not None
    changes = {(r["code"], r["what"]) for r in rows(dialog)}
    assert changes == {(renamed.code, "設問文"), (removed.code, "削除")}
    summary = dialog.findChildren(type(dialog.heading))
    texts = {label.accessibleName(): label.text() for label in summary}
    assert texts["年度"] == "R6 (2024)"
    assert texts["設問"] == "65 問（9 ページ）"
    assert texts["要確認の設問"] == f"{sum(q.to_confirm for q in edited.questions)} 問"
    assert texts["今の定義"].startswith("同梱の定義 definition-2024")
    assert "1 件は前の定義" in texts["取り込み済みの回答"]
    assert loaded_definitions(workspace.store) == []  # shown, not loaded
    shot = os.environ.get("DXDESK_SCREENSHOT_DIR")
    if shot:
        dialog.grab().save(str(Path(shot) / "survey_definition_dialog.png"))

    dialog.load_button.click()

    qtbot.waitUntil(lambda: "調査定義_R6.xlsx" in panel.definition_label.text())
    assert panel.definition_label.text() == "定義: 読み込んだ 調査定義_R6.xlsx（65 問）"
    assert panel.year_combo.currentData() == R6
    (loaded,) = loaded_definitions(workspace.store, R6)
    assert loaded.source_name == "調査定義_R6.xlsx"
    assert loaded.definition == edited
    assert "読み込みました" in panel.definitions.message.text()
    if shot:
        panel.grab().save(str(Path(shot) / "survey_tab_after_load.png"))


def test_an_advisors_folder_cannot_load_a_definition_but_exports_one(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    workspace: Workspace,
    runner: StoreRunner,
    tmp_path: Path,
) -> None:
    workspace.store.set_meta(META_SYNC_ROLE, "advisor")
    panel = SurveyPanel(workspace, runner)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0)

    button = panel.definitions.load_button
    assert not button.isEnabled()
    assert "事務局（コーディネーター）だけ" in button.toolTip()

    # Reading the definition is anyone's: the year on show, as the workbook to edit.
    target = tmp_path / "書き出し"  # no suffix given: .xlsx is added
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (str(target), ""))
    panel.definitions.export_button.click()
    qtbot.waitUntil(lambda: "書き出しました" in panel.definitions.message.text())
    check = read_definition_workbook(target.with_suffix(".xlsx"), catalog=None)
    year = panel.chosen_year()
    assert check.problems == []
    assert check.definition == year_definition(workspace.store, year).definition
