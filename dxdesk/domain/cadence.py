"""The rhythm of a municipality's regular consultations (定例よろず相談): when the next one is
due, and whether the municipality is overdue (nothing held or planned within its cadence).

Only held consultations count as held; a consultation still planned after its date (``late``)
has not happened: it is shown as overdue, never refused (the advisor marks it held or
cancelled)."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta


def shift_month(year: int, month: int, months: int) -> tuple[int, int]:
    """(year, month) ``months`` later (negative: earlier)."""
    year, index = divmod(year * 12 + month - 1 + months, 12)
    return year, index + 1


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` (negative: back), on the same day of the month or the
    month's last day when it is shorter (1/31 + 1 month = 2/28 or 2/29)."""
    year, month = shift_month(day.year, day.month, months)
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def next_weekday(day: date) -> date:
    """``day`` itself on a weekday; a Saturday or Sunday moves to the Monday after."""
    return day if day.weekday() < 5 else day + timedelta(days=7 - day.weekday())


def cadence_label(months: int | None) -> str:
    """How a cadence is said: 毎月, 2か月ごと …, 未設定 when none is set."""
    if months is None:
        return "未設定"
    return "毎月" if months == 1 else f"{months}か月ごと"


@dataclass(frozen=True)
class CadenceState:
    months: int | None  # the cadence (every N months), None when none is set
    last_held: date | None
    next_planned: date | None  # the first planned on or after today
    due: date | None  # last_held + months: when the next one should be held by
    overdue: bool
    late: tuple[date, ...]  # planned dates before today, still planned (oldest first)


def cadence_state(
    months: int | None, held: Iterable[date], planned: Iterable[date], today: date
) -> CadenceState:
    """Where a municipality stands against its cadence on ``today``.

    Overdue when a cadence is set and either the next one was due before ``today`` (``due``,
    the last held plus the cadence: the date the schedule shows, so the two always agree) and
    nothing is planned from today to ``today + months``, or a planned consultation's date has
    passed while it is still planned. Without a cadence nothing is overdue (late planned
    ones are still listed in ``late``, for the record itself to be marked).
    """
    if months is not None and months < 1:
        raise ValueError(f"a cadence is at least one month, not {months}")
    held_dates = sorted(held)
    planned_dates = sorted(planned)
    last_held = held_dates[-1] if held_dates else None
    late = tuple(d for d in planned_dates if d < today)
    next_planned = next((d for d in planned_dates if d >= today), None)
    if months is None:
        return CadenceState(None, last_held, next_planned, None, False, late)
    due = None if last_held is None else add_months(last_held, months)
    held_within = due is not None and due >= today
    planned_within = next_planned is not None and next_planned <= add_months(today, months)
    overdue = bool(late) or not (held_within or planned_within)
    return CadenceState(months, last_held, next_planned, due, overdue, late)
