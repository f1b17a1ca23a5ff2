"""The outbox: this device's changes not yet pushed, and the merge bases sync keeps for them.

The one owner of ``pending_change`` and ``record_base`` (DESIGN §7; import-linter keeps the
tables' module to this one): a facade tracks a local edit here, the sync client takes a batch to
push, clears what the server acknowledged and applies what it pulled, three-way against the
base; a store reset forgets everything. Every function works inside the caller's transaction.
Its modules: track (local edits, settled conflicts), push (a batch and its answer), pull (pulled
pages), bases (merge bases and the pending-change queries they share), batch (a push as built).

Merge bases are copy-on-write. A record's row, as long as nothing of it waits to go up, is what
the server last sent or acknowledged, so it is its own base: no ``record_base`` row is kept (a
first sync writes each record once). The base is copied from the row when a local change is
first tracked on a record the server knows (before the row takes the change), and dropped again
once the server has everything and the row holds what the server holds: after a pull of the
record leaves nothing pending, or an acknowledged push leaves nothing pending and no conflict.
So an absent base means "the row as it stands"; where a base is kept it is the last synced
values, as before.
"""

from dxdesk.models.outbox.bases import (
    forget_all,
    forget_records,
    has_pending,
    is_pending,
    pending_among,
    pending_record_count,
)
from dxdesk.models.outbox.pull import PulledCounts, apply_page
from dxdesk.models.outbox.push import acknowledge, set_aside, take_batch
from dxdesk.models.outbox.track import (
    forget_changes,
    track_chosen_value,
    track_create,
    track_delete,
    track_recreate,
    track_retry,
    track_undelete,
    track_update,
)

# What the rest of the app calls; the table classes stay in dxdesk.models.outbox_tables.
__all__ = [
    "PulledCounts",
    "acknowledge",
    "apply_page",
    "forget_all",
    "forget_changes",
    "forget_records",
    "has_pending",
    "is_pending",
    "pending_among",
    "pending_record_count",
    "set_aside",
    "take_batch",
    "track_chosen_value",
    "track_create",
    "track_delete",
    "track_recreate",
    "track_retry",
    "track_undelete",
    "track_update",
]
