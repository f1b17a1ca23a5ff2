"""What a store's committed writes touched, for whoever shows them.

Every facade write goes through a session; this notes what each flush wrote (the record kinds,
their municipalities, their ids and the columns changed) and hands it over as one
``dxdesk.domain.changes.Changes`` once the transaction commits. The UI's store worker sends it
out as its one change notice, so a new write path (an interview note, an article, an import)
reaches the status bar and the panels without anyone remembering to tell them (DESIGN §7: a
write returns what it changed, one signal carries it to every panel, each panel decides).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, event, inspect
from sqlalchemy.orm import Session

from dxdesk.domain.changes import Changes
from dxdesk.models.base import SyncedRecord
from dxdesk.models.kinds import KIND_TABLES
from dxdesk.models.store import Store
from dxdesk.models.tables import PendingChange

_KIND_OF_TABLE = {table: kind for kind, table in KIND_TABLES.items()}
_SESSION_KEY = "dxdesk_changes"


class _Noted:
    """What one session (or, in the tracker, every commit since the last take) wrote."""

    def __init__(self) -> None:
        self.kinds: set[str] = set()
        self.municipalities: set[str] = set()
        self.record_ids: set[str] = set()
        self.fields: set[str] = set()

    def add(self, other: _Noted) -> None:
        self.kinds |= other.kinds
        self.municipalities |= other.municipalities
        self.record_ids |= other.record_ids
        self.fields |= other.fields

    def changes(self) -> Changes:
        return Changes(
            kinds=frozenset(self.kinds),
            municipalities=frozenset(self.municipalities),
            record_ids=frozenset(self.record_ids),
            fields=frozenset(self.fields),
        )


class _Tracker:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._noted = _Noted()

    def note(self, noted: _Noted) -> None:
        with self._lock:
            self._noted.add(noted)

    def take(self) -> Changes:
        with self._lock:
            noted, self._noted = self._noted, _Noted()
        return noted.changes()


_trackers: weakref.WeakKeyDictionary[Engine, _Tracker] = weakref.WeakKeyDictionary()


def watch_changes(store: Store) -> Callable[[], Changes]:
    """Start noting the store's writes; the function returned takes what was written since
    (``Changes`` with no kinds when nothing was)."""
    tracker = _trackers.setdefault(store.engine, _Tracker())
    return tracker.take


def _note_record(noted: _Noted, row: SyncedRecord, *, whole: bool) -> None:
    noted.kinds.add(_KIND_OF_TABLE[type(row)])
    noted.record_ids.add(row.id)
    municipality = getattr(row, "municipality", None)
    if isinstance(municipality, str):
        noted.municipalities.add(municipality)
    state = inspect(row)
    if whole:
        noted.fields.update(attr.key for attr in state.attrs)
        return
    for attr in state.attrs:
        history = attr.history
        if history.added or history.deleted:
            noted.fields.add(attr.key)
            if attr.key == "municipality":  # moved: the one it left changed too
                noted.municipalities.update(m for m in history.deleted if isinstance(m, str))


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _context: Any) -> None:
    if session.bind not in _trackers:
        return
    noted: _Noted = session.info.setdefault(_SESSION_KEY, _Noted())
    for row in session.new:
        if type(row) in _KIND_OF_TABLE:
            _note_record(noted, row, whole=True)
    for row in session.deleted:
        if type(row) in _KIND_OF_TABLE:
            _note_record(noted, row, whole=True)
    for row in session.dirty:
        if type(row) in _KIND_OF_TABLE:
            _note_record(noted, row, whole=False)
    for row in (*session.new, *session.dirty, *session.deleted):
        if isinstance(row, PendingChange):
            noted.kinds.add(row.kind)
            noted.record_ids.add(row.record_id)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    noted = session.info.pop(_SESSION_KEY, None)
    tracker = _trackers.get(session.bind) if isinstance(session.bind, Engine) else None
    if noted is not None and noted.kinds and tracker is not None:
        tracker.note(noted)


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(_SESSION_KEY, None)
