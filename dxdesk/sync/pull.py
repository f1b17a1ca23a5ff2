"""Pulling: pages of everyone else's changes by the server's cursor, each page stored with its
cursor in one local transaction, so an interrupted sync resumes where it stopped.

The next page is requested while this one is stored (the cursor a page carries is all the next
request needs), so the network and the store overlap. A page fetched ahead is simply dropped if
storing stops: the stored cursor asks for it again next time.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, cast

from pydantic import ValidationError
from sqlalchemy import Table, bindparam, update
from sqlalchemy.orm import Session

from dxdesk.domain.errors import DomainError
from dxdesk.domain.progress import CancelToken, Progress
from dxdesk.models import outbox
from dxdesk.models.store import Store
from dxdesk.models.tables import MunicipalityRow, StoreMeta
from dxdesk.services.assignment import set_assignment
from dxdesk.services.unsaved import forget_kept_edits
from dxdesk.sync.api_client import SyncApiClient, SyncError
from dxdesk.sync.eviction import META_EVICT
from dxdesk.wire.protocol import PullRequest, PullResponse

if TYPE_CHECKING:
    from dxdesk.sync.summary import SyncSummary

META_CURSOR = "sync_cursor"


class Puller:
    def __init__(
        self,
        store: Store,
        transport: SyncApiClient,
        *,
        page_size: int,
        progress: Progress,
        cancel: CancelToken,
    ) -> None:
        self._store = store
        self._transport = transport
        self._page_size = page_size
        self._progress = progress
        self._cancel = cancel

    def pull(self, summary: SyncSummary, *, restored: bool = False) -> None:
        """Pull pages until the server has no more, storing each with its cursor.

        ``restored``: the store is a restored backup (see restore_catch_up.py).
        """
        cursor = self._store.meta(META_CURSOR)
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="dxdesk-pull") as ahead:
            self._cancel.check()
            fetch = ahead.submit(self._fetch, cursor, restored)
            while True:
                page = fetch.result()
                if page.more:
                    fetch = ahead.submit(self._fetch, page.cursor, restored)
                self._store_page(page, summary, restored=restored)
                self._progress(
                    summary.pulled, summary.pulled + (self._page_size if page.more else 0)
                )
                if not page.more:
                    return
                self._cancel.check()

    def _fetch(self, cursor: str | None, restored: bool = False) -> PullResponse:
        # A restored backup's catch-up pull says so: the server then keeps the grace of a
        # municipality unassigned since the backup, whose edits the push after it sends.
        return self._transport.pull(
            PullRequest(cursor=cursor, limit=self._page_size, after_restore=restored)
        )

    def _store_page(
        self, page: PullResponse, summary: SyncSummary, *, restored: bool = False
    ) -> None:
        counts = outbox.PulledCounts()
        try:
            with self._store.transaction() as session, session.no_autoflush:
                # Nothing can be saved any more in a record that went.
                forget_kept_edits(session, [r.id for r in page.records if r.gone or r.deleted])
                outbox.apply_page(session, page.records, counts, restored=restored)
                session.merge(StoreMeta(key=META_CURSOR, value=page.cursor))
                if page.evicted:
                    stored = session.get(StoreMeta, META_EVICT)
                    waiting = set(json.loads(stored.value if stored else "[]"))
                    value = json.dumps(sorted(waiting | set(page.evicted)))
                    session.merge(StoreMeta(key=META_EVICT, value=value))
                set_assignment(session, page.scope)
                store_advisors(session, page.advisors)
        except (DomainError, ValidationError, KeyError) as exc:
            raise SyncError(
                f"サーバーから不正な記録が届きました（保存していません）: {exc}"
            ) from None
        summary.pulled += counts.pulled
        summary.merged += counts.merged
        summary.conflicts += counts.conflicts


def store_advisors(session: Session, advisors: dict[str, list[str]]) -> None:
    """Each municipality's advisors as the page names them; one outside the page (no longer
    this account's) is cleared, as this laptop no longer learns who holds it."""
    session.execute(
        update(MunicipalityRow)
        .where(MunicipalityRow.code.not_in(list(advisors)))
        .values(advisors=[])
    )
    if advisors:  # one statement for them all; a code this roster lacks matches nothing
        table = cast(Table, MunicipalityRow.__table__)
        session.execute(
            update(table)
            .where(table.c.code == bindparam("at_code"))
            .values(advisors=bindparam("names")),
            [{"at_code": code, "names": names} for code, names in advisors.items()],
        )
