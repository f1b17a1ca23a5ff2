"""Storing an imported survey: one survey assessment per municipality and fiscal year, written
whole or not at all, with the file's hash recorded so that importing it again changes nothing.

An advisor's in-person assessment is a different record (method ``in_person``) and is never
touched here: the survey's answers go to the survey assessment of the same year, beside it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from dxdesk.models.base import utc_now
from dxdesk.models.store import Store
from dxdesk.models.tables import AssessmentRow, StoreMeta
from dxdesk.services.assessments import AssessmentFacade

IMPORT_META_PREFIX = "survey_import:"
SURVEY = "survey"


@dataclass(frozen=True)
class Existing:
    """What a municipality already has for the fiscal year being imported."""

    survey_id: str | None
    survey_scores: dict[str, int]
    in_person_ids: tuple[str, ...]  # the advisor's own assessments of that year, left as they are


@dataclass(frozen=True)
class SurveyAnswer:
    code: str
    scores: dict[str, int]
    answered_on: date | None


@dataclass(frozen=True)
class StoredImport:
    created: list[str]  # assessment ids
    updated: list[str]
    unchanged: list[str]


def existing_assessments(
    store: Store, fiscal_year: int, codes: Sequence[str]
) -> dict[str, Existing]:
    found: dict[str, tuple[str | None, dict[str, int], list[str]]] = {
        code: (None, {}, []) for code in codes
    }
    with store.session() as session:
        rows = session.scalars(
            select(AssessmentRow)
            .where(
                AssessmentRow.fiscal_year == fiscal_year,
                AssessmentRow.municipality.in_(list(codes)),
                AssessmentRow.deleted.is_(False),
            )
            .order_by(AssessmentRow.updated_at)
        )
        for row in rows:
            _survey_id, _scores, in_person = found[row.municipality]
            if row.method == SURVEY:
                found[row.municipality] = (row.id, dict(row.scores), in_person)
            else:
                in_person.append(row.id)
    return {
        code: Existing(survey_id, scores, tuple(in_person))
        for code, (survey_id, scores, in_person) in found.items()
    }


def recorded_import(store: Store, file_hash: str) -> dict[str, Any] | None:
    """The earlier import of the same file (by its SHA-256), if there was one."""
    stored = store.meta(IMPORT_META_PREFIX + file_hash)
    return None if stored is None else dict(json.loads(stored))


def store_survey(
    store: Store,
    assessments: AssessmentFacade,
    *,
    fiscal_year: int,
    answers: Sequence[SurveyAnswer],
    file_hash: str,
    file_name: str,
) -> StoredImport:
    """Write every answer in one transaction (any refusal rolls all of it back)."""
    existing = existing_assessments(store, fiscal_year, [a.code for a in answers])
    created: list[str] = []
    updated: list[str] = []
    unchanged: list[str] = []
    with store.transaction() as session, session.no_autoflush:
        for answer in answers:
            before = existing[answer.code]
            if before.survey_id is None:
                row = assessments.insert_in(
                    session,
                    {
                        "municipality": answer.code,
                        "fiscal_year": fiscal_year,
                        "method": SURVEY,
                        "assessed_on": answer.answered_on.isoformat()
                        if answer.answered_on
                        else None,
                        "assessor": file_name,
                        "scores": answer.scores,
                    },
                )
                created.append(str(row.id))
            elif _changes(before.survey_scores, answer.scores):
                assessments.update_in(session, before.survey_id, {"scores": answer.scores})
                updated.append(before.survey_id)
            else:
                unchanged.append(before.survey_id)
        session.merge(
            StoreMeta(
                key=IMPORT_META_PREFIX + file_hash,
                value=json.dumps(
                    {
                        "file": file_name,
                        "fiscal_year": fiscal_year,
                        "imported_at": utc_now().isoformat(),
                        "assessments": created + updated + unchanged,
                    },
                    ensure_ascii=False,
                ),
            )
        )
    return StoredImport(created, updated, unchanged)


def _changes(before: Mapping[str, int], after: Mapping[str, int]) -> bool:
    return any(before.get(code) != value for code, value in after.items())
