"""Who has answered a year's survey (from which file, when) and every answer as JSON, each
read under the definition it was imported with."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import update

from dxdesk.models.tables import MunicipalityRow, SurveyResponseRow
from dxdesk.services.survey_status import status_years, survey_responses, survey_status
from dxdesk.services.workspace import Workspace, open_workspace

WAKAYAMA, KAINAN, MINABE = "302015", "302023", "303917"


def definition(*questions: dict[str, Any], title: str = "令和6年度 DX調査") -> dict[str, Any]:
    return {
        "fiscal_year": 2024,
        "prefecture": "和歌山県",
        "title": title,
        "catalog_version": "2024",
        "questions": list(questions),
        "choice_lists": {
            "staffing": [{"value": "a", "label": "専任"}, {"value": "b", "label": "兼任"}]
        },
    }


def question(code: str, text: str, kind: str, **more: Any) -> dict[str, Any]:
    return {"code": code, "page": 1, "section": "DX推進体制", "text": text, "type": kind, **more}


QUESTIONS = (
    question("Q1", "DX推進計画を策定していますか", "scored", item="1-1"),
    question("Q2", "推進体制", "single", choices="staffing"),
    question("Q3", "取り組んでいる体制（複数）", "multiple", choices="staffing"),
    question("Q4", "DX担当の職員数", "number", unit="人"),
    question("Q5", "CIO を任命していますか", "yes_no"),
    question("Q6", "ご意見", "text"),
)


def load_definition(ws: Workspace, *questions: dict[str, Any], title: str = "R6") -> str:
    record = ws.survey_definitions.add(
        {
            "fiscal_year": 2024,
            "prefecture": "和歌山県",
            "title": title,
            "definition": definition(*questions, title=title),
            "source_name": f"{title}.xlsx",
        }
    )
    return str(record["id"])


def add_response(
    ws: Workspace, code: str, answers: dict[str, Any], definition_id: str | None, **more: Any
) -> None:
    ws.survey_responses.add(
        {
            "municipality": code,
            "fiscal_year": 2024,
            "definition": definition_id,
            "answers": answers,
            "respondent": "企画課 山田",
            "answered_on": "2024-05-07",
            "imported_on": "2024-05-10",
            "source_name": "回答.xlsx",
            **more,
        }
    )


def test_status_names_who_answered_from_which_file_and_when(workspace: Workspace) -> None:
    ws = workspace
    defined = load_definition(ws, *QUESTIONS)
    add_response(ws, WAKAYAMA, {"Q1": 3, "Q2": "a", "Q6": "特になし"}, defined)
    add_response(ws, MINABE, {"Q1": 0}, defined, source_name="みなべ.csv", answered_on="2024-06-01")
    ws.survey_responses.add(  # another year's answer does not count for 2024
        {"municipality": KAINAN, "fiscal_year": 2023, "answers": {"Q1": 1}}
    )

    status = survey_status(ws, 2024)

    assert len(status.municipalities) == 30
    assert [m.name for m in status.answered] == ["和歌山市", "みなべ町"]
    assert len(status.not_answered) == 28
    assert "海南市" in [m.name for m in status.not_answered]
    wakayama = status.answered[0]
    assert (wakayama.source_name, wakayama.answered_on, wakayama.imported_on) == (
        "回答.xlsx",
        date(2024, 5, 7),
        date(2024, 5, 10),
    )
    assert (wakayama.respondent, wakayama.answered_questions, wakayama.questions) == (
        "企画課 山田",
        3,
        6,
    )
    assert wakayama.region == "海草"
    minabe = status.answered[1]
    assert (minabe.source_name, minabe.answered_on) == ("みなべ.csv", date(2024, 6, 1))
    data = status.as_json()
    assert data["counts"] == {"municipalities": 30, "answered": 2, "not_answered": 28}
    assert data["definition"]["origin"] == "loaded"
    assert data["definition"]["questions"] == 6
    assert data["not_answered"][0] == "海南市"
    assert data["municipalities"][1]["answered"] is False
    assert data["municipalities"][1]["source_name"] is None


def test_status_lists_only_this_laptops_municipalities(workspace: Workspace) -> None:
    with workspace.store.session() as session, session.begin():
        session.execute(
            update(MunicipalityRow).values(assigned=MunicipalityRow.code.in_([WAKAYAMA, KAINAN]))
        )
    add_response(workspace, WAKAYAMA, {"Q1": 3}, None)

    status = survey_status(workspace.store, 2024)

    assert [(m.name, m.answered) for m in status.municipalities] == [
        ("和歌山市", True),
        ("海南市", False),
    ]


def test_years_offered_are_those_answered_and_this_one(workspace: Workspace) -> None:
    add_response(workspace, WAKAYAMA, {"Q1": 3}, None)
    assert status_years(workspace, today=date(2026, 4, 1)) == [2026, 2024]
    assert status_years(workspace, today=date(2024, 4, 1)) == [2024]


def test_responses_carry_question_texts_values_and_labels(workspace: Workspace) -> None:
    ws = workspace
    defined = load_definition(ws, *QUESTIONS)
    answers = {"Q6": "特になし", "Q1": 3, "Q2": "a", "Q3": ["b", "a"], "Q4": 2.0, "Q5": False}
    add_response(ws, WAKAYAMA, answers, defined)
    add_response(ws, MINABE, {"Q5": True}, defined)

    listed = survey_responses(ws, 2024)

    assert [r["name"] for r in listed] == ["和歌山市", "みなべ町"]
    wakayama = listed[0]
    assert (wakayama["respondent"], wakayama["answered_on"], wakayama["source_name"]) == (
        "企画課 山田",
        "2024-05-07",
        "回答.xlsx",
    )
    assert wakayama["definition"]["id"] == defined
    assert list(wakayama["answers"]) == ["Q1", "Q2", "Q3", "Q4", "Q5", "Q6"]  # survey order
    shown = {
        code: (a["question"], a["value"], a["label"]) for code, a in wakayama["answers"].items()
    }
    assert shown == {
        "Q1": ("DX推進計画を策定していますか", 3, "3 推進している"),
        "Q2": ("推進体制", "a", "専任"),
        "Q3": ("取り組んでいる体制（複数）", ["b", "a"], "兼任、専任"),
        "Q4": ("DX担当の職員数", 2.0, "2人"),
        "Q5": ("CIO を任命していますか", False, "いいえ"),
        "Q6": ("ご意見", "特になし", "特になし"),
    }
    only = survey_responses(ws, 2024, MINABE)
    assert [(r["name"], r["answers"]["Q5"]["label"]) for r in only] == [("みなべ町", "はい")]
    assert survey_responses(ws, 2024, KAINAN) == []


def test_an_answer_keeps_the_wording_of_the_definition_it_was_read_under(
    workspace: Workspace,
) -> None:
    ws = workspace
    older = load_definition(
        ws,
        question("Q1", "旧: 計画を策定していますか", "scored", item="1-1"),
        question("Q9", "廃止した設問", "text"),
        title="R6 第1版",
    )
    add_response(ws, WAKAYAMA, {"Q1": 2, "Q9": "旧の回答"}, older)
    newer = load_definition(ws, *QUESTIONS, title="R6 第2版")
    # Imported under the newer one, with an answer to a question it no longer has.
    add_response(ws, MINABE, {"Q1": 1, "Q9": "残った値"}, newer)

    by_name = {r["name"]: r for r in survey_responses(ws, 2024)}

    wakayama = by_name["和歌山市"]["answers"]
    assert wakayama["Q1"]["question"] == "旧: 計画を策定していますか"
    assert wakayama["Q9"]["question"] == "廃止した設問"
    assert by_name["和歌山市"]["definition"]["title"] == "R6 第1版"
    minabe = by_name["みなべ町"]["answers"]
    assert minabe["Q1"]["question"] == "DX推進計画を策定していますか"
    assert minabe["Q9"] == {
        "question": None,
        "type": None,
        "page": None,
        "section": None,
        "value": "残った値",
        "label": "残った値",
    }
    # The status counts answers to the response's own definition's questions.
    status = {m.name: m for m in survey_status(ws, 2024).answered}
    assert (status["和歌山市"].answered_questions, status["和歌山市"].questions) == (2, 2)
    assert (status["みなべ町"].answered_questions, status["みなべ町"].questions) == (1, 6)
    assert survey_status(ws, 2024).definition.title == "R6 第2版"


def test_a_year_without_a_definition_reads_the_catalogs_items(workspace: Workspace) -> None:
    # 2030: no definition loaded, none shipped.
    add_response(workspace, WAKAYAMA, {"1-1": 3, "2-1": 9}, None, fiscal_year=2030)

    status = survey_status(workspace, 2030)
    assert status.definition.origin == "catalog"
    assert status.definition.questions == 26
    assert [(m.name, m.answered_questions) for m in status.answered] == [("和歌山市", 2)]

    answers = survey_responses(workspace, 2030)[0]["answers"]
    assert answers["1-1"]["label"] == "3 推進している"
    assert answers["2-1"]["label"] == "9"  # off the scale: shown as stored, not hidden


def test_two_responses_of_one_year_show_the_one_the_server_took_last_and_name_the_other(
    tmp_path: Path,
) -> None:
    ws = open_workspace(tmp_path / "dup")
    try:
        first = ws.survey_responses.add(
            {
                "municipality": "302015",
                "fiscal_year": 2024,
                "answers": {"1-1": 3},
                "source_name": "一回目.xlsx",
                "answered_on": "2024-09-01",
            }
        )["id"]
        second = ws.survey_responses.add(
            {
                "municipality": "302015",
                "fiscal_year": 2024,
                "answers": {"1-1": 2},
                "source_name": "二回目.xlsx",
                "answered_on": "2024-05-01",
            }
        )["id"]
        with ws.store.transaction() as session:  # as two laptops' imports, in the server's order
            session.execute(
                update(SurveyResponseRow).where(SurveyResponseRow.id == first).values(server_rev=7)
            )
            session.execute(
                update(SurveyResponseRow).where(SurveyResponseRow.id == second).values(server_rev=9)
            )
        [wakayama] = [m for m in survey_status(ws, 2024).municipalities if m.code == "302015"]
        assert (wakayama.response_id, wakayama.source_name) == (second, "二回目.xlsx")
        assert wakayama.duplicates == ((first, "一回目.xlsx"),)
        assert wakayama.as_json()["duplicates"] == [
            {"response": first, "source_name": "一回目.xlsx"}
        ]
    finally:
        ws.close()
