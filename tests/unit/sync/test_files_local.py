"""The laptop's side of syncing files, without a server: the budget and what it wants ahead of
time, which bytes leave when their attachment goes, and eviction waiting for unsent files.
(The transfers themselves are tested against the real server in tests/e2e/test_attachments*.)"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, update

from dxdesk.models.base import utc_now
from dxdesk.models.file_store import STALE_TEMP_SECONDS, FileStore
from dxdesk.models.outbox_tables import PendingChange
from dxdesk.models.tables import AttachmentRow, AttachmentText, AttachmentUpload
from dxdesk.services.assignment import set_assignment
from dxdesk.services.workspace import Workspace
from dxdesk.sync.eviction import META_EVICT, evict
from dxdesk.sync.file_budget import (
    META_AHEAD_MB,
    FileBudget,
    read_budget,
    set_budget,
)
from dxdesk.sync.files import prune_files, waiting_upload_count, wanted_ahead
from dxdesk.sync.summary import SyncSummary

WAKAYAMA, KAINAN = "302015", "302023"
MB = 1024 * 1024


def _attach(ws: Workspace, tmp_path: Path, parent: tuple[str, str], size: int = 1000) -> Any:
    source = tmp_path / f"{os.urandom(4).hex()}.pdf"
    source.write_bytes(os.urandom(size))
    [record] = ws.attachments.attach(parent[0], parent[1], [source])
    return record


def _visit(ws: Workspace, code: str = WAKAYAMA) -> tuple[str, str]:
    record = ws.engagements.add({"municipality": code, "date": "2026-11-20", "title": "訪問"})
    return ("visit", str(record["id"]))


def _as_pulled(ws: Workspace, *records: Any, days_ago: int = 0) -> None:
    """As if these came from the server: sent, no bytes here yet, attached ``days_ago``."""
    with ws.store.transaction() as session:
        ids = [r["id"] for r in records]
        session.execute(delete(PendingChange).where(PendingChange.record_id.in_(ids)))
        session.execute(delete(AttachmentUpload).where(AttachmentUpload.attachment_id.in_(ids)))
        session.execute(
            update(AttachmentRow)
            .where(AttachmentRow.id.in_(ids))
            .values(server_rev=1, created_at=utc_now() - timedelta(days=days_ago))
        )
    for record in records:
        ws.files.path(record["sha256"]).unlink()


def test_the_budget_is_a_year_and_two_gigabytes_unless_set(workspace: Workspace) -> None:
    store = workspace.store
    assert read_budget(store) == FileBudget(months=12, megabytes=2048)
    set_budget(store, FileBudget(months=3, megabytes=500))
    assert read_budget(store) == FileBudget(months=3, megabytes=500)
    store.set_meta(META_AHEAD_MB, "たくさん")
    assert read_budget(store).megabytes == 2048
    with pytest.raises(ValueError):
        set_budget(store, FileBudget(months=-1))


def test_ahead_of_time_the_newest_files_of_my_municipalities_within_the_budget(
    workspace: Workspace, tmp_path: Path
) -> None:
    ws = workspace
    mine = _attach(ws, tmp_path, _visit(ws), MB)
    newest = _attach(ws, tmp_path, _visit(ws), MB)
    article = ws.articles.add({"title": "書かない窓口"})
    shared = _attach(ws, tmp_path, ("article", str(article["id"])), MB)
    elsewhere = _attach(ws, tmp_path, _visit(ws, KAINAN), MB)
    old = _attach(ws, tmp_path, _visit(ws), MB)
    _as_pulled(ws, newest)
    _as_pulled(ws, shared, days_ago=1)
    _as_pulled(ws, mine, elsewhere, days_ago=2)
    _as_pulled(ws, old, days_ago=400)
    with ws.store.transaction() as session:
        set_assignment(session, [WAKAYAMA])

    def wanted() -> list[str]:
        return [item.id for item in wanted_ahead(ws.store)]

    # Not 海南市's (not mine), not one older than the 12 months; newest first.
    assert wanted() == [newest["id"], shared["id"], mine["id"]]
    set_budget(ws.store, FileBudget(months=12, megabytes=2))
    assert wanted() == [newest["id"], shared["id"]]
    ws.files.add_file(tmp_path / newest["name"])  # the newest is here now
    assert ws.files.has(newest["sha256"])
    assert wanted() == [shared["id"]]  # it counts towards the budget all the same
    set_budget(ws.store, FileBudget(months=0, megabytes=2048))
    assert wanted() == []


def test_bytes_go_when_only_deleted_attachments_name_them(
    workspace: Workspace, tmp_path: Path
) -> None:
    ws = workspace
    visit = _visit(ws)
    live, sent, unsent = (_attach(ws, tmp_path, visit) for _ in range(3))
    with ws.store.transaction() as session:  # sent: its bytes are on the server
        session.execute(
            delete(AttachmentUpload).where(AttachmentUpload.attachment_id == sent["id"])
        )
    ws.attachments.delete(sent["id"])
    ws.attachments.delete(unsent["id"])
    loose = tmp_path / "loose.bin"
    loose.write_bytes(os.urandom(500))
    under_way = ws.files.add_file(loose)  # an attach not yet recorded
    assert prune_files(ws.store) == 1
    assert not ws.files.has(sent["sha256"])
    for sha256 in (live["sha256"], unsent["sha256"], under_way.sha256):
        assert ws.files.has(sha256)  # live; undo may bring it back unsent; not named yet


def test_a_prune_sweeps_stale_temporary_files_even_with_nothing_to_delete(
    workspace: Workspace, tmp_path: Path
) -> None:
    ws = workspace
    live = _attach(ws, tmp_path, _visit(ws))
    stale, fresh = ws.files.root / ".incoming-killed", ws.files.root / ".incoming-under-way"
    stale.write_bytes(b"half")
    fresh.write_bytes(b"half")
    day_ago = time.time() - STALE_TEMP_SECONDS - 60
    os.utime(stale, (day_ago, day_ago))
    assert prune_files(ws.store) == 0
    assert not stale.exists()
    assert fresh.exists()  # another process may be writing it
    assert ws.files.has(live["sha256"])


def test_a_prune_and_an_attach_of_the_same_content_exclude_each_other(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Deleted after its bytes went up, then attached again (to the right visit) while a sync
    prunes: the attach (copy in … commit, under FileStore.exclusive) waits for the prune, or
    the prune for it; either way the new attachment keeps its bytes."""
    ws = workspace
    wrong, right = _visit(ws), _visit(ws)
    source = tmp_path / "計画案.pdf"
    source.write_bytes(os.urandom(2000))
    [first] = ws.attachments.attach(*wrong, [source])
    with ws.store.transaction() as session:  # its bytes went up
        session.execute(delete(AttachmentUpload))
    ws.attachments.delete(first["id"])
    attached: list[Any] = []

    def attach_again() -> None:
        with ws.files.exclusive():  # what an attach holds from copying in to its commit
            attached.extend(ws.attachments.attach(*right, [source]))

    real_stored = FileStore.stored
    other = threading.Thread(target=attach_again)

    def stored_while_attaching(self: FileStore) -> Iterator[str]:
        listing = list(real_stored(self))
        if not other.is_alive() and not attached:
            other.start()  # between the prune's reading what is kept and its deletes
            other.join(timeout=1)  # without the lock, the attach is done by now
        return iter(listing)

    monkeypatch.setattr(FileStore, "stored", stored_while_attaching)
    prune_files(ws.store)
    other.join()
    [again] = attached
    assert ws.files.has(again["sha256"])
    assert ws.files.verify(again["sha256"])


def test_an_evicted_municipality_waits_for_its_files_then_takes_them_and_their_text(
    workspace: Workspace, tmp_path: Path
) -> None:
    ws = workspace
    record = _attach(ws, tmp_path, _visit(ws))
    shared = _attach(ws, tmp_path, ("article", str(ws.articles.add({"title": "共有"})["id"])))
    with ws.store.transaction() as session:
        # Records sent, the visit's file not yet: as after a sync cut before its bytes.
        session.execute(delete(PendingChange))
        session.execute(update(AttachmentRow).values(server_rev=1))
        session.add(AttachmentText(sha256=record["sha256"], text="計画案"))
        set_assignment(session, [])
    ws.store.set_meta(META_EVICT, json.dumps([WAKAYAMA]))
    assert waiting_upload_count(ws.store) == 2

    summary = SyncSummary()
    evict(ws.store, summary)
    assert (summary.kept, summary.evicted) == ([WAKAYAMA], [])
    assert ws.files.has(record["sha256"])

    with ws.store.transaction() as session:  # the file went up
        session.execute(
            delete(AttachmentUpload).where(AttachmentUpload.attachment_id == record["id"])
        )
    summary = SyncSummary()
    evict(ws.store, summary)
    assert summary.evicted == [WAKAYAMA]
    assert not ws.files.has(record["sha256"])
    assert ws.files.has(shared["sha256"])  # prefecture-wide: stays
    with ws.store.session() as session:
        assert session.get(AttachmentRow, record["id"]) is None
        assert session.get(AttachmentText, record["sha256"]) is None
    assert waiting_upload_count(ws.store) == 1
