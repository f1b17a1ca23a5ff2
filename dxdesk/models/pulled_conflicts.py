"""Conflicts a pull finds or changes: a field changed on both sides, an edit that met a delete,
and keeping open conflicts current with what the server holds now."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dxdesk.domain.records import kind_spec
from dxdesk.models.base import utc_now
from dxdesk.models.record_values import (
    WHOLE_RECORD,
    changed_fields,
    columns_from_wire,
    row_values,
    row_values_from_columns,
)
from dxdesk.models.tables import SyncConflict
from dxdesk.wire.fields import field_value
from dxdesk.wire.protocol import PulledRecord


def changed_conflict(
    record: PulledRecord, name: str, *, base: Any, theirs: Any, mine: Any
) -> SyncConflict:
    """A field changed to different values here and on the server, kept for a person."""
    return SyncConflict(
        kind=record.kind,
        record_id=record.id,
        field=name,
        reason="changed",
        base=base,
        theirs=theirs,
        mine=mine,
        theirs_by=record.updated_by,
        theirs_at=record.updated_at,
    )


def deleted_conflict(record: PulledRecord, mine: dict[str, Any]) -> SyncConflict:
    """Edits made here to a record the server deleted, kept for a person."""
    return SyncConflict(
        kind=record.kind,
        record_id=record.id,
        field=WHOLE_RECORD,
        reason="deleted",
        mine=mine,
        theirs_by=record.updated_by,
        theirs_at=record.updated_at,
    )


def follow_pulled(session: Session, record: PulledRecord, theirs: dict[str, Any] | None) -> None:
    """Keep open conflicts on a pulled record current: "theirs" is what the server holds now.

    ``theirs`` is the record's new values, or None when the pull deleted it. A delete settles a
    conflict where my delete met their edits (both sides now want it gone); otherwise the
    conflict shows, and "theirs" takes, the newest server value and who wrote it.
    """
    conflicts = session.scalars(
        select(SyncConflict).where(
            SyncConflict.kind == record.kind,
            SyncConflict.record_id == record.id,
            SyncConflict.resolved_at.is_(None),
            SyncConflict.reason.in_(("changed", "deleted")),
        )
    )
    for conflict in conflicts:
        if theirs is None:
            if conflict.field == WHOLE_RECORD and conflict.reason == "changed":
                conflict.resolved_at = utc_now()
            continue
        conflict.theirs = (
            dict(theirs) if conflict.field == WHOLE_RECORD else field_value(theirs, conflict.field)
        )
        conflict.theirs_by = record.updated_by
        conflict.theirs_at = record.updated_at


def restored_create_conflicts(
    record: PulledRecord, row: Any, base_fields: dict[str, Any]
) -> list[SyncConflict]:
    """A restored backup's create of a record the server shows otherwise (see
    dxdesk.models.outbox): the `deleted` conflict with every local value over a deleted one,
    else a `changed` conflict for each field with other values."""
    spec = kind_spec(record.kind)
    mine = row_values(spec, row)
    if record.deleted:
        return [deleted_conflict(record, mine)]
    theirs = row_values_from_columns(spec, columns_from_wire(spec, record.fields))
    return [
        changed_conflict(
            record,
            name,
            base=field_value(base_fields, name),
            theirs=field_value(theirs, name),
            mine=field_value(mine, name),
        )
        for name in changed_fields(spec, theirs, mine)
    ]
