"""Setting a fiscal year's plan (年度計画): only the secretariat (a coordinator) does it, as
with a survey definition. The server refuses anyone else's change too; this (and the plan's
facade, for every other caller) says it before, with nothing written."""

from __future__ import annotations

from collections.abc import Mapping

from dxdesk.domain.errors import DomainError
from dxdesk.domain.record_fields import clean_value
from dxdesk.models.store import Store
from dxdesk.services.calendar_records import ADVISOR_PLAN_REFUSAL, ProgrammePlanFacade
from dxdesk.services.records import Record
from dxdesk.services.survey_access import is_advisor


class PlanRefused(DomainError):
    pass


def may_edit_plan(store: Store) -> bool:
    """A coordinator's folder, or one never synced (its own secretariat)."""
    return not is_advisor(store)


def save_programme_plan(
    store: Store, fiscal_year: int, targets: Mapping[str, int], notes: str = ""
) -> Record:
    """Write the year's plan: the plan that counts is updated, or a first one added.

    Targets are checked whole before anything is written (a bad one refuses them all).
    """
    if not may_edit_plan(store):
        raise PlanRefused(ADVISOR_PLAN_REFUSAL)
    plans = ProgrammePlanFacade(store)
    cleaned = clean_value(plans.spec.field("targets"), dict(targets))
    current = plans.for_year(fiscal_year)
    if current is None:
        return plans.add({"fiscal_year": fiscal_year, "targets": cleaned, "notes": notes})
    return plans.update(current["id"], {"targets": cleaned, "notes": notes})
