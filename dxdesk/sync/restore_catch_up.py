"""The first sync of a restored backup (models/backups.py): everything newer first.

The backup's pending changes may have reached the server after the backup was taken, and been
changed since, there or here; pushed first, they would be stale values over newer ones. So: a
push the backup was waiting on is sent again unchanged (the server answers its push id from its
push log, applying nothing twice); then everything since the backup's pull cursor is pulled,
and each pulled record's pending changes are settled before the merge (the outbox does it for a
pull marked ``restored``: dxdesk.models.outbox); only what is still unsent after that is pushed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import delete

from dxdesk.models.backups import META_RESTORED
from dxdesk.models.store import Store
from dxdesk.models.tables import StoreMeta

if TYPE_CHECKING:
    from dxdesk.sync.engine import SyncEngine
    from dxdesk.sync.summary import SyncSummary


def catch_up_after_restore(engine: SyncEngine, store: Store, summary: SyncSummary) -> None:
    """Resend the push the backup waited on, pull everything since its cursor (settling as it
    goes), and mark the store caught up; the sync's usual push and pull follow."""
    engine.push(summary, stored_only=True)
    engine.pull(summary, restored=True)
    with store.transaction() as session:
        session.execute(delete(StoreMeta).where(StoreMeta.key == META_RESTORED))
