"""A file the server refused (too large, over the quota, out of scope, a hash that does not
match): shown to the person as a refused change of its attachment, and not sent again until
they decide, in the conflicts dialog, like any refused change:

- 「もう一度送る」 (mine) queues the attachment's name again (sync/conflicts.py, track_retry),
  so its record goes up once more and its bytes after it;
- 「送らずに取り下げる」 (theirs) queues nothing: the bytes stay on this laptop only, and no
  longer wait to go up (nor hold back the eviction of their municipality).

The choice is read at the start of the next sync, before the push clears what "mine" queued
(``settle_refused_uploads``); a settled conflict is marked so, and read once. The same holds
for an attachment whose record's create the server refused (a file over its limit per file, a
municipality no longer assigned): withdrawn, its bytes no longer wait either.
"""

from __future__ import annotations

from typing import Final

from sqlalchemy import delete, select

from dxdesk.models import outbox
from dxdesk.models.record_values import WHOLE_RECORD
from dxdesk.models.store import Store
from dxdesk.models.tables import AttachmentUpload, SyncConflict
from dxdesk.sync.summary import SyncSummary

UPLOAD_OP: Final = "upload"  # the bytes were refused
CREATE_OP: Final = "create"  # the record's create was (a push's op, wire/protocol.py Change)


def set_refused(
    store: Store, attachment_id: str, name: str, why: str, summary: SyncSummary
) -> None:
    """Keep the refusal for the person; its bytes are not sent while it is open."""
    with store.transaction() as session:
        session.add(
            SyncConflict(
                kind="attachment",
                record_id=attachment_id,
                field=WHOLE_RECORD,
                reason="refused",
                mine={"op": UPLOAD_OP, "name": name},
                detail=f"{name}: {why}",
            )
        )
    summary.files_refused += 1
    summary.conflicts += 1


def settle_refused_uploads(store: Store) -> None:
    """Act on the refused files the person has decided on since the last sync."""
    with store.transaction() as session:
        settled = session.scalars(
            select(SyncConflict).where(
                SyncConflict.kind == "attachment",
                SyncConflict.reason == "refused",
                SyncConflict.resolved_at.is_not(None),
            )
        ).all()
        for conflict in settled:
            mine = conflict.mine if isinstance(conflict.mine, dict) else {}
            # Its bytes, or its record's create (and so its bytes after it).
            if mine.get("op") not in (UPLOAD_OP, CREATE_OP) or mine.get("settled"):
                continue
            if not outbox.pending_among(session, "attachment", [conflict.record_id]):
                # Withdrawn: the bytes stay here only.
                session.execute(
                    delete(AttachmentUpload).where(
                        AttachmentUpload.attachment_id == conflict.record_id
                    )
                )
            conflict.mine = {**mine, "settled": True}
