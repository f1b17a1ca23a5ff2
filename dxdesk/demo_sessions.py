"""The demo's group sessions (合同の場), R4 through the last year made: 地域別よろず相談
twice a year in each 振興局, テーマ別よろず相談 three times a year for each theme, a
トップセミナー and a 成果報告会 every year, the R5 合同研修 at two venues (紀北, 紀南: 25
municipalities, 48 people) and from R7 a 合同研修 with every municipality; and the follow-up
each 地域別 held in R7 or later leaves (dxdesk/demo_calendar.py writes them)."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any, Final

from dxdesk.demo_dates import PLAN_YEAR, YEARS, later_rng, month_day, status_on
from dxdesk.domain.fiscal_year import fiscal_year_of, fiscal_year_to_reiwa
from dxdesk.domain.vocabulary import GROUP_EVENT_TYPES, HELD, THEMES

# The R5 合同研修's two venues: the regions each draws on, the municipalities left out of it.
JOINT_VENUES: Final = (
    ("紀北", ("海草", "那賀", "伊都", "有田"), 2, date(2023, 8, 24), "和歌山市内の研修会場"),
    ("紀南", ("日高", "西牟婁", "東牟婁"), 3, date(2023, 8, 31), "田辺市内の研修会場"),
)
JOINT_PEOPLE: Final = 48
REGIONAL_MONTHS: Final = (7, 12)
THEME_MONTHS: Final = (6, 10, 1)
EVENT_SUMMARIES: Final = (
    "各団体の取組状況を共有し、課題ごとに意見交換。",
    "先行団体の事例紹介のあと、グループで次の一手を検討。",
    "共同で取り組める業務を洗い出し、次回までの宿題を確認。",
)
EVENT_FOLLOW_UP: Final = "相談で話題になった他団体の事例資料を送る"


class GroupSessions:
    """The sessions of the demo's years, in ``events`` once ``make`` has run.

    ``rng`` is the R4–R7 generator, shared with the consultations so that those years draw
    as they always did; each later year draws on a generator of its own."""

    def __init__(
        self,
        codes: Sequence[str],
        regions: Mapping[str, list[str]],
        today: date,
        rng: random.Random,
        later_years: Sequence[int],
    ) -> None:
        self.codes = list(codes)
        self.regions = dict(regions)
        self.today = today
        self.rng = rng
        self.later_years = list(later_years)
        self.events: list[dict[str, Any]] = []

    def make(self) -> None:
        for fiscal_year in YEARS:
            self._year_sessions(fiscal_year, self.rng)
        self._joint_trainings()
        for fiscal_year in self.later_years:
            rng = later_rng(fiscal_year, "sessions")
            self._year_sessions(fiscal_year, rng)
            self._wide_training(fiscal_year, rng)

    def _event(
        self,
        rng: random.Random,
        kind: str,
        day: date,
        title: str,
        attendance: Mapping[str, int],
        **more: Any,
    ) -> None:
        status = status_on(day, self.today)
        event: dict[str, Any] = {
            "type": kind,
            "date": day.isoformat(),
            "title": title,
            "status": status,
            "start_time": "14:00",
            "end_time": "16:00",  # two hours, as the programme runs them
            "participants": list(attendance),
            "attendance": dict(attendance) if status == HELD else {},
            **more,
        }
        if status == HELD:
            event.setdefault("summary", rng.choice(EVENT_SUMMARIES))
        self.events.append(event)

    @staticmethod
    def _people(rng: random.Random, codes: Sequence[str], most: int = 3) -> dict[str, int]:
        return {code: rng.randint(1, most) for code in codes}

    def _year_sessions(self, fiscal_year: int, rng: random.Random) -> None:
        """Every year's sessions: 地域別 twice in each region, テーマ別 three times per theme,
        a トップセミナー and a 成果報告会."""
        reiwa = f"R{fiscal_year_to_reiwa(fiscal_year)}"
        for number, (region, codes) in enumerate(self.regions.items()):
            for round_, month in enumerate(REGIONAL_MONTHS, start=1):
                self._event(
                    rng,
                    "regional_consultation",
                    month_day(fiscal_year, month, 6 + 3 * number),
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
                    month_day(fiscal_year, month, 5 + 3 * number),
                    f"{reiwa} テーマ別よろず相談（{theme}・第{round_}回）",
                    self._people(rng, taking_part),
                    themes=[theme],
                    mode="online",
                )
        self._event(
            rng,
            "top_seminar",
            month_day(fiscal_year, 11, 14),
            f"{reiwa} {GROUP_EVENT_TYPES['top_seminar']}（市町村長会議）",
            dict.fromkeys(rng.sample(self.codes, 24), 1),
            mode="in_person",
            place="和歌山県庁 正庁",
            summary="首長どうしのグループワークで、広域で取り組むテーマを話し合った。",
        )
        self._event(
            rng,
            "results_report",
            month_day(fiscal_year, 2, 17),
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
            month_day(fiscal_year, 9, 25),
            f"R{fiscal_year_to_reiwa(fiscal_year)} 市町村DX合同研修（広域連携）",
            self._people(rng, self.codes, most=2),
            mode="in_person",
            place="和歌山市内の研修会場",
            start_time="10:00",
            end_time="17:00",
        )

    def follow_ups(self, event: Mapping[str, Any]) -> list[dict[str, Any]]:
        """What a 地域別よろず相談 held in R7 or later left to do: one participant's request."""
        day = date.fromisoformat(event["date"])
        if (
            event["type"] != "regional_consultation"
            or event["status"] != HELD
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
