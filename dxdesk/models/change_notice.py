"""Which kinds of record a store's committed writes touched, for whoever shows them.

Every facade write goes through a session; this notes the record kinds each flush wrote and hands
them over once the transaction commits. The window turns them into one change notice, so a new
write path (an interview note, an article, an import) moves the status bar and the lists without
anyone remembering to tell them (DESIGN §7: a write returns what it changed, one signal carries
it to every panel).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from dxdesk.models.kinds import KIND_TABLES
from dxdesk.models.store import Store
from dxdesk.models.tables import PendingChange

_KIND_OF_TABLE = {table: kind for kind, table in KIND_TABLES.items()}
_SESSION_KEY = "dxdesk_changed_kinds"


class _Tracker:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kinds: set[str] = set()

    def note(self, kinds: set[str]) -> None:
        with self._lock:
            self._kinds |= kinds

    def take(self) -> frozenset[str]:
        with self._lock:
            kinds, self._kinds = frozenset(self._kinds), set()
        return kinds


_trackers: weakref.WeakKeyDictionary[Engine, _Tracker] = weakref.WeakKeyDictionary()


def watch_changes(store: Store) -> Callable[[], frozenset[str]]:
    """Start noting the store's writes; the function returned takes the kinds written since."""
    tracker = _trackers.setdefault(store.engine, _Tracker())
    return tracker.take


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _context: Any) -> None:
    if session.bind not in _trackers:
        return
    kinds: set[str] = session.info.setdefault(_SESSION_KEY, set())
    for row in (*session.new, *session.dirty, *session.deleted):
        if isinstance(row, PendingChange):
            kinds.add(row.kind)
        elif type(row) in _KIND_OF_TABLE:
            kinds.add(_KIND_OF_TABLE[type(row)])


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    kinds = session.info.pop(_SESSION_KEY, None)
    tracker = _trackers.get(session.bind) if isinstance(session.bind, Engine) else None
    if kinds and tracker is not None:
        tracker.note(kinds)


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(_SESSION_KEY, None)
