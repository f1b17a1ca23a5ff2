"""Who has answered a fiscal year's survey, and every answer they gave, as lists read them.

The status is what the secretariat chases from: each municipality of this laptop (the assigned
ones; a coordinator has all 30), in roster order, either answered (from which file, when) or
not. The responses are each answer keyed by its question code with the question's text, read
under the definition the response was imported with, so an earlier year keeps its own wording.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from dxdesk.domain import survey_labels
from dxdesk.domain.catalog import Catalog
from dxdesk.domain.fiscal_year import fiscal_year_of
from dxdesk.domain.survey_definition import Question, SurveyDefinition
from dxdesk.domain.survey_values import AnswerValue
from dxdesk.models.store import Store
from dxdesk.models.tables import MunicipalityRow
from dxdesk.services.survey_definitions import (
    ResponseDefinitions,
    StoredDefinition,
    year_definition,
)
from dxdesk.services.survey_responses import response_years, responses_for_year
from dxdesk.services.workspace import Workspace


@dataclass(frozen=True)
class DefinitionSummary:
    """Which definition a year's survey is read under, as one line says it."""

    origin: str  # "loaded" (a workbook loaded here or synced), "shipped", "catalog"
    source_name: str  # the workbook's (or shipped file's) name; "" for the catalog's items
    title: str
    questions: int
    loaded_at: datetime | None

    def as_json(self) -> dict[str, Any]:
        return {
            "origin": self.origin,
            "source_name": self.source_name,
            "title": self.title,
            "questions": self.questions,
            "loaded_at": None if self.loaded_at is None else self.loaded_at.isoformat(),
        }


@dataclass(frozen=True)
class MunicipalityStatus:
    code: str
    name: str
    region: str  # 振興局
    response_id: str | None  # None: not answered
    source_name: str
    answered_on: date | None
    imported_on: date | None
    respondent: str
    answered_questions: int  # answers to questions of its definition
    questions: int  # questions in its definition (0 when not answered)
    # Other responses of the year hidden behind this one ((id, source file)): delete all but one.
    duplicates: tuple[tuple[str, str], ...] = ()

    @property
    def answered(self) -> bool:
        return self.response_id is not None

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "region": self.region,
            "answered": self.answered,
            "response": self.response_id,
            "source_name": self.source_name or None,
            "answered_on": _iso(self.answered_on),
            "imported_on": _iso(self.imported_on),
            "respondent": self.respondent or None,
            "answered_questions": self.answered_questions if self.answered else None,
            "questions": self.questions if self.answered else None,
            "duplicates": [{"response": i, "source_name": n or None} for i, n in self.duplicates],
        }


@dataclass(frozen=True)
class SurveyStatus:
    fiscal_year: int
    definition: DefinitionSummary  # the year's, which a new import is read under
    municipalities: tuple[MunicipalityStatus, ...]  # roster order

    @property
    def answered(self) -> tuple[MunicipalityStatus, ...]:
        return tuple(m for m in self.municipalities if m.answered)

    @property
    def not_answered(self) -> tuple[MunicipalityStatus, ...]:
        return tuple(m for m in self.municipalities if not m.answered)

    def as_json(self) -> dict[str, Any]:
        return {
            "fiscal_year": self.fiscal_year,
            "definition": self.definition.as_json(),
            "counts": {
                "municipalities": len(self.municipalities),
                "answered": len(self.answered),
                "not_answered": len(self.not_answered),
            },
            "municipalities": [m.as_json() for m in self.municipalities],
            "not_answered": [m.name for m in self.not_answered],
        }


def survey_status(workspace_or_store: Workspace | Store, fiscal_year: int) -> SurveyStatus:
    """Each municipality of this laptop and whether (and how) it answered ``fiscal_year``."""
    store = _store(workspace_or_store)
    with store.session() as session:
        roster = session.execute(
            select(MunicipalityRow.code, MunicipalityRow.name, MunicipalityRow.region)
            .where(MunicipalityRow.assigned.is_(True))
            .order_by(MunicipalityRow.code)
        ).all()
    responses = {r.municipality: r for r in responses_for_year(store, fiscal_year)}
    definitions = ResponseDefinitions(store, fiscal_year)
    rows = []
    for code, name, region in roster:
        response = responses.get(code)
        if response is None:
            rows.append(MunicipalityStatus(code, name, region, None, "", None, None, "", 0, 0))
            continue
        definition = definitions.of(response.definition_id).definition
        rows.append(
            MunicipalityStatus(
                code,
                name,
                region,
                response.id,
                response.source_name,
                response.answered_on,
                response.imported_on,
                response.respondent,
                sum(1 for c in response.answers if c in definition.by_code),
                len(definition.questions),
                response.duplicates,
            )
        )
    return SurveyStatus(fiscal_year, _summary(year_definition(store, fiscal_year)), tuple(rows))


def status_years(workspace_or_store: Workspace | Store, today: date | None = None) -> list[int]:
    """The years a status can be asked of: those with responses, and this one; newest first."""
    return year_choice(workspace_or_store, today)[0]


def year_choice(
    workspace_or_store: Workspace | Store, today: date | None = None
) -> tuple[list[int], int]:
    """The years a status can be asked of (newest first), and the one shown before a person
    chooses: the newest with answers, this one before any."""
    current = fiscal_year_of(today or date.today())
    answered = response_years(_store(workspace_or_store))
    return sorted({current, *answered}, reverse=True), (answered or [current])[0]


def survey_responses(
    workspace_or_store: Workspace | Store, fiscal_year: int, municipality: str | None = None
) -> list[dict[str, Any]]:
    """Each municipality's answers of ``fiscal_year`` (of ``municipality``'s code alone when
    given), roster order, for JSON: question code -> the question's text, the value as stored
    and as a person reads it. An answer whose question is no longer in the response's own
    definition keeps its code, with ``question`` None."""
    store = _store(workspace_or_store)
    with store.session() as session:
        regions = dict(session.execute(select(MunicipalityRow.code, MunicipalityRow.region)).all())
    definitions = ResponseDefinitions(store, fiscal_year)
    listed = []
    for response in responses_for_year(store, fiscal_year, municipality):
        stored = definitions.of(response.definition_id)
        catalog = survey_labels.scale_catalog(stored.definition.catalog_version)
        listed.append(
            {
                "municipality": response.municipality,
                "name": response.name,
                "region": regions.get(response.municipality),
                "fiscal_year": response.fiscal_year,
                "response": response.id,
                "respondent": response.respondent or None,
                "answered_on": _iso(response.answered_on),
                "imported_on": _iso(response.imported_on),
                "source_name": response.source_name or None,
                "source_sha256": response.source_sha256,
                "definition": {
                    "id": stored.id,
                    "source_name": stored.source_name or None,
                    "title": stored.definition.title,
                },
                "answers": _answers(response.answers, stored.definition, catalog),
            }
        )
    return listed


def answer_label(
    value: AnswerValue,
    question: Question | None,
    definition: SurveyDefinition,
    catalog: Catalog | None,
) -> str:
    """An answer as a person reads it (domain/survey_labels), dates as ISO for a list."""
    return survey_labels.answer_label(question, definition, value, catalog=catalog, dates="iso")


def _answers(
    answers: dict[str, AnswerValue], definition: SurveyDefinition, catalog: Catalog | None
) -> dict[str, dict[str, Any]]:
    """Answers in the survey's order, then any whose question the definition lacks."""
    ordered = [q.code for q in definition.questions if q.code in answers]
    ordered += sorted(c for c in answers if c not in definition.by_code)
    result = {}
    for code in ordered:
        question = definition.by_code.get(code)
        value = answers[code]
        result[code] = {
            "question": None if question is None else question.text,
            "type": None if question is None else question.type,
            "page": None if question is None else question.page,
            "section": None if question is None else question.section,
            "value": value,
            "label": answer_label(value, question, definition, catalog),
        }
    return result


def _summary(stored: StoredDefinition) -> DefinitionSummary:
    if stored.id is not None:
        origin = "loaded"
    elif stored.source_name:
        origin = "shipped"
    else:
        origin = "catalog"
    definition = stored.definition
    return DefinitionSummary(
        origin, stored.source_name, definition.title, len(definition.questions), stored.loaded_at
    )


def _store(workspace_or_store: Workspace | Store) -> Store:
    return (
        workspace_or_store.store
        if isinstance(workspace_or_store, Workspace)
        else workspace_or_store
    )


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()
