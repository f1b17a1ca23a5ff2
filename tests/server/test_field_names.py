"""Field names are checked like values, by the wire schema, before anything is stored.

A push names fields by the keys of each change's ``fields``. A name that is not one of its
kind's fields (or ``scores.<item>`` of a kind with answers) is refused with a 422 problem that
names the change, on a live record, a tombstone or a new one alike: nothing is stored (no
record, no conflict, no push log), and the connection stays usable. PostgreSQL cannot hold
U+0000 in text or jsonb, so a NUL in a name once became a 500 that dropped the connection.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from dxdesk.server.tables import AuditEntry, Conflict, PushLog, Record, SyncClock
from dxdesk.wire.protocol import PROBLEM_MEDIA_TYPE
from tests.server.fixtures import RunningServer, add_user, new_id, push, visit_change

WAKAYAMA = "302015"


def _counts(server: RunningServer) -> tuple[int, ...]:
    with server.database.transaction() as session:
        clock = session.get(SyncClock, 1)
        assert clock is not None
        return (
            *(
                session.scalar(select(func.count()).select_from(table)) or 0
                for table in (Record, Conflict, PushLog, AuditEntry)
            ),
            clock.value,
        )


def _change(
    record_id: str, op: str, fields: dict[str, Any], kind: str = "visit", base: Any = None
) -> dict[str, Any]:
    return {
        "kind": kind,
        "id": record_id,
        "op": op,
        "base_rev": 1,
        "fields": {name: {"value": value, "base": base} for name, value in fields.items()},
    }


def _prepared(server: RunningServer) -> tuple[httpx.Client, str, str, str]:
    """A logged-in advisor, a live visit, a deleted visit and a live assessment."""
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    client = server.login("tanaka")
    live, gone, assessment = new_id(), new_id(), new_id()
    created = push(
        client,
        visit_change(live, WAKAYAMA),
        visit_change(gone, WAKAYAMA),
        {
            "kind": "assessment",
            "id": assessment,
            "op": "create",
            "fields": {
                "municipality": {"value": WAKAYAMA},
                "fiscal_year": {"value": 2025},
            },
        },
    )
    assert created.status_code == 200, created.text
    deleted = push(client, {"kind": "visit", "id": gone, "op": "delete", "base_rev": 2})
    assert deleted.status_code == 200, deleted.text
    return client, live, gone, assessment


# (which record, op, fields): every one must be refused with nothing stored.
HOSTILE: dict[str, tuple[str, str, dict[str, Any]]] = {
    "nul-name-on-a-tombstone": ("gone", "update", {"notes\x00": "x"}),
    "nul-only-name-on-a-tombstone": ("gone", "update", {"\x00": "x"}),
    "unknown-name-on-a-tombstone": ("gone", "update", {"colour": "x" * 1000}),
    "nul-value-on-a-tombstone": ("gone", "update", {"notes": "a\x00b"}),
    "nul-name-on-a-live-record": ("live", "update", {"notes\x00": "x"}),
    "unknown-name-on-a-live-record": ("live", "update", {"Notes": "x"}),
    "nul-name-in-a-create": ("new", "create", {"municipality": WAKAYAMA, "date\x00": "x"}),
    "nul-name-in-a-delete": ("live", "delete", {"\x00": "x"}),
    "nul-item-of-an-assessment": ("assessment", "update", {"scores.D1\x00": 1}),
    "item-on-a-kind-without-answers": ("live", "update", {"scores.D1": 1}),
    "lone-surrogate-name": ("gone", "update", {"notes\udc00": "x"}),
}


@pytest.mark.parametrize("case", list(HOSTILE), ids=list(HOSTILE))
def test_a_bad_field_name_is_a_422_naming_the_change_and_nothing_is_stored(
    server: RunningServer, case: str
) -> None:
    client, live, gone, assessment = _prepared(server)
    which, op, fields = HOSTILE[case]
    record_id = {"live": live, "gone": gone, "assessment": assessment, "new": new_id()}[which]
    kind = "assessment" if which == "assessment" else "visit"
    before = _counts(server)
    push_id = new_id()
    body = {
        "push_id": push_id,
        "changes": [visit_change(new_id(), WAKAYAMA), _change(record_id, op, fields, kind)],
    }
    # Serialised by hand: \u escapes are the only way a lone surrogate travels in JSON.
    answer = client.post(
        "/api/v1/sync/push",
        content=json.dumps(body),
        headers={"Content-Type": "application/json"},
    )
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == PROBLEM_MEDIA_TYPE
    assert answer.headers.get("connection", "").lower() != "close"
    problem = answer.json()
    assert problem["type"].endswith("/invalid-change")
    assert problem["change_index"] == 1
    assert "2 件目" in problem["detail"] and "何も保存していません" in problem["detail"]
    assert _counts(server) == before
    # The same connection still serves, and the refused push left its id free.
    again = push(client, visit_change(new_id(), WAKAYAMA), push_id=push_id)
    assert again.status_code == 200, again.text
    assert again.json()["replayed"] is False


def test_scores_items_and_every_kinds_fields_still_pass(server: RunningServer) -> None:
    client, live, _, assessment = _prepared(server)
    answer = push(
        client,
        _change(live, "update", {"notes": "議事メモ", "title": "件名"}, base=""),
        _change(assessment, "update", {"scores.D1": 3, "scores.Ｄ２": 0}, kind="assessment"),
    )
    assert answer.status_code == 200, answer.text
    assert [r["status"] for r in answer.json()["results"]] == ["applied", "applied"]
