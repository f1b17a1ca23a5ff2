"""Merge bases and the pending-change queries the rest of the outbox shares.

A base is copy-on-write: absent, it is the row as it stands (see the package's docstring).
Every write of a ``record_base`` row goes through ``set_base``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from typing import Any

from sqlalchemy import Select, delete, distinct, func, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from dxdesk.domain.records import kind_spec
from dxdesk.models.base import SyncedRecord, utc_now
from dxdesk.models.outbox_tables import PendingChange, RecordBase
from dxdesk.models.record_values import row_values
from dxdesk.wire.fields import field_value

# How many record ids one IN (...) query names.
IDS_PER_QUERY = 500


def set_base(
    session: Session,
    kind: str,
    record_id: str,
    server_rev: int,
    fields: dict[str, Any],
    base: RecordBase | None = None,
) -> None:
    """The record's merge base is now ``fields`` at ``server_rev`` (``base``: its row, if the
    caller has it loaded)."""
    if base is None:
        base = session.get(RecordBase, (kind, record_id))
    if base is None:
        session.add(
            RecordBase(kind=kind, record_id=record_id, server_rev=server_rev, fields=dict(fields))
        )
    else:
        base.server_rev = server_rev
        base.fields = dict(fields)


def copy_base_if_absent(session: Session, kind: str, row: SyncedRecord) -> None:
    """Before a local change to ``row``: copy its values (the last synced ones, as nothing of
    it waits to go up when it has no base) into a base, unless it has one or the server does
    not know the record yet (a create carries every field, against no base)."""
    if row.server_rev is None:
        return
    session.flush()  # a base added earlier in this transaction counts
    if session.get(RecordBase, (kind, row.id)) is None:
        set_base(session, kind, row.id, row.server_rev, row_values(kind_spec(kind), row))


def synced_values(session: Session, kind: str, row: SyncedRecord) -> dict[str, Any]:
    """The record's last synced values: its base's, or the row's when it has none."""
    base = session.get(RecordBase, (kind, row.id))
    return dict(base.fields) if base is not None else row_values(kind_spec(kind), row)


def base_value(session: Session, kind: str, row: SyncedRecord, name: str) -> Any:
    """A field's value as last synced; None for a record the server has not answered for."""
    if row.server_rev is None and session.get(RecordBase, (kind, row.id)) is None:
        return None
    return field_value(synced_values(session, kind, row), name)


def upsert_pending(session: Session, kind: str, record_id: str, field: str, op: str) -> None:
    """``field`` of the record waits to go up as ``op``, changed now (again, if it already
    waited: the push that carries the older change must not clear this one)."""
    now = utc_now()
    statement = sqlite_insert(PendingChange).values(
        kind=kind, record_id=record_id, field=field, op=op, changed_at=now
    )
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["kind", "record_id", "field"], set_={"changed_at": now, "op": op}
        )
    )


def drop_pending(session: Session, kind: str, record_id: str) -> None:
    """Nothing of the record waits to go up any more."""
    session.execute(
        delete(PendingChange).where(
            PendingChange.kind == kind, PendingChange.record_id == record_id
        )
    )


def pending_among(
    session: Session, kind: str, ids: Select[Any] | list[str], field: str | None = None
) -> bool:
    """Whether any record of ``kind`` with one of these ids (or the ids the query gives) has
    changes waiting to go up (``field``: a change of that field); the one query behind every
    "is it pending" question."""
    session.flush()  # what this transaction has just queued or cleared
    query = select(PendingChange.seq).where(
        PendingChange.kind == kind, PendingChange.record_id.in_(ids)
    )
    if field is not None:
        query = query.where(PendingChange.field == field)
    return session.scalar(query.limit(1)) is not None


def is_pending(session: Session, kind: str, record_id: str, field: str) -> bool:
    """Whether this field of the record waits to go up."""
    return pending_among(session, kind, [record_id], field)


def pending_record_count(session: Session) -> int:
    """How many records have changes this device has not yet pushed."""
    count = session.scalar(
        select(func.count(distinct(PendingChange.kind + ":" + PendingChange.record_id)))
    )
    return count or 0


def has_pending(session: Session, records: Collection[tuple[str, str]]) -> bool:
    """Whether any of these (kind, record id) has changes this device has not pushed."""
    ids_by_kind: dict[str, list[str]] = defaultdict(list)
    for kind, record_id in sorted(set(records)):
        ids_by_kind[kind].append(record_id)
    return any(
        pending_among(session, kind, ids[start : start + IDS_PER_QUERY])
        for kind, ids in ids_by_kind.items()
        for start in range(0, len(ids), IDS_PER_QUERY)
    )


# -- forgetting ----------------------------------------------------------------------------


def forget_records(session: Session, kind: str, ids: Select[Any]) -> None:
    """Records leaving the device (evicted): their merge bases go with them."""
    session.execute(
        delete(RecordBase).where(RecordBase.kind == kind, RecordBase.record_id.in_(ids))
    )


def forget_all(session: Session) -> None:
    """The store is reset: nothing waits to go up and nothing has a base."""
    session.execute(delete(PendingChange))
    session.execute(delete(RecordBase))
