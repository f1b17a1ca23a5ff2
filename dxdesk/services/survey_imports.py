"""Storing an imported survey: per municipality and fiscal year, one survey assessment (the
scored answers) and one survey response (every answer, with the file it came from), written
whole or not at all, with the file's hash recorded with the import.

A file replaces only what it has columns for: the stored answers to questions it has no column
for are kept (a file of a few questions does not delete the rest), a blank cell in a present
column clears that answer, and a file without answer times or respondent keeps the stored ones.
An answer kept from before whose question the new definition no longer has is dropped, and
shown as cleared, so no response holds an answer its definition cannot read.

An advisor's in-person assessment is a different record (method ``in_person``) and is never
touched here: the survey's answers go to the survey assessment of the same year, beside it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dxdesk.domain.survey_values import AnswerValue
from dxdesk.models.base import utc_now
from dxdesk.models.store import META_SYNC_USER, Store
from dxdesk.models.tables import AssessmentRow, MunicipalityRow, StoreMeta
from dxdesk.services.assessments import AssessmentFacade
from dxdesk.services.records import RecordFacade
from dxdesk.services.survey_responses import StoredResponse, responses_for_year

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
    scores: dict[str, int]  # the scored answers, by catalog item (the assessment)
    answered_on: date | None
    answers: dict[str, AnswerValue] = field(default_factory=dict)  # every answer, by question
    respondent: str = ""
    # The questions (and scored items) the file has a column for; None: those it answers.
    present: frozenset[str] | None = None
    present_items: frozenset[str] | None = None
    # The questions of the definition the file was read under; None: keep every stored answer.
    known: frozenset[str] | None = None

    def merged(self, before: Mapping[str, AnswerValue]) -> dict[str, AnswerValue]:
        """The response's answers after this file: the file's columns replace their questions'
        answers (a blank cell clears one), the other stored answers stay."""
        present = set(self.answers) if self.present is None else self.present
        kept = {
            code: value
            for code, value in before.items()
            if code not in present and (self.known is None or code in self.known)
        }
        return {**kept, **self.answers}

    def merged_scores(self, before: Mapping[str, int]) -> dict[str, int]:
        """The survey assessment's scores after this file, kept and replaced as ``merged``."""
        present = set(self.scores) if self.present_items is None else self.present_items
        return {**{k: v for k, v in before.items() if k not in present}, **self.scores}


@dataclass(frozen=True)
class SourceFile:
    """Where a response's answers came from, and the definition they were read under."""

    name: str
    sha256: str
    definition_id: str | None  # None: the shipped definition, or the catalog's items


@dataclass(frozen=True)
class StoredImport:
    created: list[str]  # assessment ids
    updated: list[str]
    unchanged: list[str]
    responses_created: list[str] = field(default_factory=list)  # survey_response ids
    responses_updated: list[str] = field(default_factory=list)


def existing_responses(
    store: Store, fiscal_year: int, codes: Sequence[str]
) -> dict[str, StoredResponse]:
    """Each municipality's response of the year, for those of ``codes`` that have one."""
    wanted = set(codes)
    return {
        r.municipality: r
        for r in responses_for_year(store, fiscal_year)
        if r.municipality in wanted
    }


def response_changes(
    before: StoredResponse | None, answer: SurveyAnswer
) -> dict[str, tuple[AnswerValue | None, AnswerValue | None]]:
    """Question code -> (before, after) for each answer the file changes (None: no answer;
    see ``SurveyAnswer.merged`` for what is kept)."""
    old: Mapping[str, AnswerValue] = before.answers if before else {}
    new = answer.merged(old)
    return {
        code: (old.get(code), new.get(code))
        for code in dict.fromkeys([*old, *new])
        if old.get(code) != new.get(code)
    }


def response_unchanged(
    before: StoredResponse | None,
    answer: SurveyAnswer,
    changes: Mapping[str, object] | None = None,
) -> bool:
    """Nothing the file would write differs; ``changes``: response_changes already made."""
    if changes is None:
        changes = response_changes(before, answer)
    return (
        before is not None
        and not changes
        and before.respondent == (answer.respondent or before.respondent)
        and before.answered_on == (answer.answered_on or before.answered_on)
    )


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
    responses: RecordFacade | None = None,
    definition_id: str | None = None,
) -> StoredImport:
    """Write every answer in one transaction (any refusal rolls all of it back): the survey
    assessment of each municipality with scored answers, and, given ``responses``, each
    municipality's response with all its answers."""
    existing = existing_assessments(store, fiscal_year, [a.code for a in answers])
    earlier = existing_responses(store, fiscal_year, [a.code for a in answers])
    created: list[str] = []
    updated: list[str] = []
    unchanged: list[str] = []
    responses_created: list[str] = []
    responses_updated: list[str] = []
    source = SourceFile(file_name, file_hash, definition_id)
    with store.transaction() as session, session.no_autoflush:
        held = _held_rows(session, [a.code for a in answers])
        for answer in answers:
            before = existing[answer.code]
            if not answer.scores:
                pass  # no scored answer: the assessment stays as it is
            elif before.survey_id is None:
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
            elif (scores := answer.merged_scores(before.survey_scores)) != before.survey_scores:
                # The assessment patches scores item by item: None removes a cleared one.
                patch = {k: scores.get(k) for k in {*before.survey_scores, *scores}}
                assessments.update_in(session, before.survey_id, {"scores": patch})
                updated.append(before.survey_id)
            else:
                unchanged.append(before.survey_id)
            response = earlier.get(answer.code)
            if responses is None or response_unchanged(response, answer):
                continue
            fields = _response_fields(answer, source, response)
            if response is None:
                row = responses.insert_in(
                    session, {"municipality": answer.code, "fiscal_year": fiscal_year, **fields}
                )
                responses_created.append(str(row.id))
            else:
                responses.update_in(session, response.id, fields)
                responses_updated.append(response.id)
        session.merge(
            StoreMeta(
                key=IMPORT_META_PREFIX + file_hash,
                value=json.dumps(
                    {
                        "file": file_name,
                        "fiscal_year": fiscal_year,
                        "imported_at": utc_now().isoformat(),
                        "assessments": created + updated + unchanged,
                        "responses": responses_created + responses_updated,
                    },
                    ensure_ascii=False,
                ),
            )
        )
    del held
    return StoredImport(created, updated, unchanged, responses_created, responses_updated)


def _held_rows(session: Session, codes: Sequence[str]) -> list[Any]:
    """The municipalities' rows and the author's, loaded once and held for the transaction.

    Each record written looks its municipality up twice (roster, assignment) and the author
    once or twice, by primary key; the session's identity map holds rows only weakly, so
    without these references every lookup was a query (4 × 3,482 for 1,741 municipalities).
    """
    municipalities = session.scalars(
        select(MunicipalityRow).where(MunicipalityRow.code.in_(list(codes)))
    ).all()
    authors = session.scalars(
        select(StoreMeta).where(StoreMeta.key.in_([META_SYNC_USER, "author"]))
    ).all()
    return [*municipalities, *authors]


def _response_fields(
    answer: SurveyAnswer, source: SourceFile, before: StoredResponse | None
) -> dict[str, Any]:
    # A file without a respondent or an answer time keeps what the stored response says.
    answered_on = answer.answered_on or (before.answered_on if before else None)
    return {
        "definition": source.definition_id,
        "answers": answer.merged(before.answers if before else {}),
        "respondent": answer.respondent or (before.respondent if before else ""),
        "answered_on": answered_on.isoformat() if answered_on else None,
        "imported_on": date.today().isoformat(),
        "source_name": source.name,
        "source_sha256": source.sha256,
    }
