"""Extract the text of attached files for search, a few at a time, off the typing path.

The text of a file is kept once per content (``attachment_text``, by sha256), so a PDF attached
to three visits is read once. Only files whose bytes are on this laptop can be read; the others
wait for their download. Reading a file holds no transaction: the list is read in one short
session, each text written in its own, so a long PDF never holds the store. Writing a text
(even "", for a file with none, so it is not read again) queues its attachments for the search
index (a trigger, migration 0006); the next catch-up indexes them with their text.

A text no live attachment names any more (its attachments deleted, or evicted with their
municipality) is forgotten with them: it is the file's content, and must not outstay it.

Callers: the window's search indexer (on its own thread), the sync after downloads, and
``dxdesk attach``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import delete, exists, func, select
from sqlalchemy.dialects.sqlite import insert

from dxdesk.domain.progress import Cancelled
from dxdesk.models.file_store import FileCorrupt, file_store_of
from dxdesk.models.store import Store
from dxdesk.models.tables import AttachmentRow, AttachmentText
from dxdesk.services.file_text import text_of_file

log = logging.getLogger(__name__)


def waiting_contents(store: Store) -> list[str]:
    """The sha256 of every live attachment's content with no text yet, newest attached first."""
    has_text = exists().where(AttachmentText.sha256 == AttachmentRow.sha256)
    query = (
        select(AttachmentRow.sha256)
        .where(AttachmentRow.deleted.is_(False), ~has_text)
        .group_by(AttachmentRow.sha256)
        .order_by(func.max(AttachmentRow.created_at).desc())
    )
    with store.session() as session:
        return list(session.scalars(query))


def forget_texts(store: Store) -> int:
    """Drop the text of every content no live attachment names; returns how many went."""
    named = exists().where(
        AttachmentRow.sha256 == AttachmentText.sha256, AttachmentRow.deleted.is_(False)
    )
    with store.transaction() as session:
        gone = session.scalars(
            delete(AttachmentText).where(~named).returning(AttachmentText.sha256)
        )
        return len(gone.all())


def extract_missing(
    store: Store, *, limit: int = 20, cancel: Callable[[], bool] | None = None
) -> int:
    """Extract and keep the text of up to ``limit`` present files that have none yet; returns
    how many were done. A broken or foreign file gets "" (logged), a file that takes longer
    than ``TEXT_SECONDS`` what was read by then: either is kept and not read again. ``cancel``
    stops between files and pages, and the file being read then is left for next time. Texts
    no attachment names any more are forgotten first (:func:`forget_texts`)."""
    forget_texts(store)
    files = file_store_of(store)
    done = 0
    for sha256 in waiting_contents(store):
        if done >= limit or (cancel is not None and cancel()):
            break
        if not files.has(sha256):
            continue  # not downloaded yet: its text comes after the download
        try:
            # Decrypted as it is read (models/file_cipher.py): no plaintext copy on disk.
            with files.opened(sha256) as file:
                found = text_of_file(file, shown=sha256[:12], cancel=cancel)
        except Cancelled:
            break
        except FileNotFoundError:
            found = ""  # removed meanwhile: the check below
        except FileCorrupt:
            # Damaged: removed, as copy_out does, so that the next sync fetches it again.
            files.path(sha256).unlink(missing_ok=True)
            continue
        if not found and not files.has(sha256):
            continue  # removed while being read: no "" to keep for bytes that come back
        with store.transaction() as session:
            session.execute(
                insert(AttachmentText)
                .values(sha256=sha256, text=found)
                .on_conflict_do_nothing(index_elements=[AttachmentText.sha256])
            )
        log.debug("text of %s: %d characters", sha256[:12], len(found))
        done += 1
    return done
