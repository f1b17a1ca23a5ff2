"""The answer sheet filled in as a municipality would and imported: every answer comes back."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import load_workbook

from dxdesk.domain.catalog import load_catalog
from dxdesk.imports.plan import apply_plan, read_plan
from dxdesk.imports.template import ANSWERS_SHEET, template_municipalities, write_template
from dxdesk.services.survey_definitions import year_definition
from dxdesk.services.survey_responses import responses_for_year
from dxdesk.services.workspace import Workspace

FY = 2025
STAFFING = [("dept", "専任の部署がある"), ("duty", "兼任の担当者がいる"), ("ext", "外部人材")]
QUESTIONS = [
    {"code": "Q1", "page": 1, "text": "推進体制はどれですか", "type": "single", "choices": "staff"},
    {"code": "Q2", "page": 1, "text": "活用している人材", "type": "multiple", "choices": "staff"},
    {"code": "Q3", "page": 2, "text": "DX担当の職員数", "type": "number", "unit": "人"},
    {"code": "Q4", "page": 2, "text": "CIO を任命していますか", "type": "yes_no", "required": True},
    {"code": "Q5", "page": 3, "text": "計画を策定した日", "type": "date"},
    {"code": "Q6", "page": 3, "text": "ご意見", "type": "text"},
    {"code": "0-1", "page": 4, "text": "首長のDX推進への関与", "type": "scored", "item": "0-1"},
    {
        "code": "D1",
        "page": 4,
        "text": "首長・副首長との意見交換実施",
        "type": "scored",
        "item": "D1",
    },
]


def _load_definition(workspace: Workspace) -> str:
    definition = {
        "fiscal_year": FY,
        "prefecture": "和歌山県",
        "title": "R7 調査",
        "questions": QUESTIONS,
        "choice_lists": {"staff": [{"value": v, "label": label} for v, label in STAFFING]},
    }
    record = workspace.survey_definitions.add(
        {
            "fiscal_year": FY,
            "prefecture": "和歌山県",
            "title": "R7 調査",
            "definition": definition,
            "source_name": "R7定義.xlsx",
        }
    )
    return str(record["id"])


def test_a_filled_in_sheet_imports_every_answer(workspace: Workspace, tmp_path: Path) -> None:
    definition_id = _load_definition(workspace)
    catalog = load_catalog()
    stored = year_definition(workspace.store, FY, catalog)
    assert stored.id == definition_id
    path = write_template(
        tmp_path / "回答票.xlsx",
        definition=stored.definition,
        catalog=catalog,
        municipalities=template_municipalities(workspace),
        fiscal_year=FY,
    )
    book = load_workbook(path)
    ws = book[ANSWERS_SHEET]
    # 和歌山市 (row 2) answers everything, as the drop-downs and the input message ask.
    for column, value in zip(
        "EFGHIJKL",  # after 市町村コード, 市町村名, 回答者, 回答日
        [
            "兼任の担当者がいる",
            "専任の部署がある;外部人材;",  # as Microsoft Forms writes it
            12,
            "はい",
            date(2024, 11, 1),
            "庁内の人材育成を進めたい。\n研修の機会がほしい。",
            "3 推進している",
            "0 実績が無い",
        ],
        strict=True,
    ):
        ws[f"{column}2"] = value
    ws["C2"], ws["D2"] = "企画課 山田", date(FY, 9, 2)  # who answered, and when
    ws["H3"] = "いいえ"  # 海南市 answers one question only
    book.save(path)

    plan = read_plan(workspace, path)
    assert plan.problems == []
    assert plan.fiscal_year == FY
    apply_plan(workspace, plan)

    wakayama, kainan = responses_for_year(workspace.store, FY)
    assert (wakayama.name, kainan.name) == ("和歌山市", "海南市")
    assert wakayama.definition_id == definition_id and wakayama.source_name == "回答票.xlsx"
    assert wakayama.answers == {
        "Q1": "duty",
        "Q2": ["dept", "ext"],
        "Q3": 12,
        "Q4": True,
        "Q5": "2024-11-01",
        "Q6": "庁内の人材育成を進めたい。\n研修の機会がほしい。",
        "0-1": 3,
        "D1": 0,
    }
    assert kainan.answers == {"Q4": False}
    assert (wakayama.respondent, wakayama.answered_on) == ("企画課 山田", date(FY, 9, 2))
    assert (kainan.respondent, kainan.answered_on) == ("", None)
    # The scored answers still make the survey assessment.
    [assessment] = [
        a
        for a in workspace.assessments.list_records()
        if a["municipality"] == wakayama.municipality
    ]
    assert assessment["scores"] == {"0-1": 3, "D1": 0}
