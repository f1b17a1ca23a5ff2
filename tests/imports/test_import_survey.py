"""Importing survey answers: each supported format gives exactly the answers it holds, each broken
or hostile file is refused with a plain message, problems are located by sheet, row and column,
and nothing is written while any remains."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from dxdesk.domain.catalog import load_catalog
from dxdesk.domain.roster import load_roster
from dxdesk.imports.plan import ImportRefused, apply_plan, plan_for, read_plan
from dxdesk.imports.survey import read_survey
from dxdesk.imports.template import write_template
from dxdesk.imports.workbook import SurveyFileError
from dxdesk.services.workspace import Workspace, open_workspace
from tests.imports import survey_files as files

ROSTER = load_roster()
CODES = [m.code for m in ROSTER]


@pytest.fixture
def workspace(tmp_path: Path) -> Any:
    ws = open_workspace(tmp_path / "data")
    yield ws
    ws.close()


def _read(path: Path) -> dict[str, dict[str, int]]:
    survey = read_survey(path, catalog=load_catalog(), roster=ROSTER)
    assert survey.problems == [], survey.problems
    return {row.code: row.scores for row in survey.rows if row.scores}


def _survey_scores(workspace: Workspace, fiscal_year: int) -> dict[str, dict[str, int]]:
    return {
        a["municipality"]: a["scores"]
        for a in workspace.assessments.list_records()
        if a["method"] == "survey" and a["fiscal_year"] == fiscal_year
    }


# -- formats ---------------------------------------------------------------------------------


def test_microsoft_forms_export(tmp_path: Path) -> None:
    answers = files.answers_for(CODES[:12], seed=1)
    path = files.ms_forms_xlsx(tmp_path, answers)
    assert _read(path) == answers.scores
    survey = read_survey(path, catalog=load_catalog(), roster=ROSTER)
    assert survey.fiscal_year == 2025  # from 開始時刻 (2025-10-20)
    roles = {c.header: str(c.role) for c in survey.columns}
    # Questions the catalog lacks wait for a person; Forms' own columns are metadata.
    assert {roles[q] for q in files.EXTRA_QUESTIONS} == {"unmapped"}
    assert [roles[h] for h in files.MS_FORMS_META_HEADERS] == [
        "meta",
        "time",
        "time",
        "meta",
        "respondent",
        "meta",
    ]


def test_google_forms_export(tmp_path: Path) -> None:
    answers = files.answers_for(CODES, seed=2)
    path = files.google_forms_xlsx(tmp_path, answers)
    assert _read(path) == answers.scores
    survey = read_survey(path, catalog=load_catalog(), roster=ROSTER)
    assert [str(c.role) for c in survey.columns[:3]] == ["time", "meta", "name"]


def test_a_hand_made_sheet_with_a_title_blank_rows_and_every_spelling(tmp_path: Path) -> None:
    answers = files.answers_for(CODES, seed=3)
    path = files.plain_sheet_xlsx(tmp_path, answers, header_row=5)
    survey = read_survey(path, catalog=load_catalog(), roster=ROSTER)
    assert survey.header_row == 5
    assert not any(c.doubtful for c in survey.columns)
    assert {c.item for c in survey.columns if c.item} == set(load_catalog().codes)
    assert _read(path) == answers.scores


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_csv_in_each_encoding(tmp_path: Path, encoding: Any) -> None:
    answers = files.answers_for(CODES[:5], seed=4)
    assert _read(files.csv_file(tmp_path, answers, encoding=encoding)) == answers.scores


def test_our_template_filled_in_goes_back_in_with_its_year(tmp_path: Path) -> None:
    import openpyxl

    path = write_template(
        tmp_path / "t.xlsx", catalog=load_catalog(), municipalities=ROSTER[:3], fiscal_year=2024
    )
    book = openpyxl.load_workbook(path)
    sheet = book["回答"]
    assert [c.value for c in sheet[1]][:4] == ["市町村コード", "市町村名", "回答者", "回答日"]
    assert str(sheet["E1"].value).startswith("0-1 ")
    sheet["C2"], sheet["D2"] = "企画課 山田", datetime(2024, 9, 2)  # who answered, and when
    sheet["E2"] = "2 推進予定"
    sheet["AD2"] = "3 実績が1件以上ある"
    sheet["E3"] = "０"  # full-width digit
    book.save(path)
    survey = read_survey(path, catalog=load_catalog(), roster=ROSTER)
    assert survey.fiscal_year == 2024
    assert {r.code: r.scores for r in survey.rows if r.scores} == {
        CODES[0]: {"0-1": 2, "D8": 3},
        CODES[1]: {"0-1": 0},
    }
    first = survey.rows[0]
    assert (first.respondent, first.answered_on) == ("企画課 山田", date(2024, 9, 2))
    assert [c.role for c in survey.columns[2:4]] == ["respondent", "time"]


# -- writing ---------------------------------------------------------------------------------


def test_import_writes_one_survey_assessment_each_and_again_changes_nothing(
    workspace: Workspace, tmp_path: Path
) -> None:
    in_person = workspace.assessments.add(
        {"municipality": CODES[0], "fiscal_year": 2025, "scores": {"0-1": 0}}
    )
    answers = files.answers_for(CODES[:4], seed=5)
    path = files.google_forms_xlsx(tmp_path, answers)
    plan = read_plan(workspace, path, fiscal_year=2025)
    assert [c.action for c in plan.changes] == ["create"] * 4
    assert plan.changes[0].in_person == 1
    stored = apply_plan(workspace, plan)
    assert len(stored.created) == 4
    assert _survey_scores(workspace, 2025) == answers.scores
    assert workspace.assessments.get(in_person["id"])["scores"] == {"0-1": 0}  # untouched
    pending = workspace.store.pending_record_count()

    again = read_plan(workspace, path, fiscal_year=2025)
    assert again.earlier is not None and again.earlier["fiscal_year"] == 2025
    assert {c.action for c in again.changes} == {"unchanged"}
    assert apply_plan(workspace, again).created == []
    assert workspace.store.pending_record_count() == pending
    assert len(workspace.assessments.list_records()) == 5


def test_a_new_file_with_changed_answers_updates_the_same_assessment(
    workspace: Workspace, tmp_path: Path
) -> None:
    first = files.answers_for(CODES[:2], seed=6)
    apply_plan(
        workspace,
        read_plan(workspace, files.csv_file(tmp_path, first, encoding="utf-8"), fiscal_year=2025),
    )
    changed = files.Answers({code: dict(s) for code, s in first.scores.items()})
    changed.scores[CODES[0]]["0-1"] = 3 if first.scores[CODES[0]]["0-1"] != 3 else 0
    path = files.csv_file(tmp_path / "v2", changed, encoding="cp932")
    plan = read_plan(workspace, path, fiscal_year=2025)
    assert [(c.code, c.action) for c in plan.changes] == [
        (CODES[0], "update"),
        (CODES[1], "unchanged"),
    ]
    assert list(plan.changes[0].scores) == ["0-1"]
    stored = apply_plan(workspace, plan)
    assert (len(stored.created), len(stored.updated)) == (0, 1)
    assert _survey_scores(workspace, 2025) == changed.scores


# -- problems --------------------------------------------------------------------------------


def test_bad_answers_are_located_and_nothing_is_written_until_excluded(
    workspace: Workspace, tmp_path: Path
) -> None:
    answers = files.answers_for(CODES, seed=7)
    path, expected = files.bad_answers(tmp_path, answers)
    plan = read_plan(workspace, path, fiscal_year=2025)
    found = {(p.row, p.column, p.value) for p in plan.problems}
    for problem in expected:
        if problem.item == "D2":
            continue  # a count of 2 for a D item is 3 (at least one), not an error
        assert (problem.row, problem.column, problem.value) in found, problem
    assert all(p.sheet and p.message for p in plan.problems)
    assert len(plan.problems) == len(expected) - 1
    with pytest.raises(ImportRefused):
        apply_plan(workspace, plan)
    assert workspace.assessments.list_records() == []

    excluded = plan_for(workspace, plan.survey, fiscal_year=2025, exclude_problem_rows=True)
    assert excluded.problems == []
    apply_plan(workspace, excluded)
    written = _survey_scores(workspace, 2025)
    bad_rows = {p.municipality for p in expected if p.municipality and p.item != "D2"}
    assert set(written) == set(CODES) - bad_rows
    d2_row = next(p for p in expected if p.item == "D2")
    assert written[str(d2_row.municipality)]["D2"] == 3


def test_two_answers_for_one_municipality_list_both_rows(
    workspace: Workspace, tmp_path: Path
) -> None:
    answers = files.answers_for(CODES, seed=8)
    path, duplicate = files.two_answers_for_one_municipality(tmp_path, answers)
    plan = read_plan(workspace, path, fiscal_year=2025)
    rows = [p.row for p in sorted(plan.problems, key=lambda p: p.row or 0)]
    assert rows == sorted(duplicate.rows)
    assert all(f"{duplicate.rows[0]} 行目" in p.message for p in plan.problems)
    keep_second = plan_for(
        workspace, plan.survey, fiscal_year=2025, exclude_rows={duplicate.rows[0]}
    )
    apply_plan(workspace, keep_second)
    assert _survey_scores(workspace, 2025)[duplicate.municipality] == duplicate.second


def test_formulas_never_calculated_are_problems_at_their_cells(tmp_path: Path) -> None:
    answers = files.answers_for(CODES[:4], seed=9)
    path, cells = files.formulas_without_cached_values(tmp_path, answers)
    survey = read_survey(path, catalog=load_catalog(), roster=ROSTER)
    assert {(p.row, p.column) for p in survey.problems} == {(c.row, c.column) for c in cells}
    assert all("Excel で開いて保存し直して" in p.message for p in survey.problems)


def test_an_unknown_fiscal_year_is_asked_for(workspace: Workspace, tmp_path: Path) -> None:
    path = files.csv_file(tmp_path, files.answers_for(CODES[:1]), encoding="utf-8")
    with pytest.raises(ImportRefused, match="年度"):
        read_plan(workspace, path)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: files.not_a_spreadsheet(d), "表計算のファイルではありません"),
        (lambda d: files.not_a_spreadsheet(d, kind="text"), "表計算のファイルではありません"),
        (files.corrupt_zip, "壊れています"),
        (files.password_protected, "パスワード"),
        (files.huge_file, "20 MB"),
        (files.claims_many_rows, "100,000 行"),
        (files.entity_bomb, "安全でない"),
        (files.external_entity, "安全でない"),
    ],
)
def test_broken_and_hostile_files_are_refused_plainly(
    workspace: Workspace, tmp_path: Path, make: Any, message: str
) -> None:
    path = make(tmp_path)
    with pytest.raises(SurveyFileError, match=message):
        read_plan(workspace, path, fiscal_year=2025)
    assert workspace.assessments.list_records() == []


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            for _ in range(410):  # 410 MB of zeros, a few hundred KB packed
                member.write(bytes(1024 * 1024))
    assert path.stat().st_size < 2 * 1024 * 1024
    with pytest.raises(SurveyFileError, match="展開すると大きすぎる"):
        read_survey(path, catalog=load_catalog(), roster=ROSTER)


def test_a_missing_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(SurveyFileError, match="見つかりません"):
        read_survey(tmp_path / "none.xlsx", catalog=load_catalog(), roster=ROSTER)


def test_a_sheet_without_items_says_what_is_missing(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("市町村,担当者\n和歌山市,田中\n", encoding="utf-8")
    with pytest.raises(SurveyFileError, match="調査項目の列が見つかりません"):
        read_survey(path, catalog=load_catalog(), roster=ROSTER)


def test_answered_on_comes_from_the_form_time(tmp_path: Path) -> None:
    answers = files.answers_for(CODES[:1])
    path = files.ms_forms_xlsx(tmp_path, answers, fiscal_year_date=date(2026, 3, 31))
    survey = read_survey(path, catalog=load_catalog(), roster=ROSTER)
    assert survey.rows[0].answered_on == date(2026, 3, 31) and survey.fiscal_year == 2025


def test_an_answer_dated_outside_the_recorded_years_is_a_problem_on_its_row(
    tmp_path: Path,
) -> None:
    """Its date would be the assessment's 実施日, which the domain refuses: the row says so
    where it is read, instead of the import failing when it is written."""
    answers = files.answers_for(CODES[:2], seed=1)
    path = files.ms_forms_xlsx(tmp_path, answers, fiscal_year_date=date(1925, 10, 20))
    survey = read_survey(path, catalog=load_catalog(), roster=ROSTER)
    assert [(p.row, p.column) for p in survey.problems] == [(2, "C"), (3, "C")]
    assert all("回答日 1925-10-20 は扱えません" in p.message for p in survey.problems)
    assert survey.fiscal_year is None  # not 1925, which no assessment can have
    assert not any(row.valid for row in survey.rows)
