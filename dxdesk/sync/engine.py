"""The sync engine: push this device's changes, pull everyone else's, evict what left.

Invariants kept here (DESIGN §4): a push is built once and resent unchanged (same push id)
until answered; pending changes are cleared only after the answer, and only if not edited
again meanwhile; each pulled page and its cursor are stored in one local transaction; a field
changed on both sides is merged by the shared rule or kept as a conflict with all values.
"""

from __future__ import annotations

import json
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from dxdesk.domain.errors import DomainError
from dxdesk.domain.merge import Outcome, merge_field
from dxdesk.domain.progress import CancelToken, Progress, no_progress
from dxdesk.domain.records import KINDS, KindSpec, Scope, kind_spec, new_record_id, to_json_value
from dxdesk.models.backups import META_RESTORED
from dxdesk.models.base import SyncedRecord, utc_now
from dxdesk.models.kinds import KIND_TABLES
from dxdesk.models.store import Store
from dxdesk.models.tables import (
    MunicipalityRow,
    PendingChange,
    RecordBase,
    StoreMeta,
    SyncConflict,
)
from dxdesk.services.assignment import set_assignment
from dxdesk.services.unsaved import forget_kept_edits
from dxdesk.sync.api_client import ServerRefused, SyncApiClient, SyncError
from dxdesk.sync.conflicts import follow_pulled
from dxdesk.sync.restore_catch_up import catch_up_after_restore, settle_restored
from dxdesk.sync.rows import columns_from_wire, row_values
from dxdesk.wire.fields import field_type, field_value, set_field_value
from dxdesk.wire.protocol import (
    Change,
    ChangeResult,
    FieldChange,
    PulledRecord,
    PullRequest,
    PullResponse,
    PushRequest,
    PushResponse,
)

META_CURSOR = "sync_cursor"
META_OUTBOX = "sync_outbox"
META_EVICT = "sync_evict"
META_LAST_SUCCESS = "sync_last_success"
PUSH_BATCH = 500
REFUSABLE = frozenset({403, 404, 409, 422})


@dataclass
class SyncSummary:
    pushed: int = 0
    pulled: int = 0
    merged: int = 0
    conflicts: int = 0
    evicted: list[str] = field(default_factory=list)
    # Unassigned, but still holding edits the server refused: kept until a person decides.
    kept: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "pushed": self.pushed,
            "pulled": self.pulled,
            "merged": self.merged,
            "conflicts": self.conflicts,
            "evicted": self.evicted,
        }


@dataclass
class Outbox:
    request: PushRequest
    # Per change: the (seq, changed_at) of each pending row it carries.
    marks: list[list[tuple[int, str]]]

    def dump(self) -> str:
        return json.dumps(
            {"request": self.request.model_dump(mode="json"), "marks": self.marks},
            ensure_ascii=False,
        )

    @classmethod
    def load(cls, text: str) -> Outbox:
        data = json.loads(text)
        marks = [[(int(seq), str(at)) for seq, at in change] for change in data["marks"]]
        return cls(PushRequest.model_validate(data["request"]), marks)


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
        self._page_size = page_size
        self._progress = progress
        self._cancel = cancel or CancelToken()

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

    # -- push ----------------------------------------------------------------------------

    def push(self, summary: SyncSummary, *, stored_only: bool = False) -> None:
        """Send the pending changes; ``stored_only``: only a push whose answer never came."""
        while True:
            self._cancel.check()
            outbox = self._stored_outbox() if stored_only else self._outbox()
            if outbox is None:
                return
            try:
                response = self._transport.push(outbox.request)
            except ServerRefused as refused:
                index = refused.problem.get("change_index")
                if (
                    refused.status in REFUSABLE
                    and isinstance(index, int)
                    and 0 <= index < len(outbox.request.changes)
                ):
                    # Nothing of the push was applied: set the refused change aside for a
                    # person (with every other change of a municipality that is not ours, or
                    # that the server says takes nothing more from us) and send the rest again
                    # under a new push id.
                    closed = refused.problem.get("closed_municipality")
                    summary.conflicts += self._set_aside(outbox, index, str(refused), closed)
                    continue
                raise
            self._apply_push_response(outbox, response, summary)
            if stored_only:
                return

    def _stored_outbox(self) -> Outbox | None:
        stored = self._store.meta(META_OUTBOX)
        return Outbox.load(stored) if stored else None

    def _outbox(self) -> Outbox | None:
        stored = self._store.meta(META_OUTBOX)
        if stored:
            return Outbox.load(stored)  # a push whose answer never came: send it unchanged
        with self._store.transaction() as session:
            outbox = _build_outbox(session)
            if outbox is not None:
                session.merge(_meta(META_OUTBOX, outbox.dump()))
            return outbox

    def _set_aside(self, outbox: Outbox, index: int, reason: str, closed: object = None) -> int:
        with self._store.transaction() as session:
            indexes = [index]
            code = _municipality_of(session, outbox.request.changes[index])
            if code is not None and (code == closed or not _assigned(session, code)):
                indexes = [
                    i
                    for i, change in enumerate(outbox.request.changes)
                    if _municipality_of(session, change) == code
                ]
            for i in indexes:
                change = outbox.request.changes[i]
                session.add(
                    SyncConflict(
                        kind=change.kind,
                        record_id=change.id,
                        field="*",
                        reason="refused",
                        mine={"op": change.op, **{n: f.value for n, f in change.fields.items()}},
                        detail=reason,
                    )
                )
                _clear_marks(session, outbox.marks[i])
            session.execute(delete(StoreMeta).where(StoreMeta.key == META_OUTBOX))
            return len(indexes)

    def _apply_push_response(
        self, outbox: Outbox, response: PushResponse, summary: SyncSummary
    ) -> None:
        if len(response.results) != len(outbox.request.changes):
            raise SyncError("サーバーの応答が送った変更と合いません")
        with self._store.transaction() as session:
            for change, result, marks in zip(
                outbox.request.changes, response.results, outbox.marks, strict=True
            ):
                current = _clear_marks(session, marks)
                _take_result(session, change, result, current)
                summary.pushed += 1
                summary.merged += result.status == "merged"
                summary.conflicts += len(result.conflicts)
            session.execute(delete(StoreMeta).where(StoreMeta.key == META_OUTBOX))

    # -- pull ----------------------------------------------------------------------------

    def pull(self, summary: SyncSummary, *, restored: bool = False) -> None:
        """Pull pages until the server has no more, storing each with its cursor.

        ``restored``: the store is a restored backup (see restore_catch_up.py).

        The next page is requested while this one is stored (the cursor a page carries is all
        the next request needs), so the network and the store overlap. A page fetched ahead is
        simply dropped if storing stops: the stored cursor asks for it again next time.
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
        try:
            with self._store.transaction() as session, session.no_autoflush:
                _apply_page(session, page.records, summary, restored=restored)
                session.merge(_meta(META_CURSOR, page.cursor))
                if page.evicted:
                    waiting = set(json.loads(_meta_value(session, META_EVICT) or "[]"))
                    session.merge(
                        _meta(META_EVICT, json.dumps(sorted(waiting | set(page.evicted))))
                    )
                set_assignment(session, page.scope)
        except (DomainError, ValidationError, KeyError) as exc:
            raise SyncError(
                f"サーバーから不正な記録が届きました（保存していません）: {exc}"
            ) from None

    # -- evict ---------------------------------------------------------------------------

    def evict(self, summary: SyncSummary) -> None:
        """Remove unassigned municipalities whose local edits have all gone to the server."""
        waiting = json.loads(self._store.meta(META_EVICT) or "[]")
        remaining = []
        for code in waiting:
            with self._store.transaction() as session:
                if _has_unsettled(session, code):
                    remaining.append(code)
                    summary.kept.append(code)
                    continue
                _remove_municipality(session, code)
                summary.evicted.append(code)
        self._store.set_meta(META_EVICT, json.dumps(remaining))


# -- building a push ---------------------------------------------------------------------


def _municipality_of(session: Session, change: Change) -> str | None:
    row = session.get(KIND_TABLES[change.kind], change.id)
    code = getattr(row, "municipality", None)
    return code if isinstance(code, str) else None


def _assigned(session: Session, code: str) -> bool:
    row = session.get(MunicipalityRow, code)
    return row is not None and row.assigned


def _meta(key: str, value: str) -> StoreMeta:
    return StoreMeta(key=key, value=value)


def _meta_value(session: Session, key: str) -> str | None:
    row = session.get(StoreMeta, key)
    return None if row is None else row.value


def _build_outbox(session: Session) -> Outbox | None:
    groups: dict[tuple[str, str], list[PendingChange]] = defaultdict(list)
    for pending in session.scalars(select(PendingChange).order_by(PendingChange.seq)):
        key = (pending.kind, pending.record_id)
        if key not in groups and len(groups) >= PUSH_BATCH:
            continue
        groups[key].append(pending)
    if not groups:
        return None
    changes: list[Change] = []
    marks: list[list[tuple[int, str]]] = []
    for (kind, record_id), pendings in groups.items():
        change = _change_for(session, kind, record_id, pendings)
        if change is None:  # nothing left to say (a record created and removed offline)
            _clear_marks(session, [_mark(p) for p in pendings])
            continue
        changes.append(change)
        marks.append([_mark(p) for p in pendings])
    if not changes:
        return None
    return Outbox(PushRequest(push_id=new_record_id(), changes=changes), marks)


def _mark(pending: PendingChange) -> tuple[int, str]:
    return (pending.seq, pending.changed_at.isoformat())


def _change_for(
    session: Session, kind: str, record_id: str, pendings: list[PendingChange]
) -> Change | None:
    spec = kind_spec(kind)
    row = session.get(KIND_TABLES[kind], record_id)
    base = session.get(RecordBase, (kind, record_id))
    ops = {p.op for p in pendings}
    base_rev = base.server_rev if base is not None else None
    if "delete" in ops:
        return Change(kind=kind, id=record_id, op="delete", base_rev=base_rev)
    if row is None or row.deleted:
        return None
    values = row_values(spec, row)
    if "create" in ops:
        fields = {name: FieldChange(value=value) for name, value in values.items()}
        return Change(kind=kind, id=record_id, op="create", fields=fields)
    base_fields = base.fields if base is not None else {}
    fields = {
        p.field: FieldChange(
            value=field_value(values, p.field), base=field_value(base_fields, p.field)
        )
        for p in pendings
    }
    return Change(kind=kind, id=record_id, op="update", base_rev=base_rev, fields=fields)


def _clear_marks(session: Session, marks: list[tuple[int, str]]) -> set[str]:
    """Drop the pending rows a push carried, unless edited again since; returns their fields."""
    cleared: set[str] = set()
    for seq, changed_at in marks:
        pending = session.get(PendingChange, seq)
        if pending is not None and pending.changed_at.isoformat() == changed_at:
            cleared.add(pending.field)
            session.delete(pending)
    return cleared


def _take_result(session: Session, change: Change, result: ChangeResult, cleared: set[str]) -> None:
    spec = kind_spec(change.kind)
    row = session.get(KIND_TABLES[change.kind], change.id)
    base = session.get(RecordBase, (change.kind, change.id))
    if base is None:
        base = RecordBase(kind=change.kind, record_id=change.id, server_rev=0, fields={})
        session.add(base)
    fields = dict(base.fields)
    if change.op == "create" and result.status != "conflict":
        fields = dict(result.fields)
    else:
        for name, value in result.fields.items():
            set_field_value(fields, name, value)
    for conflict in result.conflicts:
        session.add(
            SyncConflict(
                kind=change.kind,
                record_id=change.id,
                field=conflict.field,
                reason=conflict.reason,
                base=conflict.base,
                theirs=conflict.theirs,
                mine=conflict.mine,
                theirs_by=conflict.by,
                theirs_at=conflict.at,
            )
        )
        if conflict.field != "*":
            set_field_value(fields, conflict.field, conflict.theirs)
    base.fields = fields
    if result.rev is not None:
        base.server_rev = result.rev
        if row is not None:
            row.server_rev = result.rev
    if result.status == "merged" and row is not None:
        # The server combined both texts: show the combined one, unless edited again since.
        merged = {name: value for name, value in result.fields.items() if name in cleared}
        _set_columns(spec, row, merged)


# -- taking a pulled record ------------------------------------------------------------------


def _set_columns(spec: KindSpec, row: SyncedRecord, wire: dict[str, Any]) -> None:
    if not wire:
        return
    values = row_values(spec, row)
    for name, value in wire.items():
        set_field_value(values, name, value)
    for name, value in columns_from_wire(spec, values).items():
        setattr(row, name, value)


LOOKUP_CHUNK = 500
# Parents first, so a page's notes and follow-ups find their engagement.
INSERT_ORDER = ("visit", "contact", "assessment", "article", "event", "interview", "followup")


def _apply_page(
    session: Session, records: list[PulledRecord], summary: SyncSummary, *, restored: bool = False
) -> None:
    """Store one page: what the device has never seen is inserted in bulk, the rest merged."""
    ids = [record.id for record in records]
    rows: dict[str, SyncedRecord] = {}
    bases: dict[tuple[str, str], RecordBase] = {}
    pendings: dict[tuple[str, str], list[PendingChange]] = defaultdict(list)
    kinds = {record.kind for record in records}
    for start in range(0, len(ids), LOOKUP_CHUNK):
        chunk = ids[start : start + LOOKUP_CHUNK]
        for kind in kinds:
            table = KIND_TABLES[kind_spec(kind).kind]
            rows.update(
                (row.id, row) for row in session.scalars(select(table).where(table.id.in_(chunk)))
            )
        for kind in kinds:  # by the key (kind, record_id), not a scan of every base
            for base in session.scalars(
                select(RecordBase).where(RecordBase.kind == kind, RecordBase.record_id.in_(chunk))
            ):
                bases[(base.kind, base.record_id)] = base
        for pending in session.scalars(
            select(PendingChange).where(PendingChange.record_id.in_(chunk))
        ):
            pendings[(pending.kind, pending.record_id)].append(pending)
    inserts: dict[str, list[dict[str, Any]]] = defaultdict(list)
    new_bases: list[dict[str, Any]] = []
    for record in records:
        key = (record.kind, record.id)
        row = rows.get(record.id)
        if (
            row is None
            and key not in bases
            and not pendings.get(key)
            and not (record.deleted or record.gone)
        ):
            spec = kind_spec(record.kind)
            columns = columns_from_wire(spec, record.fields)
            if "municipality" not in spec.field_names and hasattr(
                KIND_TABLES[record.kind], "municipality"
            ):
                columns["municipality"] = record.municipality
            inserts[record.kind].append(
                {
                    **columns,
                    "id": record.id,
                    "server_rev": record.rev,
                    "deleted": False,
                    "created_at": record.updated_at,
                    "updated_at": record.updated_at,
                    "updated_by": record.updated_by,
                }
            )
            new_bases.append(
                {
                    "kind": record.kind,
                    "record_id": record.id,
                    "server_rev": record.rev,
                    "fields": row_values_from_columns(spec, columns),
                }
            )
            summary.pulled += 1
            continue
        _apply_pulled(
            session,
            record,
            summary,
            row,
            bases.get(key),
            pendings.get(key, []),
            restored=restored,
        )
    for kind in INSERT_ORDER:
        if inserts.get(kind):
            session.execute(insert(KIND_TABLES[kind]), inserts[kind])
    if new_bases:
        session.execute(insert(RecordBase), new_bases)


def _apply_pulled(
    session: Session,
    record: PulledRecord,
    summary: SyncSummary,
    row: Any,
    base: RecordBase | None,
    pendings: list[PendingChange],
    *,
    restored: bool = False,
) -> None:
    spec = kind_spec(record.kind)
    table = KIND_TABLES[record.kind]
    if restored:
        pendings = settle_restored(session, record, row, base, pendings, summary)
    ops = {p.op for p in pendings}
    summary.pulled += 1
    if record.gone or record.deleted:
        forget_kept_edits(session, [record.id])  # nothing can be saved in it any more
    if record.gone:
        if row is not None:
            row.deleted = True
        if base is not None:
            session.delete(base)
        for pending in pendings:
            session.delete(pending)
        return
    if "delete" in ops or "create" in ops:
        # Our delete goes up on the next push and meets this change there as a conflict; the
        # base stays as it was so the server can tell.
        return
    if record.deleted:
        follow_pulled(session, record, None)
        if row is not None and not row.deleted:
            if pendings:
                values = row_values(spec, row)
                session.add(
                    SyncConflict(
                        kind=record.kind,
                        record_id=record.id,
                        field="*",
                        reason="deleted",
                        mine={p.field: field_value(values, p.field) for p in pendings},
                        theirs_by=record.updated_by,
                        theirs_at=record.updated_at,
                    )
                )
                summary.conflicts += 1
            row.deleted = True
            row.server_rev = record.rev
        for pending in pendings:
            session.delete(pending)
        _store_base(session, base, record, base.fields if base is not None else {})
        return
    theirs = dict(record.fields)
    columns = columns_from_wire(spec, theirs)
    theirs = row_values_from_columns(spec, columns)
    follow_pulled(session, record, theirs)
    new_values = dict(theirs)
    if row is not None and pendings:
        local = row_values(spec, row)
        old_base = base.fields if base is not None else {}
        for pending in pendings:
            name = pending.field
            outcome = merge_field(
                field_type(spec, name),
                base=field_value(old_base, name),
                theirs=field_value(theirs, name),
                mine=field_value(local, name),
            )
            if outcome.outcome is Outcome.CONFLICT or (
                # A restored backup's edit may be an old value the text merge would weave
                # into newer text: shown with both values instead.
                restored and outcome.outcome is Outcome.MERGED
            ):
                session.add(
                    SyncConflict(
                        kind=record.kind,
                        record_id=record.id,
                        field=name,
                        reason="changed",
                        base=field_value(old_base, name),
                        theirs=field_value(theirs, name),
                        mine=field_value(local, name),
                        theirs_by=record.updated_by,
                        theirs_at=record.updated_at,
                    )
                )
                summary.conflicts += 1
                session.delete(pending)
            elif outcome.outcome in (Outcome.KEEP_THEIRS, Outcome.UNCHANGED):
                session.delete(pending)
            else:
                # Still ours to push, now against their value as the base.
                set_field_value(new_values, name, outcome.value)
                summary.merged += outcome.outcome is Outcome.MERGED
        columns = columns_from_wire(spec, new_values)
    if "municipality" not in spec.field_names and hasattr(table, "municipality"):
        columns["municipality"] = record.municipality
    if row is None:
        row = table(
            id=record.id,
            created_at=record.updated_at,
            **columns,
        )
        session.add(row)
    else:
        for name, value in columns.items():
            setattr(row, name, value)
    row.deleted = False
    row.server_rev = record.rev
    row.updated_at = record.updated_at
    row.updated_by = record.updated_by
    _store_base(session, base, record, theirs)


def row_values_from_columns(spec: KindSpec, columns: dict[str, Any]) -> dict[str, Any]:
    return {name: to_json_value(columns[name]) for name in spec.field_names if name in columns}


def _store_base(
    session: Session, base: RecordBase | None, record: PulledRecord, fields: dict[str, Any]
) -> None:
    if base is None:
        session.add(
            RecordBase(kind=record.kind, record_id=record.id, server_rev=record.rev, fields=fields)
        )
    else:
        base.server_rev = record.rev
        base.fields = dict(fields)


# -- eviction --------------------------------------------------------------------------------


def _scoped_tables() -> list[tuple[str, type[SyncedRecord]]]:
    # Children before parents: notes and follow-ups point at engagements.
    order = ("interview", "followup", "contact", "assessment", "visit")
    return [(kind, KIND_TABLES[kind]) for kind in order if KINDS[kind].scope is Scope.MUNICIPALITY]


def _has_unsettled(session: Session, code: str) -> bool:
    for kind, table in _scoped_tables():
        ids = select(table.id).where(table.municipality == code)  # type: ignore[attr-defined]
        found = session.scalar(
            select(PendingChange.seq)
            .where(PendingChange.kind == kind, PendingChange.record_id.in_(ids))
            .limit(1)
        )
        if found is not None:
            return True
        # A refused edit set aside (or any open conflict) waits for a person before it goes.
        conflict = session.scalar(
            select(SyncConflict.id)
            .where(
                SyncConflict.kind == kind,
                SyncConflict.record_id.in_(ids),
                SyncConflict.resolved_at.is_(None),
            )
            .limit(1)
        )
        if conflict is not None:
            return True
    return False


def _remove_municipality(session: Session, code: str) -> None:
    for kind, table in _scoped_tables():
        ids = select(table.id).where(table.municipality == code)  # type: ignore[attr-defined]
        forget_kept_edits(session, ids)
        session.execute(
            delete(RecordBase).where(RecordBase.kind == kind, RecordBase.record_id.in_(ids))
        )
        session.execute(delete(table).where(table.municipality == code))  # type: ignore[attr-defined]
