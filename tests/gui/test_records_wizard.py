"""ファイル → 記録を取り込む…: past records from a spreadsheet, driven as a person would."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtWidgets import QComboBox, QMenu, QWizard
from pytestqt.qtbot import QtBot

from dxdesk.domain.roster import load_roster
from dxdesk.imports.records_import import apply_records, plan_records
from dxdesk.services.workspace import Workspace
from dxdesk.ui import records_import_session
from dxdesk.ui.main_window import MainWindow
from dxdesk.ui.records_wizard import CHOOSE, CONFIRM, DONE, MAPPING, RecordsImportWizard
from tests.gui.keys import select_municipality

ROSTER = load_roster()
WAKAYAMA, KAINAN = ROSTER[0], ROSTER[1]
HEADER = ["相談日", "団体名", "件名", "概要", "備考欄"]


def visits_book(path: Path, rows: list[list[Any]]) -> Path:
    """A secretariat's sheet: a title and a blank row above the header."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "相談記録"
    sheet.append(["令和6年度 相談の記録"])
    sheet.append([])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


ROWS: list[list[Any]] = [
    ["令和6年4月1日", WAKAYAMA.name, "キックオフ", "体制の相談", "初回"],
    ["R6.5.10", KAINAN.name, "RPA", "帳票の自動化", None],
    ["2024-06-03", WAKAYAMA.code, "窓口BPR", "書かない窓口", "持ち帰り"],
]


def open_wizard(window: MainWindow, qtbot: QtBot, path: Path) -> RecordsImportWizard:
    menu = window.menuBar().actions()[0].menu()
    assert isinstance(menu, QMenu)
    [action] = [a for a in menu.actions() if "記録を取り込む" in a.text()]
    action.trigger()
    [wizard] = [w for w in window.findChildren(RecordsImportWizard) if w.isVisible()]
    assert wizard.currentId() == CHOOSE
    wizard.choose.kind.setCurrentIndex(wizard.choose.kind.findData("visit"))
    wizard.choose.path_edit.setText(str(path))
    button(wizard, QWizard.WizardButton.NextButton).click()
    qtbot.waitUntil(lambda: wizard.currentId() == MAPPING and not wizard.session.busy)
    return wizard


def button(wizard: QWizard, which: QWizard.WizardButton) -> Any:
    return wizard.button(which)


def to_confirm(wizard: RecordsImportWizard, qtbot: QtBot) -> None:
    qtbot.waitUntil(button(wizard, QWizard.WizardButton.NextButton).isEnabled)
    button(wizard, QWizard.WizardButton.NextButton).click()
    assert wizard.currentId() == CONFIRM


def commit(wizard: RecordsImportWizard, qtbot: QtBot) -> None:
    commit_button = button(wizard, QWizard.WizardButton.CommitButton)
    qtbot.waitUntil(commit_button.isEnabled)
    commit_button.click()
    qtbot.waitUntil(lambda: wizard.currentId() == DONE)


def table(model: Any) -> list[list[str]]:
    return [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def choose(combo: QComboBox, data: str) -> None:
    """Pick an entry as a person does (activated is what a click or a key sends)."""
    index = combo.findData(data)
    assert index >= 0
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def visits(workspace: Workspace) -> list[dict[str, Any]]:
    return sorted(workspace.records("visit").list_records(), key=lambda v: str(v["date"]))


def recording(call: Callable[..., Any], threads: list[str]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread().name)
        return call(*args, **kwargs)

    return wrapper


def test_visits_import_after_the_preview_and_a_second_run_changes_nothing(
    window: MainWindow,
    qtbot: QtBot,
    workspace: Workspace,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    threads: list[str] = []  # the reads and the write run on the store's worker, never the UI's
    monkeypatch.setattr(records_import_session, "plan_records", recording(plan_records, threads))
    monkeypatch.setattr(records_import_session, "apply_records", recording(apply_records, threads))
    path = visits_book(tmp_path / "相談.xlsx", ROWS)
    select_municipality(window, qtbot, WAKAYAMA.code)
    wizard = open_wizard(window, qtbot, path)

    mapping = table(wizard.mapping.model)
    assert [row[:2] for row in mapping] == [
        ["A", "相談日"],
        ["B", "団体名"],
        ["C", "件名"],
        ["D", "概要"],
        ["E", "備考欄"],
    ]
    assert mapping[2][2] == "キックオフ / RPA / 窓口BPR"  # 例: the values below the header
    fields = [wizard.mapping.combos[i].currentData() for i in range(5)]
    assert fields == ["date", "municipality", "title", "summary", "notes"]
    # 備考欄 only resembles メモ: marked for the person to check.
    assert [row[4] for row in mapping] == ["", "", "", "", "推測"]
    assert wizard.mapping.guesses.isVisible() and "1 列" in wizard.mapping.guesses.text()
    assert visits(workspace) == []  # nothing is written before the person confirms
    assert "種別の列がないため、すべて「訪問」とします" in wizard.mapping.notes.text()
    assert wizard.mapping.sheet_row.isHidden()  # one sheet: nothing to choose

    to_confirm(wizard, qtbot)
    counts = table(wizard.confirm.counts)
    assert [row[:5] for row in counts] == [
        [WAKAYAMA.name, "相談記録", "2", "0", "0"],
        [KAINAN.name, "相談記録", "1", "0", "0"],
        ["合計", "相談記録", "3", "0", "0"],
    ]
    assert wizard.confirm.errors.rowCount() == 0
    commit(wizard, qtbot)
    assert [(v["date"], v["municipality"], v["title"]) for v in visits(workspace)] == [
        ("2024-04-01", WAKAYAMA.code, "キックオフ"),
        ("2024-05-10", KAINAN.code, "RPA"),
        ("2024-06-03", WAKAYAMA.code, "窓口BPR"),
    ]
    done = wizard.done_label.text()
    assert "新規 3 件・更新 0 件" in done and f"{WAKAYAMA.name}: 相談記録を新規 2 件" in done
    # The window reads again the municipality on screen.
    qtbot.waitUntil(lambda: window.engagements.model.rowCount() == 2)
    button(wizard, QWizard.WizardButton.FinishButton).click()

    again = open_wizard(window, qtbot, path)
    assert again is not wizard
    to_confirm(again, qtbot)
    assert [row[:5] for row in table(again.confirm.counts)][-1] == [
        "合計",
        "相談記録",
        "0",
        "0",
        "3",
    ]
    assert again.confirm.changes.rowCount() == 0
    commit(again, qtbot)
    assert "書き込んだ変更はありません" in again.done_label.text()
    assert len(visits(workspace)) == 3
    assert len(threads) == 4 and all(name.startswith("dxdesk-store") for name in threads)


def test_a_bad_municipality_is_shown_by_row_and_column_and_its_row_can_be_left_out(
    window: MainWindow, qtbot: QtBot, workspace: Workspace, tmp_path: Path
) -> None:
    rows = [ROWS[0], ["R6.5.10", "架空市", "RPA", "帳票の自動化", None], ROWS[2]]
    wizard = open_wizard(window, qtbot, visits_book(tmp_path / "相談.xlsx", rows))
    to_confirm(wizard, qtbot)
    confirm = wizard.confirm
    [error] = table(confirm.errors)
    assert error[:4] == ["相談記録", "5", "B", "架空市"] and error[4]
    assert confirm.status.isVisible() and "エラーが 1 件" in confirm.status.text()
    assert not button(wizard, QWizard.WizardButton.CommitButton).isEnabled()

    confirm.skip_button.click()
    qtbot.waitUntil(lambda: not wizard.session.busy and confirm.errors.rowCount() == 0)
    assert "除いた行（取り込みません）: 5" in confirm.summary.text()
    assert confirm.restore_button.isVisible()
    confirm.restore_button.click()  # put back: the error is there again
    qtbot.waitUntil(lambda: not wizard.session.busy and confirm.errors.rowCount() == 1)
    confirm.skip_button.click()
    qtbot.waitUntil(lambda: not wizard.session.busy and confirm.errors.rowCount() == 0)
    commit(wizard, qtbot)
    assert [v["title"] for v in visits(workspace)] == ["キックオフ", "窓口BPR"]


def test_changing_a_columns_field_plans_again(
    window: MainWindow, qtbot: QtBot, workspace: Workspace, tmp_path: Path
) -> None:
    wizard = open_wizard(window, qtbot, visits_book(tmp_path / "相談.xlsx", ROWS))
    page = wizard.mapping
    next_button = button(wizard, QWizard.WizardButton.NextButton)

    choose(page.combos[4], "place")  # 備考欄 (guessed メモ) -> 場所
    qtbot.waitUntil(lambda: not wizard.session.busy)
    assert wizard.session.plan is not None
    assert wizard.session.plan.layout.fields[4] == "place"
    assert page.combos[4].currentData() == "place"
    assert table(page.model)[4][4] == "" and not page.guesses.isVisible()  # chosen, not guessed

    choose(page.combos[1], "")  # 団体名 left out: the municipality is required
    qtbot.waitUntil(lambda: not wizard.session.busy)
    assert 1 not in wizard.session.plan.layout.fields
    assert page.status.isVisible() and "市町村" in page.status.text()
    assert not next_button.isEnabled()

    choose(page.combos[1], "municipality")
    qtbot.waitUntil(next_button.isEnabled)
    to_confirm(wizard, qtbot)
    commit(wizard, qtbot)
    written = visits(workspace)
    assert [v.get("place") or "" for v in written] == ["初回", "", "持ち帰り"]
    assert not any(v.get("notes") for v in written)


def issue_sheet(path: Path, homework: str = "資料送付") -> Path:
    """The issue's visit sheet: a title above the header, each municipality's cell merged over
    its visits, the date under 相談日（実施日）, and the interview notes and homework beside."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "相談記録"
    sheet.append(["令和6年度 市町村DX相談 記録簿"])
    sheet.append(
        ["市町村", "相談日（実施日）", "件名", "概要", "ヒアリング内容", "宿題", "宿題の期限"]
    )
    sheet.append(
        [
            WAKAYAMA.name,
            "令和6年4月1日",
            "キックオフ",
            "体制の相談",
            "現状を聞いた",
            homework,
            "R6.4.15",
        ]
    )
    sheet.append([None, "R6.5.10", "RPA", "帳票の自動化", None, None, None])
    sheet.append([KAINAN.name, "H31.4.1", "窓口BPR", "書かない窓口", "動線を確認", None, None])
    sheet.merge_cells("A3:A4")
    book.save(path)
    return path


def stored(workspace: Workspace) -> dict[str, int]:
    return {k: len(workspace.records(k).list_records()) for k in ("visit", "interview", "followup")}


def test_a_visits_notes_and_homework_are_counted_shown_and_written(
    window: MainWindow, qtbot: QtBot, workspace: Workspace, tmp_path: Path
) -> None:
    path = issue_sheet(tmp_path / "記録簿.xlsx")
    wizard = open_wizard(window, qtbot, path)
    fields = [wizard.mapping.combos[i].currentData() for i in range(7)]
    assert fields[1:] == [
        "date",
        "title",
        "summary",
        "interview.notes",
        "followup.description",
        "followup.due",
    ]
    assert table(wizard.mapping.model)[1][4] == "推測"  # 相談日（実施日） only resembles 日付

    to_confirm(wizard, qtbot)
    confirm = wizard.confirm
    assert [row[:3] for row in table(confirm.counts)] == [
        [WAKAYAMA.name, "相談記録", "2"],  # the merged cell gives row 4 its municipality
        ["", "ヒアリング", "1"],
        ["", "フォローアップ", "1"],
        [KAINAN.name, "相談記録", "1"],
        ["", "ヒアリング", "1"],
        ["合計", "相談記録", "3"],
        ["", "ヒアリング", "2"],
        ["", "フォローアップ", "1"],
    ]
    assert "ヒアリングを新規 2 件、フォローアップを新規 1 件書き込みます" in confirm.summary.text()
    assert stored(workspace) == {"visit": 0, "interview": 0, "followup": 0}  # not before 取り込む
    commit(wizard, qtbot)
    assert wizard.done_label.text().startswith(
        "シート「相談記録」から相談記録を新規 3 件・更新 0 件、ヒアリングを新規 2 件、"
        "フォローアップを新規 1 件書き込みました。"
    )
    assert stored(workspace) == {"visit": 3, "interview": 2, "followup": 1}
    button(wizard, QWizard.WizardButton.FinishButton).click()

    issue_sheet(path, homework="資料送付と見積")  # only the homework changed since
    again = open_wizard(window, qtbot, path)
    to_confirm(again, qtbot)
    [row] = table(again.confirm.changes)
    assert row[0] == "3" and row[2] == "変更なし" and row[4] == "フォローアップ 更新（内容）"
    assert "フォローアップを更新 1 件書き込みます" in again.confirm.summary.text()
    commit(again, qtbot)
    assert "フォローアップを更新 1 件書き込みました" in again.done_label.text()
    [followup] = workspace.records("followup").list_records()
    assert followup["description"] == "資料送付と見積"
    assert stored(workspace) == {"visit": 3, "interview": 2, "followup": 1}


def test_a_plan_the_store_moved_past_is_read_again_and_nothing_is_doubled(
    window: MainWindow, qtbot: QtBot, workspace: Workspace, tmp_path: Path
) -> None:
    path = issue_sheet(tmp_path / "記録簿.xlsx")
    wizard = open_wizard(window, qtbot, path)
    to_confirm(wizard, qtbot)
    # The same rows arrive meanwhile (a sync, the command line, another window).
    apply_records(workspace, plan_records(workspace, "visit", path))
    commit_button = button(wizard, QWizard.WizardButton.CommitButton)
    commit_button.click()
    confirm = wizard.confirm
    qtbot.waitUntil(lambda: not wizard.session.busy)
    assert wizard.currentId() == CONFIRM
    assert confirm.status.text().startswith(
        "何も書き込んでいません。ファイルを読んでから記録が変わりました"
    )
    assert "読み直しました" in confirm.status.text()
    assert table(confirm.counts)[-3][:5] == ["合計", "相談記録", "0", "0", "3"]
    assert confirm.changes.rowCount() == 0
    assert stored(workspace) == {"visit": 3, "interview": 2, "followup": 1}
    commit(wizard, qtbot)  # the fresh plan: nothing to write
    assert "書き込んだ変更はありません" in wizard.done_label.text()
    assert stored(workspace) == {"visit": 3, "interview": 2, "followup": 1}


def test_an_unreadable_file_is_said_on_page_one_with_no_way_back(
    window: MainWindow, qtbot: QtBot, workspace: Workspace, tmp_path: Path
) -> None:
    bad = tmp_path / "記録簿.xlsx"
    bad.write_text("これは表ではありません", encoding="utf-8")
    wizard = RecordsImportWizard(window, workspace, window.runner)
    wizard.show()
    wizard.choose.path_edit.setText(str(bad))
    button(wizard, QWizard.WizardButton.NextButton).click()
    qtbot.waitUntil(lambda: not wizard.session.busy)
    assert wizard.currentId() == CHOOSE and wizard.choose.error.isVisible()
    assert not button(wizard, QWizard.WizardButton.BackButton).isEnabled()  # page 1 has no past
    wizard.reject()


def test_a_value_typed_in_the_app_is_kept_and_the_person_is_told(
    window: MainWindow, qtbot: QtBot, workspace: Workspace, tmp_path: Path
) -> None:
    typed = {"municipality": WAKAYAMA.code, "date": "2024-04-01", "title": "キックオフ"}
    record_id = workspace.records("visit").add({**typed, "summary": "アプリで書いた概要"})["id"]
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["ID", "市町村", "日付", "件名", "概要"])
    sheet.append([record_id, WAKAYAMA.name, "2024-04-01", "キックオフ", "ファイルの概要"])
    book.save(tmp_path / "書き出し.xlsx")
    wizard = open_wizard(window, qtbot, tmp_path / "書き出し.xlsx")
    to_confirm(wizard, qtbot)
    [row] = table(wizard.confirm.changes)
    assert row[0] == "2" and row[5] == "概要"
    assert "アプリの内容を残す行: 2" in wizard.confirm.summary.text()


def two_years(path: Path) -> Path:
    """A sheet per year; R6年度's header names one field more, so it is read first."""
    book = openpyxl.Workbook()
    r5 = book.active
    assert r5 is not None
    r5.title = "R5年度"
    r5.append(["日付", "市町村", "件名"])
    r5.append(["2023-05-01", WAKAYAMA.name, "R5 キックオフ"])
    r5.append(["2023-06-01", KAINAN.name, "R5 RPA"])
    r6 = book.create_sheet("R6年度")
    r6.append(["日付", "市町村", "件名", "概要"])
    r6.append(["2024-05-01", WAKAYAMA.name, "R6 窓口BPR", "書かない窓口"])
    book.save(path)
    return path


def test_the_sheet_to_import_is_chosen_and_each_year_is_imported_on_its_own(
    window: MainWindow, qtbot: QtBot, workspace: Workspace, tmp_path: Path
) -> None:
    path = two_years(tmp_path / "相談.xlsx")
    wizard = open_wizard(window, qtbot, path)
    mapping = wizard.mapping
    combo = mapping.sheet_combo
    assert not mapping.sheet_row.isHidden()
    assert [combo.itemText(i) for i in range(combo.count())] == ["R5年度", "R6年度"]  # tab order
    assert combo.currentText() == "R6年度" and wizard.session.plan is not None
    choose(mapping.combos[3], "")  # 概要 not used: a choice about R6年度's column D
    qtbot.waitUntil(lambda: not wizard.session.busy)
    assert wizard.session.overrides == {3: None}
    # R6年度 now names as many fields as R5年度 (the first of a tie); it is still the one read.
    assert combo.currentText() == "R6年度" and mapping.combos[3].currentData() == ""

    choose(combo, "R5年度")
    qtbot.waitUntil(lambda: not wizard.session.busy)
    assert [row[1] for row in table(mapping.model)] == ["日付", "市町村", "件名"]
    assert wizard.session.overrides == {}  # R6年度's columns say nothing about R5年度's
    choose(combo, "R6年度")
    qtbot.waitUntil(lambda: not wizard.session.busy)
    assert combo.currentText() == "R6年度"
    assert mapping.combos[3].currentData() == "summary"  # the column D choice did not follow
    to_confirm(wizard, qtbot)
    assert [row[3] for row in table(wizard.confirm.changes)] == ["2024-05-01 R6 窓口BPR"]
    assert wizard.confirm.summary.text().startswith("シート「R6年度」を取り込むと、")
    commit(wizard, qtbot)
    assert wizard.done_label.text().startswith("シート「R6年度」から相談記録を新規 1 件")
    assert [v["title"] for v in visits(workspace)] == ["R6 窓口BPR"]
    assert "ほかのシート（「R5年度」）は" in wizard.done_label.text()
    button(wizard, QWizard.WizardButton.FinishButton).click()

    again = open_wizard(window, qtbot, path)  # a new run starts from the best sheet again
    assert again.mapping.sheet_combo.currentText() == "R6年度"
    choose(again.mapping.sheet_combo, "R5年度")
    qtbot.waitUntil(lambda: not again.session.busy)
    button(again, QWizard.WizardButton.BackButton).click()  # the file read again: R5年度 kept
    button(again, QWizard.WizardButton.NextButton).click()
    qtbot.waitUntil(lambda: again.currentId() == MAPPING and not again.session.busy)
    assert again.mapping.sheet_combo.currentText() == "R5年度"
    to_confirm(again, qtbot)
    assert [row[3] for row in table(again.confirm.changes)] == [
        "2023-05-01 R5 キックオフ",
        "2023-06-01 R5 RPA",
    ]
    commit(again, qtbot)
    assert "シート「R5年度」から相談記録を新規 2 件" in again.done_label.text()
    assert [v["title"] for v in visits(workspace)] == ["R5 キックオフ", "R5 RPA", "R6 窓口BPR"]
