"""The plan against what was held, counted on a small real store (R7 = fiscal year 2025)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dxdesk.models.store import META_SYNC_ROLE
from dxdesk.services.assignment import set_assignment
from dxdesk.services.programme_counts import (
    ProgrammeYear,
    SchemeTotals,
    programme_year,
    programme_years,
)
from dxdesk.services.programme_plan_edits import PlanRefused, save_programme_plan
from dxdesk.services.records import InvalidRecord
from dxdesk.services.workspace import Workspace, open_workspace

WAKAYAMA, KAINAN, HASHIMOTO, ARIDA = "302015", "302023", "302031", "302040"
BPR, PEOPLE = "窓口BPR・庁内BPR", "DX人材育成・確保"


def _visit(
    code: str, day: str, type_: str, status: str = "held", **extra: object
) -> dict[str, object]:
    return {
        "municipality": code,
        "date": day,
        "title": "相談",
        "type": type_,
        "status": status,
        **extra,
    }


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    workspace = open_workspace(Path(tmp_path_factory.mktemp("programme")) / "data")
    workspace.cadences.add({"municipality": WAKAYAMA, "months": 2})
    workspace.cadences.add({"municipality": KAINAN, "months": 1})
    for day, status in [
        ("2025-05-10", "held"),
        ("2025-07-10", "held"),
        ("2025-09-10", "cancelled"),
        ("2025-11-10", "planned"),
        ("2026-04-10", "held"),  # R8: not this year's
    ]:
        workspace.engagements.add(_visit(WAKAYAMA, day, "regular_consultation", status))
    workspace.engagements.add(_visit(KAINAN, "2025-06-01", "visit"))  # a visit in its place
    # National schemes: 2 bodies, 3 uses held; one planned and one cancelled not counted.
    scheme = "national_scheme"
    workspace.engagements.add(_visit(WAKAYAMA, "2025-06-02", scheme, scheme="management_finance"))
    workspace.engagements.add(_visit(WAKAYAMA, "2025-08-02", scheme, scheme="management_finance"))
    workspace.engagements.add(
        _visit(KAINAN, "2025-08-03", scheme, scheme="informatization_advisor")
    )
    workspace.engagements.add(
        _visit(KAINAN, "2025-12-03", scheme, "planned", scheme="management_finance")
    )
    workspace.engagements.add(
        _visit(ARIDA, "2025-10-03", scheme, "cancelled", scheme="management_finance")
    )
    events = workspace.events
    events.add(
        {
            "type": "regional_consultation",
            "date": "2025-06-20",
            "title": "地域別よろず相談（海草）",
            "region": "海草",
            "attendance": {WAKAYAMA: 3, KAINAN: 2},
        }
    )
    events.add(
        {
            "type": "regional_consultation",
            "date": "2026-01-20",
            "title": "地域別よろず相談（海草）第2回",
            "region": "海草",
            "status": "planned",
            "participants": [WAKAYAMA],
        }
    )
    events.add(
        {
            "type": "theme_consultation",
            "date": "2025-07-01",
            "title": "窓口と人材",
            "themes": [BPR, PEOPLE],
            "attendance": {HASHIMOTO: 4, WAKAYAMA: 1},
        }
    )
    events.add(
        {
            "type": "theme_consultation",
            "date": "2025-08-01",
            "title": "窓口（中止）",
            "themes": [BPR],
            "status": "cancelled",
            "attendance": {ARIDA: 9},
        }
    )
    save_programme_plan(
        workspace.store,
        2025,
        {
            "regional_consultation": 2,
            "theme_consultation": 3,
            "scheme.management_finance": 5,
            "scheme.informatization_advisor": 3,
        },
        "R7 の計画",
    )
    yield workspace
    workspace.close()


@pytest.fixture(scope="module")
def year(ws: Workspace) -> ProgrammeYear:
    return programme_year(ws.store, 2025)


def test_regular_consultations_count_held_apart_from_planned_and_cancelled(
    year: ProgrammeYear,
) -> None:
    rows = {row.code: row for row in year.regular}
    assert len(rows) == 30  # every municipality of the roster
    wakayama = rows[WAKAYAMA]
    assert (wakayama.months, wakayama.expected) == (2, 6)
    assert (wakayama.held, wakayama.planned, wakayama.cancelled) == (2, 1, 1)
    assert (rows[KAINAN].months, rows[KAINAN].expected, rows[KAINAN].held) == (1, 12, 1)
    assert (rows[ARIDA].months, rows[ARIDA].expected, rows[ARIDA].held) == (None, None, 0)


def test_regional_sessions_per_region_against_the_per_region_target(year: ProgrammeYear) -> None:
    regions = {row.key: row for row in year.regional}
    assert list(regions)[:2] == ["海草", "伊都"] and len(regions) == 7
    kaiso = regions["海草"]
    assert (kaiso.held, kaiso.planned, kaiso.cancelled, kaiso.target) == (1, 1, 0, 2)
    assert (regions["伊都"].held, regions["伊都"].target) == (0, 2)


def test_an_event_with_two_themes_counts_for_each(year: ProgrammeYear) -> None:
    themes = {row.key: row for row in year.themes}
    assert len(themes) == 6
    assert (themes[BPR].held, themes[BPR].cancelled, themes[BPR].target) == (1, 1, 3)
    assert (themes[PEOPLE].held, themes[PEOPLE].cancelled) == (1, 0)
    assert sum(row.held for row in year.themes) == 2  # one event, two themes


def test_events_and_attendance_count_held_sessions_only(year: ProgrammeYear) -> None:
    types = {row.type: row for row in year.events}
    regional, themed = types["regional_consultation"], types["theme_consultation"]
    assert (regional.held, regional.planned, regional.target) == (1, 1, 2 * 7)
    assert (regional.municipalities, regional.people) == (2, 5)
    assert (themed.held, themed.cancelled, themed.target) == (1, 1, 3 * 6)
    assert (themed.municipalities, themed.people) == (2, 5)  # the cancelled one's 9 are not
    assert types["top_seminar"].target is None
    assert "regular_consultation" not in types  # the legacy kind only where a record has it
    attendance = year.attendance
    assert (attendance.events, attendance.municipalities, attendance.people) == (2, 3, 10)


def test_national_schemes_count_bodies_and_uses_against_the_plan(year: ProgrammeYear) -> None:
    schemes = {row.code: row for row in year.schemes}
    finance = schemes["management_finance"]
    assert (finance.uses, finance.municipalities, finance.target) == (2, 1, 5)
    advisor = schemes["informatization_advisor"]
    assert (advisor.uses, advisor.municipalities, advisor.target) == (1, 1, 3)
    assert year.scheme_totals == SchemeTotals(municipalities=2, uses=3, target=8)


def test_the_plan_and_the_years_on_record(ws: Workspace, year: ProgrammeYear) -> None:
    assert year.plan_id is not None and year.plan_notes == "R7 の計画"
    assert year.as_json()["scheme_totals"] == {"municipalities": 2, "uses": 3, "target": 8}
    assert programme_years(ws.store) == [2026, 2025]
    empty = programme_year(ws.store, 2023)
    assert empty.plan_id is None and empty.scheme_totals.target is None
    assert all(row.target is None for row in empty.regional)


def test_saving_a_plan_again_replaces_its_targets(ws: Workspace) -> None:
    first = save_programme_plan(ws.store, 2026, {"joint_training": 1})
    again = save_programme_plan(ws.store, 2026, {"top_seminar": 2}, "見直し")
    assert again["id"] == first["id"]
    assert ws.programme_plans.for_year(2026) == again
    assert again["targets"] == {"top_seminar": 2}


def test_bad_targets_and_an_advisor_are_refused_with_nothing_written(
    tmp_path: Path,
) -> None:
    ws = open_workspace(tmp_path / "data")
    try:
        with pytest.raises(ValueError, match=r"targets（計画回数）の .* 0〜10,000 の整数"):
            save_programme_plan(ws.store, 2025, {"joint_training": -1})
        ws.store.set_meta(META_SYNC_ROLE, "advisor")
        with pytest.raises(PlanRefused, match="事務局"):
            save_programme_plan(ws.store, 2025, {"joint_training": 1})
        # Every other way in (the CLI's records add, a script) is refused alike.
        with pytest.raises(InvalidRecord, match="事務局（コーディネーター）だけ"):
            ws.programme_plans.add({"fiscal_year": 2025, "targets": {"joint_training": 1}})
        assert ws.programme_plans.for_year(2025) is None
        assert ws.programme_plans.list_records() == []
    finally:
        ws.close()


def test_an_advisors_laptop_lists_its_own_municipalities_regular_consultations(
    tmp_path: Path,
) -> None:
    ws = open_workspace(tmp_path / "data")
    try:
        with ws.store.transaction() as session:
            set_assignment(session, [KAINAN, WAKAYAMA])
        assert [row.name for row in programme_year(ws.store, 2025).regular] == [
            "和歌山市",
            "海南市",
        ]
    finally:
        ws.close()


def test_the_fiscal_year_turns_between_march_31_and_april_1(tmp_path: Path) -> None:
    ws = open_workspace(tmp_path / "data")
    try:
        ws.cadences.add({"municipality": HASHIMOTO, "months": 18})
        for day in ("2026-03-31", "2026-04-01"):
            ws.engagements.add(_visit(HASHIMOTO, day, "regular_consultation"))
            ws.engagements.add(_visit(KAINAN, day, "national_scheme", scheme="management_finance"))
            ws.events.add(
                {
                    "type": "joint_training",
                    "date": day,
                    "title": f"合同研修 {day}",
                    "attendance": {KAINAN: 2},
                }
            )
        r7, r8 = programme_year(ws.store, 2025), programme_year(ws.store, 2026)
        for year in (r7, r8):  # one of each on either side of the turn
            hashimoto = next(row for row in year.regular if row.code == HASHIMOTO)
            # An 18-month cadence asks for no whole number in a year (not 「0 / …」).
            assert (hashimoto.held, hashimoto.months, hashimoto.expected) == (1, 18, None)
            assert (year.scheme_totals.uses, year.attendance.events) == (1, 1)
            assert year.attendance.people == 2
        assert programme_years(ws.store) == [2026, 2025]
    finally:
        ws.close()
