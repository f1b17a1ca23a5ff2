from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update

from dxdesk.domain.errors import DomainError
from dxdesk.models.outbox_tables import PendingChange, RecordBase
from dxdesk.models.tables import EngagementRow
from dxdesk.services.records import InvalidRecord, RecordNotFound
from dxdesk.services.workspace import Workspace


def _pending(ws: Workspace, record_id: str) -> set[tuple[str, str]]:
    with ws.store.session() as s:
        rows = s.scalars(select(PendingChange).where(PendingChange.record_id == record_id))
        return {(p.field, p.op) for p in rows}


def _counts(ws: Workspace) -> tuple[int, int]:
    with ws.store.session() as s:
        return (
            s.scalar(select(func.count()).select_from(EngagementRow)) or 0,
            s.scalar(select(func.count()).select_from(PendingChange)) or 0,
        )


def _as_synced(ws: Workspace, record_id: str) -> None:
    """What a completed push leaves behind: a server revision and nothing pending."""
    with ws.store.transaction() as s:
        s.execute(update(EngagementRow).where(EngagementRow.id == record_id).values(server_rev=7))
        s.query(PendingChange).filter(PendingChange.record_id == record_id).delete()


def test_visit_round_trip_keeps_every_field(
    workspace: Workspace, visit_payload: dict[str, Any]
) -> None:
    added = workspace.engagements.add(visit_payload)
    got = workspace.engagements.get(added["id"])
    assert got == added
    assert got["mode"] == "in_person"  # the label 対面 was stored as its code
    assert got["date"] == "2025-06-12"
    assert got["themes"] == ["窓口BPR・庁内BPR"]
    assert got["municipal_attendees"] == []
    assert _pending(workspace, added["id"]) == {("*", "create")}


def test_edits_before_the_first_push_are_tracked_beside_the_create(
    workspace: Workspace, visit_payload: dict[str, Any]
) -> None:
    # The next push sends one create with every field; the field rows matter only when the
    # edit comes while that create is on its way (tests/e2e: ..._sent_too).
    added = workspace.engagements.add(visit_payload)
    workspace.engagements.update(added["id"], {"summary": "変更"})
    assert _pending(workspace, added["id"]) == {("*", "create"), ("summary", "update")}


def test_updates_of_a_synced_record_are_tracked_per_field(
    workspace: Workspace, visit_payload: dict[str, Any]
) -> None:
    added = workspace.engagements.add(visit_payload)
    _as_synced(workspace, added["id"])
    updated = workspace.engagements.update(
        added["id"], {"summary": "変更後", "title": visit_payload["title"]}
    )
    assert updated["summary"] == "変更後"
    assert updated["notes"] == visit_payload["notes"]
    # The title was sent unchanged, so only the summary waits to be pushed.
    assert _pending(workspace, added["id"]) == {("summary", "update")}
    workspace.engagements.update(added["id"], {"summary": "もう一度"})
    assert _pending(workspace, added["id"]) == {("summary", "update")}


def test_delete_is_a_tombstone_that_takes_notes_and_follow_ups_along(
    workspace: Workspace, visit_payload: dict[str, Any]
) -> None:
    visit = workspace.engagements.add(visit_payload)
    _as_synced(workspace, visit["id"])
    note = workspace.interviews.add({"engagement": visit["id"], "interviewee": "山本"})
    follow = workspace.follow_ups.add({"engagement": visit["id"], "description": "資料送付"})
    workspace.engagements.delete(visit["id"])
    with pytest.raises(RecordNotFound):
        workspace.engagements.get(visit["id"])
    assert workspace.engagements.list_records() == []
    assert workspace.interviews.list_records(engagement=visit["id"]) == []
    assert workspace.follow_ups.list_records() == []
    assert _pending(workspace, visit["id"]) == {("*", "delete")}
    # Never pushed, so the server never needs to hear of them.
    assert _pending(workspace, note["id"]) == set()
    assert _pending(workspace, follow["id"]) == set()
    with workspace.store.session() as s:
        assert s.get(EngagementRow, visit["id"]) is not None  # kept as a tombstone


def test_restore_undoes_a_delete_with_its_dependents(
    workspace: Workspace, visit_payload: dict[str, Any]
) -> None:
    visit = workspace.engagements.add(visit_payload)
    _as_synced(workspace, visit["id"])
    with workspace.store.transaction() as s:
        s.add(RecordBase(kind="visit", record_id=visit["id"], server_rev=7, fields=dict(visit)))
    workspace.engagements.update(visit["id"], {"summary": "削除前の編集"})
    note = workspace.interviews.add({"engagement": visit["id"], "interviewee": "山本"})
    other = workspace.follow_ups.add({"municipality": "302015", "description": "別件"})
    workspace.follow_ups.delete(other["id"])  # deleted earlier, on its own: stays deleted
    removed = workspace.engagements.delete(visit["id"])
    assert removed == [("visit", visit["id"]), ("interview", note["id"])]

    workspace.engagements.restore(removed)

    assert workspace.engagements.get(visit["id"])["summary"] == "削除前の編集"
    assert [n["id"] for n in workspace.interviews.list_records(engagement=visit["id"])] == [
        note["id"]
    ]
    assert workspace.follow_ups.list_records() == []
    # The server knew the visit: it hears of the fields that differ from what it has.
    assert _pending(workspace, visit["id"]) == {("summary", "update")}
    # It never saw the note: the note is a create again.
    assert _pending(workspace, note["id"]) == {("*", "create")}


def test_restore_of_a_record_never_pushed_is_a_create(
    workspace: Workspace, visit_payload: dict[str, Any]
) -> None:
    visit = workspace.engagements.add(visit_payload)
    workspace.engagements.restore(workspace.engagements.delete(visit["id"]))
    assert _pending(workspace, visit["id"]) == {("*", "create")}
    assert workspace.engagements.get(visit["id"])["title"] == visit["title"]


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        ({"municipality": "302016"}, "検査数字"),
        ({"municipality": "302023", "date": "2025-13-01"}, "日付"),
        ({"municipality": "131016"}, "名簿にありません"),
        ({"municipality": "302015", "colour": "red"}, "colour"),
        ({"municipality": "302015", "mode": "telepathy"}, "mode"),
        ({"municipality": "302015", "themes": "BPR"}, "themes"),
        ({"date": "2025-06-12"}, "municipality"),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(
    workspace: Workspace, patch: dict[str, Any], message: str
) -> None:
    payload = {"date": "2025-06-12", **patch}
    before = _counts(workspace)
    with pytest.raises((DomainError, InvalidRecord), match=message):
        workspace.engagements.add(payload)
    assert _counts(workspace) == before


def test_follow_up_takes_its_municipality_from_the_engagement(
    workspace: Workspace, visit_payload: dict[str, Any]
) -> None:
    visit = workspace.engagements.add(visit_payload)
    follow = workspace.follow_ups.add(
        {"engagement": visit["id"], "description": "計画素案にコメント", "due": "2025-07-01"}
    )
    assert follow["municipality"] == "302015"
    assert follow["status"] == "open"
    with pytest.raises(InvalidRecord, match="違います"):
        workspace.follow_ups.add(
            {"engagement": visit["id"], "municipality": "302023", "description": "x"}
        )
    with pytest.raises(InvalidRecord, match="municipality"):
        workspace.follow_ups.add({"description": "どこの話か分からない"})


def test_open_follow_ups_are_ordered_and_flag_overdue(
    workspace: Workspace, visit_payload: dict[str, Any]
) -> None:
    from datetime import date

    for due, status in [
        ("2025-07-10", "open"),
        ("2025-06-01", "in_progress"),
        (None, "open"),
        ("2025-05-01", "done"),
    ]:
        workspace.follow_ups.add(
            {"municipality": "302015", "description": f"期限 {due}", "due": due, "status": status}
        )
    items = workspace.follow_ups.open_items(today=date(2025, 7, 1))
    assert [i["due"] for i in items] == ["2025-06-01", "2025-07-10", None]
    assert [i["overdue"] for i in items] == [True, False, False]


def test_interview_note_needs_a_live_engagement(workspace: Workspace) -> None:
    with pytest.raises(InvalidRecord, match="相談記録"):
        workspace.interviews.add(
            {"engagement": "00000000-0000-4000-8000-000000000000", "interviewee": "誰か"}
        )


def test_municipality_overview_counts_open_follow_ups_and_last_visit(
    workspace: Workspace, visit_payload: dict[str, Any]
) -> None:
    workspace.engagements.add(visit_payload)
    workspace.engagements.add({**visit_payload, "date": "2025-09-01"})
    workspace.follow_ups.add({"municipality": "302015", "description": "a"})
    workspace.follow_ups.add({"municipality": "302015", "description": "b", "status": "done"})
    wakayama = next(m for m in workspace.municipalities.overview() if m["code"] == "302015")
    assert wakayama["last_engagement"] == "2025-09-01"
    assert wakayama["open_follow_ups"] == 1
    assert wakayama["level"] is None


def test_after_login_records_are_written_by_the_sync_account(tmp_path: Path) -> None:
    """Colleagues see "tanaka", not the laptop's OS login, as who changed a record."""
    from dxdesk.models.store import META_SYNC_USER
    from dxdesk.services.workspace import open_workspace

    ws = open_workspace(tmp_path)
    try:
        before = ws.follow_ups.add({"municipality": "302015", "description": "前"})
        ws.store.set_meta(META_SYNC_USER, "tanaka")
        after = ws.follow_ups.add({"municipality": "302015", "description": "後"})
        edited = ws.follow_ups.update(before["id"], {"description": "前（直し）"})
    finally:
        ws.close()
    assert before["updated_by"] != "tanaka"
    assert after["updated_by"] == "tanaka" and edited["updated_by"] == "tanaka"
