"""After an unassignment, a laptop that has not pulled since may send what it held, for a while.

It learns of the unassignment only from its next pull, and pushes before it pulls, so the edits it
made while the municipality was its own still reach the server (a restored backup's catch-up
pull, which comes before its push, says so and keeps the grace; any other pull ends it). The
grace is bounded: only changes to records it held at its last pull, only until a deadline set at
the unassignment (a new login with the same device name keeps that deadline), never a new record,
and never a read: an answer about a record it may no longer read carries none of the record.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

import httpx
import pytest
from alembic import command
from sqlalchemy import func, select, text

from dxdesk.server import admin
from dxdesk.server.auth import Caller, scope_codes
from dxdesk.server.cli import main
from dxdesk.server.database import _alembic_config, connect, initialise
from dxdesk.server.pull import Cursor
from dxdesk.server.tables import Account, AuditEntry, Conflict, Device, DeviceScope, Record
from dxdesk.server.write_scope import remember_device_scope
from tests.server.fixtures import RunningServer, add_user, new_id, pull_all, push, visit_change

WAKAYAMA, KAINAN, HASHIMOTO = "302015", "302023", "302031"
SUZUKI_TITLE = "鈴木がつけた件名"
TANAKA_NOTES = "田中のメモ"


def _record(server: RunningServer, record_id: str) -> Record:
    with server.database.transaction() as session:
        record = session.get(Record, record_id)
    assert record is not None
    return record


def _unassign(server: RunningServer, grace: timedelta | None = None) -> None:
    with server.database.transaction() as session:
        if grace is None:
            admin.unassign(session, name="tanaka", codes=[KAINAN])
        else:
            admin.unassign(session, name="tanaka", codes=[KAINAN], grace=grace)


def _update(record_id: str, name: str, value: str, base: str | None) -> dict[str, Any]:
    return {
        "kind": "visit",
        "id": record_id,
        "op": "update",
        "fields": {name: {"value": value, "base": base}},
    }


def _delete(record_id: str, base_rev: int | None) -> dict[str, Any]:
    change: dict[str, Any] = {"kind": "visit", "id": record_id, "op": "delete"}
    if base_rev is not None:
        change["base_rev"] = base_rev
    return change


class Held(NamedTuple):
    laptop: httpx.Client
    visit: str
    rev: int  # the visit's revision when the laptop last pulled
    cursor: str  # the laptop's cursor after that pull


@pytest.fixture
def held(server: RunningServer) -> Held:
    """tanaka's laptop holds a 海南市 visit (pulled), which suzuki then retitles."""
    add_user(server.database, "tanaka", codes=(WAKAYAMA, KAINAN))
    add_user(server.database, "suzuki", codes=(KAINAN, HASHIMOTO))
    tanaka = server.login("tanaka")
    visit = new_id()
    created = push(tanaka, visit_change(visit, KAINAN, notes=TANAKA_NOTES, title="訪問"))
    assert created.status_code == 200, created.text
    cursor = pull_all(tanaka)[1]["cursor"]  # the laptop's last pull: it holds the visit
    held_rev = created.json()["results"][0]["rev"]
    retitled = push(
        server.login("suzuki", "suzuki-pc"), _update(visit, "title", SUZUKI_TITLE, "訪問")
    )
    assert retitled.status_code == 200, retitled.text
    return Held(tanaka, visit, held_rev, cursor)


def test_within_the_grace_an_edit_to_a_held_record_goes_up_and_reads_nothing(
    server: RunningServer, held: Held
) -> None:
    tanaka, visit = held.laptop, held.visit
    _unassign(server)
    answer = push(tanaka, _update(visit, "notes", "外れる前に書いた追記", TANAKA_NOTES))
    assert answer.status_code == 200, answer.text
    [result] = answer.json()["results"]
    assert result["status"] == "applied"
    assert result["fields"] == {} and result["conflicts"] == []
    assert SUZUKI_TITLE not in answer.text
    assert _record(server, visit).fields["notes"] == "外れる前に書いた追記"
    # The same laptop logging in again (no keychain: at each sync) keeps its grace.
    again = push(
        server.login("tanaka"), _update(visit, "notes", "もう一度", "外れる前に書いた追記")
    )
    assert again.status_code == 200, again.text
    # Another laptop of tanaka's never held 海南市: for it the record does not exist.
    other = push(server.login("tanaka", "another-pc"), _update(visit, "notes", "x", "もう一度"))
    assert other.status_code == 404, other.text


@pytest.mark.parametrize(
    "change",
    [
        lambda visit: visit_change(new_id(), KAINAN),
        lambda visit: {
            "kind": "followup",
            "id": new_id(),
            "op": "create",
            "fields": {"engagement": {"value": visit}, "description": {"value": "資料送付"}},
        },
        lambda visit: {
            "kind": "interview",
            "id": new_id(),
            "op": "create",
            "fields": {"engagement": {"value": visit}, "interviewee": {"value": "課長"}},
        },
    ],
    ids=["visit", "followup-on-held-visit", "interview-on-held-visit"],
)
def test_no_new_record_in_an_unassigned_municipality_even_within_the_grace(
    server: RunningServer, held: Held, change: Any
) -> None:
    tanaka, visit = held.laptop, held.visit
    _unassign(server)
    answer = push(tanaka, change(visit))
    assert answer.status_code == 403, answer.text
    assert answer.json()["type"].endswith("/not-assigned")
    # Its edits of what it held still go: the municipality is not closed to it yet.
    assert "closed_municipality" not in answer.json()
    with server.database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Record)) == 1


@pytest.mark.parametrize(
    "change",
    [
        lambda visit, rev: _delete(visit, None),
        lambda visit, rev: _delete(visit, rev),  # suzuki changed it since
        lambda visit, rev: _update(visit, "title", "田中の件名", "訪問"),
    ],
    ids=["delete-without-base-rev", "delete-behind", "same-field"],
)
def test_a_conflict_on_an_unassigned_record_is_refused_and_tells_nothing_of_it(
    server: RunningServer, held: Held, change: Any
) -> None:
    tanaka, visit, held_rev = held.laptop, held.visit, held.rev
    _unassign(server)
    answer = push(tanaka, change(visit, held_rev))
    assert answer.status_code == 409, answer.text
    assert answer.json()["change_index"] == 0
    assert SUZUKI_TITLE not in answer.text and TANAKA_NOTES not in answer.text
    record = _record(server, visit)
    assert not record.deleted and record.fields["title"] == SUZUKI_TITLE
    with server.database.transaction() as session:
        assert session.scalars(select(Conflict)).all() == []


def test_after_the_grace_nothing_more_is_taken(server: RunningServer, held: Held) -> None:
    tanaka, visit = held.laptop, held.visit
    _unassign(server, grace=timedelta(0))
    current = _record(server, visit).rev
    for change in (
        _update(visit, "notes", "遅すぎた追記", TANAKA_NOTES),
        _delete(visit, current),
    ):
        answer = push(tanaka, change)
        assert answer.status_code == 403, answer.text
        assert "期限" in answer.json()["detail"]
        assert answer.json()["closed_municipality"] == KAINAN
        assert TANAKA_NOTES not in answer.text and SUZUKI_TITLE not in answer.text
    # A new login with the same device name does not start the grace again.
    answer = push(server.login("tanaka"), _update(visit, "notes", "遅すぎた追記", TANAKA_NOTES))
    assert answer.status_code == 403, answer.text
    record = _record(server, visit)
    assert record.rev == current and not record.deleted
    assert record.fields["notes"] == TANAKA_NOTES


def test_a_record_the_laptop_never_held_is_not_found_within_the_grace(
    server: RunningServer, held: Held
) -> None:
    tanaka = held.laptop
    suzuki = server.login("suzuki", "suzuki-pc")
    made, moved = new_id(), new_id()
    # After tanaka's last pull: one visit made in 海南市, one moved there from 橋本市.
    assert (
        push(suzuki, visit_change(made, KAINAN), visit_change(moved, HASHIMOTO)).status_code == 200
    )
    moving = push(suzuki, _update(moved, "municipality", KAINAN, HASHIMOTO))
    assert moving.status_code == 200, moving.text
    _unassign(server)
    for record_id in (made, moved):
        rev = _record(server, record_id).rev
        for change in (_update(record_id, "notes", "x", None), _delete(record_id, rev)):
            answer = push(tanaka, change)
            assert answer.status_code == 404, answer.text
        assert not _record(server, record_id).deleted


def test_assigned_again_the_laptop_writes_as_before(server: RunningServer, held: Held) -> None:
    tanaka, visit = held.laptop, held.visit
    _unassign(server, grace=timedelta(0))
    with server.database.transaction() as session:
        admin.assign(session, name="tanaka", codes=[KAINAN])
    answer = push(tanaka, _update(visit, "notes", "戻ってきた", TANAKA_NOTES))
    assert answer.status_code == 200, answer.text
    assert answer.json()["results"][0]["fields"] == {"notes": "戻ってきた"}


def _cli(server: RunningServer, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    url = server.database.engine.url.render_as_string(hide_password=False)
    status = main(["--db", url, *args])
    out, err = capsys.readouterr()
    assert status == 0, err
    return out


def test_the_operator_sees_each_laptops_grace_and_its_end(
    server: RunningServer, held: Held, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _cli(server, capsys, "unassign", "tanaka", "海南市")
    assert "302023 海南市" in out and "laptop" in out and "まで" in out
    with server.database.transaction() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "unassign")).one()
    assert entry.detail.startswith("tanaka 302023") and "猶予 14 日" in entry.detail
    out = _cli(server, capsys, "devices", "tanaka")
    [line] = out.splitlines()
    assert "laptop" in line and "302023 海南市" in line and "まで" in line
    [device] = json.loads(_cli(server, capsys, "devices", "tanaka", "--json"))
    [grace] = device["grace"]
    assert grace["municipality"] == KAINAN
    assert 13 <= (_iso(grace["until"]) - _iso(device["created_at"])).days <= 14
    # With --grace 0 the laptop may send nothing more, and no grace is shown.
    _cli(server, capsys, "assign", "tanaka", "海南市")
    out = _cli(server, capsys, "unassign", "tanaka", "海南市", "--grace", "0")
    assert "まで" not in out
    [device] = json.loads(_cli(server, capsys, "devices", "tanaka", "--json"))
    assert device["grace"] == []
    answer = push(held.laptop, _update(held.visit, "notes", "x", TANAKA_NOTES))
    assert answer.status_code == 403, answer.text


def _iso(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_an_upgraded_server_bounds_the_holds_it_had(database_url: str) -> None:
    """Before 0003 a hold of an unassigned municipality had no end; from the upgrade, 14 days."""
    database = connect(database_url)
    try:
        with database.engine.begin() as connection:
            command.upgrade(_alembic_config(connection), "0002_login_throttle")
            for statement in (
                "INSERT INTO municipality (code, name, region) VALUES"
                " ('302015', '和歌山市', '海草'), ('302023', '海南市', '海草')",
                "INSERT INTO sync_clock (id, value) VALUES (1, 7)",
                "INSERT INTO account (id, name, role, password_hash, disabled, created_at)"
                " VALUES (1, 'tanaka', 'advisor', 'x', false, '2026-11-01 00:00:00')",
                "INSERT INTO assignment (account_id, code) VALUES (1, '302015')",
                "INSERT INTO device (id, account_id, name, token_hash, created_at, expires_at)"
                " VALUES ('d1', 1, 'laptop', 'h', '2026-11-01 00:00:00', '2027-05-01 00:00:00')",
                "INSERT INTO device_scope (device_id, code)"
                " VALUES ('d1', '302015'), ('d1', '302023')",
                "INSERT INTO record (id, kind, scope_code, fields, rev, deleted, created_at,"
                " created_by, updated_at, updated_by) VALUES ('r1', 'visit', '302023', '{}', 5,"
                " false, '2026-11-01 00:00:00', 'tanaka', '2026-11-01 00:00:00', 'tanaka')",
            ):
                connection.execute(text(statement))
        before = datetime.now(UTC)
        initialise(database)
        with database.transaction() as session:
            holds = {
                row.code: (row.held_rev, row.grace_until)
                for row in session.scalars(select(DeviceScope))
            }
            record = session.get(Record, "r1")
            assert record is not None and record.scope_rev == 5
        assert holds["302015"] == (7, None)
        held_rev, until = holds["302023"]
        assert held_rev == 7 and until is not None
        assert timedelta(days=14) <= until - before <= timedelta(days=14, minutes=5)
    finally:
        database.close()


def _followup(record_id: str, engagement: str) -> dict[str, Any]:
    return {
        "kind": "followup",
        "id": record_id,
        "op": "create",
        "fields": {"engagement": {"value": engagement}, "description": {"value": "資料送付"}},
    }


@pytest.mark.parametrize("how", ["municipality", "engagement", "create-over-tombstone"])
def test_a_record_under_the_grace_cannot_be_moved_into_an_assigned_municipality(
    server: RunningServer, held: Held, how: str
) -> None:
    """A move would make the answer, and the next pull, carry the record, others' edits too."""
    tanaka, visit = held.laptop, held.visit
    suzuki = server.login("suzuki", "suzuki-pc")
    followup, elsewhere = new_id(), new_id()
    made = push(tanaka, _followup(followup, visit), visit_change(elsewhere, WAKAYAMA))
    assert made.status_code == 200, made.text
    pull_all(tanaka, held.cursor)  # tanaka holds the follow-up too
    if how == "municipality":
        change = _update(visit, "municipality", WAKAYAMA, KAINAN)
    elif how == "engagement":
        change = {
            "kind": "followup",
            "id": followup,
            "op": "update",
            "fields": {"engagement": {"value": elsewhere, "base": visit}},
        }
    else:
        deleted = push(suzuki, _delete(visit, _record(server, visit).rev))
        assert deleted.status_code == 200, deleted.text
        change = visit_change(visit, WAKAYAMA, title="田中の訪問")
    _unassign(server)
    answer = push(tanaka, change)
    assert answer.status_code == 403, answer.text
    assert answer.json()["type"].endswith("/not-assigned")
    assert "closed_municipality" not in answer.json()  # its edits there still go
    assert SUZUKI_TITLE not in answer.text and TANAKA_NOTES not in answer.text
    assert _record(server, visit).scope_code == KAINAN
    assert _record(server, followup).scope_code == KAINAN
    records, _ = pull_all(tanaka)
    assert SUZUKI_TITLE not in json.dumps(records, ensure_ascii=False)
    assert {r["id"] for r in records} == {elsewhere}


def test_a_forged_cursor_does_not_extend_the_grace_to_later_records(
    server: RunningServer, held: Held
) -> None:
    """A cursor's position is the laptop's word: beyond the server's clock it holds nothing.

    (Up to the clock it may claim what it likes: it is assigned there, and could pull it all.)
    """
    tanaka = held.laptop
    forged = Cursor(pos=10**15, scope=frozenset({WAKAYAMA, KAINAN, "*"})).encode()
    page = tanaka.post("/api/v1/sync/pull", json={"cursor": forged})
    assert page.status_code == 200, page.text
    later = new_id()  # made after that pull: tanaka's laptop never held it
    made = push(server.login("suzuki", "suzuki-pc"), visit_change(later, KAINAN))
    assert made.status_code == 200, made.text
    _unassign(server)
    answer = push(tanaka, _update(later, "notes", "x", ""))
    assert answer.status_code == 404, answer.text
    assert _record(server, later).fields["notes"] == ""


def test_a_laptop_that_pulled_after_the_unassignment_has_no_grace(
    server: RunningServer, held: Held
) -> None:
    """The pull told the laptop: what it types there afterwards is refused, kept for a person."""
    tanaka, visit = held.laptop, held.visit
    _unassign(server)
    page = tanaka.post("/api/v1/sync/pull", json={"cursor": held.cursor}).json()
    assert page["evicted"] == [KAINAN]
    answer = push(tanaka, _update(visit, "notes", "外れた後の追記", TANAKA_NOTES))
    assert answer.status_code == 404, answer.text
    assert _record(server, visit).fields["notes"] == TANAKA_NOTES
    with server.database.transaction() as session:
        in_grace = select(DeviceScope).where(DeviceScope.grace_until.is_not(None))
        assert session.scalars(in_grace).all() == []


def _pull_after_restore(laptop: httpx.Client, cursor: str | None) -> dict[str, Any]:
    answer = laptop.post("/api/v1/sync/pull", json={"cursor": cursor, "after_restore": True})
    assert answer.status_code == 200, answer.text
    page: dict[str, Any] = answer.json()
    return page


def test_a_restored_laptops_catch_up_pull_keeps_the_grace_and_reads_nothing(
    server: RunningServer, held: Held
) -> None:
    """A restored backup's sync pulls before it pushes: its pending edits still go, unread,
    until the sync's next pull, which ends the grace like any other."""
    tanaka, visit = held.laptop, held.visit
    _unassign(server)
    page = _pull_after_restore(tanaka, held.cursor)
    assert page["evicted"] == [KAINAN] and page["records"] == []
    answer = push(tanaka, _update(visit, "notes", "外れた後に届いた追記", TANAKA_NOTES))
    assert answer.status_code == 200, answer.text
    assert answer.json()["results"][0]["fields"] == {}
    assert _record(server, visit).fields["notes"] == "外れた後に届いた追記"
    # A conflict is still refused without a word of the record.
    conflict = push(tanaka, _update(visit, "title", "田中の件名", "訪問"))
    assert conflict.status_code == 409, conflict.text
    assert SUZUKI_TITLE not in conflict.text
    # Neither the next catch-up pull nor one from the start carries anything of 海南市.
    for cursor in (page["cursor"], None):
        again = _pull_after_restore(tanaka, cursor)
        assert all(r["municipality"] != KAINAN for r in again["records"]), again
        assert visit not in {r["id"] for r in again["records"]}
    # The sync's pull after its push ends the grace.
    records, last = pull_all(tanaka, page["cursor"])
    assert visit not in {r["id"] for r in records} and last["evicted"] == []
    answer = push(tanaka, _update(visit, "notes", "もう遅い", "外れた後に届いた追記"))
    assert answer.status_code == 404, answer.text
    assert _record(server, visit).fields["notes"] == "外れた後に届いた追記"


def test_a_catch_up_pull_does_not_bring_back_a_grace_a_pull_ended(
    server: RunningServer, held: Held
) -> None:
    tanaka, visit = held.laptop, held.visit
    _unassign(server)
    page = tanaka.post("/api/v1/sync/pull", json={"cursor": held.cursor}).json()
    assert page["evicted"] == [KAINAN]
    _pull_after_restore(tanaka, held.cursor)  # an old cursor, as a backup's
    answer = push(tanaka, _update(visit, "notes", "x", TANAKA_NOTES))
    assert answer.status_code == 404, answer.text


def _laptop_caller(server: RunningServer) -> Caller:
    with server.database.transaction() as session:
        account, device = session.execute(
            select(Account, Device)
            .join(Device, Device.account_id == Account.id)
            .where(Account.name == "tanaka", Device.name == "laptop")
            .order_by(Device.created_at)
            .limit(1)
        ).one()
        return Caller(account.id, account.name, account.role, device.id)


def test_a_pull_that_read_the_assignment_before_the_unassignment_keeps_the_grace(
    server: RunningServer, held: Held
) -> None:
    """A pull racing an unassignment: it read 海南市 as assigned, and writes after it commits.

    On PostgreSQL (read committed) the two sessions interleave as they would in the server; on
    SQLite a pull's transaction holds the write lock from its start, so the unassignment comes
    after it or before it, never inside: the stale pull is the one that runs after it.
    """
    caller = _laptop_caller(server)
    tanaka, visit = held.laptop, held.visit
    with server.database.transaction() as session:
        rev = session.scalars(
            select(DeviceScope.held_rev).where(DeviceScope.device_id == caller.device_id)
        ).first()
    assert rev is not None
    if server.database.is_postgresql:
        with server.database.transaction() as pulling:
            assigned = scope_codes(pulling, caller)
            assert KAINAN in assigned
            _unassign(server)  # commits while the pull is under way
            remember_device_scope(pulling, caller, dict.fromkeys(assigned, rev))
    else:
        _unassign(server)
        with server.database.transaction() as pulling:
            remember_device_scope(pulling, caller, dict.fromkeys((WAKAYAMA, KAINAN), rev))
    with server.database.transaction() as session:
        hold = session.get(DeviceScope, (caller.device_id, KAINAN))
        assert hold is not None and hold.grace_until is not None
    answer = push(tanaka, _update(visit, "notes", "外れる前に書いた追記", TANAKA_NOTES))
    assert answer.status_code == 200, answer.text
