"""The sync engine: one sync is a push of this device's changes, a pull of everyone else's, and
the eviction of what left this device's assignment (dxdesk/sync/push.py, pull.py, eviction.py,
on top of the outbox, dxdesk/models/outbox/); then the bytes of attachments (sync/files.py).

Records first, files after: the records are stored, and told through ``records_done``, before
any file moves, so gigabytes of files never delay them. One exception, small and rare: the
files waiting to go up in a municipality just taken off this account go right after the push,
while the server's grace still takes them (the pull that tells the laptop ends it).

Invariants kept (DESIGN §4): a push is built once and resent unchanged (same push id) until
answered; pending changes are cleared only after the answer, and only if not edited again
meanwhile; each pulled page and its cursor are stored in one local transaction; a field changed
on both sides is merged by the shared rule or kept as a conflict with all values.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy.exc import SQLAlchemyError

from dxdesk.domain.progress import CancelToken, Progress, no_progress
from dxdesk.models.backups import META_RESTORED
from dxdesk.models.base import utc_now
from dxdesk.models.store import Store, StoreError
from dxdesk.services.attachment_text import extract_missing
from dxdesk.services.retention import learn_retention_days, purge_deleted, retention_period
from dxdesk.sync import files
from dxdesk.sync.api_client import SyncApiClient
from dxdesk.sync.eviction import evict
from dxdesk.sync.file_refusals import settle_refused_uploads
from dxdesk.sync.pull import META_CURSOR, Puller
from dxdesk.sync.push import Pusher
from dxdesk.sync.restore_catch_up import catch_up_after_restore
from dxdesk.sync.summary import SyncSummary
from dxdesk.wire.files import UPLOAD_CHUNK_BYTES

log = logging.getLogger(__name__)

# SyncSummary is what SyncEngine.sync returns: its callers may name it from here.
__all__ = ["META_LAST_SUCCESS", "SyncEngine", "SyncSummary", "telling_records_done"]

META_LAST_SUCCESS = "sync_last_success"

RecordsDone = Callable[[SyncSummary], None]
_records_done: ContextVar[RecordsDone | None] = ContextVar("dxdesk_records_done", default=None)


@contextmanager
def telling_records_done(callback: RecordsDone) -> Iterator[None]:
    """Every sync this thread runs within the block calls ``callback`` once its records are
    stored, before its files move (the window's sync goes through account.run_sync)."""
    token = _records_done.set(callback)
    try:
        yield
    finally:
        _records_done.reset(token)


class SyncEngine:
    def __init__(
        self,
        store: Store,
        transport: SyncApiClient,
        *,
        page_size: int = 1000,
        progress: Progress = no_progress,
        cancel: CancelToken | None = None,
        upload_chunk: int = UPLOAD_CHUNK_BYTES,
        extract_text: bool = True,
    ) -> None:
        """``extract_text``: read the text of the files received for search at the end of the
        sync (the command line); the window's search indexer reads them on a thread of its own
        once told of them, so its sync leaves them (a PDF's few seconds each would keep 同期
        busy)."""
        self._store = store
        self._transport = transport
        self._cancel = cancel or CancelToken()
        self._upload_chunk = upload_chunk  # smaller in tests, to cut a file between chunks
        self._extract_text = extract_text
        self._pusher = Pusher(store, transport)
        self._puller = Puller(
            store, transport, page_size=page_size, progress=progress, cancel=self._cancel
        )

    def sync(self, records_done: RecordsDone | None = None) -> SyncSummary:
        """One sync; ``records_done`` is called once the records are stored, before the files
        move (the window tells its panels then)."""
        summary = SyncSummary()
        settle_refused_uploads(self._store)  # before the push clears what "mine" queued
        if self._store.meta(META_RESTORED):
            catch_up_after_restore(self, self._store, summary)
        elif not self._store.meta(META_CURSOR):
            # A first sync learns its assignments before pushing, so records made before it for
            # municipalities that are not this user's are set aside together, not one by one.
            self.pull(summary)
        self.push(summary)
        files.upload_leaving(
            self._store, self._transport, summary, self._cancel, chunk_bytes=self._upload_chunk
        )
        self.pull(summary)
        self.evict(summary)
        # What was deleted long enough ago loses its content here too, once the server has
        # the delete (services/retention.py skips what still waits to go up).
        try:
            if self._transport.retention_days is not None:
                learn_retention_days(self._store, self._transport.retention_days)
            purge_deleted(self._store, older_than=retention_period(self._store))
        except (StoreError, SQLAlchemyError, OSError):  # a full disk, say: the next sync retries
            log.warning("retention purge failed", exc_info=True)
        self._store.set_meta(META_LAST_SUCCESS, utc_now().isoformat())
        tell = records_done or _records_done.get()
        if tell is not None:
            tell(summary)
        self.move_files(summary)
        return summary

    def move_files(self, summary: SyncSummary) -> None:
        """The bytes: up (their records are on the server now), then the municipalities kept
        only for them may go, the bytes of deleted attachments go, then down ahead of time."""
        sent = summary.files_sent
        files.upload_pending(
            self._store, self._transport, summary, self._cancel, chunk_bytes=self._upload_chunk
        )
        if summary.files_sent > sent:
            # Complete bytes give their record a new revision on the server: taken now, so
            # that the next edit or delete of it goes up against it, not against the last.
            self.pull(summary)
        if summary.kept:
            summary.kept.clear()
            self.evict(summary)
        files.prune_files(self._store)
        files.download_ahead(self._store, self._transport, summary, self._cancel)
        if self._extract_text:
            _extract_text(self._store, self._cancel)

    def push(self, summary: SyncSummary, *, stored_only: bool = False) -> None:
        """Send the pending changes; ``stored_only``: only a push whose answer never came."""
        while True:
            self._cancel.check()
            if not self._pusher.push_one(summary, stored_only=stored_only) or stored_only:
                return

    def pull(self, summary: SyncSummary, *, restored: bool = False) -> None:
        """Pull pages until the server has no more, storing each with its cursor.

        ``restored``: the store is a restored backup (see restore_catch_up.py).
        """
        self._puller.pull(summary, restored=restored)

    def evict(self, summary: SyncSummary) -> None:
        """Remove unassigned municipalities whose local edits have all gone to the server."""
        evict(self._store, summary)


def _extract_text(store: Store, cancel: CancelToken) -> None:
    """The text of the files just received, for search (services/attachment_text.py)."""
    extract_missing(store, cancel=lambda: cancel.cancelled)
