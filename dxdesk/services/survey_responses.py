"""The answers stored per municipality and fiscal year, as the reports and lists read them.

A municipality has one response per fiscal year; should two laptops each have imported one
before syncing, the one the server took last counts (one not yet synced, imported here, before
any), and the others are named with it (``duplicates``) so a person can delete one.
Writing responses is the import's (services/survey_imports.py).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from dxdesk.domain.survey_values import AnswerValue
from dxdesk.models.base import newest_first
from dxdesk.models.store import Store
from dxdesk.models.tables import MunicipalityRow, SurveyResponseRow


@dataclass(frozen=True)
class StoredResponse:
    id: str
    municipality: str
    name: str  # the municipality's name
    fiscal_year: int
    definition_id: str | None  # read under it (services/survey_definitions.response_definition)
    answers: dict[str, AnswerValue]
    respondent: str
    answered_on: date | None
    imported_on: date | None
    source_name: str
    source_sha256: str | None
    updated_at: datetime
    server_rev: int | None = None
    # Other live responses of the same municipality and year, hidden behind this one: a person
    # should delete all but one (each is (id, source file)).
    duplicates: tuple[tuple[str, str], ...] = ()


def responses_for_year(
    store: Store, fiscal_year: int, municipality: str | None = None
) -> list[StoredResponse]:
    """Each municipality's response of ``fiscal_year`` (one each), in roster order."""
    with store.session() as session:
        query = (
            select(SurveyResponseRow, MunicipalityRow.name)
            .join(MunicipalityRow, MunicipalityRow.code == SurveyResponseRow.municipality)
            .where(
                SurveyResponseRow.deleted.is_(False),
                SurveyResponseRow.fiscal_year == fiscal_year,
            )
            .order_by(SurveyResponseRow.municipality)
        )
        if municipality is not None:
            query = query.where(SurveyResponseRow.municipality == municipality)
        found: dict[str, list[StoredResponse]] = {}
        for row, name in session.execute(query):
            found.setdefault(row.municipality, []).append(_stored(row, name))
    chosen = []
    for same in found.values():
        same.sort(key=lambda r: newest_first(r.server_rev, r.updated_at))
        others = tuple((r.id, r.source_name) for r in same[1:])
        chosen.append(replace(same[0], duplicates=others))
    return chosen


def response_years(store: Store) -> list[int]:
    """The fiscal years with at least one response, newest first."""
    with store.session() as session:
        years = session.scalars(
            select(SurveyResponseRow.fiscal_year)
            .where(SurveyResponseRow.deleted.is_(False))
            .distinct()
        )
        return sorted(years, reverse=True)


def _stored(row: SurveyResponseRow, name: str) -> StoredResponse:
    answers: dict[str, Any] = dict(row.answers or {})
    return StoredResponse(
        row.id,
        row.municipality,
        name,
        row.fiscal_year,
        row.definition,
        answers,
        row.respondent,
        row.answered_on,
        row.imported_on,
        row.source_name,
        row.source_sha256,
        row.updated_at,
        row.server_rev,
    )
