"""The programme calendar's records sync both ways against the real server over TLS.

A consultation's status, times, place and national scheme, a municipality's cadence, a group
session's attendance and a follow-up's session reach the other laptops and the server keeps
them as sent; the year's plan is a coordinator's (an advisor's is refused and kept, readable,
on their laptop, but never counted there; once the laptop knows it is an advisor's, it writes
none); every pull names each municipality's advisors, disabled accounts left out.
"""

from __future__ import annotations

from typing import Any

import pytest

from dxdesk.models.store import META_SYNC_ROLE
from dxdesk.server import admin
from dxdesk.server.tables import Record
from dxdesk.services.programme_counts import programme_year
from dxdesk.services.records import InvalidRecord
from dxdesk.ui.sync_conflict_text import record_text
from tests.server.fixtures import RunningServer, add_user

WAKAYAMA, KAINAN, HASHIMOTO = "302015", "302023", "302031"
FY = 2025


def test_calendar_records_sync_both_ways_and_the_plan_is_the_coordinators(
    server: RunningServer, laptops: Any
) -> None:
    add_user(server.database, "jimukyoku", role="coordinator")
    add_user(server.database, "tanaka", codes=(KAINAN, HASHIMOTO))
    add_user(server.database, "suzuki", codes=(KAINAN,))
    add_user(server.database, "sato", codes=(KAINAN,))
    with server.database.transaction() as session:
        admin.disable_user(session, name="sato")
    office = laptops("jimukyoku", "office")
    plan = office.workspace.programme_plans.add(
        {"fiscal_year": FY, "targets": {"regional_consultation": 2, "scheme.management_finance": 5}}
    )["id"]
    event = office.workspace.events.add(
        {
            "type": "regional_consultation",
            "status": "planned",
            "date": "2025-10-14",
            "start_time": "13:30",
            "end_time": "16:00",
            "title": "地域別よろず相談（海草）",
            "region": "海草",
            "mode": "online",
            "attendance": {KAINAN: 3, HASHIMOTO: 2},
        }
    )["id"]
    assert office.sync().conflicts == 0

    advisor = laptops("tanaka", "tanaka-pc")
    # Written before the laptop's first sync (nothing yet says it is an advisor's): the server
    # refuses it and keeps it out, and on the laptop it is a conflict to read, never the plan.
    own_plan = advisor.workspace.programme_plans.add(
        {"fiscal_year": FY, "targets": {"theme_consultation": 9}}
    )["id"]
    assert advisor.sync().conflicts == 1
    [refused] = advisor.conflicts()
    assert (refused.kind, refused.record_id, refused.reason) == (
        "programme_plan",
        own_plan,
        "refused",
    )
    assert "事務局だけ" in refused.detail
    assert "計画回数: テーマ別よろず相談（テーマごと） 9回" in record_text(
        "programme_plan", refused.mine
    )
    assert advisor.workspace.programme_plans.for_year(FY)["id"] == plan
    assert advisor.workspace.programme_plans.for_year(FY)["targets"] == {
        "regional_consultation": 2,
        "scheme.management_finance": 5,
    }
    # The 分析 tab's and the KPI report's plan is the coordinator's too.
    counted = programme_year(advisor.workspace.store, FY)
    assert (counted.plan_id, counted.scheme_totals.target) == (plan, 5)
    # Once the laptop knows it is an advisor's (logging in stores the role, sync/account.py;
    # this fixture logs in over the wire only), a plan is refused before anything is written.
    advisor.workspace.store.set_meta(META_SYNC_ROLE, "advisor")
    with pytest.raises(InvalidRecord, match="事務局（コーディネーター）だけ"):
        advisor.workspace.programme_plans.add({"fiscal_year": FY, "targets": {}})
    with pytest.raises(InvalidRecord, match="事務局"):
        advisor.workspace.programme_plans.update(plan, {"notes": "変更"})
    with pytest.raises(InvalidRecord, match="事務局"):
        advisor.workspace.programme_plans.delete(plan)
    assert [p["id"] for p in advisor.workspace.programme_plans.list_records()] == [plan, own_plan]
    received = advisor.workspace.events.get(event)
    assert (received["status"], received["start_time"], received["end_time"]) == (
        "planned",
        "13:30",
        "16:00",
    )
    assert received["attendance"] == {KAINAN: 3, HASHIMOTO: 2}
    assert sorted(received["participants"]) == [KAINAN, HASHIMOTO]
    # Who holds each of the advisor's municipalities; a disabled account is no one's advisor.
    advisors = {c: advisor.workspace.municipalities.get(c)["advisors"] for c in (KAINAN, HASHIMOTO)}
    assert advisors == {KAINAN: ["suzuki", "tanaka"], HASHIMOTO: ["tanaka"]}
    assert advisor.workspace.municipalities.get(WAKAYAMA)["advisors"] == []

    visit = advisor.workspace.engagements.add(
        {
            "municipality": KAINAN,
            "date": "2025-11-05",
            "type": "national_scheme",
            "scheme": "management_finance",
            "status": "planned",
            "start_time": "9:30",
            "end_time": "11:00",
            "place": "海南市役所 3階",
            "title": "経営・財務マネジメント強化事業",
        }
    )["id"]
    advisor.workspace.cadences.add({"municipality": KAINAN, "months": 2})
    followup = advisor.workspace.follow_ups.add(
        {"municipality": KAINAN, "description": "地域別の資料を共有", "event": event}
    )["id"]
    summary = advisor.sync()
    assert (summary.pushed, summary.conflicts) == (3, 0)
    with server.database.transaction() as session:
        assert session.get(Record, own_plan) is None
        stored = session.get(Record, visit)
        assert stored is not None
        assert {k: stored.fields[k] for k in ("status", "start_time", "scheme")} == {
            "status": "planned",
            "start_time": "09:30",
            "scheme": "management_finance",
        }

    office.sync()
    [cadence] = office.workspace.cadences.current().values()
    assert (cadence["municipality"], cadence["months"]) == (KAINAN, 2)
    assert office.workspace.follow_ups.get(followup)["event"] == event
    held = office.workspace.engagements.get(visit)
    assert (held["status"], held["place"], held["end_time"]) == (
        "planned",
        "海南市役所 3階",
        "11:00",
    )
    assert office.workspace.programme_plans.for_year(FY)["id"] == plan
    # The session was held: its status and attendance go back to the advisor; the advisor's
    # consultation was held too, and comes to the office.
    office.workspace.events.update(event, {"status": "held", "attendance": {KAINAN: 4}})
    office.sync()
    advisor.workspace.engagements.update(visit, {"status": "held"})
    # An assignment that changes no record reaches the laptop at its next sync all the same.
    with server.database.transaction() as session:
        admin.assign(session, name="suzuki", codes=(HASHIMOTO,))
    advisor.sync()
    after = advisor.workspace.events.get(event)
    assert (after["status"], after["attendance"]) == ("held", {KAINAN: 4})
    assert advisor.workspace.municipalities.get(HASHIMOTO)["advisors"] == ["suzuki", "tanaka"]
    office.sync()
    assert office.workspace.engagements.get(visit)["status"] == "held"
