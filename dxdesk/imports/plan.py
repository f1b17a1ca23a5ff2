"""What an import would change, shown before anything is written, and writing it: all or nothing.

With any problem left, nothing is written unless the person excludes the rows listed; the same
file imported twice changes nothing (its SHA-256 is recorded with the import).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dxdesk.domain.catalog import Catalog, load_catalog
from dxdesk.domain.errors import DomainError
from dxdesk.domain.fiscal_year import format_fiscal_year
from dxdesk.domain.roster import load_roster
from dxdesk.imports.columns import Column
from dxdesk.imports.survey import (
    Problem,
    SurveyFile,
    SurveyRow,
    duplicate_problems,
    read_survey,
)
from dxdesk.imports.workbook import column_letter
from dxdesk.services.survey_imports import (
    StoredImport,
    SurveyAnswer,
    existing_assessments,
    recorded_import,
    store_survey,
)
from dxdesk.services.workspace import Workspace


class ImportRefused(DomainError):
    """The import was not written; the message says why and what to do."""


@dataclass(frozen=True)
class Change:
    code: str
    name: str
    row: int
    action: str  # "create", "update" or "unchanged"
    assessment_id: str | None
    scores: dict[str, tuple[int | None, int]]  # item -> (before, after), changed items only
    in_person: int  # the advisor's own assessments of that year, left untouched

    def as_json(self) -> dict[str, Any]:
        return {
            "municipality": self.code,
            "name": self.name,
            "row": self.row,
            "action": self.action,
            "assessment": self.assessment_id,
            "scores": {k: {"before": b, "after": a} for k, (b, a) in self.scores.items()},
            "in_person_assessments": self.in_person,
        }


@dataclass(frozen=True)
class ImportPlan:
    survey: SurveyFile
    fiscal_year: int
    rows: list[SurveyRow]  # those not excluded
    changes: list[Change]
    problems: list[Problem]  # on rows not excluded, and about the file
    excluded: frozenset[int]
    earlier: dict[str, Any] | None = None  # the same file imported before
    notes: list[str] = field(default_factory=list)

    @property
    def writable(self) -> bool:
        return not self.problems

    def as_json(self) -> dict[str, Any]:
        return {
            "file": str(self.survey.path),
            "sha256": self.survey.sha256,
            "sheet": self.survey.sheet,
            "header_row": self.survey.header_row,
            "fiscal_year": self.fiscal_year,
            "rows": len(self.rows),
            "unanswered": [r.code for r in self.rows if r.valid and not r.scores],
            "excluded_rows": sorted(self.excluded),
            "municipalities": sorted({c.code for c in self.changes}),
            "columns": [c.as_json() for c in self.survey.columns],
            "changes": [c.as_json() for c in self.changes],
            "errors": [p.as_json() for p in self.problems],
            "already_imported": self.earlier,
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
    catalog = catalog or load_catalog()
    survey = read_survey(path, catalog=catalog, roster=load_roster(), overrides=overrides)
    return plan_for(
        workspace,
        survey,
        fiscal_year=fiscal_year,
        exclude_rows=exclude_rows,
        exclude_problem_rows=exclude_problem_rows,
    )


def plan_for(
    workspace: Workspace,
    survey: SurveyFile,
    *,
    fiscal_year: int | None,
    exclude_rows: Collection[int] = (),
    exclude_problem_rows: bool = False,
) -> ImportPlan:
    year = fiscal_year or survey.fiscal_year
    if year is None:
        raise ImportRefused(
            "どの年度の調査か分かりません。年度を指定してください（例: --fiscal-year 2025）"
        )
    excluded = set(exclude_rows)
    if exclude_problem_rows:
        excluded |= {p.row for p in survey.problems if p.row is not None}
    problems = [p for p in survey.problems if p.row is None or p.row not in excluded]
    rows = [r for r in survey.rows if r.row not in excluded]
    problems += duplicate_problems(rows)
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
    # A row left blank (a template row nobody filled in) is no answer, not an empty assessment.
    valid = [r for r in rows if r.valid and r.code in assigned and r.scores]
    existing = existing_assessments(workspace.store, year, [r.code for r in valid])
    changes = []
    for row in valid:
        before = existing[row.code]
        diff = {
            code: (before.survey_scores.get(code), value)
            for code, value in row.scores.items()
            if before.survey_scores.get(code) != value
        }
        action = "create" if before.survey_id is None else ("update" if diff else "unchanged")
        changes.append(
            Change(
                row.code,
                row.name,
                row.row,
                action,
                before.survey_id,
                diff,
                len(before.in_person_ids),
            )
        )
    notes = [f"{format_fiscal_year(year)} の調査として取り込みます"]
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
        recorded_import(workspace.store, survey.sha256),
        notes,
    )


def _doubtful(sheet: str, column: Column) -> Problem:
    letter = column_letter(column.index)
    return Problem(
        sheet,
        None,
        letter,
        column.header,
        f"列 {letter}「{column.header}」は項目 {column.item} と推測しました。正しいか確かめて"
        f"ください（プレビューで選ぶか、--column {letter}={column.item} で確定、"
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
        return StoredImport([], [], [])  # this very file was imported before: nothing changes
    answers = [
        SurveyAnswer(row.code, row.scores, row.answered_on)
        for row in plan.rows
        if row.valid and any(c.code == row.code for c in plan.changes)
    ]
    return store_survey(
        workspace.store,
        workspace.assessments,
        fiscal_year=plan.fiscal_year,
        answers=answers,
        file_hash=plan.survey.sha256,
        file_name=plan.survey.path.name,
    )
