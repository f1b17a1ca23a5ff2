"""Syncing the bytes of attachments, after the records (DESIGN §4, invariant 9).

An attachment's record syncs like any other; its bytes go by the file endpoints
(dxdesk/wire/files.py), streamed, never whole in memory:

- up (sync/file_uploads.py), once the record's create is on the server, resumed from what the
  server holds after a cut; a refusal becomes a conflict the person decides on;
- down (sync/file_downloads.py) on first open and ahead of time within the person's budget,
  resumed with a Range request, named only once the hash is checked;
- ``prune_files`` (here): bytes no attachment here names any more (deleted, evicted) leave the
  laptop.

The engine (sync/engine.py) and the window import the transfers from here.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import ColumnElement, func, or_, select

from dxdesk.models.file_store import file_store_of
from dxdesk.models.store import Store
from dxdesk.models.tables import AttachmentRow, AttachmentUpload
from dxdesk.sync.file_downloads import download_ahead, download_one, wanted_ahead
from dxdesk.sync.file_items import AttachedFile
from dxdesk.sync.file_uploads import upload_leaving, upload_pending, uploads_waiting

__all__ = [
    "AttachedFile",
    "download_ahead",
    "download_one",
    "prune_files",
    "upload_leaving",
    "upload_pending",
    "uploads_waiting",
    "waiting_upload_count",
    "wanted_ahead",
]


# -- leaving -------------------------------------------------------------------------------


def prune_files(store: Store, gone: Collection[str] = ()) -> int:
    """Remove the bytes that only deleted attachments name, and ``gone`` (the contents of
    records just evicted) unless a kept attachment still names them; returns how many went.

    Only such bytes: a file no record names yet may be an attach under way on another thread
    (its bytes go in before its record), so it is not touched here.
    """
    files = file_store_of(store)
    # From reading what records name to the last delete: an attach (which holds the same lock
    # from copying in to its commit) is wholly before, and named in ``kept``, or wholly after,
    # and puts its bytes back.
    with files.exclusive():
        with store.session() as session:
            kept = set(session.scalars(select(AttachmentRow.sha256).where(_kept())))
            deleted = set(session.scalars(select(AttachmentRow.sha256).where(~_kept())))
        doomed = (deleted | set(gone)) - kept
        return files.remove_unreferenced((set(files.stored()) - doomed) | kept)


def _kept() -> ColumnElement[bool]:
    """An attachment whose bytes stay: live, or deleted here before its bytes went up (an
    undo may bring it back)."""
    return or_(
        AttachmentRow.deleted.is_(False),
        AttachmentRow.id.in_(select(AttachmentUpload.attachment_id)),
    )


def waiting_upload_count(store: Store) -> int:
    """How many files wait to go up (the sync status shows it); refused ones included."""
    with store.session() as session:
        count = session.scalar(
            select(func.count())
            .select_from(AttachmentUpload)
            .join(AttachmentRow, AttachmentRow.id == AttachmentUpload.attachment_id)
            .where(AttachmentRow.deleted.is_(False))
        )
        return count or 0
