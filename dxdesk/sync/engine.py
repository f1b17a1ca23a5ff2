"""The sync engine: one sync is a push of this device's changes, a pull of everyone else's, and
the eviction of what left this device's assignment (dxdesk/sync/push.py, pull.py, eviction.py,
on top of the outbox, dxdesk/models/outbox/).

Invariants kept (DESIGN §4): a push is built once and resent unchanged (same push id) until
answered; pending changes are cleared only after the answer, and only if not edited again
meanwhile; each pulled page and its cursor are stored in one local transaction; a field changed
on both sides is merged by the shared rule or kept as a conflict with all values.
"""

from __future__ import annotations

from dxdesk.domain.progress import CancelToken, Progress, no_progress
from dxdesk.models.backups import META_RESTORED
from dxdesk.models.base import utc_now
from dxdesk.models.store import Store
from dxdesk.sync.api_client import SyncApiClient
from dxdesk.sync.eviction import evict
from dxdesk.sync.pull import META_CURSOR, Puller
from dxdesk.sync.push import Pusher
from dxdesk.sync.restore_catch_up import catch_up_after_restore
from dxdesk.sync.summary import SyncSummary

# SyncSummary is what SyncEngine.sync returns: its callers may name it from here.
__all__ = ["META_LAST_SUCCESS", "SyncEngine", "SyncSummary"]

META_LAST_SUCCESS = "sync_last_success"


class SyncEngine:
    def __init__(
        self,
        store: Store,
        transport: SyncApiClient,
        *,
        page_size: int = 1000,
        progress: Progress = no_progress,
        cancel: CancelToken | None = None,
    ) -> None:
        self._store = store
        self._transport = transport
        self._cancel = cancel or CancelToken()
        self._pusher = Pusher(store, transport)
        self._puller = Puller(
            store, transport, page_size=page_size, progress=progress, cancel=self._cancel
        )

    def sync(self) -> SyncSummary:
        summary = SyncSummary()
        if self._store.meta(META_RESTORED):
            catch_up_after_restore(self, self._store, summary)
        elif not self._store.meta(META_CURSOR):
            # A first sync learns its assignments before pushing, so records made before it for
            # municipalities that are not this user's are set aside together, not one by one.
            self.pull(summary)
        self.push(summary)
        self.pull(summary)
        self.evict(summary)
        self._store.set_meta(META_LAST_SUCCESS, utc_now().isoformat())
        return summary

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
