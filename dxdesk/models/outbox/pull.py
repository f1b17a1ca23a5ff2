"""Applying pulled pages: what the device has never seen is inserted in bulk, the rest is
merged three-way (base, theirs, mine) with what waits to go up; a restored backup's pending
changes are settled first."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, insert, inspect, select
from sqlalchemy.orm import Session

from dxdesk.domain.merge import Outcome, merge_field
from dxdesk.domain.records import kind_spec
from dxdesk.models.base import SyncedRecord, utc_now
from dxdesk.models.kinds import KIND_TABLES
from dxdesk.models.outbox.bases import IDS_PER_QUERY, set_base
from dxdesk.models.outbox_tables import PendingChange, RecordBase
from dxdesk.models.pulled_conflicts import (
    changed_conflict,
    deleted_conflict,
    follow_pulled,
    restored_create_conflicts,
)
from dxdesk.models.record_values import (
    columns_from_wire,
    pulled_columns,
    row_values,
    row_values_from_columns,
)
from dxdesk.wire.fields import field_type, field_value, set_field_value
from dxdesk.wire.protocol import PulledRecord


@dataclass
class PulledCounts:
    """What storing pulled records did, for the sync's summary."""

    pulled: int = 0
    merged: int = 0
    conflicts: int = 0


# Parents first, so a page's notes and follow-ups find their engagement.
INSERT_ORDER = (
    "visit",
    "contact",
    "assessment",
    "article",
    "event",
    "survey_definition",
    "survey_response",
    "cadence",
    "programme_plan",
    "interview",
    "followup",
    "attachment",
)


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
    for start in range(0, len(ids), IDS_PER_QUERY):
        chunk = ids[start : start + IDS_PER_QUERY]
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
            # No base rows: a record nothing waits on is its own base (copy-on-write). A Core
            # insert into the table: the ORM's bulk insert spent a tenth more on every row for
            # nothing here. The mapper is named for the change notice (do_orm_execute), which
            # tells the panels what a pull wrote.
            mapped = KIND_TABLES[kind]
            session.execute(
                insert(cast(Table, mapped.__table__)),
                inserts[kind],
                bind_arguments={"mapper": inspect(mapped)},
            )


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
            # The retention period (services/retention.py) counts from the delete, which for
            # this laptop is now: its last edit may be months older.
            row.updated_at = utc_now()
        for pending in pendings:
            session.delete(pending)
        if base is not None:  # kept for an undo of a delete here, as the row is
            set_base(session, record.kind, record.id, record.rev, base.fields, base)
        # No base: the row was unedited, so its values are the last synced ones (its own base).
        return
    columns = pulled_columns(spec, record)
    theirs = row_values_from_columns(spec, columns)
    follow_pulled(session, record, theirs)
    settled: set[int] = set()  # pending changes the merge settled (a conflict, or theirs won)
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
                settled.add(pending.seq)
            elif outcome.outcome in (Outcome.KEEP_THEIRS, Outcome.UNCHANGED):
                settled.add(pending.seq)
            else:
                # Still ours to push, now against their value as the base.
                set_field_value(new_values, name, outcome.value)
                counts.merged += outcome.outcome is Outcome.MERGED
        columns |= columns_from_wire(spec, new_values)
    for pending in pendings:
        if pending.seq in settled:
            session.delete(pending)
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
    if any(pending.seq not in settled for pending in pendings):
        # Still ours to push, now against what the server sent.
        set_base(session, record.kind, record.id, record.rev, theirs, base)
    elif base is not None:  # the row is what the server holds and nothing waits
        session.delete(base)


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
