"""The answer sheet of the shipped R6 definition: its 66 questions over 9 pages, each checked as its
type asks, every answer imported back, and ``dxdesk survey-template`` naming the definition."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from dxdesk.cli.main import main
from dxdesk.domain.catalog import load_catalog
from dxdesk.domain.roster import load_roster
from dxdesk.imports.plan import apply_plan, read_plan
from dxdesk.imports.template import (
    ANSWERS_SHEET,
    CHOICES_SHEET,
    FIRST_ITEM_COLUMN,
    question_header,
    scale_choices,
    template_municipalities,
    write_template,
)
from dxdesk.services.survey_definitions import shipped_definition
from dxdesk.services.survey_responses import responses_for_year
from dxdesk.services.workspace import Workspace

_SHIPPED = shipped_definition(2024)
assert _SHIPPED is not None
SHIPPED = _SHIPPED
DEFINITION = SHIPPED.definition
# What a question's cells are checked with.
VALIDATION = {
    "scored": "list",
    "single": "list",
    "yes_no": "list",
    "multiple": "textLength",
    "text": "textLength",
    "number": "decimal",
    "date": "date",
}


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = tmp_path_factory.mktemp("shipped") / "回答票.xlsx"
    write_template(
        path,
        definition=DEFINITION,
        catalog=load_catalog(),
        municipalities=load_roster(),
        fiscal_year=2024,
    )
    return load_workbook(path)


def test_every_question_of_the_r6_survey_in_order(book: Any) -> None:
    assert len(DEFINITION.questions) == 66 and len(DEFINITION.pages) == 9
    ws = book[ANSWERS_SHEET]
    headers = [c.value for c in ws[1]]
    assert headers[4:] == [question_header(q) for q in DEFINITION.questions]
    assert ws.max_row == 31
    scored = [q for q in DEFINITION.questions if q.type == "scored"]
    assert len(scored) == 26
    assert all(headers[4 + DEFINITION.questions.index(q)].startswith(q.code) for q in scored)


def test_each_question_is_checked_as_its_type_asks(book: Any) -> None:
    ws = book[ANSWERS_SHEET]
    validations = ws.data_validations.dataValidation
    for column, question in enumerate(DEFINITION.questions, start=FIRST_ITEM_COLUMN):
        cell = f"{get_column_letter(column)}31"
        [dv] = [dv for dv in validations if cell in dv.sqref]
        assert dv.type == VALIDATION[question.type], question.code
        assert len(dv.error) <= 255 and len(dv.prompt or "") <= 255
        if question.type == "single":
            sheet, cells = dv.formula1.split("!")
            assert sheet == f"'{CHOICES_SHEET}'"
            listed = [r[0].value for r in book[CHOICES_SHEET][cells.replace("$", "")]]
            assert listed == [c.label for c in DEFINITION.choices_of(question)]
        if question.type == "multiple":
            assert dv.showInputMessage and "「;」で区切って" in dv.prompt
        if question.type == "number":
            assert question.unit and f"単位: {question.unit}" in dv.error


def test_the_command_names_the_shipped_definition(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "回答票.xlsx"
    args = ["--data-dir", str(tmp_path / "data"), "survey-template", "-o", str(target)]
    assert main([*args, "--fiscal-year", "R6"]) == 0
    out = capsys.readouterr().out
    assert "R6 (2024) の回答票を作りました" in out
    assert f"設問: 66 問（同梱の定義「{SHIPPED.source_name}」）" in out
    assert SHIPPED.source_name == "definition-2024-wakayama.json"


def test_every_answer_of_the_r6_sheet_comes_back_on_import(
    workspace: Workspace, tmp_path: Path
) -> None:
    catalog = load_catalog()
    path = write_template(
        tmp_path / "回答票.xlsx",
        definition=DEFINITION,
        catalog=catalog,
        municipalities=template_municipalities(workspace),
        fiscal_year=2024,
    )
    book = load_workbook(path)
    ws = book[ANSWERS_SHEET]
    expected: dict[str, object] = {}
    for column, question in enumerate(DEFINITION.questions, start=FIRST_ITEM_COLUMN):
        cell, choices = ws.cell(2, column), DEFINITION.choices_of(question)
        match question.type:
            case "scored":
                cell.value = scale_choices(catalog.item(question.item or "").scale)[-1]
                expected[question.code] = 0
            case "single":
                cell.value, expected[question.code] = choices[-1].label, choices[-1].value
            case "multiple":
                cell.value = "".join(c.label + ";" for c in choices[:2])
                expected[question.code] = [c.value for c in choices[:2]]
            case "number":
                cell.value, expected[question.code] = 7, 7
            case "yes_no":
                cell.value, expected[question.code] = "いいえ", False
            case "date":
                cell.value, expected[question.code] = date(2024, 6, 3), "2024-06-03"
            case _:
                cell.value = expected[question.code] = f"{question.code} の回答"
    book.save(path)
    plan = read_plan(workspace, path)
    assert plan.problems == []
    apply_plan(workspace, plan)
    [response] = responses_for_year(workspace.store, 2024)
    assert response.municipality == load_roster()[0].code
    assert response.answers == expected
