"""Merge bases are copy-on-write (dxdesk.models.outbox): a record nothing waits on has no base
row, its row is the base; a local edit copies the base first, an acknowledged push drops it.

Each scenario runs on a server with a SQLite store and one with PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from sqlalchemy import insert, select

from dxdesk.domain.records import kind_spec
from dxdesk.models.outbox_tables import RecordBase
from dxdesk.models.record_values import row_values
from dxdesk.models.tables import EngagementRow
from dxdesk.services.workspace import Workspace
from dxdesk.sync.engine import SyncSummary
from tests.e2e.conftest import Laptop
from tests.server.fixtures import RunningServer, add_user

WAKAYAMA = "302015"
MakeLaptop = Callable[[str, str], Laptop]


def _bases(workspace: Workspace) -> dict[str, tuple[int, dict[str, Any]]]:
    with workspace.store.session() as session:
        return {b.record_id: (b.server_rev, b.fields) for b in session.scalars(select(RecordBase))}


def _two(server: RunningServer, laptops: Any) -> tuple[Laptop, Laptop]:
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    add_user(server.database, "suzuki", codes=(WAKAYAMA,))
    return laptops("tanaka", "tanaka"), laptops("suzuki", "suzuki")


def _visit(laptop: Laptop, title: str = "訪問") -> str:
    record = laptop.workspace.engagements.add(
        {"municipality": WAKAYAMA, "date": "2026-11-20", "title": title, "notes": "一"}
    )
    return str(record["id"])


def test_pulled_and_acknowledged_records_keep_no_base(server: RunningServer, laptops: Any) -> None:
    tanaka, suzuki = _two(server, laptops)
    visits = [_visit(tanaka, f"訪問{n}") for n in range(3)]
    assert tanaka.sync().pushed == 3
    assert (
        _bases(tanaka.workspace) == {}
    )  # acknowledged creates: the rows hold what the server does
    assert suzuki.sync().pulled == 3
    assert _bases(suzuki.workspace) == {}  # pulled, nothing waits: written once
    tanaka.workspace.engagements.update(visits[0], {"title": "改題"})
    tanaka.sync()
    assert _bases(tanaka.workspace) == {}
    suzuki.sync()
    assert suzuki.workspace.engagements.get(visits[0])["title"] == "改題"
    assert _bases(suzuki.workspace) == {}


def test_an_edit_copies_the_synced_values_then_merges_three_way(
    server: RunningServer, laptops: Any
) -> None:
    tanaka, suzuki = _two(server, laptops)
    visit = _visit(tanaka)
    tanaka.sync(), suzuki.sync()
    with suzuki.workspace.store.session() as session:
        rev = session.get(EngagementRow, visit).server_rev  # type: ignore[union-attr]
    suzuki.workspace.engagements.update(visit, {"title": "鈴木の件名"})
    suzuki.workspace.engagements.update(visit, {"title": "鈴木の件名2"})
    [(base_rev, fields)] = _bases(suzuki.workspace).values()
    assert (base_rev, fields["title"], fields["notes"]) == (rev, "訪問", "一")  # before the edit
    tanaka.workspace.engagements.update(visit, {"notes": "田中のメモ"})
    tanaka.sync()
    summary = suzuki.sync()  # pull merges notes against the copied base; the title goes up
    assert summary.conflicts == 0
    tanaka.sync()
    for laptop in (tanaka, suzuki):
        record = laptop.workspace.engagements.get(visit)
        assert (record["title"], record["notes"]) == ("鈴木の件名2", "田中のメモ")
        assert _bases(laptop.workspace) == {}
        assert laptop.conflicts() == []


def test_the_same_field_conflicts_against_the_copied_base(
    server: RunningServer, laptops: Any
) -> None:
    tanaka, suzuki = _two(server, laptops)
    visit = _visit(tanaka)
    tanaka.sync(), suzuki.sync()
    tanaka.workspace.engagements.update(visit, {"title": "田中の件名"})
    suzuki.workspace.engagements.update(visit, {"title": "鈴木の件名"})
    tanaka.sync()
    assert suzuki.sync().conflicts == 1
    [conflict] = suzuki.conflicts()
    assert (conflict.base, conflict.theirs, conflict.mine) == ("訪問", "田中の件名", "鈴木の件名")
    assert suzuki.workspace.store.pending_record_count() == 0


def test_an_edit_during_the_push_keeps_the_base_at_the_acknowledged_values(
    server: RunningServer, laptops: Any
) -> None:
    tanaka, suzuki = _two(server, laptops)
    visit = _visit(tanaka)
    tanaka.sync(), suzuki.sync()
    suzuki.workspace.engagements.update(visit, {"title": "送る件名"})

    def edit_while_sending(request: httpx.Request) -> None:
        if request.url.path.endswith("/sync/push") and hooks:
            hooks.clear()
            suzuki.workspace.engagements.update(visit, {"notes": "送信中のメモ"})

    hooks = [edit_while_sending]
    suzuki.engine._transport._client.event_hooks["request"].append(edit_while_sending)
    summary = SyncSummary()
    assert suzuki.engine._pusher.push_one(summary)  # one push, as the edit lands during it
    [(_rev, fields)] = _bases(suzuki.workspace).values()
    assert (fields["title"], fields["notes"]) == ("送る件名", "一")  # as acknowledged
    assert suzuki.workspace.store.pending_record_count() == 1
    assert summary.pushed == 1
    tanaka.workspace.engagements.update(visit, {"notes": "田中のメモ"})
    tanaka.sync()
    assert suzuki.sync().conflicts == 1  # notes changed on both sides since the base
    [conflict] = suzuki.conflicts()
    assert (conflict.base, conflict.theirs, conflict.mine) == ("一", "田中のメモ", "送信中のメモ")


def test_an_old_store_with_a_base_for_every_record_still_syncs(
    server: RunningServer, laptops: Any
) -> None:
    tanaka, suzuki = _two(server, laptops)
    visits = [_visit(tanaka, f"訪問{n}") for n in range(3)]
    tanaka.sync(), suzuki.sync()
    spec = kind_spec("visit")
    with suzuki.workspace.store.transaction() as session:  # as every store synced before kept
        rows = session.scalars(select(EngagementRow)).all()
        session.execute(
            insert(RecordBase),
            [
                {"kind": "visit", "record_id": r.id, "server_rev": r.server_rev}
                | {"fields": row_values(spec, r)}
                for r in rows
            ],
        )
    suzuki.workspace.engagements.update(visits[0], {"title": "鈴木の件名"})
    tanaka.workspace.engagements.update(visits[0], {"notes": "田中のメモ"})
    tanaka.workspace.engagements.update(visits[1], {"notes": "田中のメモ"})
    tanaka.sync()
    assert suzuki.sync().conflicts == 0
    tanaka.sync()
    for laptop in (tanaka, suzuki):
        record = laptop.workspace.engagements.get(visits[0])
        assert (record["title"], record["notes"]) == ("鈴木の件名", "田中のメモ")
        assert laptop.workspace.engagements.get(visits[1])["notes"] == "田中のメモ"
    # Pulled and acknowledged records lost the bases they no longer need; the third is as it was.
    assert set(_bases(suzuki.workspace)) == {visits[2]}


def test_a_delete_while_the_create_is_being_pushed_reaches_the_server(
    server: RunningServer, laptops: Any
) -> None:
    # Deleted while its create is on its way: the create's answer makes the record on the
    # server, so the delete must still follow it there.
    tanaka, suzuki = _two(server, laptops)
    visit = _visit(tanaka)

    def delete_while_sending(request: httpx.Request) -> None:
        if request.url.path.endswith("/sync/push") and hooks:
            hooks.clear()
            tanaka.workspace.engagements.delete(visit)

    hooks = [delete_while_sending]
    tanaka.engine._transport._client.event_hooks["request"].append(delete_while_sending)
    assert tanaka.engine._pusher.push_one(SyncSummary())  # the create, answered
    assert tanaka.workspace.store.pending_record_count() == 1  # the delete waits
    tanaka.sync()
    assert tanaka.workspace.store.pending_record_count() == 0
    suzuki.sync()
    assert suzuki.workspace.engagements.list_records() == []
    assert tanaka.conflicts() == suzuki.conflicts() == []
