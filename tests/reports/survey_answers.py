"""A small survey for the report tests: a definition over two pages with every question type,
and answers from a handful of municipalities (helpers, not tests)."""

from __future__ import annotations

from typing import Any

from dxdesk.services.workspace import Workspace

FISCAL_YEAR = 2024
WAKAYAMA, KAINAN, HASHIMOTO, MINABE, TANABE = "302015", "302023", "302031", "303917", "302066"


def question(
    code: str, page: int, section: str, text: str, kind: str, **more: Any
) -> dict[str, Any]:
    return {"code": code, "page": page, "section": section, "text": text, "type": kind, **more}


QUESTIONS = (
    question("Q1-1", 1, "DX推進体制", "DX推進計画を策定していますか", "scored", item="1-1"),
    question("Q1-2", 1, "DX推進体制", "DXの推進体制はどれですか", "single", choices="setup"),
    question("Q1-3", 1, "DX推進体制", "取り組んでいる分野（複数）", "multiple", choices="fields"),
    question("Q1-4", 1, "DX推進体制", "DX担当の職員数", "number", unit="人"),
    question("Q2-1", 2, "くらしづくり", "CIO を任命していますか", "yes_no"),
    question("Q2-2", 2, "くらしづくり", "計画の策定日", "date"),
    question("Q2-3", 2, "くらしづくり", "県へのご意見", "text"),
)
CHOICE_LISTS = {
    "setup": [
        {"value": "a", "label": "専任の部署"},
        {"value": "b", "label": "兼任の担当"},
        {"value": "c", "label": "体制なし"},
    ],
    "fields": [
        {"value": "w", "label": "窓口"},
        {"value": "f", "label": "防災"},
        {"value": "k", "label": "観光"},
    ],
}


def definition_json(
    questions: tuple[dict[str, Any], ...] = QUESTIONS, title: str = "令和6年度 DX調査"
) -> dict[str, Any]:
    return {
        "fiscal_year": FISCAL_YEAR,
        "prefecture": "和歌山県",
        "title": title,
        "catalog_version": "2024",
        "questions": list(questions),
        "choice_lists": CHOICE_LISTS,
    }


def load_definition(
    ws: Workspace,
    questions: tuple[dict[str, Any], ...] = QUESTIONS,
    title: str = "令和6年度 DX調査",
) -> str:
    record = ws.survey_definitions.add(
        {
            "fiscal_year": FISCAL_YEAR,
            "prefecture": "和歌山県",
            "title": title,
            "definition": definition_json(questions, title),
            "source_name": "定義.xlsx",
        }
    )
    return str(record["id"])


def add_response(
    ws: Workspace, code: str, answers: dict[str, Any], definition_id: str | None, **more: Any
) -> None:
    ws.survey_responses.add(
        {
            "municipality": code,
            "fiscal_year": FISCAL_YEAR,
            "definition": definition_id,
            "answers": answers,
            "respondent": "企画課 山田",
            "answered_on": "2024-05-07",
            "imported_on": "2024-05-10",
            "source_name": "回答.xlsx",
            **more,
        }
    )


# Wakayama, Kainan and Hashimoto lie in different regions from Minabe and Tanabe (日高, 西牟婁).
ANSWERS = {
    WAKAYAMA: {
        "Q1-1": 3,
        "Q1-2": "a",
        "Q1-3": ["w", "f"],
        "Q1-4": 12,
        "Q2-1": True,
        "Q2-2": "2023-03-31",
        "Q2-3": "研修の機会を増やしてほしい。",
    },
    KAINAN: {"Q1-1": 2, "Q1-2": "b", "Q1-3": ["w"], "Q1-4": 3, "Q2-1": False},
    HASHIMOTO: {"Q1-1": 0, "Q1-2": "b", "Q1-4": 5, "Q2-1": True},
    MINABE: {"Q1-1": 1, "Q1-2": "c", "Q1-3": ["k"], "Q1-4": 1, "Q2-3": "特になし"},
}


def add_survey(ws: Workspace) -> str:
    """The definition and the four municipalities' answers; returns the definition's id."""
    defined = load_definition(ws)
    for code, answers in ANSWERS.items():
        add_response(ws, code, answers, defined)
    return defined
