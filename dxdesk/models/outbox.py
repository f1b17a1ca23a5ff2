"""The outbox: this device's changes not yet pushed, and the merge bases sync keeps for them.

The one owner of ``pending_change`` and ``record_base`` (DESIGN §7; import-linter keeps the
tables' module to this one): a facade tracks a local edit here, the sync client takes a batch to
push, clears what the server acknowledged and applies what it pulled, three-way against the
base; a store reset forgets everything. Every function works inside the caller's transaction.

Merge bases are copy-on-write. A record's row, as long as nothing of it waits to go up, is what
the server last sent or acknowledged, so it is its own base: no ``record_base`` row is kept (a
first sync writes each record once). The base is copied from the row when a local change is
first tracked on a record the server knows (before the row takes the change), and dropped again
once the server has everything and the row holds what the server holds: after a pull of the
record leaves nothing pending, or an acknowledged push leaves nothing pending and no conflict.
So an absent base means "the row as it stands"; where a base is kept it is the last synced
values, as before.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, delete, distinct, func, insert, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from dxdesk.domain.merge import Outcome, merge_field
from dxdesk.domain.records import kind_spec, new_record_id
from dxdesk.models.base import SyncedRecord, utc_now
from dxdesk.models.kinds import KIND_TABLES
from dxdesk.models.outbox_batch import META_PUSH_IN_FLIGHT, Outbox
from dxdesk.models.outbox_tables import PendingChange, RecordBase
from dxdesk.models.pulled_conflicts import (
    changed_conflict,
    deleted_conflict,
    follow_pulled,
    restored_create_conflicts,
)
from dxdesk.models.record_values import (
    changed_fields,
    columns_from_wire,
    pulled_columns,
    row_values,
    row_values_from_columns,
    set_columns,
)
from dxdesk.models.tables import StoreMeta, SyncConflict
from dxdesk.wire.fields import field_type, field_value, set_field_value
from dxdesk.wire.protocol import Change, ChangeResult, FieldChange, PulledRecord, PushRequest

WHOLE_RECORD = "*"
IDS_PER_QUERY = 500

# -- tracking local edits ------------------------------------------------------------------


def track_create(session: Session, kind: str, record_id: str, at: datetime) -> None:
    """A record made on this device: the whole of it goes up as a create."""
    session.add(
        PendingChange(
            kind=kind, record_id=record_id, field=WHOLE_RECORD, op="create", changed_at=at
        )
    )


def keep_base(session: Session, kind: str, row: SyncedRecord) -> None:
    """Before a local change to ``row``: copy its values (the last synced ones, as nothing of
    it waits to go up when it has no base) into a base, unless it has one or the server does
    not know the record yet (a create carries every field, against no base)."""
    if row.server_rev is None:
        return
    statement = sqlite_insert(RecordBase).values(
        kind=kind,
        record_id=row.id,
        server_rev=row.server_rev,
        fields=row_values(kind_spec(kind), row),
    )
    session.execute(statement.on_conflict_do_nothing(index_elements=["kind", "record_id"]))


def track_update(session: Session, kind: str, row: SyncedRecord, fields: Iterable[str]) -> None:
    """Fields edited on this device; call before the row takes the new values."""
    keep_base(session, kind, row)
    record_id = row.id
    # Tracked even while the create is still pending: if that create is on its way to the
    # server right now, these fields are what is left to send once it is answered.
    now = utc_now()
    for name in fields:
        statement = sqlite_insert(PendingChange).values(
            kind=kind, record_id=record_id, field=name, op="update", changed_at=now
        )
        session.execute(
            statement.on_conflict_do_update(
                index_elements=["kind", "record_id", "field"], set_={"changed_at": now}
            )
        )


def track_delete(session: Session, kind: str, row: SyncedRecord, at: datetime) -> None:
    """A record tombstoned here: a delete goes up, unless the server never saw the record."""
    record_id = row.id
    keep_base(session, kind, row)
    key = (PendingChange.kind == kind) & (PendingChange.record_id == record_id)
    never_pushed = any(p.op == "create" for p in session.scalars(select(PendingChange).where(key)))
    session.execute(delete(PendingChange).where(key))
    # A create on its way to the server right now (the stored push) will make the record
    # there: the delete must follow it, or the acknowledgment leaves it live on the server.
    if not never_pushed or _create_in_flight(session, kind, record_id):
        session.add(
            PendingChange(
                kind=kind, record_id=record_id, field=WHOLE_RECORD, op="delete", changed_at=at
            )
        )


def track_undelete(session: Session, kind: str, row: SyncedRecord) -> None:
    """A tombstone undone: a record the server never saw is a create again; one it knows is
    pushed as updates of every field that differs from the last synced values (its base, or
    the row as it stands when it has none: then none differs)."""
    session.execute(
        delete(PendingChange).where(PendingChange.kind == kind, PendingChange.record_id == row.id)
    )
    spec = kind_spec(kind)
    base = session.get(RecordBase, (kind, row.id))
    if row.server_rev is None:
        op, fields = "create", [WHOLE_RECORD]
    else:
        values = row_values(spec, row)
        synced = base.fields if base is not None else values
        op, fields = "update", changed_fields(spec, synced, values)
    for name in fields:
        session.add(
            PendingChange(kind=kind, record_id=row.id, field=name, op=op, changed_at=row.updated_at)
        )


def queue(session: Session, kind: str, record_id: str, field: str, op: str) -> None:
    """Queue ``field`` of a record for the next push as ``op`` (a person settled a conflict)."""
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
    """Forget what was waiting to go up for a record (a person chose otherwise)."""
    session.execute(
        delete(PendingChange).where(
            PendingChange.kind == kind, PendingChange.record_id == record_id
        )
    )


# -- reading -------------------------------------------------------------------------------


def base_value(session: Session, kind: str, row: SyncedRecord, name: str) -> Any:
    """A field's value as last synced: its base's, or the row's when it has none (then nothing
    of it waits to go up); None for a record the server has not answered for."""
    base = session.get(RecordBase, (kind, row.id))
    if base is not None:
        return field_value(base.fields, name)
    if row.server_rev is None:
        return None
    return field_value(row_values(kind_spec(kind), row), name)


def is_pending(session: Session, kind: str, record_id: str, field: str) -> bool:
    """Whether this field of the record waits to go up."""
    found = session.scalar(
        select(PendingChange.seq).where(
            PendingChange.kind == kind,
            PendingChange.record_id == record_id,
            PendingChange.field == field,
        )
    )
    return found is not None


def pending_record_count(session: Session) -> int:
    """How many records have changes this device has not yet pushed."""
    count = session.scalar(
        select(func.count(distinct(PendingChange.kind + ":" + PendingChange.record_id)))
    )
    return count or 0


def has_pending(session: Session, records: Collection[tuple[str, str]]) -> bool:
    """Whether any of these (kind, record id) has changes this device has not pushed."""
    wanted = set(records)
    ids = sorted({record_id for _kind, record_id in wanted})
    for start in range(0, len(ids), IDS_PER_QUERY):
        rows = session.execute(
            select(PendingChange.kind, PendingChange.record_id).where(
                PendingChange.record_id.in_(ids[start : start + IDS_PER_QUERY])
            )
        )
        if any((kind, record_id) in wanted for kind, record_id in rows):
            return True
    return False


def has_pending_among(session: Session, kind: str, ids: Select[Any]) -> bool:
    """Whether any record of ``kind`` whose id the query ``ids`` gives waits to go up."""
    found = session.scalar(
        select(PendingChange.seq)
        .where(PendingChange.kind == kind, PendingChange.record_id.in_(ids))
        .limit(1)
    )
    return found is not None


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


# -- pushing -------------------------------------------------------------------------------


def take_batch(session: Session, limit: int) -> Outbox | None:
    """The next push: the pending changes of at most ``limit`` records, oldest first."""
    groups: dict[tuple[str, str], list[PendingChange]] = defaultdict(list)
    for pending in session.scalars(select(PendingChange).order_by(PendingChange.seq)):
        key = (pending.kind, pending.record_id)
        if key not in groups and len(groups) >= limit:
            continue
        groups[key].append(pending)
    if not groups:
        return None
    changes: list[Change] = []
    marks: list[list[tuple[int, str]]] = []
    for (kind, record_id), pendings in groups.items():
        change = _change_for(session, kind, record_id, pendings)
        if change is None:  # nothing left to say (a record created and removed offline)
            clear_marks(session, [_mark(p) for p in pendings])
            continue
        changes.append(change)
        marks.append([_mark(p) for p in pendings])
    if not changes:
        return None
    return Outbox(PushRequest(push_id=new_record_id(), changes=changes), marks)


def _mark(pending: PendingChange) -> tuple[int, str]:
    return (pending.seq, pending.changed_at.isoformat())


def _change_for(
    session: Session, kind: str, record_id: str, pendings: list[PendingChange]
) -> Change | None:
    spec = kind_spec(kind)
    row = session.get(KIND_TABLES[kind], record_id)
    base = session.get(RecordBase, (kind, record_id))
    ops = {p.op for p in pendings}
    # No base: nothing of the record waited when it was last synced; its row has that revision.
    base_rev = base.server_rev if base is not None else getattr(row, "server_rev", None)
    if "delete" in ops:
        return Change(kind=kind, id=record_id, op="delete", base_rev=base_rev)
    if row is None or row.deleted:
        return None
    values = row_values(spec, row)
    if "create" in ops:
        fields = {name: FieldChange(value=value) for name, value in values.items()}
        return Change(kind=kind, id=record_id, op="create", fields=fields)
    base_fields = base.fields if base is not None else {}
    fields = {
        p.field: FieldChange(
            value=field_value(values, p.field), base=field_value(base_fields, p.field)
        )
        for p in pendings
    }
    return Change(kind=kind, id=record_id, op="update", base_rev=base_rev, fields=fields)


def clear_marks(session: Session, marks: Sequence[tuple[int, str]]) -> set[str]:
    """Drop the pending rows a push carried, unless edited again since; returns their fields."""
    cleared: set[str] = set()
    for seq, changed_at in marks:
        pending = session.get(PendingChange, seq)
        if pending is not None and pending.changed_at.isoformat() == changed_at:
            cleared.add(pending.field)
            session.delete(pending)
    return cleared


def set_aside(session: Session, change: Change, marks: Sequence[tuple[int, str]], why: str) -> None:
    """A change the server refused: kept as a conflict for a person, no longer pending."""
    session.add(
        SyncConflict(
            kind=change.kind,
            record_id=change.id,
            field=WHOLE_RECORD,
            reason="refused",
            mine={"op": change.op, **{n: f.value for n, f in change.fields.items()}},
            detail=why,
        )
    )
    clear_marks(session, marks)


def acknowledge(
    session: Session, change: Change, result: ChangeResult, marks: Sequence[tuple[int, str]]
) -> None:
    """The server's answer to one pushed change: what it carried is no longer pending, the base
    moves to what the server holds, and its conflicts are kept for a person."""
    cleared = clear_marks(session, marks)
    spec = kind_spec(change.kind)
    row = session.get(KIND_TABLES[change.kind], change.id)
    base = session.get(RecordBase, (change.kind, change.id))
    fields = dict(base.fields) if base is not None else {}
    if change.op == "create" and result.status != "conflict":
        fields = dict(result.fields)
    else:
        for name, value in result.fields.items():
            set_field_value(fields, name, value)
    for conflict in result.conflicts:
        session.add(
            SyncConflict(
                kind=change.kind,
                record_id=change.id,
                field=conflict.field,
                reason=conflict.reason,
                base=conflict.base,
                theirs=conflict.theirs,
                mine=conflict.mine,
                theirs_by=conflict.by,
                theirs_at=conflict.at,
            )
        )
        if conflict.field != WHOLE_RECORD:
            set_field_value(fields, conflict.field, conflict.theirs)
    if result.rev is not None and row is not None:
        row.server_rev = result.rev
    if result.status == "merged" and row is not None:
        # The server combined both texts: show the combined one, unless edited again since.
        merged = {name: value for name, value in result.fields.items() if name in cleared}
        set_columns(spec, row, merged)
    if (
        result.rev is not None
        and not result.conflicts
        and row is not None
        and not row.deleted
        and not _pending_on(session, change.kind, change.id)
        and all(name in fields and fields[name] == v for name, v in row_values(spec, row).items())
    ):
        # The server holds what the row holds and nothing waits: the row is its own base.
        if base is not None:
            session.delete(base)
        return
    if base is None:
        base = RecordBase(kind=change.kind, record_id=change.id, server_rev=0, fields={})
        session.add(base)
    base.fields = fields
    if result.rev is not None:
        base.server_rev = result.rev


def _create_in_flight(session: Session, kind: str, record_id: str) -> bool:
    """Whether the push sent and not yet answered (kept in the store's metadata) creates it."""
    stored = session.get(StoreMeta, META_PUSH_IN_FLIGHT)
    if stored is None or not stored.value:
        return False
    return any(
        change.kind == kind and change.id == record_id and change.op == "create"
        for change in Outbox.load(stored.value).request.changes
    )


def _pending_on(session: Session, kind: str, record_id: str) -> bool:
    session.flush()  # the marks just cleared
    found = session.scalar(
        select(PendingChange.seq)
        .where(PendingChange.kind == kind, PendingChange.record_id == record_id)
        .limit(1)
    )
    return found is not None


# -- pulling -------------------------------------------------------------------------------


@dataclass
class PulledCounts:
    """What storing pulled records did, for the sync's summary."""

    pulled: int = 0
    merged: int = 0
    conflicts: int = 0


LOOKUP_CHUNK = 500
# Parents first, so a page's notes and follow-ups find their engagement.
INSERT_ORDER = ("visit", "contact", "assessment", "article", "event", "interview", "followup")


def apply_page(
    session: Session, records: list[PulledRecord], counts: PulledCounts, *, restored: bool = False
) -> None:
    """Store one pulled page: what the device has never seen is inserted in bulk, the rest
    merged with what waits to go up. ``restored``: the store is a restored backup's
    (dxdesk/sync/restore_catch_up.py), whose pending changes are settled first."""
    ids = [record.id for record in records]
    rows: dict[str, SyncedRecord] = {}
    bases: dict[tuple[str, str], RecordBase] = {}
    pendings: dict[tuple[str, str], list[PendingChange]] = defaultdict(list)
    kinds = {record.kind for record in records}
    for start in range(0, len(ids), LOOKUP_CHUNK):
        chunk = ids[start : start + LOOKUP_CHUNK]
        for kind in kinds:
            table = KIND_TABLES[kind_spec(kind).kind]
            rows.update(
                (row.id, row) for row in session.scalars(select(table).where(table.id.in_(chunk)))
            )
        for kind in kinds:  # by the key (kind, record_id), not a scan of every base
            for base in session.scalars(
                select(RecordBase).where(RecordBase.kind == kind, RecordBase.record_id.in_(chunk))
            ):
                bases[(base.kind, base.record_id)] = base
        for pending in session.scalars(
            select(PendingChange).where(PendingChange.record_id.in_(chunk))
        ):
            pendings[(pending.kind, pending.record_id)].append(pending)
    inserts: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        key = (record.kind, record.id)
        row = rows.get(record.id)
        if (
            row is None
            and key not in bases
            and not pendings.get(key)
            and not (record.deleted or record.gone)
        ):
            spec = kind_spec(record.kind)
            columns = pulled_columns(spec, record)
            inserts[record.kind].append(
                {
                    **columns,
                    "id": record.id,
                    "server_rev": record.rev,
                    "deleted": False,
                    "created_at": record.updated_at,
                    "updated_at": record.updated_at,
                    "updated_by": record.updated_by,
                }
            )
            counts.pulled += 1
            continue
        _apply_pulled(
            session, record, counts, row, bases.get(key), pendings.get(key, []), restored=restored
        )
    for kind in INSERT_ORDER:
        if inserts.get(kind):
            # No base rows: a record nothing waits on is its own base (copy-on-write).
            session.execute(insert(KIND_TABLES[kind]), inserts[kind])


def _apply_pulled(
    session: Session,
    record: PulledRecord,
    counts: PulledCounts,
    row: Any,
    base: RecordBase | None,
    pendings: list[PendingChange],
    *,
    restored: bool = False,
) -> None:
    spec = kind_spec(record.kind)
    if restored:
        pendings = _settle_restored(session, record, row, base, pendings, counts)
    ops = {p.op for p in pendings}
    counts.pulled += 1
    if record.gone:
        if row is not None:
            row.deleted = True
        if base is not None:
            session.delete(base)
        for pending in pendings:
            session.delete(pending)
        return
    if "delete" in ops or "create" in ops:
        # Our delete goes up on the next push and meets this change there as a conflict; the
        # base stays as it was so the server can tell.
        return
    if record.deleted:
        follow_pulled(session, record, None)
        if row is not None and not row.deleted:
            if pendings:
                values = row_values(spec, row)
                mine = {p.field: field_value(values, p.field) for p in pendings}
                session.add(deleted_conflict(record, mine))
                counts.conflicts += 1
            row.deleted = True
            row.server_rev = record.rev
        for pending in pendings:
            session.delete(pending)
        if base is not None:  # kept for an undo of a delete here, as the row is
            _store_base(session, base, record, base.fields)
        # No base: the row was unedited, so its values are the last synced ones (its own base).
        return
    columns = pulled_columns(spec, record)
    theirs = row_values_from_columns(spec, columns)
    follow_pulled(session, record, theirs)
    waiting = False
    if row is not None and pendings:
        new_values = dict(theirs)
        local = row_values(spec, row)
        old_base = base.fields if base is not None else {}
        for pending in pendings:
            name = pending.field
            values = {
                "base": field_value(old_base, name),
                "theirs": field_value(theirs, name),
                "mine": field_value(local, name),
            }
            outcome = merge_field(field_type(spec, name), **values)
            if outcome.outcome is Outcome.CONFLICT or (
                # A restored backup's edit may be an old value the text merge would weave
                # into newer text: shown with both values instead.
                restored and outcome.outcome is Outcome.MERGED
            ):
                session.add(changed_conflict(record, name, **values))
                counts.conflicts += 1
                session.delete(pending)
            elif outcome.outcome in (Outcome.KEEP_THEIRS, Outcome.UNCHANGED):
                session.delete(pending)
            else:
                # Still ours to push, now against their value as the base.
                waiting = True
                set_field_value(new_values, name, outcome.value)
                counts.merged += outcome.outcome is Outcome.MERGED
        columns |= columns_from_wire(spec, new_values)
    if row is None:
        row = KIND_TABLES[record.kind](id=record.id, created_at=record.updated_at, **columns)
        session.add(row)
    else:
        for name, value in columns.items():
            setattr(row, name, value)
    row.deleted = False
    row.server_rev = record.rev
    row.updated_at = record.updated_at
    row.updated_by = record.updated_by
    if waiting:
        _store_base(session, base, record, theirs)
    elif base is not None:  # the row is what the server holds and nothing waits
        session.delete(base)


def _store_base(
    session: Session, base: RecordBase | None, record: PulledRecord, fields: dict[str, Any]
) -> None:
    if base is None:
        session.add(
            RecordBase(kind=record.kind, record_id=record.id, server_rev=record.rev, fields=fields)
        )
    else:
        base.server_rev = record.rev
        base.fields = dict(fields)


def _settle_restored(
    session: Session,
    record: PulledRecord,
    row: Any,
    base: RecordBase | None,
    pendings: list[PendingChange],
    counts: PulledCounts,
) -> list[PendingChange]:
    """A restored backup's pending changes to a record the server sent since the backup.

    A pending change is dropped only where the server provably has it already: a delete when
    the server shows the record deleted; a create (ids are made on the device that creates a
    record) when the server's record is live with every value the create would send. Field
    edits go on to the merge, where one equal to the server's is dropped and a different one
    is a conflict. A create the server does not show as it would make it (it may never have
    been sent: a kept edit over a delete, say) is never dropped without a trace: over a
    deleted record it is the `deleted` conflict with every local value, as an edit that meets
    a delete; over a live one with other values, each differing field is a conflict with both
    values (the laptop cannot tell an old value it sent from one it never sent).
    """
    ops = {p.op for p in pendings}
    if record.gone or not pendings:
        return pendings
    if "delete" in ops:
        if not record.deleted:
            return pendings  # goes up, against the backup's base_rev: a newer edit conflicts
        for pending in pendings:
            session.delete(pending)
        return []
    if "create" not in ops or row is None or row.deleted:
        return pendings
    conflicts = restored_create_conflicts(record, row, base.fields if base is not None else {})
    session.add_all(conflicts)
    counts.conflicts += len(conflicts)
    for pending in pendings:
        session.delete(pending)
    return []
