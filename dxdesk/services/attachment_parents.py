"""The records files are attached to: finding a live parent, and the attachments that go with a
parent when it is deleted (and come back with it on undo, as a visit's notes do).

Kept apart from the attachments facade so that the facades of the parents (engagements,
follow-ups, knowledge) ask for their attachments without importing the file store.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from dxdesk.domain.records import ATTACHMENT_PARENTS
from dxdesk.models.base import SyncedRecord
from dxdesk.models.kinds import KIND_TABLES
from dxdesk.models.tables import AttachmentRow

# The parents whose attachments belong to every advisor (no municipality of their own).
PREFECTURE_WIDE_PARENTS = frozenset({"article", "event"})


def attachments_of(
    session: Session, parents: Sequence[tuple[str, SyncedRecord]]
) -> list[tuple[str, SyncedRecord]]:
    """The live attachments of these (kind, row) parents, to tombstone along with them."""
    if not parents:
        return []
    wanted = [
        and_(AttachmentRow.parent_kind == kind, AttachmentRow.parent == row.id)
        for kind, row in parents
        if kind in ATTACHMENT_PARENTS
    ]
    if not wanted:
        return []
    rows = session.scalars(
        select(AttachmentRow)
        .where(AttachmentRow.deleted.is_(False), or_(*wanted))
        .order_by(AttachmentRow.created_at)
    )
    return [("attachment", row) for row in rows]


def live_parent(session: Session, kind: str, record_id: str) -> SyncedRecord | None:
    """The parent record if it is here and not deleted."""
    if kind not in ATTACHMENT_PARENTS:
        return None
    row = session.get(KIND_TABLES[kind], record_id)
    if row is None or row.deleted:
        return None
    return row


def parent_municipality(kind: str, row: SyncedRecord) -> str | None:
    """The municipality an attachment of this parent belongs to (None: prefecture-wide)."""
    if kind in PREFECTURE_WIDE_PARENTS:
        return None
    value = getattr(row, "municipality", None)
    return value if isinstance(value, str) and value else None
