"""What an import would change, shown before anything is written, and writing it: all or nothing.

With any problem left, nothing is written unless the person excludes the rows listed; a column
that maps to nothing is a problem until the person maps it or leaves it out. The same file
imported twice with the same plan changes nothing; imported again with another plan (rows no
longer excluded, columns mapped otherwise, the year's definition loaded since) it is imported
again, and the plan says so: what the dry run shows is what is written.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from dxdesk.domain.catalog import Catalog, load_catalog
from dxdesk.domain.errors import DomainError
from dxdesk.domain.fiscal_year import format_fiscal_year
from dxdesk.domain.roster import load_roster
from dxdesk.domain.survey_definition import SurveyDefinition, catalog_definition
from dxdesk.domain.survey_values import AnswerValue
from dxdesk.imports.columns import Column, Role
from dxdesk.imports.survey import (
    Problem,
    SurveyFile,
    SurveyRow,
    duplicate_problems,
    read_survey,
)
from dxdesk.imports.workbook import column_letter
from dxdesk.services.survey_definitions import StoredDefinition, year_definition
from dxdesk.services.survey_imports import (
    Existing,
    StoredImport,
    SurveyAnswer,
    existing_assessments,
    existing_responses,
    recorded_import,
    response_changes,
    response_unchanged,
    store_survey,
)
from dxdesk.services.survey_responses import StoredResponse
from dxdesk.services.workspace import Workspace


class ImportRefused(DomainError):
    """The import was not written; the message says why and what to do."""


@dataclass(frozen=True)
class Change:
    code: str
    name: str
    row: int
    action: str  # "create" (nothing stored yet), "update" or "unchanged"
    assessment_id: str | None
    scores: dict[str, tuple[int | None, int]]  # item -> (before, after), changed items only
    in_person: int  # the advisor's own assessments of that year, left untouched
    response_id: str | None = None  # the municipality's response of the year, if it has one
    # question -> (before, after), changed answers only (None: no answer)
    answers: dict[str, tuple[AnswerValue | None, AnswerValue | None]] = field(default_factory=dict)
    answered: int = 0  # the questions the row answers
    scored: int = 0  # of which scored (the assessment's items)

    @property
    def added(self) -> list[str]:
        """Questions answered now and not before."""
        return [k for k, (b, _a) in self.answers.items() if b is None]

    @property
    def changed(self) -> list[str]:
        return [k for k, (b, a) in self.answers.items() if b is not None and a is not None]

    @property
    def cleared(self) -> list[str]:
        """Questions whose stored answer goes (a blank cell in the question's column)."""
        return [k for k, (_b, a) in self.answers.items() if a is None]

    def as_json(self) -> dict[str, Any]:
        return {
            "municipality": self.code,
            "name": self.name,
            "row": self.row,
            "action": self.action,
            "assessment": self.assessment_id,
            "scores": {k: {"before": b, "after": a} for k, (b, a) in self.scores.items()},
            "in_person_assessments": self.in_person,
            "response": self.response_id,
            "answered": self.answered,
            "scored": self.scored,
            "answers": {k: {"before": b, "after": a} for k, (b, a) in self.answers.items()},
            "answers_added": self.added,
            "answers_changed": self.changed,
            "answers_cleared": self.cleared,
        }


@dataclass(frozen=True)
class ImportPlan:
    survey: SurveyFile
    fiscal_year: int
    rows: list[SurveyRow]  # those not excluded
    changes: list[Change]
    problems: list[Problem]  # on rows not excluded, and about the file
    excluded: frozenset[int]
    previous: dict[str, Any] | None = None  # the record of an earlier import of this file
    notes: list[str] = field(default_factory=list)
    definition: StoredDefinition | None = None  # what the answers were read under

    @property
    def writable(self) -> bool:
        return not self.problems

    @property
    def repeat(self) -> str | None:
        """For a file imported before: "unchanged" when this plan changes nothing, "changes"
        when it does (and is imported again); None for a file never imported."""
        if self.previous is None:
            return None
        return "changes" if any(c.action != "unchanged" for c in self.changes) else "unchanged"

    @property
    def earlier(self) -> dict[str, Any] | None:
        """The earlier import of this file when importing it again changes nothing."""
        return self.previous if self.repeat == "unchanged" else None

    def as_json(self) -> dict[str, Any]:
        return {
            "file": str(self.survey.path),
            "sha256": self.survey.sha256,
            "sheet": self.survey.sheet,
            "header_row": self.survey.header_row,
            "fiscal_year": self.fiscal_year,
            "definition": self._definition_json(),
            "rows": len(self.rows),
            "answers": sum(len(r.answers) for r in self.rows if r.valid),
            "unanswered": [r.code for r in self.rows if r.valid and not r.answers],
            "excluded_rows": sorted(self.excluded),
            "municipalities": sorted({c.code for c in self.changes}),
            "columns": [c.as_json() for c in self.survey.columns],
            "changes": [c.as_json() for c in self.changes],
            "errors": [p.as_json() for p in self.problems],
            "already_imported": self.previous,
            "reimport": self.repeat,
        }

    def _definition_json(self) -> dict[str, Any] | None:
        stored = self.definition
        if stored is None:
            return None
        return {
            "id": stored.id,
            "fiscal_year": stored.definition.fiscal_year,
            "title": stored.definition.title,
            "questions": len(stored.definition.questions),
            "source": stored.source_name,
        }


def read_plan(
    workspace: Workspace,
    path: Path,
    *,
    fiscal_year: int | None = None,
    exclude_rows: Collection[int] = (),
    exclude_problem_rows: bool = False,
    overrides: dict[int, str | None] | None = None,
    catalog: Catalog | None = None,
) -> ImportPlan:
    """Read ``path`` under the year's definition (the one loaded, else shipped, else the
    catalog's items) and plan its import."""
    catalog = catalog or load_catalog()
    chosen: list[StoredDefinition] = []
    given: SurveyDefinition | None = None
    if fiscal_year is not None:
        # The year is known: its questions find the header too (not the catalog's items alone).
        chosen.append(year_definition(workspace.store, fiscal_year, catalog))
        given = chosen[-1].definition

    def definition_for(stated: int | None) -> SurveyDefinition:
        year = fiscal_year or stated
        if year is None:  # plan_for asks for the year; read the items meanwhile
            return catalog_definition(catalog, 0)
        chosen.append(year_definition(workspace.store, year, catalog))
        return chosen[-1].definition

    survey = read_survey(
        path,
        catalog=catalog,
        roster=load_roster(),
        overrides=overrides,
        definition=given or definition_for,
    )
    return plan_for(
        workspace,
        survey,
        fiscal_year=fiscal_year,
        exclude_rows=exclude_rows,
        exclude_problem_rows=exclude_problem_rows,
        definition=chosen[-1] if chosen else None,
    )


def plan_for(
    workspace: Workspace,
    survey: SurveyFile,
    *,
    fiscal_year: int | None,
    exclude_rows: Collection[int] = (),
    exclude_problem_rows: bool = False,
    definition: StoredDefinition | None = None,
) -> ImportPlan:
    year = fiscal_year or survey.fiscal_year
    if year is None:
        raise ImportRefused(
            "どの年度の調査か分かりません。年度を指定してください（例: --fiscal-year 2025）"
        )
    definition = definition or _definition_of(workspace, survey, year)
    excluded = set(exclude_rows)
    if exclude_problem_rows:
        excluded |= {p.row for p in survey.problems if p.row is not None}
    problems = [p for p in survey.problems if p.row is None or p.row not in excluded]
    rows = [r for r in survey.rows if r.row not in excluded]
    problems += duplicate_problems(rows)
    problems += [_unmapped(survey.sheet, c) for c in survey.columns if c.role is Role.UNMAPPED]
    problems += [_doubtful(survey.sheet, c) for c in survey.columns if c.doubtful]
    assigned = {m["code"] for m in workspace.municipalities.overview(assigned_only=True)}
    for row in rows:
        if row.valid and row.code not in assigned:
            problems.append(
                Problem(
                    row.sheet,
                    row.row,
                    None,
                    row.name,
                    f"{row.name} はこの端末の担当市町村ではありません（取り込めません）",
                )
            )
    # A row left blank (a template row nobody filled in) is no answer, not an empty response.
    valid = [r for r in rows if r.valid and r.code in assigned and r.answers]
    codes = [r.code for r in valid]
    existing = existing_assessments(workspace.store, year, codes)
    responses = existing_responses(workspace.store, year, codes)
    changes = [
        _change(_answer(survey, row, definition), row, existing[row.code], responses.get(row.code))
        for row in valid
    ]
    notes = [f"{format_fiscal_year(year)} の調査として取り込みます"]
    previous = recorded_import(workspace.store, survey.sha256)
    if previous is not None and any(c.action != "unchanged" for c in changes):
        notes.append(
            f"このファイルは {imported_when(previous)} に取り込み済みですが、前回と違う内容"
            "（除外した行・列の割り当て・調査の定義）があるため、取り込み直します"
        )
    if definition is not None and definition.id is None and definition.source_name:
        notes.append(f"設問はアプリに同梱の定義（{definition.source_name}）で読みました")
    elif definition is not None and definition.id is None:
        notes.append(
            "この年度の調査の定義が読み込まれていないため、アセスメント項目の設問だけで読みました"
        )
    if any(c.in_person for c in changes):
        notes.append(
            "対面のアセスメントがある市町村も、その記録は変えず、調査票の回答を別の記録にします"
        )
    return ImportPlan(
        survey,
        year,
        rows,
        changes,
        problems,
        frozenset(excluded),
        previous,
        notes,
        definition,
    )


def _definition_of(workspace: Workspace, survey: SurveyFile, year: int) -> StoredDefinition:
    """The stored definition the survey was read under (a plan made again from a read file)."""
    stored = year_definition(workspace.store, year)
    read = survey.definition
    if read is not None and (read.questions, read.choice_lists) != (
        stored.definition.questions,
        stored.definition.choice_lists,
    ):
        raise ImportRefused(
            f"{format_fiscal_year(year)} の調査の定義が、ファイルを読んだ後に変わりました。"
            "もう一度ファイルを読み込んでください"
        )
    return stored


def imported_when(record: dict[str, Any]) -> str:
    """An import record's time as the person's clock shows it: 「2026-12-07 11:23」."""
    when = record.get("imported_at")
    try:
        return datetime.fromisoformat(str(when)).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return str(when or "")


def _change(
    answer: SurveyAnswer, row: SurveyRow, before: Existing, response: StoredResponse | None
) -> Change:
    scores = {
        code: (before.survey_scores.get(code), value)
        for code, value in row.scores.items()
        if before.survey_scores.get(code) != value
    }
    answers = response_changes(response, answer)
    if before.survey_id is None and response is None:
        action = "create"
    elif (
        scores
        or not response_unchanged(response, answer, answers)
        or (row.scores and before.survey_id is None)
    ):
        action = "update"
    else:
        action = "unchanged"
    return Change(
        row.code,
        row.name,
        row.row,
        action,
        before.survey_id,
        scores,
        len(before.in_person_ids),
        None if response is None else response.id,
        answers,
        len(row.answers),
        len(row.scores),
    )


def _answer(
    survey: SurveyFile, row: SurveyRow, definition: StoredDefinition | None
) -> SurveyAnswer:
    """The row as stored: its columns' questions replace theirs, the others are kept."""
    read = [c for c in survey.columns if c.role is Role.QUESTION and c.question is not None]
    known = survey.definition or (definition.definition if definition else None)
    return SurveyAnswer(
        row.code,
        row.scores,
        row.answered_on,
        row.answers,
        row.respondent,
        present=frozenset(str(c.question) for c in read),
        present_items=frozenset(c.item for c in read if c.item is not None),
        known=frozenset(known.by_code) if known is not None else None,
    )


def _unmapped(sheet: str, column: Column) -> Problem:
    letter = column_letter(column.index)
    shown = f"「{column.header}」" if column.header else "（見出しなし）"
    return Problem(
        sheet,
        None,
        letter,
        column.header,
        f"列 {letter}{shown}はどの設問にも当たりません。--column {letter}=<設問番号> で"
        f"割り当てるか、--column {letter}=- で取り込まないことを選んでください",
    )


def _doubtful(sheet: str, column: Column) -> Problem:
    letter = column_letter(column.index)
    return Problem(
        sheet,
        None,
        letter,
        column.header,
        f"列 {letter}「{column.header}」は設問 {column.question} と推測しました。正しいか確かめて"
        f"ください（プレビューで選ぶか、--column {letter}={column.question} で確定、"
        f"--column {letter}=- で除外）",
    )


def apply_plan(workspace: Workspace, plan: ImportPlan) -> StoredImport:
    """Write the plan whole, or refuse it whole (nothing is written on any problem)."""
    if plan.problems:
        raise ImportRefused(
            f"エラーが {len(plan.problems)} 件あるため取り込みませんでした。"
            "直したファイルを取り込むか、エラーのある行を除外してください"
        )
    if plan.earlier is not None:
        return StoredImport([], [], [])  # imported before with this very plan: nothing changes
    changed = {c.code for c in plan.changes}
    return store_survey(
        workspace.store,
        workspace.assessments,
        fiscal_year=plan.fiscal_year,
        answers=[
            _answer(plan.survey, row, plan.definition)
            for row in plan.rows
            if row.valid and row.code in changed
        ],
        file_hash=plan.survey.sha256,
        file_name=plan.survey.path.name,
        responses=workspace.survey_responses,
        definition_id=plan.definition.ref if plan.definition else None,
    )
