"""The first sync of a restored backup (models/backups.py): everything newer first.

The backup's pending changes may have reached the server after the backup was taken, and been
changed since, there or here; pushed first, they would be stale values over newer ones. So: a
push the backup was waiting on is sent again unchanged (the server answers its push id from its
push log, applying nothing twice); then everything since the backup's pull cursor is pulled,
and each pulled record's pending changes are settled by settle_restored before the merge; only
what is still unsent after that is pushed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from dxdesk.domain.records import kind_spec
from dxdesk.models.backups import META_RESTORED
from dxdesk.models.store import Store
from dxdesk.models.tables import PendingChange, RecordBase, StoreMeta, SyncConflict
from dxdesk.services.records import changed_fields
from dxdesk.sync.rows import columns_from_wire, row_values
from dxdesk.wire.fields import field_value
from dxdesk.wire.protocol import PulledRecord

if TYPE_CHECKING:
    from dxdesk.sync.engine import SyncEngine, SyncSummary


def catch_up_after_restore(engine: SyncEngine, store: Store, summary: SyncSummary) -> None:
    """Resend the push the backup waited on, pull everything since its cursor (settling as it
    goes), and mark the store caught up; the sync's usual push and pull follow."""
    engine.push(summary, stored_only=True)
    engine.pull(summary, restored=True)
    with store.transaction() as session:
        session.execute(delete(StoreMeta).where(StoreMeta.key == META_RESTORED))


def settle_restored(
    session: Session,
    record: PulledRecord,
    row: Any,
    base: RecordBase | None,
    pendings: list[PendingChange],
    summary: SyncSummary,
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
        _drop(session, pendings)
        return []
    if "create" not in ops or row is None or row.deleted:
        return pendings
    spec = kind_spec(record.kind)
    mine = row_values(spec, row)
    if record.deleted:
        conflicts = [
            SyncConflict(
                kind=record.kind,
                record_id=record.id,
                field="*",
                reason="deleted",
                mine=mine,
                theirs_by=record.updated_by,
                theirs_at=record.updated_at,
            )
        ]
    else:
        from dxdesk.sync.engine import row_values_from_columns  # the engine imports this module

        theirs = row_values_from_columns(spec, columns_from_wire(spec, record.fields))
        old_base = base.fields if base is not None else {}
        conflicts = [
            SyncConflict(
                kind=record.kind,
                record_id=record.id,
                field=name,
                reason="changed",
                base=field_value(old_base, name),
                theirs=field_value(theirs, name),
                mine=field_value(mine, name),
                theirs_by=record.updated_by,
                theirs_at=record.updated_at,
            )
            for name in changed_fields(spec, theirs, mine)
        ]
    session.add_all(conflicts)
    summary.conflicts += len(conflicts)
    _drop(session, pendings)
    return []


def _drop(session: Session, pendings: list[PendingChange]) -> None:
    for pending in pendings:
        session.delete(pending)
