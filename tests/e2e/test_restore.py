"""A restored backup on a synced laptop (issue 17, finding 9): the next sync brings back
everything newer, and nothing the server has is lost or overwritten by the backup's old state.

The backup is taken while changes wait to be pushed; they reach the server afterwards and are
edited again, there and on another laptop, before the backup is restored. Restored, synced,
the laptop's records are compared with the server's. Each runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dxdesk.models.backups import restore_backup, restore_into, take_backup
from dxdesk.models.paths import DATABASE_NAME
from dxdesk.models.store import StoreUnreadable
from dxdesk.services.workspace import open_workspace
from dxdesk.sync.conflicts import open_conflicts, resolve
from dxdesk.sync.engine import SyncEngine, SyncSummary
from tests.e2e.conftest import Laptop
from tests.server.fixtures import RunningServer, add_user, pull_all

WAKAYAMA = "302015"
FIELDS = ("title", "notes", "summary")
MakeLaptop = Callable[[str, str], Laptop]


def _visit(laptop: Laptop, title: str) -> str:
    record = laptop.workspace.engagements.add(
        {"municipality": WAKAYAMA, "date": "2026-11-20", "title": title}
    )
    return str(record["id"])


def _server_visits(server: RunningServer) -> dict[str, dict[str, Any] | None]:
    """Every visit on the server by id: its fields, or None when deleted."""
    records, _page = pull_all(server.login("tanaka", "checker"))
    latest: dict[str, dict[str, Any] | None] = {}
    for record in records:
        if record["kind"] == "visit":
            fields = {name: record["fields"].get(name) for name in FIELDS}
            latest[record["id"]] = None if record["deleted"] else fields
    return latest


def _laptop_visits(laptop: Laptop) -> dict[str, dict[str, Any]]:
    return {
        row["id"]: {name: row[name] for name in FIELDS}
        for row in laptop.workspace.engagements.list_records()
    }


def test_restore_then_sync_brings_back_everything_newer(
    server: RunningServer, laptops: MakeLaptop
) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    add_user(server.database, "suzuki", codes=(WAKAYAMA,))
    office, suzuki = laptops("tanaka", "office"), laptops("suzuki", "suzuki")
    visits = office.workspace.engagements
    synced = _visit(office, "同期済み")
    edited = _visit(office, "あとで直す")
    deleted = _visit(office, "あとで消す")
    office.sync()
    # Waiting to be pushed when the backup is taken: a new record and two edits.
    created = _visit(office, "バックアップ時に未送信")
    visits.update(synced, {"notes": "未送信のメモ"})
    visits.update(edited, {"summary": "バックアップ前の要約"})
    backup = take_backup(office.workspace.store)
    assert office.workspace.store.pending_record_count() == 3

    office.sync()  # they reach the server; then more work after the backup
    visits.update(edited, {"title": "直した"})
    visits.update(synced, {"notes": "さらに書き足したメモ"})
    visits.update(created, {"title": "作成後に直した"})
    visits.delete(deleted)
    newer = _visit(office, "バックアップ後の記録")
    office.sync()
    suzuki.sync()
    suzuki.workspace.engagements.update(synced, {"title": "鈴木が直した"})
    theirs = _visit(suzuki, "鈴木の記録")
    suzuki.sync()
    server_before = _server_visits(server)

    restored = restore_into(office.workspace.store, backup.path.name)
    assert restored.kept_aside is not None and restored.kept_aside.exists()
    assert _laptop_visits(office)[synced]["notes"] == "未送信のメモ"  # the backup's state
    assert newer not in _laptop_visits(office)

    office.sync()
    server_after = _server_visits(server)
    assert server_after == server_before  # nothing on the server lost or overwritten
    assert server_after.get(deleted) is None
    assert server_after[synced] == {
        "title": "鈴木が直した",
        "notes": "さらに書き足したメモ",
        "summary": "",
    }
    assert server_after[edited] == {
        "title": "直した",
        "notes": "",
        "summary": "バックアップ前の要約",
    }
    assert server_after[created]["title"] == "作成後に直した"  # type: ignore[index]
    assert {newer, theirs} <= set(server_after)
    # The laptop holds exactly what the server holds.
    assert _laptop_visits(office) == {
        record_id: fields for record_id, fields in server_after.items() if fields is not None
    }
    # The backup's old note and its new record's old title, pushed and written over since, are
    # shown beside the newer ones (the laptop cannot tell an old value it sent from one it
    # never sent): nothing is lost. The new record's other values are the server's: settled.
    note, title = sorted(office.conflicts(), key=lambda c: c.record_id != synced)
    assert (note.record_id, note.field) == (synced, "notes")
    assert (note.mine, note.theirs) == ("未送信のメモ", "さらに書き足したメモ")
    assert (title.record_id, title.field, title.reason) == (created, "title", "changed")
    assert (title.mine, title.theirs) == ("バックアップ時に未送信", "作成後に直した")
    assert office.workspace.store.pending_record_count() == 0
    office.sync()
    assert _server_visits(server) == server_before


def test_a_kept_edit_over_a_delete_waiting_in_the_backup_is_shown_again_not_dropped(
    server: RunningServer, laptops: MakeLaptop
) -> None:
    """The backup waits on a create that brings back a record deleted meanwhile: the person's
    "keep my edit" of a `deleted` conflict, never sent. Restored, the catch-up pull brings the
    deletion; the create is not on the server, so it is shown as the same `deleted` conflict
    with the edited values, and keeping them again brings the record back with them."""
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    add_user(server.database, "suzuki", codes=(WAKAYAMA,))
    office, suzuki = laptops("tanaka", "office"), laptops("suzuki", "suzuki")
    kept = _visit(office, "残したい訪問")
    office.sync()
    suzuki.sync()
    suzuki.workspace.engagements.delete(kept)
    suzuki.sync()
    office.workspace.engagements.update(kept, {"notes": "削除の後に書いたメモ"})
    office.engine.push(SyncSummary())  # the push meets the delete; the pull after it fails
    [deleted] = office.conflicts()
    assert (deleted.record_id, deleted.reason) == (kept, "deleted")
    resolve(office.workspace.store, deleted.id, take="mine")  # keep my edit: a create
    backup = take_backup(office.workspace.store)
    server_before = _server_visits(server)
    assert server_before.get(kept) is None

    restore_into(office.workspace.store, backup.path.name)
    office.sync()
    assert _server_visits(server) == server_before  # nothing sent before a person decides
    [shown] = office.conflicts()
    assert (shown.record_id, shown.field, shown.reason) == (kept, "*", "deleted")
    assert shown.mine["notes"] == "削除の後に書いたメモ"
    assert shown.mine["title"] == "残したい訪問"
    assert office.workspace.store.pending_record_count() == 0

    resolve(office.workspace.store, shown.id, take="mine")
    office.sync()
    assert _server_visits(server)[kept] == {
        "title": "残したい訪問",
        "notes": "削除の後に書いたメモ",
        "summary": "",
    }
    assert office.conflicts() == []


def test_a_0_byte_or_damaged_store_restored_and_synced_gives_back_everything(
    server: RunningServer, laptops: MakeLaptop
) -> None:
    """The issue's done-when: the store emptied to 0 bytes (then, on the same laptop, damaged
    by flipped bytes) is refused, restored from its automatic backup as `dxdesk restore`
    does, and one sync gives back every record the server has."""
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    office = laptops("tanaka", "office")
    for n in range(5):
        _visit(office, f"訪問 {n}")
    office.sync()
    backup = take_backup(office.workspace.store)
    for n in range(5, 8):
        _visit(office, f"バックアップ後の訪問 {n}")
    office.sync()
    expected = _server_visits(server)
    data = office.workspace.store.data_dir
    transport = office.engine._transport  # the laptop's login, as its keychain would keep it
    office.workspace.close()

    for damage in (_empty, _flip_bytes):
        damage(data / DATABASE_NAME)
        with pytest.raises(StoreUnreadable):
            open_workspace(data).close()
        restored = restore_backup(data, backup.path.name)
        assert restored.kept_aside is not None
        workspace = open_workspace(data)
        try:
            assert len(_laptop_visits(Laptop(workspace, office.engine))) == 5
            SyncEngine(workspace.store, transport, page_size=50).sync()
            laptop = Laptop(workspace, office.engine)
            assert _laptop_visits(laptop) == {
                record_id: fields for record_id, fields in expected.items() if fields
            }
            assert len(_laptop_visits(laptop)) == 8
            assert open_conflicts(workspace.store) == []
        finally:
            workspace.close()
    assert _server_visits(server) == expected


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _flip_bytes(path: Path) -> None:
    content = bytearray(path.read_bytes())
    rng = random.Random(17)
    for _ in range(5000):
        content[rng.randrange(len(content))] ^= 0xFF
    path.write_bytes(bytes(content))
