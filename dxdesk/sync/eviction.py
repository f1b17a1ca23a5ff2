"""Eviction: a municipality no longer assigned leaves the device once nothing of it waits.

Its records go only after every local edit in it has reached the server, or, where the server
refused one, after a person has decided (DESIGN §4, invariant 5). Its attachments go with it:
their bytes, once sent (an AttachmentUpload row holds the municipality like a pending change,
a refused file like a refused edit), leave the laptop too, and their extracted text.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Select, delete, select
from sqlalchemy.orm import Session

from dxdesk.domain.records import KINDS, Scope
from dxdesk.models import outbox
from dxdesk.models.base import SyncedRecord
from dxdesk.models.kinds import KIND_TABLES
from dxdesk.models.store import Store
from dxdesk.models.tables import AttachmentRow, AttachmentText, AttachmentUpload, SyncConflict
from dxdesk.services.unsaved import forget_kept_edits
from dxdesk.sync.files import prune_files
from dxdesk.sync.summary import SyncSummary

META_EVICT = "sync_evict"


def evict(store: Store, summary: SyncSummary) -> None:
    """Remove unassigned municipalities whose local edits have all gone to the server."""
    waiting = json.loads(store.meta(META_EVICT) or "[]")
    remaining = []
    gone: set[str] = set()
    for code in waiting:
        with store.transaction() as session:
            if _has_unsettled(session, code):
                remaining.append(code)
                summary.kept.append(code)
                continue
            gone |= _remove_municipality(session, code)
            summary.evicted.append(code)
    store.set_meta(META_EVICT, json.dumps(remaining))
    if gone:
        prune_files(store, gone)


def _scoped_tables() -> list[tuple[str, type[SyncedRecord]]]:
    """Every kind that belongs to a municipality, children before parents (attachments, notes
    and follow-ups point at engagements): a kind added later is evicted without being named."""
    first, last = ("attachment", "interview", "followup"), ("visit",)
    scoped = (Scope.MUNICIPALITY, Scope.PARENT)
    middle = tuple(kind for kind in KINDS if kind not in first + last)
    order = first + middle + last
    return [(kind, KIND_TABLES[kind]) for kind in order if KINDS[kind].scope in scoped]


def _attachments(code: str) -> Select[Any]:
    return select(AttachmentRow.id).where(AttachmentRow.municipality == code)


def _has_unsettled(session: Session, code: str) -> bool:
    # A file not yet sent waits like an edit (one deleted here since goes without it, and so
    # does one whose record the server never took: its refused create was withdrawn).
    unsent = session.scalar(
        select(AttachmentUpload.attachment_id)
        .join(AttachmentRow, AttachmentRow.id == AttachmentUpload.attachment_id)
        .where(
            AttachmentRow.municipality == code,
            AttachmentRow.deleted.is_(False),
            AttachmentRow.server_rev.is_not(None),
        )
        .limit(1)
    )
    if unsent is not None:
        return True
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


def _remove_municipality(session: Session, code: str) -> set[str]:
    """Remove the municipality's records; returns the contents its attachments named."""
    contents = set(
        session.scalars(select(AttachmentRow.sha256).where(AttachmentRow.municipality == code))
    )
    session.execute(
        delete(AttachmentUpload).where(AttachmentUpload.attachment_id.in_(_attachments(code)))
    )
    for kind, table in _scoped_tables():
        ids = select(table.id).where(table.municipality == code)  # type: ignore[attr-defined]
        forget_kept_edits(session, ids)
        outbox.forget_records(session, kind, ids)
        session.execute(delete(table).where(table.municipality == code))  # type: ignore[attr-defined]
    named = select(AttachmentRow.sha256)
    session.execute(
        delete(AttachmentText).where(
            AttachmentText.sha256.in_(contents), AttachmentText.sha256.not_in(named)
        )
    )
    return contents
