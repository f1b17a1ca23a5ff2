"""Tracking what is done on this device: edits, deletes and their undo, conflicts a person
settled. Each is called before the row takes the change (its base is copied from it)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dxdesk.domain.records import kind_spec
from dxdesk.models.base import SyncedRecord
from dxdesk.models.outbox.bases import (
    base_value,
    copy_base_if_absent,
    drop_pending,
    synced_values,
    upsert_pending,
)
from dxdesk.models.outbox.batch import META_PUSH_IN_FLIGHT, PushBatch
from dxdesk.models.outbox_tables import PendingChange
from dxdesk.models.record_values import WHOLE_RECORD, changed_fields, row_values
from dxdesk.models.tables import StoreMeta


def track_create(session: Session, kind: str, record_id: str, at: datetime) -> None:
    """A record made on this device: the whole of it goes up as a create."""
    session.add(
        PendingChange(
            kind=kind, record_id=record_id, field=WHOLE_RECORD, op="create", changed_at=at
        )
    )


def track_update(session: Session, kind: str, row: SyncedRecord, fields: Iterable[str]) -> None:
    """Fields edited on this device; call before the row takes the new values."""
    copy_base_if_absent(session, kind, row)
    # Tracked even while the create is still pending: if that create is on its way to the
    # server right now, these fields are what is left to send once it is answered.
    for name in fields:
        upsert_pending(session, kind, row.id, name, "update")


def track_delete(session: Session, kind: str, row: SyncedRecord, at: datetime) -> None:
    """A record tombstoned here: a delete goes up, unless the server never saw the record."""
    record_id = row.id
    copy_base_if_absent(session, kind, row)
    never_pushed = any(
        p.op == "create"
        for p in session.scalars(
            select(PendingChange).where(
                PendingChange.kind == kind, PendingChange.record_id == record_id
            )
        )
    )
    drop_pending(session, kind, record_id)
    # A create on its way to the server right now (the stored push) will make the record
    # there: the delete must follow it, or the acknowledgment leaves it live on the server.
    if not never_pushed or _create_in_flight(session, kind, record_id):
        session.add(
            PendingChange(
                kind=kind, record_id=record_id, field=WHOLE_RECORD, op="delete", changed_at=at
            )
        )


def track_undelete(session: Session, kind: str, row: SyncedRecord) -> None:
    """A tombstone undone: a record the server never saw is a create again; so is one whose
    delete has reached the server (sent and answered, or on its way in the push under way):
    it comes back whole there as it does after an edit that met a delete. One whose delete
    has not gone up is pushed as updates of every field that differs from the last synced
    values (its base, or the row as it stands when it has none: then none differs)."""
    synced = synced_values(session, kind, row)
    delete_waits = any(
        p.op == "delete"
        for p in session.scalars(
            select(PendingChange).where(
                PendingChange.kind == kind, PendingChange.record_id == row.id
            )
        )
    )
    drop_pending(session, kind, row.id)
    server_has_delete = row.server_rev is not None and (
        not delete_waits or _in_flight(session, kind, row.id, "delete")
    )
    if row.server_rev is None or server_has_delete:
        op, fields = "create", [WHOLE_RECORD]
    else:
        op, fields = (
            "update",
            changed_fields(kind_spec(kind), synced, row_values(kind_spec(kind), row)),
        )
    for name in fields:
        session.add(
            PendingChange(kind=kind, record_id=row.id, field=name, op=op, changed_at=row.updated_at)
        )


# -- conflicts a person settled (dxdesk.sync.conflicts) -------------------------------------


def track_chosen_value(
    session: Session, kind: str, row: SyncedRecord, name: str, value: Any
) -> None:
    """A person chose ``value`` for a field in conflict; call before the row takes it. It goes
    up unless it is what the server last sent."""
    if value != base_value(session, kind, row, name):
        copy_base_if_absent(session, kind, row)
        upsert_pending(session, kind, row.id, name, "update")


def track_recreate(session: Session, kind: str, record_id: str) -> None:
    """My edit met their delete and a person kept mine: the record goes up whole, as a create."""
    drop_pending(session, kind, record_id)
    upsert_pending(session, kind, record_id, WHOLE_RECORD, "create")


def forget_changes(session: Session, kind: str, record_id: str) -> None:
    """A person let the server's version win: nothing of the record goes up."""
    drop_pending(session, kind, record_id)


def track_retry(session: Session, kind: str, row: SyncedRecord, mine: Mapping[str, Any]) -> None:
    """A change the server refused, tried again (its cause fixed, e.g. reassigned): ``mine``
    is what the refused change carried, with its ``op``."""
    copy_base_if_absent(session, kind, row)  # what goes up is against the last synced values
    op = mine.get("op", "update")
    if op in ("create", "delete"):
        upsert_pending(session, kind, row.id, WHOLE_RECORD, op)
        return
    for name in mine:
        if name != "op":
            upsert_pending(session, kind, row.id, name, "update")


def _create_in_flight(session: Session, kind: str, record_id: str) -> bool:
    """Whether the push sent and not yet answered (kept in the store's metadata) creates it."""
    return _in_flight(session, kind, record_id, "create")


def _in_flight(session: Session, kind: str, record_id: str, op: str) -> bool:
    """Whether the push sent and not yet answered (kept in the store's metadata) carries
    ``op`` for the record."""
    stored = session.get(StoreMeta, META_PUSH_IN_FLIGHT)
    if stored is None or not stored.value:
        return False
    return any(
        change.kind == kind and change.id == record_id and change.op == op
        for change in PushBatch.load(stored.value).request.changes
    )
