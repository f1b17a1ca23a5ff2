"""Eviction: a municipality no longer assigned leaves the device once nothing of it waits.

Its records go only after every local edit in it has reached the server, or, where the server
refused one, after a person has decided (DESIGN §4, invariant 5).
"""

from __future__ import annotations

import json

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from dxdesk.domain.records import KINDS, Scope
from dxdesk.models import outbox
from dxdesk.models.base import SyncedRecord
from dxdesk.models.kinds import KIND_TABLES
from dxdesk.models.store import Store
from dxdesk.models.tables import SyncConflict
from dxdesk.services.unsaved import forget_kept_edits
from dxdesk.sync.summary import SyncSummary

META_EVICT = "sync_evict"


def evict(store: Store, summary: SyncSummary) -> None:
    """Remove unassigned municipalities whose local edits have all gone to the server."""
    waiting = json.loads(store.meta(META_EVICT) or "[]")
    remaining = []
    for code in waiting:
        with store.transaction() as session:
            if _has_unsettled(session, code):
                remaining.append(code)
                summary.kept.append(code)
                continue
            _remove_municipality(session, code)
            summary.evicted.append(code)
    store.set_meta(META_EVICT, json.dumps(remaining))


def _scoped_tables() -> list[tuple[str, type[SyncedRecord]]]:
    # Children before parents: notes and follow-ups point at engagements.
    order = ("interview", "followup", "contact", "assessment", "visit")
    return [(kind, KIND_TABLES[kind]) for kind in order if KINDS[kind].scope is Scope.MUNICIPALITY]


def _has_unsettled(session: Session, code: str) -> bool:
    for kind, table in _scoped_tables():
        ids = select(table.id).where(table.municipality == code)  # type: ignore[attr-defined]
        if outbox.pending_among(session, kind, ids):
            return True
        # A refused edit set aside (or any open conflict) waits for a person before it goes.
        conflict = session.scalar(
            select(SyncConflict.id)
            .where(
                SyncConflict.kind == kind,
                SyncConflict.record_id.in_(ids),
                SyncConflict.resolved_at.is_(None),
            )
            .limit(1)
        )
        if conflict is not None:
            return True
    return False


def _remove_municipality(session: Session, code: str) -> None:
    for kind, table in _scoped_tables():
        ids = select(table.id).where(table.municipality == code)  # type: ignore[attr-defined]
        forget_kept_edits(session, ids)
        outbox.forget_records(session, kind, ids)
        session.execute(delete(table).where(table.municipality == code))  # type: ignore[attr-defined]
