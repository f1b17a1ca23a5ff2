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
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any, Final

from sqlalchemy import select

from dxdesk.domain.cadence import add_months
from dxdesk.domain.fiscal_year import fiscal_year_bounds, fiscal_year_of, fiscal_year_to_reiwa
from dxdesk.domain.national_schemes import national_schemes
from dxdesk.domain.programme_plan import SCHEME_PREFIX
from dxdesk.domain.vocabulary import GROUP_EVENT_TYPES, THEMES
from dxdesk.models.tables import MunicipalityRow
from dxdesk.services.workspace import Workspace

CALENDAR_SEED: Final = 20250401
YEARS: Final = (2022, 2023, 2024, 2025)  # R4–R7
PLAN_YEAR: Final = 2025  # R7: the first year with a plan, and the rhythm of the years after
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


def _weekday(day: date) -> date:
    """The day itself, or the Monday after it when it falls on a weekend."""
    return day + timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)


def _month_day(fiscal_year: int, month: int, day: int) -> date:
    """A date in the fiscal year's month (January to March fall in the next calendar year)."""
    return _weekday(date(fiscal_year + (month < 4), month, day))


def _status(day: date, today: date) -> str:
    return "held" if day < today else "planned"


def calendar_years(today: date) -> range:
    """The fiscal years the demo's calendar holds: R4 through ``today``'s year, at least R7."""
    return range(YEARS[0], max(PLAN_YEAR, fiscal_year_of(today)) + 1)


def _later_rng(fiscal_year: int, part: str) -> random.Random:
    """A generator for one part of a year after R7: making a later year (a later ``today``)
    draws nothing from the R4–R7 generator, so those years stay as they were."""
    return random.Random(f"{CALENDAR_SEED}:{fiscal_year}:{part}")


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
        self.events: list[dict[str, Any]] = []

    # -- consultations -------------------------------------------------------------------

    def _visit(self, code: str, day: date, kind: str, title: str, **more: Any) -> dict[str, Any]:
        start, end = SLOT_TIMES[self.codes.index(code) % len(SLOT_TIMES)]
        visit: dict[str, Any] = {
            "municipality": code,
            "date": day.isoformat(),
            "type": kind,
            "mode": "online",
            "title": title,
            "status": _status(day, self.today),
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
                day = _month_day(MONTHLY_YEAR, (month + 3) % 12 + 1, day_of_month)
                self._visit(code, day, "regular_consultation", f"定例よろず相談（{day.month}月）")
            first = date(PLAN_YEAR, 4 + index % CADENCE_MONTHS, day_of_month)
            step = 0
            while (day := _weekday(add_months(first, step * CADENCE_MONTHS))) <= last:
                self._visit(code, day, "regular_consultation", f"定例よろず相談（{day.month}月）")
                step += 1
        r7 = [
            v
            for v in self.visits
            if v["type"] == "regular_consultation" and v["date"] >= f"{PLAN_YEAR}-04-01"
        ]
        past = [v for v in r7 if v["status"] == "held"]
        if len(past) >= 2:
            # The newest past one of the first municipality is still marked planned: late.
            late = max((v for v in past if v["municipality"] == self.codes[0]), key=_date)
            late["status"] = "planned"
            cancelled = min((v for v in past if v["municipality"] == self.codes[1]), key=_date)
            cancelled["status"] = "cancelled"
            cancelled["notes"] = "先方の議会日程と重なったため中止。次回にまとめて相談。"

    def national_schemes(self) -> None:
        for fiscal_year, shares in SCHEME_SHARES.items():
            municipalities, uses = SCHEME_FIGURES[fiscal_year]
            chosen = self.rng.sample(self.codes, municipalities)
            users = chosen + chosen[: uses - municipalities]  # the first ones used two
            schemes = [code for code, n in shares.items() for _ in range(n)]
            for number, (code, scheme) in enumerate(zip(users, schemes, strict=True)):
                day = _month_day(fiscal_year, (5 + number % 10) % 12 + 1, 8 + number % 15)
                self._scheme_visit(code, day, scheme, "held")
            outside = next(code for code in self.codes if code not in chosen)
            self._scheme_visit(
                outside, _month_day(fiscal_year, 1, 20), "management_finance", "cancelled"
            )
        self._plan_scheme_visits(PLAN_YEAR, self.rng)
        for fiscal_year in self.later_years:
            self._plan_scheme_visits(fiscal_year, _later_rng(fiscal_year, "schemes"))

    def _plan_scheme_visits(self, fiscal_year: int, rng: random.Random) -> None:
        """A planned year's national-scheme consultations in its plan's months, each with a
        different municipality: held before ``today``, planned after."""
        planned = rng.sample(self.codes, sum(map(len, PLAN_SCHEME_MONTHS.values())))
        for scheme, months in PLAN_SCHEME_MONTHS.items():
            for month in months:
                day = _month_day(fiscal_year, month, 18)
                self._scheme_visit(planned.pop(), day, scheme, _status(day, self.today))

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

    # -- group sessions ------------------------------------------------------------------

    def _event(
        self,
        rng: random.Random,
        kind: str,
        day: date,
        title: str,
        attendance: Mapping[str, int],
        **more: Any,
    ) -> None:
        status = _status(day, self.today)
        event: dict[str, Any] = {
            "type": kind,
            "date": day.isoformat(),
            "title": title,
            "status": status,
            "start_time": "14:00",
            "end_time": "16:00",  # two hours, as the programme runs them
            "participants": list(attendance),
            "attendance": dict(attendance) if status == "held" else {},
            **more,
        }
        if status == "held":
            event.setdefault("summary", rng.choice(EVENT_SUMMARIES))
        self.events.append(event)

    @staticmethod
    def _people(rng: random.Random, codes: Sequence[str], most: int = 3) -> dict[str, int]:
        return {code: rng.randint(1, most) for code in codes}

    def group_sessions(self) -> None:
        for fiscal_year in YEARS:
            self._year_sessions(fiscal_year, self.rng)
        self._joint_trainings()
        for fiscal_year in self.later_years:
            rng = _later_rng(fiscal_year, "sessions")
            self._year_sessions(fiscal_year, rng)
            self._wide_training(fiscal_year, rng)

    def _year_sessions(self, fiscal_year: int, rng: random.Random) -> None:
        """Every year's sessions: 地域別 twice in each region, テーマ別 three times per theme,
        a トップセミナー and a 成果報告会."""
        reiwa = f"R{fiscal_year_to_reiwa(fiscal_year)}"
        for number, (region, codes) in enumerate(self.regions.items()):
            for round_, month in enumerate(REGIONAL_MONTHS, start=1):
                self._event(
                    rng,
                    "regional_consultation",
                    _month_day(fiscal_year, month, 6 + 3 * number),
                    f"{reiwa} 地域別よろず相談（{region}・第{round_}回）",
                    self._people(rng, codes),
                    region=region,
                    mode="in_person",
                    place=f"{region}振興局 会議室",
                )
        for number, theme in enumerate(THEMES):
            for round_, month in enumerate(THEME_MONTHS, start=1):
                taking_part = rng.sample(self.codes, rng.randint(4, 9))
                self._event(
                    rng,
                    "theme_consultation",
                    _month_day(fiscal_year, month, 5 + 3 * number),
                    f"{reiwa} テーマ別よろず相談（{theme}・第{round_}回）",
                    self._people(rng, taking_part),
                    themes=[theme],
                    mode="online",
                )
        self._event(
            rng,
            "top_seminar",
            _month_day(fiscal_year, 11, 14),
            f"{reiwa} {GROUP_EVENT_TYPES['top_seminar']}（市町村長会議）",
            dict.fromkeys(rng.sample(self.codes, 24), 1),
            mode="in_person",
            place="和歌山県庁 正庁",
            summary="首長どうしのグループワークで、広域で取り組むテーマを話し合った。",
        )
        self._event(
            rng,
            "results_report",
            _month_day(fiscal_year, 2, 17),
            f"{reiwa} {GROUP_EVENT_TYPES['results_report']}",
            self._people(rng, rng.sample(self.codes, 18), most=2),
            mode="in_person",
            place="和歌山県庁 会議室",
        )

    def _joint_trainings(self) -> None:
        venues = [
            (name, day, place, [c for r in regions for c in self.regions.get(r, [])][:-left])
            for name, regions, left, day, place in JOINT_VENUES
        ]
        everyone = [code for *_, codes in venues for code in codes]
        extra = JOINT_PEOPLE - len(everyone)  # the first ``extra`` send two people
        people = {code: 2 if n < extra else 1 for n, code in enumerate(everyone)}
        for name, day, place, codes in venues:
            self._event(
                self.rng,
                "joint_training",
                day,
                f"R5 市町村DX合同研修（{name}会場）",
                {code: people[code] for code in codes},
                mode="in_person",
                place=place,
                start_time="10:00",
                end_time="16:00",
            )
        self._wide_training(PLAN_YEAR, self.rng)

    def _wide_training(self, fiscal_year: int, rng: random.Random) -> None:
        """A planned year's 合同研修: one day, every municipality invited."""
        self._event(
            rng,
            "joint_training",
            _month_day(fiscal_year, 9, 25),
            f"R{fiscal_year_to_reiwa(fiscal_year)} 市町村DX合同研修（広域連携）",
            self._people(rng, self.codes, most=2),
            mode="in_person",
            place="和歌山市内の研修会場",
            start_time="10:00",
            end_time="17:00",
        )

    def _event_follow_ups(self, event: Mapping[str, Any]) -> list[dict[str, Any]]:
        """What a 地域別よろず相談 held in R7 or later left to do: one participant's request."""
        day = date.fromisoformat(event["date"])
        if (
            event["type"] != "regional_consultation"
            or event["status"] != "held"
            or fiscal_year_of(day) < PLAN_YEAR
        ):
            return []
        due = day + timedelta(days=21)
        return [
            {
                "municipality": event["participants"][0],
                "description": EVENT_FOLLOW_UP,
                "owner": "事務局",
                "due": due.isoformat(),
                "status": "done" if due < self.today else "open",
            }
        ]

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
            for event in self.events:
                row = ws.events.insert_in(session, event)
                for follow_up in self._event_follow_ups(event):
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
            "event": len(self.events),
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
    calendar.group_sessions()
    return calendar.write()
