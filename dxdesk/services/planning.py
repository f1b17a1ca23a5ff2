"""Planning regular consultations ahead: one 定例よろず相談 per municipality, written as
planned (予定) consultations in one transaction, and the date (and time slot) each would
likely be held on next.

A suggestion keeps the rhythm of the municipality's latest regular consultation (held or
planned): the same weekday in the same week of the month, ``months`` later (the cadence, or
one month without one), at the same times, in the same mode and place. It is never before
``today``.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from dxdesk.domain.cadence import next_weekday, shift_month
from dxdesk.domain.errors import FieldRefusal
from dxdesk.domain.vocabulary import PLANNED
from dxdesk.models.store import Store, StoreError
from dxdesk.models.tables import EngagementRow
from dxdesk.services.calendar_records import CadenceFacade
from dxdesk.services.engagements import EngagementFacade
from dxdesk.services.schedule import Consultation, cadence_consultations, consultation_order

PLANNED_TYPE = "regular_consultation"
# A municipality with no regular consultation yet: planned in the coming month, on a weekday.
_DEFAULT_MONTHS = 1


@dataclass(frozen=True)
class PlannedConsultation:
    """One row of a plan: a regular consultation with ``municipality`` on ``date``."""

    municipality: str
    date: dt.date
    start_time: str | None = None  # 「HH:MM」, or None for all day
    end_time: str | None = None
    mode: str = "in_person"
    place: str = ""


@dataclass(frozen=True)
class Suggestion:
    """What the planning dialog fills a row with; ``planned_ahead`` is the regular
    consultation already planned on or after today (the row is then left unticked)."""

    date: dt.date
    start_time: str | None
    end_time: str | None
    mode: str
    place: str
    planned_ahead: dt.date | None


class PlanRefused(StoreError):
    """Rows of a plan the rules refuse; nothing of the plan was written.

    ``rows`` maps the index of each row at fault to what is wrong with it, for a person.
    """

    def __init__(self, rows: Mapping[int, str]) -> None:
        self.rows = dict(sorted(rows.items()))
        lines = [f"{index + 1} 行目: {why}" for index, why in self.rows.items()]
        super().__init__(
            "予定を作成できませんでした（何も書き込んでいません）\n" + "\n".join(lines)
        )


def planned_title(day: date) -> str:
    return f"定例よろず相談（{day.month}月）"


def _payload(plan: PlannedConsultation) -> dict[str, Any]:
    return {
        "municipality": plan.municipality,
        "date": plan.date.isoformat(),
        "type": PLANNED_TYPE,
        "status": PLANNED,
        "start_time": plan.start_time or None,
        "end_time": plan.end_time or None,
        "mode": plan.mode,
        "place": plan.place,
        "title": planned_title(plan.date),
    }


def _reason(error: FieldRefusal) -> str:
    """「終了: 終了 11:00 が…」: the fields at fault by their labels, else the message."""
    if error.refused:
        return "、".join(
            f"{error.labels.get(name, name)}: {why}" for name, why in error.refused.items()
        )
    return str(error)


def plan_consultations(
    store: Store, plans: Sequence[PlannedConsultation], *, today: date | None = None
) -> list[str]:
    """Write each plan as a planned regular consultation, all of them or none.

    Every row is checked (so a person sees all that is wrong at once); a row at fault, a
    municipality twice on one date, or a regular consultation already planned for it on that
    date refuses the whole plan with ``PlanRefused``. A date before today is written as any
    other: a planned consultation whose date has passed is shown as overdue (期限超過), never
    refused, until it is marked held or cancelled. (``today`` is no longer needed; callers
    may still pass it.)
    Returns the new consultations' ids, in the plans' order.
    """
    del today  # accepted for the callers of the earlier signature
    facade = EngagementFacade(store)
    errors: dict[int, str] = {}
    ids: list[str] = []
    with store.transaction() as session:
        taken = _planned_on(session, {p.municipality for p in plans})
        for index, plan in enumerate(plans):
            key = (plan.municipality, plan.date)
            if key in taken:
                errors[index] = (
                    f"{plan.date:%Y-%m-%d} には既に定例よろず相談の予定があります。"
                    "日付を変えるか、この行を外してください"
                )
                continue
            try:
                row = facade.insert_in(session, _payload(plan))
            except (FieldRefusal, StoreError) as error:
                errors[index] = _reason(error) if isinstance(error, FieldRefusal) else str(error)
                continue
            taken.add(key)
            ids.append(row.id)
        if errors:
            raise PlanRefused(errors)  # (rolls the transaction back: nothing is written)
    return ids


def _planned_on(session: Any, codes: Iterable[str]) -> set[tuple[str, date]]:
    """(municipality, date) of the regular consultations already planned for ``codes``."""
    rows = session.execute(
        select(EngagementRow.municipality, EngagementRow.date).where(
            EngagementRow.deleted.is_(False),
            EngagementRow.status == PLANNED,
            EngagementRow.type == PLANNED_TYPE,
            EngagementRow.municipality.in_(list(codes)),
        )
    ).all()
    return {(code, day) for code, day in rows}


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    """The ``nth`` (1〜5) ``weekday`` of a month; its last one when it has no ``nth``."""
    first = date(year, month, 1)
    day = first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    last = calendar.monthrange(year, month)[1]
    while day.month != month or day.day > last:
        day -= timedelta(days=7)
    return day


def next_in_rhythm(anchor: date, months: int, today: date) -> date:
    """The anchor's weekday and week of the month, ``months`` later; if that is before
    ``today``, the first such day from today's month on."""
    weekday, nth = anchor.weekday(), (anchor.day - 1) // 7 + 1
    year, month = shift_month(anchor.year, anchor.month, months)
    day = _nth_weekday(year, month, weekday, nth)
    year, month = today.year, today.month
    while day < today:
        day = _nth_weekday(year, month, weekday, nth)
        year, month = shift_month(year, month, 1)
    return day


def _first_weekday_day(today: date) -> date:
    """No rhythm yet: the same weekday as today next month (a weekend moves to Monday)."""
    return next_in_rhythm(next_weekday(today), _DEFAULT_MONTHS, today)


def suggestions(store: Store, codes: Iterable[str], *, today: date) -> dict[str, Suggestion]:
    """For each municipality, the next regular consultation as it would likely be held."""
    wanted = list(dict.fromkeys(codes))
    cadences = CadenceFacade(store).current()
    latest: dict[str, Consultation] = {}
    ahead: dict[str, date] = {}
    with store.session() as session:
        by_code = cadence_consultations(session, wanted)
    for code, rows in by_code.items():
        # The latest, held or planned (cancelled ones keep no rhythm), as the schedule picks.
        latest[code] = max(rows, key=consultation_order)
        upcoming = [row.date for row in rows if row.status == PLANNED and row.date >= today]
        if upcoming:
            ahead[code] = min(upcoming)
    found: dict[str, Suggestion] = {}
    for code in wanted:
        cadence = cadences.get(code)
        months = int(cadence["months"]) if cadence else _DEFAULT_MONTHS
        last = latest.get(code)
        if last is None:
            found[code] = Suggestion(_first_weekday_day(today), None, None, "in_person", "", None)
            continue
        found[code] = Suggestion(
            date=next_in_rhythm(last.date, months, today),
            start_time=last.start_time,
            end_time=last.end_time,
            mode=last.mode,
            place=last.place,
            planned_ahead=ahead.get(code),
        )
    return found


def suggested_dates(store: Store, codes: Iterable[str], *, today: date) -> dict[str, date]:
    """Municipality code -> the date its next regular consultation would likely be held on
    (never before ``today``)."""
    return {code: s.date for code, s in suggestions(store, codes, today=today).items()}


def set_cadence(store: Store, code: str, months: int | None, *, note: str = "") -> None:
    """Set a municipality's cadence (every ``months`` months), or take it away (None).

    The cadence that counts is changed in place (one record per municipality, as sync
    merges it); with none, a new one is written. Taking it away deletes every cadence record
    of the municipality (two laptops may each have set one offline) in one transaction, so
    none counts after.
    """
    facade = CadenceFacade(store)
    if months is None:
        facade.remove_for(code)
        return
    current = facade.current().get(code)
    if current is None:
        facade.add({"municipality": code, "months": months, "note": note})
    else:
        facade.update(current["id"], {"months": months, "note": note})
