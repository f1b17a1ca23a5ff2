"""An advisor reaches only their own municipalities, whatever ids or codes a request forges."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from sqlalchemy import select

from dxdesk.server.tables import Record
from tests.server.fixtures import RunningServer, add_user, new_id, pull_all, push, visit_change

MINE, THEIRS = "302015", "302023"  # 和歌山市 for tanaka, 海南市 for suzuki


@pytest.fixture
def theirs(server: RunningServer) -> dict[str, str]:
    """suzuki's visit with an interview note and a follow-up, unseen by tanaka."""
    add_user(server.database, "tanaka", codes=(MINE,))
    add_user(server.database, "suzuki", codes=(THEIRS,))
    ids = {"visit": new_id(), "interview": new_id(), "followup": new_id()}
    answer = push(
        server.login("suzuki"),
        visit_change(ids["visit"], THEIRS, notes="海南市の内部の話"),
        {
            "kind": "interview",
            "id": ids["interview"],
            "op": "create",
            "fields": {"engagement": {"value": ids["visit"]}, "interviewee": {"value": "課長"}},
        },
        {
            "kind": "followup",
            "id": ids["followup"],
            "op": "create",
            "fields": {"engagement": {"value": ids["visit"]}, "description": {"value": "資料送付"}},
        },
    )
    assert answer.status_code == 200, answer.text
    return ids


def _assert_untouched(server: RunningServer, ids: dict[str, str]) -> None:
    with server.database.transaction() as session:
        records = {r.id: r for r in session.scalars(select(Record))}
    assert set(records) == set(ids.values())
    assert all(r.updated_by == "suzuki" and not r.deleted for r in records.values())
    assert records[ids["visit"]].fields["notes"] == "海南市の内部の話"


def _forged_cursor(scope: list[str], pos: int = 0) -> str:
    raw = json.dumps({"v": 1, "pos": pos, "scope": scope}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def test_pull_never_returns_another_advisors_municipality(
    server: RunningServer, theirs: dict[str, str]
) -> None:
    tanaka = server.login("tanaka")
    records, _ = pull_all(tanaka)
    assert records == []
    # A cursor claiming suzuki's municipality, or starting from zero, changes nothing.
    for cursor in (_forged_cursor([MINE, THEIRS, "*"]), _forged_cursor([THEIRS])):
        records, _ = pull_all(tanaka, cursor)
        assert records == []


@pytest.mark.parametrize(
    "forge",
    [
        # an update, a delete and a create-over of suzuki's records by their ids
        lambda ids: {
            "kind": "visit",
            "id": ids["visit"],
            "op": "update",
            "fields": {"notes": {"value": "上書き", "base": "海南市の内部の話"}},
        },
        lambda ids: {"kind": "visit", "id": ids["visit"], "op": "delete", "base_rev": 99},
        lambda ids: {"kind": "interview", "id": ids["interview"], "op": "delete", "base_rev": 99},
        lambda ids: visit_change(ids["visit"], MINE),
        # the right id under the wrong kind
        lambda ids: {"kind": "followup", "id": ids["visit"], "op": "update", "fields": {}},
        # a new note or follow-up hung on suzuki's visit
        lambda ids: {
            "kind": "interview",
            "id": new_id(),
            "op": "create",
            "fields": {"engagement": {"value": ids["visit"]}, "interviewee": {"value": "x"}},
        },
        lambda ids: {
            "kind": "followup",
            "id": new_id(),
            "op": "create",
            "fields": {
                "engagement": {"value": ids["visit"]},
                "municipality": {"value": MINE},
                "description": {"value": "x"},
            },
        },
    ],
    ids=[
        "update",
        "delete",
        "delete-child",
        "create-over",
        "wrong-kind",
        "note-on-their-visit",
        "followup-on-their-visit",
    ],
)
def test_forged_ids_get_404_and_change_nothing(
    server: RunningServer, theirs: dict[str, str], forge: Any
) -> None:
    tanaka = server.login("tanaka")
    answer = push(tanaka, visit_change(new_id(), MINE), forge(theirs))
    # Not 403, not 409: whether the id exists elsewhere is not told.
    assert answer.status_code == 404, answer.text
    assert answer.json()["change_index"] == 1
    _assert_untouched(server, theirs)
    assert pull_all(tanaka)[0] == []  # the valid first change was not kept either


@pytest.mark.parametrize(
    "forge",
    [
        lambda ids: visit_change(new_id(), THEIRS),
        lambda ids: visit_change(new_id(), "302031"),  # 橋本市: nobody's
        lambda ids: {
            "kind": "followup",
            "id": new_id(),
            "op": "create",
            "fields": {"municipality": {"value": THEIRS}, "description": {"value": "x"}},
        },
    ],
    ids=["their-code", "unassigned-code", "followup-with-their-code"],
)
def test_forged_codes_get_403(server: RunningServer, theirs: dict[str, str], forge: Any) -> None:
    answer = push(server.login("tanaka"), forge(theirs))
    assert answer.status_code == 403
    assert "担当ではありません" in answer.json()["detail"]
    _assert_untouched(server, theirs)


def test_moving_my_record_into_their_municipality_is_refused(
    server: RunningServer, theirs: dict[str, str]
) -> None:
    tanaka = server.login("tanaka")
    record_id = new_id()
    assert push(tanaka, visit_change(record_id, MINE)).status_code == 200
    moved = push(
        tanaka,
        {
            "kind": "visit",
            "id": record_id,
            "op": "update",
            "fields": {"municipality": {"value": THEIRS, "base": MINE}},
        },
    )
    assert moved.status_code == 403
    with server.database.transaction() as session:
        record = session.get(Record, record_id)
        assert record is not None and record.scope_code == MINE


def test_a_coordinator_sees_and_writes_every_municipality(
    server: RunningServer, theirs: dict[str, str]
) -> None:
    add_user(server.database, "jimukyoku", role="coordinator")
    coordinator = server.login("jimukyoku")
    records, page = pull_all(coordinator)
    assert {r["id"] for r in records} == set(theirs.values())
    assert len(page["scope"]) == 30
    assert push(coordinator, visit_change(new_id(), "302031")).status_code == 200
