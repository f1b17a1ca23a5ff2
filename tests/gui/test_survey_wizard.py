"""The survey import wizard and the answer sheet, driven as a person would from the window."""

from __future__ import annotations

import csv
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFileDialog, QMenu, QWizard
from pytestqt.qtbot import QtBot

from dxdesk.domain.catalog import load_catalog
from dxdesk.domain.roster import load_roster
from dxdesk.imports.columns import Role
from dxdesk.imports.plan import ImportRefused, apply_plan, read_plan
from dxdesk.imports.template import (
    ANSWERS_SHEET,
    FIRST_ITEM_COLUMN,
    template_municipalities,
    write_template,
)
from dxdesk.services.survey_responses import responses_for_year
from dxdesk.services.workspace import Workspace
from dxdesk.ui import survey_answer_sheet, survey_import_session
from dxdesk.ui.main_window import MainWindow
from dxdesk.ui.survey_import_session import UNDECIDED
from dxdesk.ui.survey_preview_tables import DOUBTFUL, ERROR
from dxdesk.ui.survey_wizard import CHOOSE, CONFIRM, DONE, PREVIEW, SurveyImportWizard
from tests.gui.keys import select_municipality, type_text
from tests.imports import whole_survey_files as whole

CATALOG = load_catalog()
ITEMS = [item.code for item in CATALOG.items]
WAKAYAMA, KAINAN = "302015", "302023"
NATIONAL = [code for code in ITEMS if not code.startswith("D")]
PREFECTURE = [code for code in ITEMS if code.startswith("D")]
NAMES = {"3": "3 推進している", "2": "2 推進予定", "1": "1 時期は未定だが推進を検討中"}


def scores_for(first: int) -> dict[str, int]:
    """Distinct scores per municipality: national items cycle through 1-3, D items 3 or 0."""
    national = {code: (first + i) % 3 + 1 for i, code in enumerate(NATIONAL)}
    return national | {code: 3 if (first + i) % 2 else 0 for i, code in enumerate(PREFECTURE)}


def as_cell(item: str, score: int) -> str:
    if item.startswith("D"):
        return "実績が1件以上ある" if score == 3 else "実績が無い"
    return NAMES[str(score)]


def answer_file(
    tmp_path: Path,
    workspace: Workspace,
    answers: dict[str, dict[str, str]],
    *,
    extra_rows: Sequence[tuple[str, dict[str, str]]] = (),
) -> Path:
    """The answer sheet as the app writes it, filled in for ``answers`` (code -> item -> cell);
    ``extra_rows`` are added below the template's rows."""
    path = tmp_path / "answers.xlsx"
    municipalities = template_municipalities(workspace)
    write_template(path, catalog=CATALOG, municipalities=municipalities, fiscal_year=2025)
    book = openpyxl.load_workbook(path)
    sheet = book[ANSWERS_SHEET]
    rows = {sheet.cell(r, 1).value: r for r in range(2, sheet.max_row + 1)}
    placed = [(rows[code], code, cells) for code, cells in answers.items()]
    placed += [(sheet.max_row + 1 + n, code, cells) for n, (code, cells) in enumerate(extra_rows)]
    for row, code, cells in placed:
        sheet.cell(row, 1, code)
        for item, value in cells.items():
            sheet.cell(row, FIRST_ITEM_COLUMN + ITEMS.index(item), value)
    book.save(path)
    return path


def filled(scores: dict[str, int]) -> dict[str, str]:
    return {item: as_cell(item, score) for item, score in scores.items()}


def survey_scores(workspace: Workspace) -> dict[str, dict[str, int]]:
    records = workspace.assessments.list_records()
    return {r["municipality"]: r["scores"] for r in records if r["method"] == "survey"}


def open_file(
    window: MainWindow, qtbot: QtBot, path: Path, fiscal_year: int | None = None
) -> SurveyImportWizard:
    [action] = [a for a in file_menu(window).actions() if "調査の回答を取り込む" in a.text()]
    action.trigger()
    wizard = window._survey_wizard
    assert wizard is not None and wizard.isVisible() and wizard.currentId() == CHOOSE
    wizard.choose.path_edit.setText(str(path))
    if fiscal_year is not None:
        wizard.choose.year.setValue(fiscal_year)
    next_button(wizard).click()
    return wizard


def file_menu(window: MainWindow) -> QMenu:
    menu = window.menuBar().actions()[0].menu()
    assert isinstance(menu, QMenu)
    return menu


def next_button(wizard: QWizard) -> Any:
    return wizard.button(QWizard.WizardButton.NextButton)


def wait_for_preview(wizard: SurveyImportWizard, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: wizard.currentId() == PREVIEW and not wizard.session.busy)


def wait_idle(wizard: SurveyImportWizard, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: not wizard.session.busy)


def finish(wizard: SurveyImportWizard, qtbot: QtBot) -> None:
    qtbot.waitUntil(next_button(wizard).isEnabled)
    next_button(wizard).click()
    assert wizard.currentId() == CONFIRM
    wizard.button(QWizard.WizardButton.CommitButton).click()
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


def test_two_answers_are_previewed_and_imported(
    window: MainWindow, qtbot: QtBot, workspace: Workspace, tmp_path: Path
) -> None:
    first, second = scores_for(0), scores_for(1)
    path = answer_file(tmp_path, workspace, {WAKAYAMA: filled(first), KAINAN: filled(second)})
    select_municipality(window, qtbot, WAKAYAMA)
    assert window.assessment.chooser.count() == 0
    wizard = open_file(window, qtbot, path)
    wait_for_preview(wizard, qtbot)
    preview = wizard.preview

    mapping = preview.mapping.records()
    assert sum(1 for r in mapping if r["role"] is Role.QUESTION) == 26
    questions = mapping[FIRST_ITEM_COLUMN - 1 :]
    assert [preview.combos[r["index"]].currentData() for r in questions] == ITEMS
    assert preview.combos[0].currentText() == "市町村コード"
    changes = table(preview.changes)
    assert [(row[1], row[2]) for row in changes] == [("和歌山市", "新規"), ("海南市", "新規")]
    assert "3-12: —→" in changes[0][3] and changes[0][4] == "26 問（採点項目以外 0）"
    assert preview.errors.rowCount() == 0
    assert "R7 (2025)" in preview.notes.text()

    finish(wizard, qtbot)
    assert "新規 2 件" in wizard.confirm.summary.text()
    assert "対面のアセスメントは変更しません" in wizard.confirm.summary.text()
    assert survey_scores(workspace) == {WAKAYAMA: first, KAINAN: second}
    assert "新規 2 件" in wizard.done_label.text()
    assert "和歌山市、海南市" in wizard.done_label.text()
    # The window shows the new assessment of the municipality on screen.
    qtbot.waitUntil(lambda: window.assessment.chooser.count() == 1)


def test_reading_and_writing_run_on_the_worker(
    window: MainWindow, qtbot: QtBot, workspace: Workspace, tmp_path: Path, monkeypatch: Any
) -> None:
    threads: list[str] = []

    def recording(call: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            threads.append(threading.current_thread().name)
            return call(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(survey_import_session, "read_plan", recording(read_plan))
    monkeypatch.setattr(survey_import_session, "apply_plan", recording(apply_plan))
    path = answer_file(tmp_path, workspace, {WAKAYAMA: filled(scores_for(0))})
    wizard = open_file(window, qtbot, path)
    wait_for_preview(wizard, qtbot)
    finish(wizard, qtbot)
    assert len(threads) == 2
    assert all(name.startswith("dxdesk-store") for name in threads)


def test_a_broken_file_is_refused_on_the_first_page(
    window: MainWindow, qtbot: QtBot, workspace: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "answers.xlsx"
    path.write_text("これは表ではありません", encoding="utf-8")
    wizard = open_file(window, qtbot, path)
    error = wizard.choose.error
    qtbot.waitUntil(error.isVisible)
    assert "表計算のファイルではありません" in error.text()
    assert wizard.currentId() == CHOOSE
    assert wizard.choose.path_edit.text() == str(path)  # kept, to fix and try again
    assert wizard.choose.path_edit.isEnabled() and next_button(wizard).isEnabled()
    assert workspace.assessments.list_records() == []


def test_an_unknown_fiscal_year_asks_for_one_and_keeps_the_file(
    window: MainWindow, qtbot: QtBot, workspace: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "answers.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["市町村名", *ITEMS])
        writer.writerow(["海南市", *(as_cell(i, s) for i, s in scores_for(2).items())])
    wizard = open_file(window, qtbot, path)
    qtbot.waitUntil(wizard.choose.error.isVisible)
    assert "年度を選んでください" in wizard.choose.error.text()
    year = wizard.choose.year
    year.selectAll()
    type_text(year, "令和6年度")  # typed as people write it
    assert year.fiscal_year() == 2024
    year.interpretText()
    assert year.text() == "R6 (2024)"
    next_button(wizard).click()
    wait_for_preview(wizard, qtbot)
    assert "R6 (2024)" in wizard.preview.notes.text()
    finish(wizard, qtbot)
    assert [r["fiscal_year"] for r in workspace.assessments.list_records()] == [2024]


def test_a_bad_answer_blocks_next_until_its_row_is_excluded(
    window: MainWindow, qtbot: QtBot, workspace: Workspace, tmp_path: Path
) -> None:
    first, second = scores_for(0), filled(scores_for(1))
    second["3-12"] = "たぶん"
    path = answer_file(tmp_path, workspace, {WAKAYAMA: filled(first), KAINAN: second})
    wizard = open_file(window, qtbot, path)
    wait_for_preview(wizard, qtbot)
    preview = wizard.preview
    [error] = table(preview.errors)
    letter = get_column_letter(FIRST_ITEM_COLUMN + ITEMS.index("3-12"))
    assert error[1:5] == [ANSWERS_SHEET, "3", letter, "たぶん"]
    assert "たぶん" in error[5]
    assert preview.tabs.currentIndex() == 2  # the errors are shown first
    assert preview.status.isVisibleTo(wizard) and "エラーが 1 件" in preview.status.text()
    assert not next_button(wizard).isEnabled()

    preview.exclude_button.click()
    wait_idle(wizard, qtbot)
    assert next_button(wizard).isEnabled()
    # The excluded row stays listed, ticked, so that it can be put back.
    check = preview.errors.index(0, 0)
    assert Qt.CheckState(check.data(Qt.ItemDataRole.CheckStateRole)) == Qt.CheckState.Checked
    assert [row[1] for row in table(preview.changes)] == ["和歌山市"]
    assert "除外した行: 3" in preview.notes.text()

    preview.errors.setData(check, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    wait_idle(wizard, qtbot)
    assert not next_button(wizard).isEnabled()
    preview.errors.setData(
        preview.errors.index(0, 0), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole
    )
    finish(wizard, qtbot)
    assert "除外した 1 行" in wizard.confirm.summary.text()
    assert survey_scores(workspace) == {WAKAYAMA: first}


def test_two_rows_for_one_municipality_import_the_one_kept(
    window: MainWindow, qtbot: QtBot, workspace: Workspace, tmp_path: Path
) -> None:
    first, again = scores_for(0), scores_for(2)
    path = answer_file(
        tmp_path, workspace, {KAINAN: filled(first)}, extra_rows=[(KAINAN, filled(again))]
    )
    wizard = open_file(window, qtbot, path)
    wait_for_preview(wizard, qtbot)
    errors = wizard.preview.errors
    assert [row[2] for row in table(errors)] == ["3", "32"]
    assert not next_button(wizard).isEnabled()
    errors.setData(errors.index(0, 0), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    wait_idle(wizard, qtbot)
    assert [row[0] for row in table(wizard.preview.changes)] == ["32"]
    finish(wizard, qtbot)
    assert survey_scores(workspace) == {KAINAN: again}


def test_the_same_file_again_says_imported_and_writes_nothing(
    window: MainWindow, qtbot: QtBot, workspace: Workspace, tmp_path: Path
) -> None:
    path = answer_file(tmp_path, workspace, {WAKAYAMA: filled(scores_for(0))})
    apply_plan(workspace, read_plan(workspace, path))
    before = workspace.assessments.list_records()
    wizard = open_file(window, qtbot, path)
    wait_for_preview(wizard, qtbot)
    assert "取り込み済み" in wizard.preview.notes.text()
    finish(wizard, qtbot)
    assert "取り込み済み" in wizard.confirm.summary.text()
    assert "何も変わりません" in wizard.confirm.summary.text()
    assert "書き込んだ変更はありません" in wizard.done_label.text()
    assert workspace.assessments.list_records() == before


def test_columns_fixed_by_hand_change_the_mapping_and_the_import(
    window: MainWindow, qtbot: QtBot, workspace: Workspace, tmp_path: Path
) -> None:
    # A sheet made by hand: 3-12's question reworded (a doubtful guess), 3-5 under a heading
    # the importer cannot place (undecided: nothing imports until the person chooses), every
    # other item by its code.
    others = [code for code in ITEMS if code not in ("3-12", "3-5")]
    headers = ["市町村名", *others, "BPRを推進しているか", "RPA活用"]
    path = tmp_path / "hand.xlsx"
    book = openpyxl.Workbook()
    book.active.append(headers)
    book.active.append(["海南市", *(["2 推進予定"] * 16), *(["実績が無い"] * 8), "1", "3"])
    book.save(path)
    wizard = open_file(window, qtbot, path, fiscal_year=2025)
    wait_for_preview(wizard, qtbot)
    preview = wizard.preview
    doubtful, unplaced = len(headers) - 2, len(headers) - 1
    row = preview.mapping.records()[doubtful]
    assert (row["item"], row["state"]) == ("3-12", "要確認")
    background = preview.mapping.index(doubtful, 1).data(Qt.ItemDataRole.BackgroundRole)
    assert background.color() == DOUBTFUL
    assert "要確認" in preview.doubtful.text() and "BPRを推進しているか" in preview.doubtful.text()
    assert preview.combos[unplaced].currentData() == UNDECIDED
    assert preview.mapping.records()[unplaced]["state"].startswith("未割り当て")
    background = preview.mapping.index(unplaced, 1).data(Qt.ItemDataRole.BackgroundRole)
    assert background.color() == ERROR and "「RPA活用」→ 未割り当て" in preview.doubtful.text()
    letter = get_column_letter(unplaced + 1)
    assert preview.plan is not None
    assert any(p.column == letter and p.row is None for p in preview.plan.problems)
    assert not next_button(wizard).isEnabled()
    assert "3-5" not in table(preview.changes)[0][3]

    # Two choices in a row, without waiting: the second read must keep the first choice.
    choose(preview.combos[unplaced], "3-5")
    choose(preview.combos[doubtful], "3-12")
    wait_idle(wizard, qtbot)
    assert preview.combos[unplaced].currentData() == "3-5"
    assert preview.mapping.records()[doubtful]["state"] == ""
    assert not preview.doubtful.isVisibleTo(wizard)
    assert "3-5: —→3" in table(preview.changes)[0][3]

    # The same item on two columns cannot be imported.
    choose(preview.combos[1], "3-5")
    wait_idle(wizard, qtbot)
    assert "3-5" in preview.status.text() and not next_button(wizard).isEnabled()
    choose(preview.combos[1], others[0])
    wait_idle(wizard, qtbot)
    finish(wizard, qtbot)
    stored = survey_scores(workspace)[KAINAN]
    assert (stored["3-5"], stored["3-12"], stored["0-1"]) == (3, 1, 2)


def test_going_back_keeps_the_choices_made_in_the_preview(
    window: MainWindow, qtbot: QtBot, workspace: Workspace, tmp_path: Path
) -> None:
    second = filled(scores_for(1))
    second["3-1"] = "たぶん"
    path = answer_file(tmp_path, workspace, {WAKAYAMA: filled(scores_for(0)), KAINAN: second})
    wizard = open_file(window, qtbot, path)
    wait_for_preview(wizard, qtbot)
    # A column chosen, then a row excluded before the file was read again: both hold.
    choose(wizard.preview.combos[FIRST_ITEM_COLUMN - 1], "")  # 0-1 not imported
    wizard.preview.exclude_button.click()
    wait_idle(wizard, qtbot)
    assert wizard.preview.combos[FIRST_ITEM_COLUMN - 1].currentData() == ""
    assert wizard.preview.plan is not None and wizard.preview.plan.excluded == {3}
    wizard.back()
    wizard.choose.year.setValue(2024)
    next_button(wizard).click()
    wait_for_preview(wizard, qtbot)
    assert wizard.preview.combos[FIRST_ITEM_COLUMN - 1].currentData() == ""
    assert wizard.session.excluded == {3}
    finish(wizard, qtbot)
    [record] = workspace.assessments.list_records()
    assert record["fiscal_year"] == 2024 and "0-1" not in record["scores"]


def test_answer_sheet_is_written_from_the_file_menu(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "回答票.xlsx"
    asked: list[str] = []

    def save_name(_parent: Any, _title: str, default: str, _filter: str) -> tuple[str, str]:
        asked.append(default)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    monkeypatch.setattr(survey_answer_sheet, "ask_fiscal_year", lambda _parent, _default: 2024)
    [action] = [a for a in file_menu(window).actions() if "回答票" in a.text()]
    action.trigger()
    status = window.statusBar()
    qtbot.waitUntil(lambda: "回答票を作りました" in status.currentMessage())
    assert "R6 (2024)" in status.currentMessage() and "30 市町村" in status.currentMessage()
    assert Path(asked[0]).name == "回答票.xlsx"
    book = openpyxl.load_workbook(target, read_only=True)
    assert book["記入方法"]["B3"].value == 2024
    assert book[ANSWERS_SHEET].max_row == 31


def test_the_wizard_stays_open_while_writing_and_shows_a_refusal(
    window: MainWindow, qtbot: QtBot, workspace: Workspace, tmp_path: Path, monkeypatch: Any
) -> None:
    release = threading.Event()

    def refusing(_workspace: Workspace, _plan: Any) -> Any:
        release.wait(5)
        raise ImportRefused("書き込めませんでした（テスト）")

    monkeypatch.setattr(survey_import_session, "apply_plan", refusing)
    path = answer_file(tmp_path, workspace, {WAKAYAMA: filled(scores_for(0))})
    wizard = open_file(window, qtbot, path)
    wait_for_preview(wizard, qtbot)
    next_button(wizard).click()
    wizard.button(QWizard.WizardButton.CommitButton).click()
    assert wizard.session.applying
    assert not wizard.button(QWizard.WizardButton.CancelButton).isEnabled()
    wizard.reject()  # Esc or the window's close button
    assert wizard.isVisible()
    release.set()
    qtbot.waitUntil(wizard.confirm.error.isVisible)
    assert wizard.confirm.error.text() == "書き込めませんでした（テスト）"
    assert wizard.currentId() == CONFIRM
    assert wizard.button(QWizard.WizardButton.CancelButton).isEnabled()
    assert workspace.assessments.list_records() == []


def test_every_answer_of_a_forms_export_comes_in_once_each_column_is_decided(
    window: MainWindow, qtbot: QtBot, workspace: Workspace, tmp_path: Path
) -> None:
    definition = whole.small_definition(CATALOG)
    workspace.survey_definitions.add(whole.definition_record(definition))
    municipalities = [m for m in load_roster() if m.code in (WAKAYAMA, KAINAN)]
    export = whole.forms_export_xlsx(
        tmp_path, definition, CATALOG, municipalities, extra={"備考": ["急ぎ", None]}
    )
    wizard = open_file(window, qtbot, export.path)
    wait_for_preview(wizard, qtbot)
    preview = wizard.preview
    note = len(export.headers) - 1
    assert preview.combos[note].currentData() == UNDECIDED
    assert preview.combos[7].currentData() == "0-1" and preview.combos[10].currentData() == "Q1"
    assert preview.combos[4].currentText() == "回答者"
    assert not next_button(wizard).isEnabled()  # the 備考 column waits for a person
    choose(preview.combos[note], "")  # 取り込まない
    wait_idle(wizard, qtbot)
    assert [row[4] for row in table(preview.changes)] == ["9 問（採点項目以外 6）"] * 2
    finish(wizard, qtbot)
    assert "回答を 2 市町村分" in wizard.done_label.text()
    stored = {r.municipality: r.answers for r in responses_for_year(workspace.store, 2024)}
    assert stored == export.expected
