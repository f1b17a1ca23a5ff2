"""The demo's calendar reproduces the programme's R4–R6 figures, its R7 plan and rhythm, and
carries R7's on through the fiscal year of ``today``; counted from the stored records (and
through services.programme_counts, as the 分析 tab reads them)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from dxdesk.demo_calendar import seed_calendar
from dxdesk.demo_data import seed_demo
from dxdesk.domain.fiscal_year import fiscal_year_of
from dxdesk.domain.vocabulary import THEMES
from dxdesk.services.programme_counts import programme_year, programme_years
from dxdesk.services.workspace import Workspace, open_workspace

TODAY = date(2025, 11, 15)  # within R7: some of it held, some planned
LATER = date(2026, 12, 7)  # within R8, a year after the review's last
R7_END = "2026-03-31"
R7_TARGETS = {
    "scheme.management_finance": 5,
    "scheme.informatization_advisor": 3,
    "regional_consultation": 2,
    "theme_consultation": 3,
    "joint_training": 1,
    "top_seminar": 1,
    "results_report": 1,
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """The whole demo: its other consultations must not change the calendar's figures."""
    ws = open_workspace(tmp_path_factory.mktemp("demo") / "data")
    seed_demo(ws, today=TODAY)
    yield ws
    ws.close()


@pytest.fixture(scope="module")
def later(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """The calendar alone, as of a day in R8."""
    ws = open_workspace(tmp_path_factory.mktemp("later") / "data")
    seed_calendar(ws, ws.municipalities.overview(assigned_only=False), today=LATER)
    yield ws
    ws.close()


def _in_year(records: list[dict[str, Any]], fiscal_year: int) -> list[dict[str, Any]]:
    return [r for r in records if fiscal_year_of(date.fromisoformat(r["date"])) == fiscal_year]


def _held(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in records if r["status"] == "held"]


@pytest.mark.parametrize(
    ("fiscal_year", "bodies", "uses"), [(2022, 0, 0), (2023, 22, 23), (2024, 20, 34)]
)
def test_national_schemes_r4_to_r6(
    demo: Workspace, fiscal_year: int, bodies: int, uses: int
) -> None:
    schemes = [
        r
        for r in _in_year(demo.engagements.list_records(), fiscal_year)
        if r["type"] == "national_scheme"
    ]
    held = [r for r in _held(schemes) if r["scheme"]]
    assert (len({r["municipality"] for r in held}), len(held)) == (bodies, uses)
    # The cancelled one names a body outside the year's (R5, R6): counting it would show.
    others = [r for r in schemes if r["status"] != "held"]
    assert [r["status"] for r in others] == (["cancelled"] if uses else [])
    assert not {r["municipality"] for r in others} & {r["municipality"] for r in held}


@pytest.mark.parametrize("fiscal_year", [2022, 2023, 2024])
def test_sessions_per_region_and_theme_and_yearly_ones(demo: Workspace, fiscal_year: int) -> None:
    regions = {m["region"] for m in demo.municipalities.overview(assigned_only=False)}
    events = _held(_in_year(demo.events.list_records(), fiscal_year))
    by_type = Counter(e["type"] for e in events)
    regional = Counter(e["region"] for e in events if e["type"] == "regional_consultation")
    assert regional == dict.fromkeys(regions, 2)
    themed = Counter(t for e in events if e["type"] == "theme_consultation" for t in e["themes"])
    assert themed == dict.fromkeys(THEMES, 3)
    assert (by_type["top_seminar"], by_type["results_report"]) == (1, 1)
    assert all(e["attendance"] and set(e["attendance"]) == set(e["participants"]) for e in events)


def test_r5_joint_training_two_venues_25_bodies_48_people(demo: Workspace) -> None:
    trainings = [
        e for e in _in_year(demo.events.list_records(), 2023) if e["type"] == "joint_training"
    ]
    assert sorted("紀北" in e["title"] for e in trainings) == [False, True]
    assert all("紀北" in e["title"] or "紀南" in e["title"] for e in trainings)
    bodies = {code for e in _held(trainings) for code in e["attendance"]}
    people = sum(n for e in _held(trainings) for n in e["attendance"].values())
    assert (len(bodies), people) == (25, 48)


def test_r7_plan_and_cadences(demo: Workspace) -> None:
    plan = demo.programme_plans.for_year(2025)
    assert plan is not None
    assert plan["targets"] == R7_TARGETS
    cadences = demo.cadences.current()
    assert len(cadences) == 30 and {c["months"] for c in cadences.values()} == {2}
    regular = [r for r in demo.engagements.list_records() if r["type"] == "regular_consultation"]
    r6 = Counter(r["municipality"] for r in _held(_in_year(regular, 2024)))
    assert set(r6.values()) == {12}  # monthly in R6
    r7 = Counter(r["municipality"] for r in _in_year(regular, 2025))
    assert set(r7.values()) == {6}  # every two months in R7
    assert all(r["start_time"] < r["end_time"] for r in regular)


def test_r7_held_before_today_planned_after_and_one_late(demo: Workspace) -> None:
    visits = demo.engagements.list_records()
    events = demo.events.list_records()
    r7 = _in_year(visits, 2025) + _in_year(events, 2025)
    past = [r for r in r7 if date.fromisoformat(r["date"]) < TODAY]
    ahead = [r for r in r7 if date.fromisoformat(r["date"]) >= TODAY]
    assert past and ahead
    assert {r["status"] for r in ahead} == {"planned"}
    late = [r for r in past if r["status"] == "planned"]
    assert [(r["type"], r["municipality"]) for r in late] == [("regular_consultation", "302015")]
    assert Counter(r["status"] for r in past)["cancelled"] == 1
    assert not [e for e in events if e["status"] == "planned" and e["attendance"]]
    # Every municipality has its next 定例 planned ahead of today.
    planned_ahead = {
        r["municipality"]
        for r in visits
        if r["type"] == "regular_consultation"
        and r["status"] == "planned"
        and date.fromisoformat(r["date"]) >= TODAY
    }
    assert len(planned_ahead) == 30


def test_same_today_same_calendar(demo: Workspace, tmp_path: Path) -> None:
    again = open_workspace(tmp_path / "again")
    try:
        seed_calendar(again, again.municipalities.overview(assigned_only=False), today=TODAY)

        assert _content(again) == _content(demo)
    finally:
        again.close()


def _content(ws: Workspace, *, until: str = "9999") -> list[tuple[Any, ...]]:
    """The calendar's records dated up to ``until``, as comparable tuples."""
    keep = ("date", "type", "municipality", "status", "scheme", "title", "start_time", "notes")
    rows: list[tuple[Any, ...]] = [
        tuple(str(r.get(k)) for k in keep)
        for r in ws.engagements.list_records()
        if r["start_time"]  # the calendar's (the demo's other consultations have none)
        and r["date"] <= until
    ]
    rows += [
        (e["date"], e["type"], e["title"], e["status"], sorted(e["attendance"].items()))
        for e in ws.events.list_records()
        if e["date"] <= until
    ]
    return sorted(rows, key=str)


def test_programme_counts_reads_the_demo_as_the_review_does(demo: Workspace) -> None:
    r5, r6 = programme_year(demo.store, 2023), programme_year(demo.store, 2024)
    assert (r5.scheme_totals.municipalities, r5.scheme_totals.uses) == (22, 23)
    assert (r6.scheme_totals.municipalities, r6.scheme_totals.uses) == (20, 34)
    r7 = programme_year(demo.store, 2025)
    assert r7.scheme_totals.target == 8


def test_r7_regional_sessions_held_left_a_follow_up_each(demo: Workspace) -> None:
    held = [
        e
        for e in _held(_in_year(demo.events.list_records(), 2025))
        if e["type"] == "regional_consultation"
    ]
    assert held
    for event in held:
        (follow_up,) = demo.events.follow_ups(event["id"])
        assert follow_up["municipality"] in event["participants"]


def test_a_today_in_r7_makes_nothing_after_r7(demo: Workspace) -> None:
    assert programme_years(demo.store)[0] == 2025
    assert demo.programme_plans.for_year(2026) is None
    dates = [r["date"] for r in demo.engagements.list_records() + demo.events.list_records()]
    assert max(dates) <= R7_END


def test_a_later_today_keeps_r4_to_r6_as_they_were(demo: Workspace, later: Workspace) -> None:
    r6_end = "2025-03-31"
    assert _content(later, until=r6_end) == _content(demo, until=r6_end)
    figures = {
        year: (totals.municipalities, totals.uses)
        for year in (2022, 2023, 2024)
        for totals in [programme_year(later.store, year).scheme_totals]
    }
    assert figures == {2022: (0, 0), 2023: (22, 23), 2024: (20, 34)}
    r5_training = [
        e for e in _in_year(later.events.list_records(), 2023) if e["type"] == "joint_training"
    ]
    assert sum(sum(e["attendance"].values()) for e in r5_training) == 48


def test_a_later_today_keeps_r7_whole_and_all_held(demo: Workspace, later: Workspace) -> None:
    def r7(ws: Workspace) -> list[tuple[str, ...]]:
        records = _in_year(ws.engagements.list_records(), 2025) + _in_year(
            ws.events.list_records(), 2025
        )
        return sorted(
            (r["date"], r["type"], r["title"], str(r.get("municipality")))
            for r in records
            if r.get("start_time")
        )

    assert r7(later) == r7(demo)
    statuses = Counter(
        r["status"]
        for r in _in_year(later.engagements.list_records(), 2025)
        + _in_year(later.events.list_records(), 2025)
    )
    assert set(statuses) == {"held", "cancelled"} and statuses["cancelled"] == 1
    assert programme_year(later.store, 2025).scheme_totals.uses == 8


def test_the_year_of_a_later_today_has_its_plan_held_and_planned(later: Workspace) -> None:
    """The 分析 tab and the 合同の場 tab open on today's year: it is never an empty one."""
    plan = later.programme_plans.for_year(2026)
    assert plan is not None and plan["targets"] == R7_TARGETS
    year = programme_year(later.store, 2026)
    events = {row.type: row for row in year.events}
    assert (events["regional_consultation"].held, events["regional_consultation"].planned) == (
        7,
        7,
    )
    assert events["theme_consultation"].held and events["theme_consultation"].planned
    assert (events["joint_training"].held, events["top_seminar"].held) == (1, 1)
    assert (events["results_report"].held, events["results_report"].planned) == (0, 1)
    assert all(row.held and row.planned for row in year.regional)
    # R7's plan months before 12-07: 経営・財務 June, August, October; 情報化 July, November.
    assert (year.scheme_totals.municipalities, year.scheme_totals.uses) == (5, 5)
    assert year.scheme_totals.target == 8
    assert all(row.held and row.planned for row in year.regular)
    records = _in_year(later.engagements.list_records(), 2026) + _in_year(
        later.events.list_records(), 2026
    )
    past = [r for r in records if date.fromisoformat(r["date"]) < LATER]
    assert {r["status"] for r in records if date.fromisoformat(r["date"]) >= LATER} == {"planned"}
    # The one late 定例 is the newest before today; nothing else before today is left planned.
    assert [r["type"] for r in past if r["status"] != "held"] == ["regular_consultation"]
    titles = {e["title"] for e in later.events.list_records()}
    assert "R8 市町村DX合同研修（広域連携）" in titles
    assert "R8 地域別よろず相談（海草・第1回）" in titles
    # Its 地域別 held left their follow-ups, as R7's did.
    held = [
        e
        for e in _held(_in_year(later.events.list_records(), 2026))
        if e["type"] == "regional_consultation"
    ]
    assert held and all(len(later.events.follow_ups(e["id"])) == 1 for e in held)
