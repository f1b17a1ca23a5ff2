"""services.schedule over a real store: each municipality's last held and next planned regular
consultation, its due date and whether it is overdue; only the cadence's types count, only held
as held and planned as planned; the municipality list (overview) agrees."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any, NamedTuple

import pytest
from sqlalchemy import update

from dxdesk.models.tables import MunicipalityRow
from dxdesk.services.records import InvalidRecord
from dxdesk.services.schedule import ScheduleRow, schedule, schedule_for
from dxdesk.services.workspace import Workspace, open_workspace

TODAY = date(2025, 6, 15)
WAKAYAMA, KAINAN, HASHIMOTO, ARIDA, GOBO = "302015", "302023", "302031", "302040", "302058"
UNASSIGNED = "302066"  # 田辺市


def consultation(ws: Workspace, code: str, day: str, **fields: Any) -> str:
    payload = {
        "municipality": code,
        "date": day,
        "type": "regular_consultation",
        "mode": "対面",
        "title": f"定例よろず相談 {day}",
        **fields,
    }
    return str(ws.engagements.add(payload)["id"])


class Stored(NamedTuple):
    ws: Workspace
    ids: dict[str, str]  # the records the tests name


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stored]:
    workspace = open_workspace(tmp_path_factory.mktemp("schedule") / "data")
    ids: dict[str, str] = {}
    # 和歌山市, monthly: held 5/20; the rest must not count as its regular consultation.
    workspace.cadences.add({"municipality": WAKAYAMA, "months": 3})
    workspace.cadences.add({"municipality": WAKAYAMA, "months": 1})  # the newest counts
    ids["held"] = consultation(workspace, WAKAYAMA, "2025-05-20")
    consultation(workspace, WAKAYAMA, "2025-03-01", type="visit")
    consultation(workspace, WAKAYAMA, "2025-06-10", type="national_scheme", title="国の制度")
    consultation(workspace, WAKAYAMA, "2025-06-12", status="cancelled")
    gone = consultation(workspace, WAKAYAMA, "2025-06-14")
    workspace.engagements.delete(gone)
    consultation(workspace, WAKAYAMA, "2025-07-10", status="planned", start_time="13:30")
    ids["next"] = consultation(
        workspace, WAKAYAMA, "2025-07-10", status="planned", start_time="09:00", place="本庁"
    )
    consultation(workspace, WAKAYAMA, "2025-09-01", status="planned")
    # 海南市, every two months, nothing at all.
    workspace.cadences.add({"municipality": KAINAN, "months": 2})
    # 橋本市, monthly: held lately, but one planned for 6/5 was never marked held.
    workspace.cadences.add({"municipality": HASHIMOTO, "months": 1})
    consultation(workspace, HASHIMOTO, "2025-06-01")
    ids["late"] = consultation(workspace, HASHIMOTO, "2025-06-05", status="planned")
    # 有田市, no cadence, held long ago.
    consultation(workspace, ARIDA, "2024-01-10", type="visit")
    # 御坊市, monthly, nothing held, one planned in two weeks.
    workspace.cadences.add({"municipality": GOBO, "months": 1})
    consultation(workspace, GOBO, "2025-07-01", status="planned")
    # 田辺市: overdue, but not this advisor's.
    workspace.cadences.add({"municipality": UNASSIGNED, "months": 1})
    with workspace.store.transaction() as session:
        session.execute(
            update(MunicipalityRow).where(MunicipalityRow.code == UNASSIGNED).values(assigned=False)
        )
    yield Stored(workspace, ids)
    workspace.close()


@pytest.fixture(scope="module")
def ws(stored: Stored) -> Workspace:
    return stored.ws


@pytest.fixture(scope="module")
def ids(stored: Stored) -> dict[str, str]:
    return stored.ids


@pytest.fixture(scope="module")
def rows(ws: Workspace) -> dict[str, ScheduleRow]:
    return {row.code: row for row in schedule(ws.store, today=TODAY)}


def test_the_assigned_municipalities_in_roster_order(rows: dict[str, ScheduleRow]) -> None:
    codes = list(rows)
    assert len(codes) == 29
    assert UNASSIGNED not in codes
    assert codes == sorted(codes)


def test_held_within_the_cadence_and_the_earliest_planned_next(
    ids: dict[str, str], rows: dict[str, ScheduleRow]
) -> None:
    row = rows[WAKAYAMA]
    assert (row.name, row.region, row.months) == ("和歌山市", "海草", 1)
    assert row.last_held == {
        "id": ids["held"],
        "date": "2025-05-20",
        "type": "regular_consultation",
        "title": "定例よろず相談 2025-05-20",
    }
    assert row.next_planned == {
        "id": ids["next"],
        "date": "2025-07-10",
        "start_time": "09:00",
        "type": "regular_consultation",
        "title": "定例よろず相談 2025-07-10",
    }
    assert (row.due, row.overdue, row.late) == (date(2025, 6, 20), False, [])


def test_nothing_held_or_planned_is_overdue(rows: dict[str, ScheduleRow]) -> None:
    row = rows[KAINAN]
    assert (row.months, row.last_held, row.next_planned, row.due, row.overdue) == (
        2,
        None,
        None,
        None,
        True,
    )


def test_a_plan_left_planned_past_its_date_is_late_and_overdue(
    ids: dict[str, str], rows: dict[str, ScheduleRow]
) -> None:
    row = rows[HASHIMOTO]
    assert row.overdue
    assert row.last_held is not None and row.last_held["date"] == "2025-06-01"
    assert row.next_planned is None
    assert [(late["id"], late["date"]) for late in row.late] == [(ids["late"], "2025-06-05")]


def test_without_a_cadence_never_overdue_and_planned_ahead_is_enough(
    rows: dict[str, ScheduleRow],
) -> None:
    arida = rows[ARIDA]
    assert (arida.months, arida.overdue, arida.due) == (None, False, None)
    assert arida.last_held is not None and arida.last_held["date"] == "2024-01-10"
    assert (rows[GOBO].overdue, rows[GOBO].last_held) == (False, None)


def test_schedule_for_any_municipality_of_the_roster(ws: Workspace) -> None:
    row = schedule_for(ws.store, UNASSIGNED, today=TODAY)
    assert (row.code, row.name, row.months, row.overdue) == (UNASSIGNED, "田辺市", 1, True)
    # The same municipality on another day: a week before 和歌山市's 9/1 plan is within reach.
    later = schedule_for(ws.store, WAKAYAMA, today=date(2025, 8, 25))
    assert later.next_planned is not None and later.next_planned["date"] == "2025-09-01"
    assert [late["start_time"] for late in later.late] == ["09:00", "13:30"]
    assert later.overdue


def test_codes_are_listed_in_roster_order_and_an_unknown_code_is_refused(ws: Workspace) -> None:
    listed = schedule(ws.store, today=TODAY, codes=[GOBO, WAKAYAMA, GOBO])
    assert [row.code for row in listed] == [WAKAYAMA, GOBO]
    with pytest.raises(InvalidRecord, match="999999"):
        schedule(ws.store, today=TODAY, codes=["999999"])


def test_as_json_gives_iso_dates(rows: dict[str, ScheduleRow]) -> None:
    values = rows[WAKAYAMA].as_json()
    assert values["due"] == "2025-06-20"
    assert values["months"] == 1
    assert set(values) == {
        "code",
        "name",
        "region",
        "months",
        "last_held",
        "next_planned",
        "due",
        "overdue",
        "late",
    }
    assert rows[KAINAN].as_json()["due"] is None


def test_overview_counts_held_only_and_agrees_with_the_schedule(
    ws: Workspace, rows: dict[str, ScheduleRow]
) -> None:
    overview = {m["code"]: m for m in ws.municipalities.overview(today=TODAY)}
    wakayama = overview[WAKAYAMA]
    # The national scheme consultation was held on 6/10: an engagement, though not a 定例;
    # the cancelled 6/12, the deleted 6/14 and the planned ones are not.
    assert wakayama["last_engagement"] == "2025-06-10"
    assert (wakayama["next_planned"], wakayama["overdue"]) == ("2025-07-10", False)
    assert overview[HASHIMOTO]["last_engagement"] == "2025-06-01"
    assert overview[GOBO]["last_engagement"] is None  # planned only
    assert {c: m["overdue"] for c, m in overview.items()} == {
        c: row.overdue for c, row in rows.items()
    }
    everyone = ws.municipalities.overview(assigned_only=False, today=TODAY)
    assert next(m for m in everyone if m["code"] == UNASSIGNED)["overdue"] is True


def test_overview_defaults_to_the_clock(ws: Workspace) -> None:
    # Today is well after every date above: 和歌山市's plans are all late.
    wakayama = next(m for m in ws.municipalities.overview() if m["code"] == WAKAYAMA)
    assert (wakayama["next_planned"], wakayama["overdue"]) == (None, True)
