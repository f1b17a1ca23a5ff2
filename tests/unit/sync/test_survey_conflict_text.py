"""A conflict on a survey's answers or definition reads as answers and definitions, not JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dxdesk.domain.survey_definition import Choice, Question, SurveyDefinition
from dxdesk.services.workspace import open_workspace
from dxdesk.ui.sync_conflict_text import (
    DIFFERENCES_SHOWN,
    describe_record,
    difference_text,
    record_text,
    value_text,
)


def _definition(title: str, *extra: Question) -> dict[str, Any]:
    return SurveyDefinition(
        fiscal_year=2024,
        prefecture="和歌山県",
        title=title,
        questions=(
            Question("Q1", 1, "DX推進体制", "DX推進計画を策定していますか", "scored", item="1-1"),
            Question("Q2", 1, "DX推進体制", "DX担当の職員数", "number", unit="人"),
            Question("Q3", 2, "くらしづくり", "導入済みの手続", "multiple", choices="procs"),
            *extra,
        ),
        choice_lists={
            "procs": (Choice("online", "オンライン申請"), Choice("cashless", "キャッシュレス"))
        },
    ).as_json()


def test_an_answers_conflict_names_the_questions_that_differ_with_both_values() -> None:
    theirs = {"Q1": 2, "Q2": 3, "Q3": ["online", "cashless"], "Q4": True, "Q5": "同じ"}
    mine = {"Q1": 2, "Q2": 4.5, "Q3": ["online"], "Q4": False, "Q5": "同じ", "Q6": "追記"}
    assert difference_text("survey_response", "answers", theirs, mine) == (
        "回答が 4 問で異なります（Q2、Q3、Q4、Q6）\n"
        "Q2: 相手「3」／自分「4.5」\n"
        "Q3: 相手「online、cashless」／自分「online」\n"
        "Q4: 相手「はい」／自分「いいえ」\n"
        "Q6: 相手「（未回答）」／自分「追記」"
    )
    # Each side's own view: how many answers, one line each.
    assert value_text("survey_response", "answers", theirs) == (
        "5 問の回答\nQ1: 2\nQ2: 3\nQ3: online、cashless\nQ4: はい\nQ5: 同じ"
    )


def test_many_differing_answers_are_counted_past_the_first_ones_and_long_text_cut() -> None:
    theirs = {f"Q{n}": n for n in range(DIFFERENCES_SHOWN + 5)}
    mine = {**{f"Q{n}": n + 1 for n in range(DIFFERENCES_SHOWN + 5)}, "Q0": "長い記述。" * 30}
    text = difference_text("survey_response", "answers", theirs, mine)
    lines = text.splitlines()
    assert lines[0].startswith(f"回答が {DIFFERENCES_SHOWN + 5} 問で異なります（Q0、Q1、")
    assert len(lines) == 1 + DIFFERENCES_SHOWN + 1 and lines[-1] == "ほか 5 件"
    assert lines[1].endswith("…」") and len(lines[1]) < 80


def test_a_definition_conflict_shows_both_titles_sizes_and_what_differs() -> None:
    theirs = _definition("令和6年度 DX推進状況調査")
    mine = _definition(
        "令和6年度 DX推進状況調査（改訂）",
        Question("D1", 3, "社会づくり", "地域のデジタル人材育成", "yes_no"),
    )
    assert value_text("survey_definition", "definition", mine) == (
        "「令和6年度 DX推進状況調査（改訂）」（R6 (2024)、和歌山県）\n"
        "4 問・3 ページ（採点項目 1 問）、選択肢リスト 1 個"
    )
    text = difference_text("survey_definition", "definition", theirs, mine)
    assert text.splitlines()[:3] == [
        "相手の定義: 「令和6年度 DX推進状況調査」 3 問",
        "自分の定義: 「令和6年度 DX推進状況調査（改訂）」 4 問",
        "相手の定義から自分の定義への違い（1 件）:",
    ]
    assert text.splitlines()[3].startswith("D1 追加: 3 ページ「社会づくり」")
    # A definition that cannot be read is said so, the other still shown.
    broken = difference_text("survey_definition", "definition", {"questions": []}, mine)
    assert broken.splitlines()[0] == "相手の定義: （読めない定義）"


def test_a_refused_definition_reads_with_its_source_file() -> None:
    mine = {
        "op": "create",
        "fiscal_year": 2024,
        "title": "独自の調査",
        "definition": _definition("独自の調査"),
        "source_name": "my-copy.xlsx",
    }
    assert record_text("survey_definition", mine) == (
        "年度: R6 (2024)\n"
        "調査名: 独自の調査\n"
        "設問と選択肢: 「独自の調査」（R6 (2024)、和歌山県）\n"
        "3 問・2 ページ（採点項目 1 問）、選択肢リスト 1 個\n"
        "元のファイル: my-copy.xlsx"
    )


def test_other_fields_have_no_difference_text() -> None:
    assert difference_text("survey_response", "respondent", "企画課", "総務課") == ""
    assert difference_text("visit", "title", "a", "b") == ""
    assert difference_text("survey_response", "no-such-field", {}, {}) == ""


def test_a_definition_is_named_by_its_title_and_a_response_by_its_municipality(
    tmp_path: Path,
) -> None:
    ws = open_workspace(tmp_path / "data")
    try:
        definition = ws.survey_definitions.add(
            {
                "fiscal_year": 2024,
                "prefecture": "和歌山県",
                "title": "令和6年度 DX推進状況調査",
                "definition": _definition("令和6年度 DX推進状況調査"),
            }
        )["id"]
        response = ws.survey_responses.add(
            {"municipality": "302023", "fiscal_year": 2024, "answers": {"Q1": 2}}
        )["id"]
        contact = ws.contacts.add({"municipality": "302023", "name": "山本 健一", "title": "係長"})
        assert describe_record(ws, "survey_definition", definition) == (
            "調査の定義「令和6年度 DX推進状況調査」（R6 (2024)）"
        )
        assert describe_record(ws, "survey_response", response) == "調査の回答（海南市、R6 (2024)）"
        # Other kinds keep their first text: a contact by name, not by job title.
        assert describe_record(ws, "contact", contact["id"]) == "連絡先「山本 健一」（海南市）"
    finally:
        ws.close()
