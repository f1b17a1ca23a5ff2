"""Retention on the laptop: a deleted contact's content leaves the store after the period,
from its row, the search index, kept edits and every byte of the database file."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from dxdesk.models import outbox
from dxdesk.models.base import utc_now
from dxdesk.models.tables import ContactRow, StoreMeta
from dxdesk.services.retention import purge_deleted
from dxdesk.services.search import search
from dxdesk.services.workspace import Workspace, open_workspace
from tests.store_files import connect_store, decrypted_bytes

SHIRAHAMA = "304018"
PHONE = "0739-55-0142"
KEPT_PHONE = "0739-55-0777"
LATER = timedelta(days=91)


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = open_workspace(tmp_path / "data")
    yield workspace
    workspace.close()


def _files_holding(ws: Workspace, needle: str) -> list[str]:
    """Where ``needle`` is: column values of every table (the search index's own tables
        included), and the bytes of the database and its -wal and -shm, as they are and decrypted
    (free pages included)."""
    found: list[str] = []
    db = connect_store(ws.store.path)
    try:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            for row in db.execute(f'SELECT * FROM "{table}"'):
                for value in row:
                    as_text = (
                        value.decode("utf-8", "replace") if isinstance(value, bytes) else value
                    )
                    if isinstance(as_text, str) and needle in as_text:
                        found.append(table)
    finally:
        db.close()
    for path in ws.store.path.parent.glob(ws.store.path.name + "*"):
        if needle.encode() in path.read_bytes():
            found.append(path.name)
        elif path.name.endswith(("sqlite3", "-wal")) and needle.encode() in decrypted_bytes(
            path, ws.store.key
        ):
            found.append(f"{path.name} (decrypted)")
    return found


def _synced_contact(ws: Workspace, phone: str) -> str:
    """A contact as if the server had it: its delete waits to go up once it is deleted."""
    record_id = str(
        ws.contacts.add({"municipality": SHIRAHAMA, "name": "森", "phone": phone})["id"]
    )
    with ws.store.transaction() as session:
        outbox.forget_changes(session, "contact", record_id)
        row = session.get(ContactRow, record_id)
        assert row is not None
        row.server_rev = 7
    return record_id


def test_a_deleted_contacts_phone_is_gone_from_the_file_after_the_period(ws: Workspace) -> None:
    gone = str(
        ws.contacts.add(
            {"municipality": SHIRAHAMA, "name": "山田 花子", "phone": PHONE, "notes": "異動予定"}
        )["id"]
    )
    waiting = _synced_contact(ws, KEPT_PHONE)
    assert [hit.id for hit in search(ws.store, "異動予定")] == [gone]  # indexed
    ws.contacts.delete(gone)
    ws.contacts.delete(waiting)  # its delete has not reached the server yet
    assert _files_holding(ws, PHONE)

    assert purge_deleted(ws.store).total == 0  # deleted just now: within the period
    dry = purge_deleted(ws.store, now=utc_now() + LATER, dry_run=True)
    assert dry.records == {"contact": 1} and _files_holding(ws, PHONE)

    report = purge_deleted(ws.store, now=utc_now() + LATER)
    assert report.records == {"contact": 1}
    assert _files_holding(ws, PHONE) == []
    assert _files_holding(ws, "異動予定") == []
    assert search(ws.store, "異動予定") == []
    with ws.store.session() as session:
        row = session.get(ContactRow, gone)
        assert row is not None
        assert (row.deleted, row.municipality, row.name, row.phone) == (True, SHIRAHAMA, "", "")
        # The tombstone whose delete waits to go up keeps everything until sync settles it.
        pending = session.get(ContactRow, waiting)
        assert pending is not None and pending.phone == KEPT_PHONE
    assert purge_deleted(ws.store, now=utc_now() + LATER).total == 0  # nothing more to clear


def test_kept_edits_of_a_purged_record_go_too(ws: Workspace) -> None:
    record_id = str(ws.contacts.add({"municipality": SHIRAHAMA, "name": "森"})["id"])
    ws.contacts.delete(record_id)
    # A kept unsaved edit left behind for it (as a pulled delete may leave one).
    ws.store.set_meta(f"unsaved:{record_id}", f'{{"phone": "{PHONE}"}}')
    assert purge_deleted(ws.store, now=utc_now() + LATER).records == {"contact": 1}
    with ws.store.session() as session:
        assert session.get(StoreMeta, f"unsaved:{record_id}") is None
    assert _files_holding(ws, PHONE) == []
