"""The demo's FY2024 survey answers: behind its assessments, every one valid, a few missing.

The demo is seeded once for the module (it takes a couple of seconds). Each answer is written
back into a cell as a form would export it and read with the import's own reader, which must
give the same value: so every choice is one of its question's, every number a number, every
date a date.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dxdesk.demo_data import seed_demo
from dxdesk.demo_survey import NOT_ANSWERED, SURVEY_YEAR
from dxdesk.domain.catalog import load_catalog
from dxdesk.domain.survey_definition import Question, SurveyDefinition
from dxdesk.domain.survey_values import AnswerValue
from dxdesk.imports.answer_cells import parse_cell
from dxdesk.services.survey_definitions import response_definition, shipped_definition
from dxdesk.services.survey_responses import StoredResponse, responses_for_year
from dxdesk.services.workspace import Workspace, open_workspace


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    workspace = open_workspace(Path(tmp_path_factory.mktemp("demo")) / "data")
    seed_demo(workspace)
    yield workspace
    workspace.close()


@pytest.fixture(scope="module")
def responses(demo: Workspace) -> list[StoredResponse]:
    return responses_for_year(demo.store, SURVEY_YEAR)


@pytest.fixture(scope="module")
def definition() -> SurveyDefinition:
    shipped = shipped_definition(SURVEY_YEAR)
    assert shipped is not None
    return shipped.definition


def _as_cell(definition: SurveyDefinition, question: Question, answer: AnswerValue) -> object:
    """The answer as a Microsoft Forms export has it in its cell."""
    labels = {c.value: c.label for c in definition.choices_of(question)}
    if question.type == "multiple" and isinstance(answer, list):
        return "".join(f"{labels.get(value, value)};" for value in answer)
    if question.type == "single" and isinstance(answer, str):
        return labels.get(answer, answer)
    if question.type == "yes_no":
        return "はい" if answer is True else "いいえ" if answer is False else answer
    return answer


def test_the_answered_scored_items_are_the_fy2024_assessments_scores(
    demo: Workspace, responses: list[StoredResponse], definition: SurveyDefinition
) -> None:
    assessments = {
        a["municipality"]: a
        for a in demo.assessments.list_records()
        if a["fiscal_year"] == SURVEY_YEAR
    }
    assert len(assessments) == 30
    assert len(responses) == 30 - NOT_ANSWERED
    assert len(definition.scored) == 26
    for response in responses:
        scores = assessments[response.municipality]["scores"]
        answered = {q.item: response.answers[q.code] for q in definition.scored.values()}
        assert answered == {item: scores[item] for item in definition.scored}
    # Who has not answered: municipalities assessed in person, as the story goes.
    silent = set(assessments) - {r.municipality for r in responses}
    assert len(silent) == NOT_ANSWERED
    assert all(assessments[code]["method"] == "in_person" for code in silent)


def test_every_answer_is_valid_under_the_shipped_definition_and_they_vary(
    demo: Workspace, responses: list[StoredResponse], definition: SurveyDefinition
) -> None:
    catalog = load_catalog()
    for response in responses:
        # No definition record: the year's answers read under the shipped one.
        assert response.definition_id is None
        read_under = response_definition(demo.store, None, SURVEY_YEAR)
        assert read_under.definition == definition
        assert response.source_name and response.respondent and response.answered_on
        for code, answer in response.answers.items():
            question = definition.question(code)
            cell = _as_cell(definition, question, answer)
            assert parse_cell(question, definition, catalog, cell) == answer, (code, answer)
        required = {q.code for q in definition.questions if q.required}
        assert required <= set(response.answers), response.municipality
    # Plausible, not one answer copied: every question that is not scored is answered by
    # several municipalities, with at least two different answers.
    for question in definition.questions:
        if question.type == "scored":
            continue
        given = [repr(r.answers[question.code]) for r in responses if question.code in r.answers]
        assert len(given) >= 10 and len(set(given)) >= 2, question.code
