"""Import keeps every answer: a Forms export of the whole survey is read under the year's
definition, every answer is stored per municipality with the file it came from, the scored
ones still make the survey assessment, and bad cells and unmapped columns are located."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from dxdesk.domain.catalog import load_catalog
from dxdesk.domain.roster import load_roster
from dxdesk.domain.survey_definition import SurveyDefinition
from dxdesk.imports.answer_cells import AnswerError, parse_cell
from dxdesk.imports.plan import ImportRefused, apply_plan, plan_for, read_plan
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


def _cell(code: str, raw: object, definition: SurveyDefinition = SMALL) -> object:
    return parse_cell(definition.question(code), definition, CATALOG, raw)


def _survey_scores(workspace: Workspace) -> dict[str, dict[str, int]]:
    return {
        a["municipality"]: a["scores"]
        for a in workspace.assessments.list_records()
        if a["method"] == "survey"
    }


# -- one cell of each type ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "raw", "value"),
    [
        ("0-1", "推進している", 3),
        ("0-1", "  ", None),
        ("Q1", "副首長", "deputy"),
        ("Q1", "ＨＥＡＤ", "head"),  # a choice's value, full-width
        ("Q1", "2", "deputy"),  # its position: no choice is written as a number
        ("Q1", "3 部長級", "head"),
        ("Q2", "地域交通;防災;", ["disaster", "transport"]),  # Forms' 「A;B;」, the list's order
        ("Q2", "防災、子育て・教育", ["disaster", "children"]),
        ("Q2", "防災\n地域交通", ["disaster", "transport"]),
        ("Q3", 12, 12),
        ("Q3", 2.5, 2.5),
        ("Q3", "１，２３４", 1234),
        ("Q3", "3.0", 3.0),
        ("Q4", "はい", True),
        ("Q4", "×", False),
        ("Q4", True, True),
        ("Q4", "FALSE", False),
        ("Q4", "ある", True),  # the D items' words: one list for both
        ("Q4", "-", False),
        ("Q5", datetime(2024, 5, 7, 9, 30), "2024-05-07"),
        ("Q5", date(2024, 5, 7), "2024-05-07"),
        ("Q5", "2024/5/7", "2024-05-07"),
        ("Q5", "2024-05-07", "2024-05-07"),
        ("Q5", "R6.5.7", "2024-05-07"),
        ("Q5", "令和6年5月7日", "2024-05-07"),
        ("Q5", "令和元年5月1日", "2019-05-01"),
        ("Q6", "  特になし ", "特になし"),
        ("Q6", 42, "42"),
    ],
)
def test_a_cell_of_each_type_is_read(code: str, raw: object, value: object) -> None:
    assert _cell(code, raw) == value


@pytest.mark.parametrize(
    ("code", "raw", "says"),
    [
        (
            "Q1",
            "課長級",
            "「課長級」は設問 Q1 の選択肢にありません。"
            "次のどれかを書いてください: 首長、副首長、部長級",
        ),
        ("Q1", "4", "選択肢にありません"),
        ("Q1", "2 部長級", "食い違っています"),
        ("Q2", "防災;観光;", "選択肢「観光」は設問 Q2 の定義にありません"),
        ("Q3", "3人", "数値だけを書いてください（例: 3。単位「人」は不要です）"),
        ("Q3", -1, "「-1」は設問 Q3 の範囲外です。0 以上の数値を書いてください"),
        ("Q3", "-2.5", "範囲外です"),
        ("Q3", "約10", "数値として読めません"),
        ("Q3", datetime(2024, 1, 1), "数値ではありません"),
        ("Q4", "たぶん", "「はい」か「いいえ」"),
        ("Q5", "2024/2/30", "という日付はありません"),
        ("Q5", "来年", "日付として読めません"),
        ("0-1", "とても", "項目 0-1 の回答として読めません"),
    ],
)
def test_a_bad_cell_says_what_is_wrong(code: str, raw: object, says: str) -> None:
    with pytest.raises(AnswerError, match=re_escape(says)):
        _cell(code, raw)


def re_escape(text: str) -> str:
    import re

    return re.escape(text)


def test_a_position_is_refused_when_a_choice_is_written_as_a_number() -> None:
    numbered = whole.small_definition(CATALOG)
    lists = dict(numbered.choice_lists)
    lists["rank"] = tuple(
        type(c)(v, c.label) for c, v in zip(lists["rank"], ("3", "2", "1"), strict=True)
    )
    numbered = SurveyDefinition(
        numbered.fiscal_year, "", "", numbered.questions, lists, numbered.catalog_version
    )
    assert _cell("Q1", "1", numbered) == "1"  # the value "1" (部長級), not the first choice
    assert _cell("Q1", "首長", numbered) == "3"


# -- the whole survey -----------------------------------------------------------------------


def test_a_forms_export_of_the_years_definition_keeps_every_answer(
    workspace: Workspace, tmp_path: Path
) -> None:
    """Whatever the year's definition is (the shipped R6 one, or the catalog's items), a Forms
    export of all its questions comes in whole, and again changes nothing."""
    stored = year_definition(workspace.store, 2024, CATALOG)
    definition = stored.definition
    export = whole.forms_export_xlsx(tmp_path, definition, CATALOG, ROSTER[:5])
    plan = read_plan(workspace, export.path)  # FY2024 from 開始時刻 (2024-10-20)
    assert plan.problems == [] and plan.fiscal_year == 2024
    roles = [c.as_json() for c in plan.survey.columns]
    assert [r["role"] for r in roles[:7]] == [
        "meta",
        "time",
        "time",
        "meta",
        "respondent",
        "meta",
        "name",
    ]
    assert [r["question"] for r in roles[7:]] == [q.code for q in definition.questions]
    assert not any(r["doubtful"] for r in roles)
    assert plan.as_json()["answers"] == 5 * len(definition.questions)
    assert {r.code: r.answers for r in plan.rows} == export.expected

    apply_plan(workspace, plan)
    responses = responses_for_year(workspace.store, 2024)
    assert {r.municipality: r.answers for r in responses} == export.expected
    first = responses[0]
    assert (first.source_name, first.source_sha256) == ("forms.xlsx", plan.survey.sha256)
    assert first.definition_id == stored.ref and first.imported_on == date.today()
    assert first.respondent == export.respondents[first.municipality]
    assert first.answered_on == date(2024, 10, 20)
    scored = {q.code: q.item for q in definition.questions if q.type == "scored"}
    assert _survey_scores(workspace) == {
        code: {scored[q]: v for q, v in answers.items() if q in scored}
        for code, answers in export.expected.items()
    }

    pending = workspace.store.pending_record_count()
    again = read_plan(workspace, export.path)
    assert again.earlier is not None and {c.action for c in again.changes} == {"unchanged"}
    assert apply_plan(workspace, again).responses_created == []
    assert workspace.store.pending_record_count() == pending
    assert responses_for_year(workspace.store, 2024) == responses


def test_a_loaded_definition_reads_the_file_and_its_id_is_kept(
    workspace: Workspace, tmp_path: Path
) -> None:
    record = workspace.survey_definitions.add(whole.definition_record(SMALL))
    export = whole.forms_export_xlsx(tmp_path, SMALL, CATALOG, ROSTER[:2])
    plan = read_plan(workspace, export.path, fiscal_year=2024)
    assert plan.problems == [] and plan.as_json()["definition"]["id"] == record["id"]
    apply_plan(workspace, plan)
    [one, two] = responses_for_year(workspace.store, 2024)
    assert one.definition_id == record["id"]
    assert {one.municipality: one.answers, two.municipality: two.answers} == export.expected


def test_bad_cells_are_located_and_their_rows_can_be_left_out(
    workspace: Workspace, tmp_path: Path
) -> None:
    workspace.survey_definitions.add(whole.definition_record(SMALL))
    bad = {(0, "Q1"): "課長級", (1, "Q2"): "防災;観光;", (2, "Q3"): "3人"}
    export = whole.forms_export_xlsx(tmp_path, SMALL, CATALOG, ROSTER[:4], cells=bad)
    plan = read_plan(workspace, export.path)
    letters = {q: export.headers.index(SMALL.question(q).text) for q in ("Q1", "Q2", "Q3")}
    from dxdesk.imports.workbook import column_letter

    assert sorted((p.sheet, p.row, p.column, p.value) for p in plan.problems) == [
        ("Sheet1", 2, column_letter(letters["Q1"]), "課長級"),
        ("Sheet1", 3, column_letter(letters["Q2"]), "防災;観光;"),
        ("Sheet1", 4, column_letter(letters["Q3"]), "3人"),
    ]
    with pytest.raises(ImportRefused):
        apply_plan(workspace, plan)
    assert responses_for_year(workspace.store, 2024) == []
    kept = plan_for(
        workspace,
        plan.survey,
        fiscal_year=None,
        exclude_problem_rows=True,
        definition=plan.definition,
    )
    apply_plan(workspace, kept)
    assert [r.municipality for r in responses_for_year(workspace.store, 2024)] == [ROSTER[3].code]


def test_an_unmapped_column_waits_until_it_is_mapped_or_left_out(
    workspace: Workspace, tmp_path: Path
) -> None:
    workspace.survey_definitions.add(whole.definition_record(SMALL))
    extra: dict[str, list[whole.Cell]] = {
        "所属部署の電話番号": ["073-000-0000", "073-000-0001"],
        "": [None, "メモ"],
    }
    export = whole.forms_export_xlsx(tmp_path, SMALL, CATALOG, ROSTER[:2], extra=extra)
    plan = read_plan(workspace, export.path)
    phone, blank = len(export.headers) - 2, len(export.headers) - 1
    from dxdesk.imports.workbook import column_letter

    letter = column_letter(phone)
    assert [(p.row, p.column) for p in plan.problems] == [
        (None, letter),
        (None, column_letter(blank)),  # no header, but a value under it
    ]
    assert plan.problems[0].message == (
        f"列 {letter}「所属部署の電話番号」はどの設問にも当たりません。--column {letter}=<設問番号>"
        f" で割り当てるか、--column {letter}=- で取り込まないことを選んでください"
    )
    assert [c["role"] for c in plan.as_json()["columns"][-2:]] == ["unmapped", "unmapped"]
    with pytest.raises(ImportRefused):
        apply_plan(workspace, plan)

    mapped = read_plan(workspace, export.path, overrides={phone: "q6", blank: None})
    assert mapped.problems == []
    assert [c.role for c in mapped.survey.columns[-2:]] == ["question", "ignored"]
    with pytest.raises(Exception, match="設問番号にも項目番号にもありません"):
        read_plan(workspace, export.path, overrides={phone: "Q99"})
    decided = read_plan(workspace, export.path, overrides={phone: None, blank: None})
    apply_plan(workspace, decided)
    assert len(responses_for_year(workspace.store, 2024)) == 2


def test_a_row_without_a_scored_answer_still_stores_its_response(
    workspace: Workspace, tmp_path: Path
) -> None:
    workspace.survey_definitions.add(whole.definition_record(SMALL))
    blanks: dict[tuple[int, str], Any] = {(0, code): None for code in ("0-1", "0-3", "1-1")}
    blanks |= {(1, q.code): None for q in SMALL.questions}
    export = whole.forms_export_xlsx(tmp_path, SMALL, CATALOG, ROSTER[:2], cells=blanks)
    plan = read_plan(workspace, export.path)
    assert plan.as_json()["unanswered"] == [ROSTER[1].code]  # nothing answered at all
    stored = apply_plan(workspace, plan)
    assert stored.created == [] and len(stored.responses_created) == 1
    [response] = responses_for_year(workspace.store, 2024)
    assert set(response.answers) == {"Q1", "Q2", "Q3", "Q4", "Q5", "Q6"}


def test_a_new_file_replaces_the_answers_of_its_columns(
    workspace: Workspace, tmp_path: Path
) -> None:
    workspace.survey_definitions.add(whole.definition_record(SMALL))
    first = whole.forms_export_xlsx(tmp_path / "1", SMALL, CATALOG, ROSTER[:1])
    apply_plan(workspace, read_plan(workspace, first.path))
    [before] = responses_for_year(workspace.store, 2024)
    second = whole.forms_export_xlsx(
        tmp_path / "2", SMALL, CATALOG, ROSTER[:1], cells={(0, "Q6"): None, (0, "Q4"): "いいえ"}
    )
    plan = read_plan(workspace, second.path)
    [change] = plan.changes
    assert change.action == "update" and change.response_id == before.id
    assert change.answers == {"Q4": (True, False), "Q6": ("回答 0 の内容", None)}
    assert change.scores == {}
    apply_plan(workspace, plan)
    [after] = responses_for_year(workspace.store, 2024)
    assert after.id == before.id and "Q6" not in after.answers and after.answers["Q4"] is False
    assert after.source_sha256 == plan.survey.sha256
