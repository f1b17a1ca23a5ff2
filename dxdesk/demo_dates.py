"""The demo calendar's dates and draws (dxdesk/demo_calendar.py, dxdesk/demo_sessions.py):
its years, a day in a fiscal year's month on a weekday, held before the demo's ``today`` and
planned from it on, and the seeded generators that make the same records for the same
``today``."""

from __future__ import annotations

import random
from datetime import date
from typing import Final

from dxdesk.domain.cadence import next_weekday
from dxdesk.domain.fiscal_year import fiscal_year_of
from dxdesk.domain.vocabulary import HELD, PLANNED

CALENDAR_SEED: Final = 20250401
YEARS: Final = (2022, 2023, 2024, 2025)  # R4–R7
PLAN_YEAR: Final = 2025  # R7: the first year with a plan, and the rhythm of the years after


def month_day(fiscal_year: int, month: int, day: int) -> date:
    """A date in the fiscal year's month (January to March fall in the next calendar year),
    on a weekday (a weekend moves to the Monday after)."""
    return next_weekday(date(fiscal_year + (month < 4), month, day))


def status_on(day: date, today: date) -> str:
    """Held before ``today``, planned from it on."""
    return HELD if day < today else PLANNED


def calendar_years(today: date) -> range:
    """The fiscal years the demo's calendar holds: R4 through ``today``'s year, at least R7."""
    return range(YEARS[0], max(PLAN_YEAR, fiscal_year_of(today)) + 1)


def later_rng(fiscal_year: int, part: str) -> random.Random:
    """A generator for one part of a year after R7: making a later year (a later ``today``)
    draws nothing from the R4–R7 generator, so those years stay as they were."""
    return random.Random(f"{CALENDAR_SEED}:{fiscal_year}:{part}")
