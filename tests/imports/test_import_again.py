"""Importing again: the same file under another plan is imported again (what the dry run shows is
written), a file of fewer questions keeps the municipality's other answers, answer times typed as
text are read, a question about 団体 or コード stays a question, and the year given finds the
header of a file that does not say its year."""

from __future__ import annotations

import csv
import json
import re
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from dxdesk.cli.main import main
from dxdesk.domain.catalog import load_catalog
from dxdesk.domain.roster import load_roster
from dxdesk.domain.survey_definition import Question
from dxdesk.imports.plan import apply_plan, read_plan
from dxdesk.imports.workbook import SurveyFileError, column_letter
from dxdesk.services.survey_definitions import year_definition
from dxdesk.services.survey_responses import responses_for_year
from dxdesk.services.workspace import Workspace, open_workspace
from tests.imports import whole_survey_files as whole

CATALOG = load_catalog()
ROSTER = load_roster()
SMALL = whole.small_definition(CATALOG)


@pytest.fixture
def workspace(tmp_path: Path) -> Any:
    ws = open_workspace(tmp_path / "data")
    yield ws
    ws.close()


def _sheet(path: Path, rows: list[list[Any]]) -> Path:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def _response(workspace: Workspace, code: str) -> Any:
    [found] = [r for r in responses_for_year(workspace.store, 2024) if r.municipality == code]
    return found


# -- the same file again ----------------------------------------------------------------------


def test_a_row_left_out_the_first_time_is_imported_when_the_file_comes_again(
    workspace: Workspace, tmp_path: Path
) -> None:
    workspace.survey_definitions.add(whole.definition_record(SMALL))
    export = whole.forms_export_xlsx(tmp_path, SMALL, CATALOG, ROSTER[:2])
    apply_plan(workspace, read_plan(workspace, export.path, exclude_rows={3}))
    assert [r.municipality for r in responses_for_year(workspace.store, 2024)] == [ROSTER[0].code]

    again = read_plan(workspace, export.path)
    assert again.repeat == "changes" and again.earlier is None
    assert again.as_json()["reimport"] == "changes"
    assert any("取り込み済みですが" in note and "取り込み直します" in note for note in again.notes)
    assert [c.action for c in again.changes] == ["unchanged", "create"]
    stored = apply_plan(workspace, again)
    assert len(stored.responses_created) == 1
    assert _response(workspace, ROSTER[1].code).answers == export.expected[ROSTER[1].code]

    third = read_plan(workspace, export.path)  # the very same plan: nothing changes
    assert third.repeat == "unchanged" and third.earlier is not None
    assert third.as_json()["already_imported"]["file"] == "forms.xlsx"
    pending = workspace.store.pending_record_count()
    assert apply_plan(workspace, third).responses_updated == []
    assert workspace.store.pending_record_count() == pending


def test_a_definition_loaded_since_is_followed_by_importing_the_same_file_again(
    workspace: Workspace, tmp_path: Path
) -> None:
    # Under the first definition Q4 is free text; the definition loaded since makes it yes/no,
    # and 「取り込み直してください」 after the load must be possible with the same file.
    texts = tuple(replace(q, type="text") if q.code == "Q4" else q for q in SMALL.questions)
    first = workspace.survey_definitions.add(
        whole.definition_record(replace(SMALL, questions=texts))
    )
    export = whole.forms_export_xlsx(tmp_path, SMALL, CATALOG, ROSTER[:1])
    apply_plan(workspace, read_plan(workspace, export.path))
    assert _response(workspace, ROSTER[0].code).answers["Q4"] == "はい"

    second = workspace.survey_definitions.add(
        {**whole.definition_record(SMALL), "source_sha256": "1" * 64}
    )
    again = read_plan(workspace, export.path)
    [change] = again.changes
    assert again.repeat == "changes" and change.action == "update"
    assert change.answers == {"Q4": ("はい", True)}
    assert apply_plan(workspace, again).responses_updated == [change.response_id]
    response = _response(workspace, ROSTER[0].code)
    assert response.answers["Q4"] is True and response.definition_id == second["id"] != first["id"]


def test_the_command_says_whether_a_file_imported_before_changes_anything(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    ws = open_workspace(data)
    ws.survey_definitions.add(whole.definition_record(SMALL))
    ws.close()
    export = whole.forms_export_xlsx(tmp_path, SMALL, CATALOG, ROSTER[:2])
    base = ["--data-dir", str(data), "import-survey", str(export.path)]
    assert main([*base, "--exclude-rows", "3"]) == 0
    capsys.readouterr()
    assert main([*base, "--dry-run", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["reimport"] == "changes" and result["already_imported"] is not None
    assert main(base) == 0
    out = capsys.readouterr().out
    assert "取り込み直します" in out and "取り込み直しました: " in out
    assert main(base) == 0
    out = capsys.readouterr().out
    assert "前回と同じ内容のため、何も変わりません" in out
    assert "取り込み済みのため、何も変えませんでした" in out
    assert re.search(r"このファイルは \d{4}-\d{2}-\d{2} \d{2}:\d{2} に取り込み済みです", out)


# -- a file of fewer questions ----------------------------------------------------------------


def test_a_file_of_fewer_questions_keeps_the_other_answers(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workspace.survey_definitions.add(whole.definition_record(SMALL))
    full = whole.forms_export_xlsx(tmp_path / "full", SMALL, CATALOG, ROSTER[:1])
    apply_plan(workspace, read_plan(workspace, full.path))
    before = _response(workspace, ROSTER[0].code)
    assert before.answered_on == date(2024, 10, 20)
    # 市町村名, Q4 changed, Q6 blank (cleared), 0-1 unchanged; no time, no respondent column.
    partial = _sheet(
        tmp_path / "partial.xlsx",
        [
            ["市町村名", "Q4", "Q6", "0-1", "1-1"],
            [ROSTER[0].name, "いいえ", None, full.expected[ROSTER[0].code]["0-1"], None],
        ],
    )
    plan = read_plan(workspace, partial, fiscal_year=2024)
    [change] = plan.changes
    assert change.answers == {
        "Q4": (True, False),
        "Q6": ("回答 0 の内容", None),
        "1-1": (before.answers["1-1"], None),
    }
    assert (change.added, change.changed, change.cleared) == ([], ["Q4"], ["1-1", "Q6"])
    assert plan.as_json()["changes"][0]["answers_cleared"] == ["1-1", "Q6"]
    apply_plan(workspace, plan)
    after = _response(workspace, ROSTER[0].code)
    expected = {k: v for k, v in before.answers.items() if k not in ("Q6", "1-1")}
    assert after.answers == {**expected, "Q4": False}
    assert after.answered_on == before.answered_on and after.respondent == before.respondent
    [assessment] = [a for a in workspace.assessments.list_records() if a["method"] == "survey"]
    assert set(assessment["scores"]) == {"0-1", "0-3"}  # 0-3 kept, 1-1 cleared


def test_the_text_output_lists_answers_added_changed_and_cleared(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    ws = open_workspace(data)
    ws.survey_definitions.add(whole.definition_record(SMALL))
    first = _sheet(
        tmp_path / "a.xlsx",
        [["市町村名", "Q4", "Q5", "Q6"], [ROSTER[0].name, "はい", "2024/5/7", "x"]],
    )
    apply_plan(ws, read_plan(ws, first, fiscal_year=2024))
    ws.close()
    second = _sheet(
        tmp_path / "b.xlsx",
        [["市町村名", "Q3", "Q4", "Q6"], [ROSTER[0].name, 3, "いいえ", None]],
    )
    code = main(
        ["--data-dir", str(data), "import-survey", str(second), "--fiscal-year", "R6", "--dry-run"]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert f"{ROSTER[0].name}: 更新（回答 2 問。追加 1 問・変更 1 問・削除 1 問）" in out
    assert "回答を消す設問（空欄）: Q6" in out


# -- answer times typed as text ---------------------------------------------------------------


def _forms_csv(path: Path, times: list[str]) -> Path:
    with path.open("w", encoding="cp932", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["ID", "開始時刻", "完了時刻", "市町村名", "Q3", "Q4", "Q6"])
        for n, when in enumerate(times):
            writer.writerow([n + 1, when, when, ROSTER[n].name, n, "はい", "x"])
    return path


def test_answer_times_typed_as_text_are_read_or_said(workspace: Workspace, tmp_path: Path) -> None:
    workspace.survey_definitions.add(whole.definition_record(SMALL))
    times = ["2024/09/01 10:30", "9/2/24 10:30:00", "2024-09-03T08:00:00", "あしたの朝"]
    path = _forms_csv(tmp_path / "forms.csv", times)
    plan = read_plan(workspace, path, fiscal_year=2024)
    assert [r.answered_on for r in plan.rows] == [
        date(2024, 9, 1),
        date(2024, 9, 2),
        date(2024, 9, 3),
        None,
    ]
    assert [(p.row, p.column, p.value) for p in plan.problems] == [
        (5, "B", "あしたの朝"),
        (5, "C", "あしたの朝"),
    ]
    assert "回答日時として読めません" in plan.problems[0].message
    assert plan.survey.fiscal_year == 2024  # the year the text times show


# -- columns ----------------------------------------------------------------------------------


def test_a_question_about_dantai_or_code_is_a_question_never_a_municipality_column(
    workspace: Workspace, tmp_path: Path
) -> None:
    about = Question("Q7", 3, "連携", "他団体と連携している取組を教えてください", "text")
    code = Question("Q8", 3, "連携", "ソースコードを公開していますか", "yes_no")
    definition = replace(SMALL, questions=(*SMALL.questions, about, code))
    workspace.survey_definitions.add(whole.definition_record(definition))
    export = whole.forms_export_xlsx(
        tmp_path, definition, CATALOG, ROSTER[:1], extra={"他団体と一緒にしていること": ["防災"]}
    )
    plan = read_plan(workspace, export.path)
    roles = {c.header: (c.role, c.question) for c in plan.survey.columns}
    assert roles[about.text] == ("question", "Q7")
    assert roles[code.text] == ("question", "Q8")
    # Not a question of the definition, and not the municipality either: a person decides.
    assert roles["他団体と一緒にしていること"] == ("unmapped", None)
    letter = column_letter(len(export.headers) - 1)
    assert [(p.row, p.column) for p in plan.problems] == [(None, letter)]


def test_a_second_municipality_column_must_agree_or_wait_for_a_person(
    workspace: Workspace, tmp_path: Path
) -> None:
    workspace.survey_definitions.add(whole.definition_record(SMALL))
    path = _sheet(
        tmp_path / "two.xlsx",
        [
            ["市町村コード", "市町村名", "団体名称", "Q3", "Q4", "Q6"],
            [ROSTER[0].code, ROSTER[0].name, "x", 1, "はい", "a"],
            [ROSTER[1].code, ROSTER[2].name, "y", 2, "はい", "b"],
        ],
    )
    plan = read_plan(workspace, path, fiscal_year=2024)
    roles = [c.role for c in plan.survey.columns]
    assert roles[:3] == ["code", "name", "unmapped"]  # 団体名称: a second name, by a word
    assert [(p.row, p.column) for p in plan.problems] == [(3, "B"), (None, "C")]
    assert "市町村の列が食い違っています" in plan.problems[0].message
    assert [r.code for r in plan.rows if r.valid] == [ROSTER[0].code]


# -- the year given finds the header ----------------------------------------------------------


def test_the_year_given_finds_the_header_of_a_file_of_the_years_questions(
    workspace: Workspace, tmp_path: Path
) -> None:
    shipped = year_definition(workspace.store, 2024, CATALOG).definition
    texts = [q for q in shipped.questions if q.type == "text"][:4]
    assert len(texts) == 4
    path = _sheet(
        tmp_path / "free.xlsx",
        [
            ["市町村名", *(f"{q.code} {q.text}" for q in texts)],
            [ROSTER[0].name, *(f"回答 {n}" for n in range(4))],
        ],
    )
    plan = read_plan(workspace, path, fiscal_year=2024)
    assert plan.problems == [] and plan.survey.header_row == 1
    assert [c.question for c in plan.survey.columns[1:]] == [q.code for q in texts]
    with pytest.raises(
        SurveyFileError, match="年度を指定すると（--fiscal-year、取り込み画面の年度）"
    ):
        read_plan(workspace, path)  # the year unknown: the refusal says what would help
