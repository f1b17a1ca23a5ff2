"""What a push makes the server store: every value checked first, and each value once.

An update of a record deleted meanwhile is a conflict the server stores. Its values are cleaned
by the same rule as on a live record, so an ill-typed or oversized value is refused before
anything is stored (no conflict, no push log). A conflict's values are stored once, in the
conflict: the push log keeps the answer without them and a replay takes them from there.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

import httpx
import pytest
from sqlalchemy import delete, func, select

from dxdesk.domain.records import LONG_TEXT_LIMIT
from dxdesk.server.tables import AuditEntry, Conflict, PushLog, Record, SyncClock
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


def _update(
    record_id: str, fields: dict[str, Any], kind: str = "visit", base: Any = None
) -> dict[str, Any]:
    return {
        "kind": kind,
        "id": record_id,
        "op": "update",
        "base_rev": 1,
        "fields": {name: {"value": value, "base": base} for name, value in fields.items()},
    }


def _ok(answer: httpx.Response) -> dict[str, Any]:
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def _prepared(server: RunningServer) -> tuple[httpx.Client, dict[str, str]]:
    """A logged-in advisor; a live and a deleted visit, a live and a deleted assessment."""
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    client = server.login("tanaka")
    ids = {name: new_id() for name in ("visit", "gone visit", "assessment", "gone assessment")}
    assessments = [
        {
            "kind": "assessment",
            "id": ids[name],
            "op": "create",
            "fields": {"municipality": {"value": WAKAYAMA}, "fiscal_year": {"value": 2025}},
        }
        for name in ("assessment", "gone assessment")
    ]
    created = _ok(
        push(
            client,
            visit_change(ids["visit"], WAKAYAMA),
            visit_change(ids["gone visit"], WAKAYAMA),
            *assessments,
        )
    )
    revs = {result["id"]: result["rev"] for result in created["results"]}
    for name in ("gone visit", "gone assessment"):
        change = {"kind": name.split()[1], "id": ids[name], "op": "delete"}
        _ok(push(client, {**change, "base_rev": revs[ids[name]]}))
    return client, ids


# (kind, fields): values refused on a live record, each must be refused on a tombstone too.
ILL_FORMED: dict[str, tuple[str, dict[str, Any]]] = {
    "number-as-notes": ("visit", {"notes": 12345}),
    "object-as-title": ("visit", {"title": {"a": "b"}}),
    "notes-over-the-limit": ("visit", {"notes": "あ" * (LONG_TEXT_LIMIT + 1)}),
    "title-over-the-limit": ("visit", {"title": "x" * 501}),
    "unknown-mode": ("visit", {"mode": "bicycle"}),
    "unreadable-date": ("visit", {"date": "someday"}),
    "date-out-of-range": ("visit", {"date": "1925-04-01"}),
    "required-date-cleared": ("visit", {"date": None}),
    "bad-municipality": ("visit", {"municipality": "999999"}),
    "list-of-numbers": ("visit", {"themes": [1, 2, 3]}),
    "too-many-list-items": ("visit", {"themes": [str(n) for n in range(201)]}),
    "list-item-over-the-limit": ("visit", {"themes": ["テーマ", "x" * 501]}),
    "score-out-of-range": ("assessment", {"scores.D1": 7}),
    "unknown-item": ("assessment", {"scores.Z99": 1}),
    "whole-scores": ("assessment", {"scores": {"D1": 3}}),
    "level-five": ("assessment", {"level": 5}),
}


def _detail_of(answer: httpx.Response, record_id: str) -> str:
    assert answer.status_code == 422, answer.text
    problem = answer.json()
    assert problem["type"].endswith("/invalid-change")
    assert problem["change_index"] == 1
    detail: str = problem["detail"]
    assert "何も保存していません" in detail
    return detail.replace(record_id, "<id>")


@pytest.mark.parametrize("case", list(ILL_FORMED), ids=list(ILL_FORMED))
def test_an_ill_formed_value_to_a_tombstone_is_refused_as_on_a_live_record_and_nothing_is_stored(
    server: RunningServer, case: str
) -> None:
    client, ids = _prepared(server)
    kind, fields = ILL_FORMED[case]
    live, gone = ids[kind], ids[f"gone {kind}"]
    before = _counts(server)
    on_live = push(client, visit_change(new_id(), WAKAYAMA), _update(live, fields, kind))
    push_id = new_id()
    on_gone = push(
        client, visit_change(new_id(), WAKAYAMA), _update(gone, fields, kind), push_id=push_id
    )
    assert _detail_of(on_gone, gone) == _detail_of(on_live, live)
    assert _counts(server) == before
    # The refused push left its id free.
    assert _ok(push(client, visit_change(new_id(), WAKAYAMA), push_id=push_id))["replayed"] is False


# (kind, field, value, base): a base no field holds is refused too, live record or tombstone.
BAD_BASES: dict[str, tuple[str, str, Any, Any]] = {
    "number-as-notes": ("visit", "notes", "メモ", 12345),
    "notes-over-the-limit": ("visit", "notes", "メモ", "x" * (LONG_TEXT_LIMIT + 1)),
    "unreadable-date": ("visit", "date", "2026-11-21", "someday"),
    "object-as-title": ("visit", "title", "件名", {"x": "y" * 1000}),
    "score-out-of-range": ("assessment", "scores.D1", 3, 7),
}


@pytest.mark.parametrize("case", list(BAD_BASES), ids=list(BAD_BASES))
@pytest.mark.parametrize("which", ["live", "gone"])
def test_a_base_no_field_holds_is_refused_and_nothing_is_stored(
    server: RunningServer, case: str, which: str
) -> None:
    client, ids = _prepared(server)
    kind, name, value, base = BAD_BASES[case]
    record_id = ids[kind if which == "live" else f"gone {kind}"]
    before = _counts(server)
    answer = push(
        client, visit_change(new_id(), WAKAYAMA), _update(record_id, {name: value}, kind, base)
    )
    assert "base" in _detail_of(answer, record_id)
    assert _counts(server) == before


def test_a_base_from_a_record_stored_before_the_bounds_is_taken(server: RunningServer) -> None:
    """A base is checked for its shape only, as a stored record is: 1925 was once a date."""
    client, ids = _prepared(server)
    answer = _ok(push(client, _update(ids["visit"], {"date": "2026-11-21"}, base="1925-04-01")))
    assert answer["results"][0]["status"] == "conflict"
    assert answer["results"][0]["conflicts"][0]["base"] == "1925-04-01"


def test_a_tombstones_conflict_holds_the_clean_values_under_their_catalog_names(
    server: RunningServer,
) -> None:
    client, ids = _prepared(server)
    answer = _ok(
        push(
            client,
            _update(ids["gone visit"], {"mode": "オンライン", "title": "  件名  "}),
            _update(ids["gone assessment"], {"scores.ｄ１": 3}, kind="assessment"),
        )
    )
    mines = [result["conflicts"][0]["mine"] for result in answer["results"]]
    assert mines == [{"mode": "online", "title": "件名"}, {"scores.D1": 3}]
    assert all(result["deleted"] for result in answer["results"])
    with server.database.transaction() as session:
        stored = session.scalars(select(Conflict.mine).order_by(Conflict.id)).all()
    assert stored == mines


def _stored_sizes(server: RunningServer, push_id: str) -> tuple[int, int]:
    """The JSON the push's conflicts and its push log hold, in UTF-8 bytes."""

    def size(value: Any) -> int:
        return len(json.dumps(value, ensure_ascii=False).encode())

    with server.database.transaction() as session:
        conflicts = session.scalars(select(Conflict).where(Conflict.push_id == push_id)).all()
        log = session.get(PushLog, push_id)
        assert log is not None
        return (
            sum(size(c.base) + size(c.theirs) + size(c.mine) for c in conflicts),
            size(log.response),
        )


def test_a_conflicts_values_are_stored_once_and_a_replay_gets_the_same_answer(
    server: RunningServer,
) -> None:
    client, ids = _prepared(server)
    # Near the limit and not compressible: what a full note to a deleted visit weighs.
    notes = secrets.token_hex(LONG_TEXT_LIMIT // 2)
    summary = secrets.token_hex(LONG_TEXT_LIMIT // 2)
    theirs = _ok(push(client, _update(ids["visit"], {"title": "サーバー側"}, base="")))
    assert theirs["results"][0]["status"] == "applied"
    push_id = new_id()
    changes = (
        _update(ids["gone visit"], {"notes": notes, "summary": summary}),
        # A field conflict on a live record: base, theirs and mine.
        _update(ids["visit"], {"title": "こちら側"}, base=""),
    )
    first = _ok(push(client, *changes, push_id=push_id))
    assert [r["status"] for r in first["results"]] == ["conflict", "conflict"]
    assert first["results"][0]["conflicts"][0]["mine"] == {"notes": notes, "summary": summary}
    assert first["results"][1]["conflicts"][0] | {"at": None} == {
        "field": "title",
        "reason": "changed",
        "base": "",
        "theirs": "サーバー側",
        "mine": "こちら側",
        "by": "tanaka",
        "at": None,
    }
    in_conflicts, in_push_log = _stored_sizes(server, push_id)
    one_copy = len(notes) + len(summary)
    assert one_copy < in_conflicts < one_copy + 1_000
    assert in_push_log < 2_000  # the answer without the values the conflicts hold
    before = _counts(server)
    again = _ok(push(client, *changes, push_id=push_id))
    assert again == {**first, "replayed": True}
    assert _counts(server) == before


def test_a_push_log_written_with_its_conflicts_values_still_replays(
    server: RunningServer,
) -> None:
    """A push logged before conflicts were stored once carries the values in its answer."""
    client, ids = _prepared(server)
    push_id = new_id()
    first = _ok(push(client, _update(ids["gone visit"], {"notes": "メモ"}), push_id=push_id))
    with server.database.transaction() as session:
        log = session.get(PushLog, push_id)
        assert log is not None
        log.response = {**first, "replayed": False}
        session.execute(delete(Conflict).where(Conflict.push_id == push_id))
    assert _ok(push(client, _update(ids["gone visit"], {"notes": "メモ"}), push_id=push_id)) == {
        **first,
        "replayed": True,
    }
