"""Pushing: send the outbox's changes in batches, each resent unchanged until answered.

A push is built once (dxdesk.models.outbox.take_batch) and kept in the store's metadata with
the push id until its answer is in, so a lost answer resends the same push, which the server
answers from its push log. Pending changes are cleared only by the answer, and only if not
edited again meanwhile.
"""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.orm import Session

from dxdesk.models import outbox
from dxdesk.models.kinds import KIND_TABLES
from dxdesk.models.outbox.batch import META_PUSH_IN_FLIGHT, PushBatch
from dxdesk.models.store import Store
from dxdesk.models.tables import MunicipalityRow, StoreMeta
from dxdesk.sync.api_client import ServerRefused, SyncApiClient, SyncError
from dxdesk.sync.summary import SyncSummary
from dxdesk.wire.protocol import Change, PushResponse

META_OUTBOX = META_PUSH_IN_FLIGHT
PUSH_BATCH = 500
# 413: an attachment's record whose file is over the server's per-file limit.
REFUSABLE = frozenset({403, 404, 409, 413, 422})


class Pusher:
    def __init__(self, store: Store, transport: SyncApiClient) -> None:
        self._store = store
        self._transport = transport

    def push_one(self, summary: SyncSummary, *, stored_only: bool = False) -> bool:
        """Send one batch (``stored_only``: only a push whose answer never came); False when
        there was nothing to send."""
        batch = self._stored() if stored_only else self._next()
        if batch is None:
            return False
        try:
            response = self._transport.push(batch.request)
        except ServerRefused as refused:
            index = refused.problem.get("change_index")
            if (
                refused.status in REFUSABLE
                and isinstance(index, int)
                and 0 <= index < len(batch.request.changes)
            ):
                # Nothing of the push was applied: set the refused change aside for a person
                # (with every other change of a municipality that is not ours, or that the
                # server says takes nothing more from us) and send the rest again under a new
                # push id.
                closed = refused.problem.get("closed_municipality")
                summary.conflicts += self._set_aside(batch, index, str(refused), closed)
                return True
            raise
        self._take_response(batch, response, summary)
        return True

    def _stored(self) -> PushBatch | None:
        stored = self._store.meta(META_OUTBOX)
        return PushBatch.load(stored) if stored else None

    def _next(self) -> PushBatch | None:
        stored = self._store.meta(META_OUTBOX)
        if stored:
            return PushBatch.load(stored)  # a push whose answer never came: send it unchanged
        with self._store.transaction() as session:
            batch = outbox.take_batch(session, PUSH_BATCH)
            if batch is not None:
                session.merge(StoreMeta(key=META_OUTBOX, value=batch.dump()))
            return batch

    def _set_aside(self, batch: PushBatch, index: int, reason: str, closed: object = None) -> int:
        with self._store.transaction() as session:
            indexes = [index]
            code = _municipality_of(session, batch.request.changes[index])
            if code is not None and (code == closed or not _assigned(session, code)):
                indexes = [
                    i
                    for i, change in enumerate(batch.request.changes)
                    if _municipality_of(session, change) == code
                ]
            for i in indexes:
                outbox.set_aside(session, batch.request.changes[i], batch.marks[i], reason)
            session.execute(delete(StoreMeta).where(StoreMeta.key == META_OUTBOX))
            return len(indexes)

    def _take_response(
        self, batch: PushBatch, response: PushResponse, summary: SyncSummary
    ) -> None:
        if len(response.results) != len(batch.request.changes):
            raise SyncError("サーバーの応答が送った変更と合いません")
        with self._store.transaction() as session:
            for change, result, marks in zip(
                batch.request.changes, response.results, batch.marks, strict=True
            ):
                outbox.acknowledge(session, change, result, marks)
                summary.pushed += 1
                summary.merged += result.status == "merged"
                summary.conflicts += len(result.conflicts)
            session.execute(delete(StoreMeta).where(StoreMeta.key == META_OUTBOX))


def _municipality_of(session: Session, change: Change) -> str | None:
    row = session.get(KIND_TABLES[change.kind], change.id)
    code = getattr(row, "municipality", None)
    return code if isinstance(code, str) else None


def _assigned(session: Session, code: str) -> bool:
    row = session.get(MunicipalityRow, code)
    return row is not None and row.assigned
