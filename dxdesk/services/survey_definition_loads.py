"""Making a checked definition the fiscal year's: a new survey_definition record, synced
prefecture-wide. The workbook is read and checked in dxdesk/imports (definition_loads.py calls
:func:`store_definition` with what it read: the layers let services read no files of that kind).

Responses already stored keep the id of the definition they were read under, so their answers
stay readable; the load reports how many of them there are and what changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dxdesk.domain.catalog import Catalog
from dxdesk.domain.errors import DomainError
from dxdesk.domain.survey_definition import SurveyDefinition
from dxdesk.domain.survey_definition_diff import DefinitionChange, definition_changes
from dxdesk.models.store import Store
from dxdesk.services.survey_access import is_advisor
from dxdesk.services.survey_definitions import StoredDefinition, year_definition
from dxdesk.services.survey_responses import responses_for_year
from dxdesk.services.workspace import Workspace


class DefinitionRefused(DomainError):
    """A definition not loaded; the message says why and what to do. ``problems`` are the
    check's findings when those were the reason (dxdesk.imports.survey.Problem)."""

    def __init__(self, message: str, problems: Sequence[Any] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)


@dataclass(frozen=True)
class DefinitionLoad:
    id: str  # the year's definition now (the one already there when unchanged)
    fiscal_year: int
    unchanged: bool  # the same file or the same definition was the year's already
    changes: list[DefinitionChange]  # against the year's previous definition
    responses_under_older: int  # stored responses of the year read under an earlier one
    previous_source: str = ""  # "loaded <file>", "shipped <file>" or "catalog" (in words)
    questions: int = 0
    pages: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "fiscal_year": self.fiscal_year,
            "unchanged": self.unchanged,
            "changes": [c.as_json() for c in self.changes],
            "responses_under_older": self.responses_under_older,
            "previous_source": self.previous_source,
            "questions": self.questions,
            "pages": self.pages,
        }


def require_secretariat(store: Store) -> None:
    """Only the secretariat (a coordinator) loads a definition; a folder never synced is its
    own secretariat. The server refuses anyone else's change too: this says it before."""
    if is_advisor(store):
        raise DefinitionRefused(
            "調査の定義を読み込めるのは事務局（コーディネーター）だけです。"
            "定義の変更は事務局に依頼してください（読み込まれた定義は同期で届きます）"
        )


@dataclass(frozen=True)
class DefinitionPlan:
    """What loading a checked definition would do, decided once for the load and its preview."""

    current: StoredDefinition  # the year's definition now
    unchanged: bool  # the same file or the same definition is the year's loaded one already
    changes: list[DefinitionChange]  # against ``current`` (none when unchanged)
    responses_under_older: int  # the year's stored responses not read under the result


def plan_definition(
    store: Store, definition: SurveyDefinition, source_sha256: str, catalog: Catalog | None = None
) -> DefinitionPlan:
    current = year_definition(store, definition.fiscal_year, catalog)
    responses = responses_for_year(store, definition.fiscal_year)
    if current.id is not None and (
        current.source_sha256 == source_sha256 or current.definition == definition
    ):
        older = sum(1 for r in responses if r.definition_id != current.ref)
        return DefinitionPlan(current, True, [], older)
    changes = definition_changes(current.definition, definition)
    return DefinitionPlan(current, False, changes, len(responses))


def store_definition(
    workspace: Workspace,
    definition: SurveyDefinition,
    *,
    source_name: str,
    source_sha256: str,
    catalog: Catalog | None = None,
) -> DefinitionLoad:
    """Make ``definition`` (checked) its fiscal year's, unless it already is."""
    store = workspace.store
    require_secretariat(store)
    year = definition.fiscal_year
    plan = plan_definition(store, definition, source_sha256, catalog)
    current = plan.current
    if current.id is None:
        previous = (
            f"同梱の定義 {current.source_name}" if current.source_name else "アセスメント項目のみ"
        )
    else:
        previous = f"読み込み済みの定義 {current.source_name}"
    summary = {"questions": len(definition.questions), "pages": len(definition.pages)}
    older = plan.responses_under_older
    if plan.unchanged:
        assert current.id is not None  # only a loaded definition is the same one again
        return DefinitionLoad(current.id, year, True, [], older, previous, **summary)
    record = workspace.survey_definitions.add(
        {
            "fiscal_year": year,
            "prefecture": definition.prefecture,
            "title": definition.title,
            "definition": definition.as_json(),
            "source_name": source_name,
            "source_sha256": source_sha256,
        }
    )
    return DefinitionLoad(str(record["id"]), year, False, plan.changes, older, previous, **summary)
