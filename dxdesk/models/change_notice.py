"""What a unit of work's committed writes touched, for whoever shows them.

Every facade write goes through a session; this notes what each flush wrote (the record kinds,
their municipalities and the columns changed) and, once the transaction commits, adds it to the
collector of the unit of work that runs it (``collecting_changes``). The UI's store worker
collects around each call it runs and the sync task around the sync, so each says what it wrote
and no more: a sync's pages, committed on the network worker, are never told as an edit of the
window (DESIGN §7: a write returns what it changed, one signal carries it to every panel, each
panel decides).

The collector is a ``ContextVar``, so it is the running thread's own. A commit made where no
collector is set (a script, a test, another worker) is noted nowhere: whoever makes it tells of
it themselves, if anyone shows it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import ORMExecuteState, Session

from dxdesk.domain.changes import Changes
from dxdesk.models.base import SyncedRecord
from dxdesk.models.kinds import KIND_TABLES
from dxdesk.models.outbox_tables import PendingChange

_KIND_OF_TABLE = {table: kind for kind, table in KIND_TABLES.items()}
_SESSION_KEY = "dxdesk_changes"
# Columns the sync keeps for itself: a record written in these alone changed for nobody.
BOOKKEEPING = frozenset({"server_rev"})


class _Noted:
    """What one session (or, in a collector, every commit of its unit of work) wrote."""

    def __init__(self) -> None:
        self.kinds: set[str] = set()
        self.municipalities: set[str] = set()
        self.fields: set[str] = set()
        # Kinds whose pending changes (what waits to go up) alone were written.
        self.pending_kinds: set[str] = set()
        # A bulk statement wrote rows whose municipality is unknown (a sync's eviction).
        self.unplaced = False

    def add(self, other: _Noted) -> None:
        self.kinds |= other.kinds
        self.municipalities |= other.municipalities
        self.fields |= other.fields
        self.pending_kinds |= other.pending_kinds
        self.unplaced |= other.unplaced

    def changes(self, *, pending: bool = True) -> Changes:
        kinds = self.kinds | self.pending_kinds if pending else self.kinds
        return Changes(
            kinds=frozenset(kinds),
            # (None named: the change may concern any municipality.)
            municipalities=frozenset() if self.unplaced else frozenset(self.municipalities),
            fields=frozenset(self.fields),
        )


class ChangeCollector:
    """What the writes committed within one ``collecting_changes`` block touched."""

    def __init__(self) -> None:
        self._noted = _Noted()

    def note(self, noted: _Noted) -> None:
        self._noted.add(noted)

    def changes(self, *, pending: bool = True) -> Changes:
        """What was committed so far (``Changes`` with no kinds when nothing was).

        ``pending=False`` leaves out kinds whose pending changes alone were written: a sync's
        push clears them and changes no record anyone sees.
        """
        return self._noted.changes(pending=pending)


_collector: ContextVar[ChangeCollector | None] = ContextVar("dxdesk_change_collector", default=None)


@contextmanager
def collecting_changes() -> Iterator[ChangeCollector]:
    """Collect what this thread commits until the block ends (blocks may nest: the inner one
    keeps its commits to itself)."""
    collector = ChangeCollector()
    token = _collector.set(collector)
    try:
        yield collector
    finally:
        _collector.reset(token)


def _noted_in(session: Session) -> _Noted:
    noted: _Noted = session.info.setdefault(_SESSION_KEY, _Noted())
    return noted


def _note_record(noted: _Noted, row: SyncedRecord, *, whole: bool) -> None:
    state = inspect(row)
    if whole:
        fields = {attr.key for attr in state.attrs}
        left: set[str] = set()
    else:
        changed = [attr for attr in state.attrs if attr.history.added or attr.history.deleted]
        fields = {attr.key for attr in changed}
        # Moved: the municipality it left changed too.
        left = {m for a in changed if a.key == "municipality" for m in a.history.deleted}
        if fields <= BOOKKEEPING:
            return  # (a push's new server revision: nothing anyone sees)
    noted.kinds.add(_KIND_OF_TABLE[type(row)])
    noted.fields.update(fields)
    municipality = getattr(row, "municipality", None)
    if isinstance(municipality, str):
        noted.municipalities.add(municipality)
    noted.municipalities.update(m for m in left if isinstance(m, str))


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _context: Any) -> None:
    if _collector.get() is None:
        return
    noted = _noted_in(session)
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
            noted.pending_kinds.add(row.kind)


@event.listens_for(Session, "do_orm_execute")
def _executed(state: ORMExecuteState) -> None:
    """Bulk statements on record tables: a pull inserts what the device has never seen in
    bulk, an eviction deletes a municipality's records with one statement."""
    if _collector.get() is None or not (state.is_insert or state.is_update or state.is_delete):
        return
    mapper = state.bind_mapper
    kind = None if mapper is None else _KIND_OF_TABLE.get(mapper.class_)
    if kind is None or mapper is None:
        return
    noted = _noted_in(state.session)
    noted.kinds.add(kind)
    noted.fields.update(attr.key for attr in mapper.column_attrs)
    parameters = state.parameters
    rows: list[Mapping[str, Any]] = (
        [parameters] if isinstance(parameters, Mapping) else list(parameters or ())
    )
    if state.is_insert and rows:
        for row in rows:
            municipality = row.get("municipality")
            if isinstance(municipality, str):
                noted.municipalities.add(municipality)
            else:
                noted.unplaced = True
    else:
        noted.unplaced = True  # which rows a WHERE clause met is not known here


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    noted = session.info.pop(_SESSION_KEY, None)
    collector = _collector.get()
    if noted is not None and (noted.kinds or noted.pending_kinds) and collector is not None:
        collector.note(noted)


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(_SESSION_KEY, None)
