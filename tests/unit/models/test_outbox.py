"""The outbox (dxdesk.models.outbox) against a store, with the server played by hand: pulled
records as the server sends them, acknowledgments as it answers. A record nothing waits on has
no merge base (copy-on-write): every reader takes an absent base as the row as it stands."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select

from dxdesk.domain.records import kind_spec
from dxdesk.models import outbox
from dxdesk.models.outbox_tables import PendingChange, RecordBase
from dxdesk.models.record_values import row_values
from dxdesk.models.tables import EngagementRow
from dxdesk.services.workspace import Workspace
from dxdesk.wire.protocol import PulledRecord

AT = datetime(2026, 12, 1, tzinfo=UTC)
SPEC = kind_spec("visit")


def _pulled(
    record_id: str, fields: dict[str, Any], rev: int, *, deleted: bool = False
) -> PulledRecord:
    return PulledRecord(
        kind="visit",
        id=record_id,
        rev=rev,
        deleted=deleted,
        municipality=str(fields["municipality"]),
        fields=fields,
        updated_by="suzuki",
        updated_at=AT,
    )


def _pull(ws: Workspace, *records: PulledRecord) -> outbox.PulledCounts:
    counts = outbox.PulledCounts()
    with ws.store.transaction() as session:
        outbox.apply_page(session, list(records), counts)
    return counts


def _server_visit(ws: Workspace, payload: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """A visit as the server would send it (its wire fields), not yet on this device."""
    record_id = str(ws.engagements.add(payload)["id"])
    with ws.store.transaction() as session:
        row = session.get(EngagementRow, record_id)
        assert row is not None
        fields = row_values(SPEC, row)
        session.delete(row)
        session.execute(delete(PendingChange))
    return record_id, fields


def _bases(ws: Workspace) -> dict[str, tuple[int, dict[str, Any]]]:
    with ws.store.session() as session:
        return {b.record_id: (b.server_rev, b.fields) for b in session.scalars(select(RecordBase))}


def _pending(ws: Workspace) -> set[tuple[str, str, str]]:
    with ws.store.session() as session:
        return {(p.record_id, p.field, p.op) for p in session.scalars(select(PendingChange))}


def test_a_tombstone_over_an_unedited_row_keeps_its_synced_values(
    workspace: Workspace, visit_payload: dict[str, Any]
) -> None:
    visit, fields = _server_visit(workspace, visit_payload)
    _pull(workspace, _pulled(visit, fields, 1))
    _pull(workspace, _pulled(visit, fields, 2, deleted=True))
    for _rev, base in _bases(workspace).values():
        assert base == fields  # never an empty base: that would make every field look edited
    workspace.engagements.restore([("visit", visit)])
    assert _pending(workspace) == set()  # nothing differs from the last synced values


def test_undoing_a_delete_after_the_base_was_dropped_reads_the_row(
    workspace: Workspace, visit_payload: dict[str, Any]
) -> None:
    # A pulled record has no base; deleted here, pushed, and its base dropped (migration 0004):
    # undone, it is not a create of a record the server knows.
    visit, fields = _server_visit(workspace, visit_payload)
    _pull(workspace, _pulled(visit, fields, 1))
    removed = workspace.engagements.delete(visit)
    with workspace.store.transaction() as session:
        session.execute(delete(PendingChange))
        session.execute(delete(RecordBase))
    workspace.engagements.restore(removed)
    assert ("*", "create") not in {(f, op) for _id, f, op in _pending(workspace)}
