"""The demo's programme calendar: R4–R7 (fiscal years 2022–2025) as the programme's own review
tells it (/work/shared/reference/programme-calendar.md), and every year after R7 up to the fiscal
year of the demo's ``today`` in R7's rhythm, written whole in one transaction.

- National advisor schemes, held consultations of type national_scheme naming their scheme:
  R4 0団体0件, R5 22団体23件, R6 20団体34件 (one more in R6 was cancelled and counts nowhere).
- 地域別よろず相談 twice a year in each 振興局, テーマ別よろず相談 three times a year for each
  theme, a トップセミナー and a 成果報告会 every year; the R5 合同研修 at two venues (紀北, 紀南)
  with 25 municipalities and 48 people in all; the R7 合同研修 with all municipalities.
- 定例よろず相談: monthly in R6, every two months from R7 (each municipality's cadence).
- The R7 plan (programme_plan for 2025); a follow-up from each R7 地域別よろず相談 held.
- Each year after R7 up to ``today``'s (so that the year the app opens on is never empty): a
  plan of its own with R7's targets, its sessions at R7's times of year (its 合同研修 with all
  municipalities) and its national-scheme consultations in R7's plan's months; a follow-up from
  each 地域別 held. These years draw on generators of their own, so R4–R7 come out the same
  whatever ``today`` is, up to what is held or still planned.

Dates are fixed; only what is held and what is still planned depends on the demo's ``today``:
a session dated before it is held, one on or after it planned, and the 定例 go on to the end
of the last year made, or a few months after ``today`` if that is later, so that every
municipality has its next one planned. One 定例
before ``today`` is left planned (late, shown as overdue) and one is cancelled. The same
``today`` always gives the same records (a generator of its own, seeded).

The consultations, cadences and plans are made here; the group sessions and their follow-ups
in dxdesk/demo_sessions.py; the dates and generators both use in dxdesk/demo_dates.py.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Final

from sqlalchemy import select

from dxdesk.demo_dates import (
    CALENDAR_SEED,
    PLAN_YEAR,
    calendar_years,
    later_rng,
    month_day,
    status_on,
)
from dxdesk.demo_sessions import GroupSessions
from dxdesk.domain.cadence import add_months, next_weekday
from dxdesk.domain.fiscal_year import fiscal_year_bounds
from dxdesk.domain.national_schemes import national_schemes
from dxdesk.domain.programme_plan import SCHEME_PREFIX
from dxdesk.domain.vocabulary import CANCELLED, HELD, PLANNED
from dxdesk.models.tables import MunicipalityRow
from dxdesk.services.workspace import Workspace

MONTHLY_YEAR: Final = 2024  # R6: 定例 every month
CADENCE_MONTHS: Final = 2  # from R7
# Held national-scheme consultations per fiscal year: (municipalities, uses) and the schemes'
# share of the uses, in order.
SCHEME_FIGURES: Final[Mapping[int, tuple[int, int]]] = {
    2022: (0, 0),
    2023: (22, 23),
    2024: (20, 34),
}
SCHEME_SHARES: Final[Mapping[int, Mapping[str, int]]] = {
    2023: {
        "informatization_advisor": 9,
        "management_finance": 8,
        "dx_external_staff": 4,
        "regional_revitalization_staff": 2,
    },
    2024: {
        "management_finance": 12,
        "informatization_advisor": 10,
        "dx_external_staff": 7,
        "regional_revitalization_staff": 3,
        "other": 2,
    },
}
# The R7 plan and the months its national-scheme consultations fall in.
PLAN_TARGETS: Final[Mapping[str, int]] = {
    "scheme.management_finance": 5,
    "scheme.informatization_advisor": 3,
    "regional_consultation": 2,
    "theme_consultation": 3,
    "joint_training": 1,
    "top_seminar": 1,
    "results_report": 1,
}
PLAN_SCHEME_MONTHS: Final[Mapping[str, tuple[int, ...]]] = {
    "management_finance": (6, 8, 10, 12, 2),
    "informatization_advisor": (7, 11, 1),
}
# The R5 合同研修's two venues: the regions each draws on, the municipalities left out of it.
JOINT_VENUES: Final = (
    ("紀北", ("海草", "那賀", "伊都", "有田"), 2, date(2023, 8, 24), "和歌山市内の研修会場"),
    ("紀南", ("日高", "西牟婁", "東牟婁"), 3, date(2023, 8, 31), "田辺市内の研修会場"),
)
JOINT_PEOPLE: Final = 48
REGIONAL_MONTHS: Final = (7, 12)
THEME_MONTHS: Final = (6, 10, 1)
SLOT_TIMES: Final = (("10:00", "11:00"), ("13:30", "14:30"), ("15:00", "16:00"))
EVENT_SUMMARIES: Final = (
    "各団体の取組状況を共有し、課題ごとに意見交換。",
    "先行団体の事例紹介のあと、グループで次の一手を検討。",
    "共同で取り組める業務を洗い出し、次回までの宿題を確認。",
)
EVENT_FOLLOW_UP: Final = "相談で話題になった他団体の事例資料を送る"
PLANNED_AHEAD_MONTHS: Final = 4  # how far past ``today`` the 定例 are planned


class _Calendar:
    def __init__(self, ws: Workspace, roster: Sequence[Mapping[str, Any]], today: date) -> None:
        self.ws = ws
        self.today = today
        self.rng = random.Random(CALENDAR_SEED)
        self.plan_years = [y for y in calendar_years(today) if y >= PLAN_YEAR]
        self.later_years = [y for y in self.plan_years if y > PLAN_YEAR]
        self.codes = [str(m["code"]) for m in roster]
        self.regions: dict[str, list[str]] = {}
        for m in roster:
            self.regions.setdefault(str(m["region"]), []).append(str(m["code"]))
        self.visits: list[dict[str, Any]] = []
        self.sessions = GroupSessions(self.codes, self.regions, today, self.rng, self.later_years)

    # -- consultations -------------------------------------------------------------------

    def _visit(self, code: str, day: date, kind: str, title: str, **more: Any) -> dict[str, Any]:
        start, end = SLOT_TIMES[self.codes.index(code) % len(SLOT_TIMES)]
        visit: dict[str, Any] = {
            "municipality": code,
            "date": day.isoformat(),
            "type": kind,
            "mode": "online",
            "title": title,
            "status": status_on(day, self.today),
            "start_time": start,
            "end_time": end,
            **more,
        }
        self.visits.append(visit)
        return visit

    def regular_consultations(self) -> None:
        """R6 monthly; from R7 every two months, through the last year made (``today``'s, at
        least R7) and, if later, a few months past ``today``."""
        last = max(
            add_months(self.today, PLANNED_AHEAD_MONTHS),
            fiscal_year_bounds(self.plan_years[-1])[1],
        )
        for index, code in enumerate(self.codes):
            day_of_month = 4 + index % 20
            for month in range(12):
                day = month_day(MONTHLY_YEAR, (month + 3) % 12 + 1, day_of_month)
                self._visit(code, day, "regular_consultation", f"定例よろず相談（{day.month}月）")
            first = date(PLAN_YEAR, 4 + index % CADENCE_MONTHS, day_of_month)
            step = 0
            while (day := next_weekday(add_months(first, step * CADENCE_MONTHS))) <= last:
                self._visit(code, day, "regular_consultation", f"定例よろず相談（{day.month}月）")
                step += 1
        r7 = [
            v
            for v in self.visits
            if v["type"] == "regular_consultation" and v["date"] >= f"{PLAN_YEAR}-04-01"
        ]
        past = [v for v in r7 if v["status"] == HELD]
        if len(past) >= 2:
            # The newest past one of the first municipality is still marked planned: late.
            late = max((v for v in past if v["municipality"] == self.codes[0]), key=_date)
            late["status"] = PLANNED
            cancelled = min((v for v in past if v["municipality"] == self.codes[1]), key=_date)
            cancelled["status"] = CANCELLED
            cancelled["notes"] = "先方の議会日程と重なったため中止。次回にまとめて相談。"

    def national_schemes(self) -> None:
        for fiscal_year, shares in SCHEME_SHARES.items():
            municipalities, uses = SCHEME_FIGURES[fiscal_year]
            chosen = self.rng.sample(self.codes, municipalities)
            users = chosen + chosen[: uses - municipalities]  # the first ones used two
            schemes = [code for code, n in shares.items() for _ in range(n)]
            for number, (code, scheme) in enumerate(zip(users, schemes, strict=True)):
                day = month_day(fiscal_year, (5 + number % 10) % 12 + 1, 8 + number % 15)
                self._scheme_visit(code, day, scheme, HELD)
            outside = next(code for code in self.codes if code not in chosen)
            self._scheme_visit(
                outside, month_day(fiscal_year, 1, 20), "management_finance", CANCELLED
            )
        self._plan_scheme_visits(PLAN_YEAR, self.rng)
        for fiscal_year in self.later_years:
            self._plan_scheme_visits(fiscal_year, later_rng(fiscal_year, "schemes"))

    def _plan_scheme_visits(self, fiscal_year: int, rng: random.Random) -> None:
        """A planned year's national-scheme consultations in its plan's months, each with a
        different municipality: held before ``today``, planned after."""
        planned = rng.sample(self.codes, sum(map(len, PLAN_SCHEME_MONTHS.values())))
        for scheme, months in PLAN_SCHEME_MONTHS.items():
            for month in months:
                day = month_day(fiscal_year, month, 18)
                self._scheme_visit(planned.pop(), day, scheme, status_on(day, self.today))

    def _scheme_visit(self, code: str, day: date, scheme: str, status: str) -> None:
        self._visit(
            code,
            day,
            "national_scheme",
            national_schemes()[scheme],
            scheme=scheme,
            status=status,
            mode="in_person",
            place="庁舎 会議室",
        )

    # -- writing -------------------------------------------------------------------------

    def write(self) -> dict[str, int]:
        """Everything in one transaction: the calendar is there whole or not at all."""
        ws = self.ws
        with ws.store.transaction() as session:
            # Held here, every municipality's row stays in the session's identity map: each
            # record's municipality check then finds it there instead of flushing and querying.
            roster_rows = session.scalars(select(MunicipalityRow)).all()
            for visit in self.visits:
                ws.engagements.insert_in(session, visit)
            follow_ups = 0
            for event in self.sessions.events:
                row = ws.events.insert_in(session, event)
                for follow_up in self.sessions.follow_ups(event):
                    ws.follow_ups.insert_in(session, {**follow_up, "event": row.id})
                    follow_ups += 1
            for code in self.codes:
                ws.cadences.insert_in(
                    session,
                    {
                        "municipality": code,
                        "months": CADENCE_MONTHS,
                        "note": "R6は毎月（オンライン）、R7から2か月ごと",
                    },
                )
            notes = "個別支援から広域連携へ。国の制度は" + "、".join(
                f"{national_schemes()[key[len(SCHEME_PREFIX) :]]} {n}回/年"
                for key, n in PLAN_TARGETS.items()
                if key.startswith(SCHEME_PREFIX)
            )
            for fiscal_year in self.plan_years:  # R7's plan, kept for each year after it
                ws.programme_plans.insert_in(
                    session,
                    {"fiscal_year": fiscal_year, "targets": dict(PLAN_TARGETS), "notes": notes},
                )
            del roster_rows
        return {
            "visit": len(self.visits),
            "event": len(self.sessions.events),
            "followup": follow_ups,
            "cadence": len(self.codes),
            "programme_plan": len(self.plan_years),
        }


def _date(record: Mapping[str, Any]) -> str:
    return str(record["date"])


def seed_calendar(
    ws: Workspace, roster: Sequence[Mapping[str, Any]], *, today: date
) -> dict[str, int]:
    """Write the demo's calendar for the municipalities of ``roster`` (code, region), as of
    ``today``; returns how many records of each kind were made."""
    calendar = _Calendar(ws, roster, today)
    calendar.regular_consultations()
    calendar.national_schemes()
    calendar.sessions.make()
    return calendar.write()
