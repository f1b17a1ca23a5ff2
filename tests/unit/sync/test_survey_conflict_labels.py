"""A survey response's answers in a sync conflict read by their question's labels and units
(domain/survey_labels, as the reports show them), under the response's own definition."""

from __future__ import annotations

from pathlib import Path

from dxdesk.domain.catalog import load_catalog
from dxdesk.domain.survey_definition import definition_from_json
from dxdesk.services.workspace import open_workspace
from dxdesk.ui.sync_conflict_text import AnswerReading, answer_reading, difference_text, value_text
from tests.reports.survey_answers import WAKAYAMA, add_survey
from tests.unit.sync.test_survey_conflict_text import _definition


def test_answers_read_under_their_definition_show_labels_and_units() -> None:
    reading = AnswerReading(
        definition_from_json(_definition("令和6年度 DX調査")), load_catalog("2024")
    )
    theirs = {"Q1": 3, "Q2": 2039, "Q3": ["online", "cashless"]}
    mine = {"Q1": 3, "Q2": 4, "Q3": ["online"]}
    assert difference_text("survey_response", "answers", theirs, mine, reading) == (
        "回答が 2 問で異なります（Q2、Q3）\n"
        "Q2: 相手「2,039人」／自分「4人」\n"
        "Q3: 相手「オンライン申請、キャッシュレス」／自分「オンライン申請」"
    )
    assert value_text("survey_response", "answers", mine, reading).startswith(
        "3 問の回答\nQ1: 3 推進している\nQ2: 4人"
    )


def test_a_responses_reading_is_its_own_definition(tmp_path: Path) -> None:
    ws = open_workspace(tmp_path / "data")
    try:
        defined = add_survey(ws)
        response = ws.survey_responses.list_records(municipality=WAKAYAMA)[0]
        reading = answer_reading(ws, "survey_response", response["id"])
        assert reading is not None and reading.label("Q1-2", "a") == "専任の部署"
        assert answer_reading(ws, "survey_definition", defined) is None
        assert answer_reading(ws, "survey_response", "gone") is None
    finally:
        ws.close()
