"""Planning regular consultations: the whole plan or nothing, and suggestions that keep the
municipality's rhythm and never fall in the past."""

from __future__ import annotations

from datetime import date

import pytest

from dxdesk.services.planning import (
    PlannedConsultation,
    PlanRefused,
    next_in_rhythm,
    plan_consultations,
    set_cadence,
    suggested_dates,
    suggestions,
)
from dxdesk.services.schedule import schedule_for
from dxdesk.services.workspace import Workspace

TODAY = date(2025, 6, 20)  # a Friday


def _consultation(ws: Workspace, code: str, day: str, status: str, **more: object) -> None:
    ws.engagements.add(
        {"municipality": code, "date": day, "type": "regular_consultation", "status": status} | more
    )


def test_a_plan_is_written_as_planned_regular_consultations(workspace: Workspace) -> None:
    ids = plan_consultations(
        workspace.store,
        [
            PlannedConsultation("302015", date(2025, 7, 8), "10:00", "11:30", "online"),
            PlannedConsultation("303046", date(2025, 7, 9), place="町役場 2階会議室"),
        ],
        today=TODAY,
    )
    stored = [workspace.engagements.get(i) for i in ids]
    assert [(r["municipality"], r["date"], r["type"], r["status"], r["title"]) for r in stored] == [
        ("302015", "2025-07-08", "regular_consultation", "planned", "定例よろず相談（7月）"),
        ("303046", "2025-07-09", "regular_consultation", "planned", "定例よろず相談（7月）"),
    ]
    assert (stored[0]["start_time"], stored[0]["end_time"], stored[0]["mode"]) == (
        "10:00",
        "11:30",
        "online",
    )
    assert (stored[1]["start_time"], stored[1]["place"]) == (None, "町役場 2階会議室")


def test_one_bad_row_writes_nothing_and_every_bad_row_is_named(workspace: Workspace) -> None:
    _consultation(workspace, "303046", "2025-07-09", "planned")
    before = len(workspace.engagements.list_records())
    with pytest.raises(PlanRefused) as refused:
        plan_consultations(
            workspace.store,
            [
                PlannedConsultation("302015", date(2025, 7, 8), "10:00", "11:00"),  # fine
                PlannedConsultation("302023", date(2025, 7, 8), "11:00", "10:00"),  # end first
                PlannedConsultation("303046", date(2025, 7, 9)),  # already planned that day
                PlannedConsultation("999999", date(2025, 7, 8)),  # no such municipality
                PlannedConsultation("302040", date(2025, 7, 8), "25:00"),  # not a time
            ],
            today=TODAY,
        )
    rows = refused.value.rows
    assert sorted(rows) == [1, 2, 3, 4]
    assert "終了" in rows[1] and "既に定例よろず相談の予定があります" in rows[2]
    assert "999999" in rows[3] and "開始" in rows[4]
    assert "何も書き込んでいません" in str(refused.value)
    assert len(workspace.engagements.list_records()) == before


def test_a_date_in_the_past_is_written_and_reads_overdue(workspace: Workspace) -> None:
    # The issue: a planned date that has passed is shown as overdue, never refused.
    workspace.cadences.add({"municipality": "302031", "months": 1})
    [planned] = plan_consultations(
        workspace.store, [PlannedConsultation("302031", date(2025, 6, 19))], today=TODAY
    )
    assert workspace.engagements.get(planned)["status"] == "planned"
    row = schedule_for(workspace.store, "302031", today=TODAY)
    assert row.overdue
    assert [late["id"] for late in row.late] == [planned]


def test_the_same_municipality_twice_on_one_date_is_refused(workspace: Workspace) -> None:
    twice = [PlannedConsultation("302015", date(2025, 7, 8))] * 2
    with pytest.raises(PlanRefused) as refused:
        plan_consultations(workspace.store, twice, today=TODAY)
    assert list(refused.value.rows) == [1]
    assert workspace.engagements.list_records(municipality="302015") == []


def test_the_rhythm_keeps_weekday_and_week_of_the_month() -> None:
    # The 2nd Tuesday of May, every two months: the 2nd Tuesday of July.
    assert next_in_rhythm(date(2025, 5, 13), 2, TODAY) == date(2025, 7, 8)
    # A 5th Thursday the target month lacks: its last Thursday.
    assert next_in_rhythm(date(2025, 5, 29), 1, date(2025, 5, 30)) == date(2025, 6, 26)


def test_suggestions_follow_the_last_consultation_and_the_cadence(workspace: Workspace) -> None:
    _consultation(workspace, "302015", "2025-05-13", "held", start_time="14:00", end_time="15:00")
    workspace.cadences.add({"municipality": "302015", "months": 2})
    _consultation(workspace, "303046", "2025-06-10", "held", mode="online")
    _consultation(workspace, "303046", "2025-06-17", "cancelled")  # not a rhythm
    found = suggestions(workspace.store, ["302015", "303046"], today=TODAY)
    assert found["302015"].date == date(2025, 7, 8)
    assert (found["302015"].start_time, found["302015"].end_time) == ("14:00", "15:00")
    assert (found["303046"].date, found["303046"].mode) == (date(2025, 7, 8), "online")


def test_suggestions_are_never_in_the_past(workspace: Workspace) -> None:
    # Held long ago every month: due long ago, so the first such day from today on.
    _consultation(workspace, "302015", "2024-11-05", "held")  # 1st Tuesday
    # Nothing ever held: next month, on today's weekday.
    dates = suggested_dates(workspace.store, ["302015", "303046"], today=TODAY)
    assert dates == {"302015": date(2025, 7, 1), "303046": date(2025, 7, 18)}
    assert all(day >= TODAY for day in dates.values())


def test_a_consultation_planned_ahead_is_named(workspace: Workspace) -> None:
    _consultation(workspace, "302015", "2025-07-01", "planned")
    found = suggestions(workspace.store, ["302015"], today=TODAY)["302015"]
    assert found.planned_ahead == date(2025, 7, 1)
    assert found.date == date(2025, 8, 5)  # the 1st Tuesday a month after it


def test_two_on_one_day_the_later_time_sets_the_rhythm_as_in_the_schedule(
    workspace: Workspace,
) -> None:
    # Entered later-time first: the schedule and the suggestion both pick the 15:00 one.
    _consultation(workspace, "302015", "2025-06-10", "held", start_time="15:00", end_time="16:00")
    _consultation(workspace, "302015", "2025-06-10", "held", start_time="09:00", end_time="10:00")
    found = suggestions(workspace.store, ["302015"], today=TODAY)["302015"]
    assert (found.start_time, found.end_time) == ("15:00", "16:00")


def test_taking_a_cadence_away_deletes_every_record_of_it(workspace: Workspace) -> None:
    # Two laptops each set one offline: both go, so none counts after.
    workspace.cadences.add({"municipality": "302015", "months": 1})
    workspace.cadences.add({"municipality": "302015", "months": 3})
    workspace.cadences.add({"municipality": "303046", "months": 2})
    set_cadence(workspace.store, "302015", None)
    assert workspace.cadences.list_records(municipality="302015") == []
    assert set(workspace.cadences.current()) == {"303046"}
