"""Pushing from the outbox: taking a batch, and what the server's answer to it leaves behind."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from dxdesk.domain.record_fields import new_record_id
from dxdesk.domain.records import kind_spec
from dxdesk.models.kinds import KIND_TABLES
from dxdesk.models.outbox.bases import pending_among, set_base
from dxdesk.models.outbox.batch import PushBatch
from dxdesk.models.outbox_tables import PendingChange, RecordBase
from dxdesk.models.record_values import WHOLE_RECORD, row_values, set_columns
from dxdesk.models.tables import SyncConflict
from dxdesk.wire.fields import field_value, set_field_value
from dxdesk.wire.protocol import Change, ChangeResult, FieldChange, PushRequest


def take_batch(session: Session, limit: int) -> PushBatch | None:
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
    return PushBatch(PushRequest(push_id=new_record_id(), changes=changes), marks)


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
        and not pending_among(session, change.kind, [change.id])
        and all(name in fields and fields[name] == v for name, v in row_values(spec, row).items())
    ):
        # The server holds what the row holds and nothing waits: the row is its own base.
        if base is not None:
            session.delete(base)
        return
    kept_rev = base.server_rev if base is not None else 0
    rev = result.rev if result.rev is not None else kept_rev
    set_base(session, change.kind, change.id, rev, fields, base)
