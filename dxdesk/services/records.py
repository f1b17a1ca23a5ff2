"""Generic create/read/update/delete for the record kinds, with change tracking for sync.

Each area facade (engagements, follow-ups, assessments, ...) is a ``RecordFacade`` for one kind
that adds its own checks and queries. Every write records which fields changed in
``pending_change`` inside the same transaction, so the sync engine pushes exactly those.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from dxdesk.domain.calendar_values import time_order_refusal
from dxdesk.domain.errors import FieldRefusal
from dxdesk.domain.record_fields import clean_fields, clean_record_id, new_record_id, to_json_value
from dxdesk.domain.records import Scope, kind_spec
from dxdesk.models import outbox
from dxdesk.models.base import SyncedRecord, utc_now
from dxdesk.models.kinds import KIND_TABLES
from dxdesk.models.record_values import changed_fields
from dxdesk.models.store import META_SYNC_USER, Store, StoreError
from dxdesk.models.tables import EngagementRow, MunicipalityRow, StoreMeta
from dxdesk.services.assignment import not_assigned_message
from dxdesk.services.unsaved import (
    SaveOutcome,
    UnsavedRecord,
    forget_kept_edits,
    kept_edits,
    save_edits,
)

Record = dict[str, Any]
RecordKey = tuple[str, str]  # (kind, record id)
_AUTHOR = "dxdesk_author"  # Session.info key: the author of what the session writes


class RecordNotFound(StoreError):
    pass


class InvalidRecord(FieldRefusal, StoreError):
    """A record the rules refuse; ``refused`` names the fields at fault, as DomainError's does."""


class RecordFacade:
    """Create, read, update and tombstone records of one kind."""

    kind: ClassVar[str]

    def __init__(self, store: Store) -> None:
        self._store = store
        self.spec = kind_spec(self.kind)
        self.table: type[SyncedRecord] = KIND_TABLES[self.kind]

    @property
    def store(self) -> Store:
        return self._store

    # -- reading -------------------------------------------------------------------------

    def list_records(
        self, *, municipality: str | None = None, engagement: str | None = None
    ) -> list[Record]:
        with self._store.session() as session:
            query = select(self.table).where(self.table.deleted.is_(False))
            if municipality is not None:
                query = query.where(self._column("municipality") == municipality)
            if engagement is not None:
                query = query.where(self._column("engagement") == engagement)
            rows = session.scalars(query.order_by(*self._order())).all()
            return [self._present(row) for row in rows]

    def server_revisions(self) -> dict[str, int]:
        """Record id -> the server revision it was last synced at (never synced: absent)."""
        with self._store.session() as session:
            rows = session.execute(select(self.table.id, self.table.server_rev)).all()
        return {str(i): int(rev) for i, rev in rows if rev is not None}

    def get(self, record_id: str) -> Record:
        with self._store.session() as session:
            return self._present(self._live_row(session, record_id))

    # -- writing -------------------------------------------------------------------------

    def add(self, payload: Mapping[str, Any]) -> Record:
        with self._store.transaction() as session:
            return self.add_in(session, payload)

    def add_in(self, session: Session, payload: Mapping[str, Any]) -> Record:
        """``add`` inside a caller's transaction (a batch that is written whole or not at all)."""
        row = self.insert_in(session, payload)
        session.flush()
        return self._present(row)

    def insert_in(self, session: Session, payload: Mapping[str, Any]) -> Any:
        """``add_in`` without presenting or flushing (a batch flushes once, at its end)."""
        payload = dict(payload)
        given = "id" in payload
        record_id = clean_record_id(payload.pop("id")) if given else new_record_id()
        # A fresh random id is new; looking it up cost a flush and a query per record.
        if given and session.get(self.table, record_id) is not None:
            raise InvalidRecord(f"id {record_id} の{self.spec.label}は既にあります")
        values = self._new_values(session, payload)
        self._require_assigned(session, values.get("municipality"))
        now = utc_now()
        row = self.table(
            id=record_id,
            created_at=now,
            updated_at=now,
            updated_by=self._author(session),
            **values,
        )
        session.add(row)
        outbox.track_create(session, self.kind, record_id, now)
        return row

    def update(self, record_id: str, patch: Mapping[str, Any]) -> Record:
        with self._store.transaction() as session:
            return self.update_in(session, record_id, patch)

    def update_in(self, session: Session, record_id: str, patch: Mapping[str, Any]) -> Record:
        """``update`` inside a caller's transaction."""
        row = self._live_row(session, record_id)
        old = self.field_values(row)
        was_in = getattr(row, "municipality", None)
        new = self._patched_values(session, row, old, patch)
        now_in = new.get("municipality", getattr(row, "municipality", None))
        if now_in != was_in:
            self._require_assigned(session, now_in)
        changed = changed_fields(self.spec, old, new)
        if changed:
            outbox.track_update(session, self.kind, row, changed)
            for name in {c.split(".", 1)[0] for c in changed}:
                setattr(row, name, new[name])
            row.updated_at = utc_now()
            row.updated_by = self._author(session)
        session.flush()
        return self._present(row)

    def refusal_in(
        self, session: Session, payload: Mapping[str, Any], record_id: str | None = None
    ) -> FieldRefusal | None:
        """What ``insert_in`` (no ``record_id``) or ``update_in`` would refuse in these values,
        by the same rules, writing nothing: a plan shows it at its row before any write."""
        try:
            if record_id is None:
                self._new_values(session, payload)
            else:
                row = self._live_row(session, record_id)
                self._patched_values(session, row, self.field_values(row), payload)
        except FieldRefusal as exc:  # the domain's and the store's (InvalidRecord) alike
            return exc
        return None

    def _new_values(self, session: Session, payload: Mapping[str, Any]) -> dict[str, Any]:
        """A new record's values (``payload`` without its id), cleaned and checked."""
        values = clean_fields(self.spec, payload, partial=False)
        return self._checked(session, values, None, touched=set(payload))

    def _patched_values(
        self, session: Session, row: Any, old: dict[str, Any], patch: Mapping[str, Any]
    ) -> dict[str, Any]:
        """The record's values once ``patch`` is applied to ``old``, cleaned and checked."""
        cleaned = clean_fields(self.spec, patch, partial=True)
        return self._checked(session, self._apply_patch(old, cleaned), row, touched=set(cleaned))

    def save_edits(self, record_id: str, patch: Mapping[str, Any]) -> SaveOutcome:
        """What a form saves: the valid fields of ``patch`` at once, the refused ones kept."""
        return save_edits(self, record_id, dict(patch))

    def kept_edits(self) -> list[UnsavedRecord]:
        """This kind's records with edits that could not be saved yet (on this device)."""
        return kept_edits(self._store, self.kind)

    def delete(self, record_id: str) -> list[RecordKey]:
        """Tombstone the record and its dependents; returns what went, for ``restore``."""
        with self._store.transaction() as session:
            row = self._live_row(session, record_id)
            removed = [(self.kind, row), *self._dependents(session, row)]
            for kind, each in removed:
                self._tombstone(session, kind, each)
            forget_kept_edits(session, [each.id for _kind, each in removed])
            return [(kind, each.id) for kind, each in removed]

    def restore(self, removed: Sequence[RecordKey]) -> None:
        """Undo a ``delete``: bring the records back and queue what sync must say about them.

        A record the server never saw is a create again; one it knows is pushed as updates of
        every field that differs from the last synced values (all of them when unknown).
        """
        with self._store.transaction() as session:
            for kind, record_id in removed:
                table = KIND_TABLES[kind]
                row = session.get(table, record_id)
                if row is None or not row.deleted:
                    continue
                row.deleted = False
                row.updated_at = utc_now()
                row.updated_by = self._author(session)
                outbox.track_undelete(session, kind, row)

    # -- hooks for the area facades ------------------------------------------------------

    def _order(self) -> tuple[Any, ...]:
        return (self.table.updated_at.desc(),)

    def _apply_patch(self, old: Mapping[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
        return {**old, **patch}

    def _checked(
        self, session: Session, values: dict[str, Any], row: Any, *, touched: set[str]
    ) -> dict[str, Any]:
        """Cross-field and cross-record checks; returns the values to store.

        ``touched`` names the fields the caller gave, so a rule about a field is only enforced
        when someone sets it (a later edit elsewhere must not trip over an old value).
        """
        if "municipality" in values and values["municipality"] is not None:
            self.require_municipality(session, values["municipality"])
        if touched & {"start_time", "end_time"}:
            reason = time_order_refusal(values.get("start_time"), values.get("end_time"))
            if reason:
                raise InvalidRecord(
                    reason, refused={"end_time": reason}, labels={"end_time": "終了"}
                )
        return values

    def _dependents(self, session: Session, row: Any) -> list[tuple[str, SyncedRecord]]:
        return []

    def _present(self, row: Any) -> Record:
        record: Record = {"id": row.id}
        for name in self.spec.field_names:
            record[name] = to_json_value(getattr(row, name))
        record["updated_at"] = row.updated_at.isoformat()
        record["updated_by"] = row.updated_by
        return record

    # -- shared helpers ------------------------------------------------------------------

    def field_values(self, row: Any) -> dict[str, Any]:
        return {name: getattr(row, name) for name in self.spec.field_names}

    def _column(self, name: str) -> Any:
        column = getattr(self.table, name, None)
        if column is None:
            label = "市町村" if name == "municipality" else "相談記録"
            raise InvalidRecord(f"{self.spec.label}は{label}で絞り込めません")
        return column

    def _live_row(self, session: Session, record_id: str) -> Any:
        row = session.get(self.table, clean_record_id(record_id))
        if row is None or row.deleted:
            raise RecordNotFound(f"{self.spec.label} {record_id} はありません")
        return row

    @staticmethod
    def require_municipality(session: Session, code: str) -> MunicipalityRow:
        row = session.get(MunicipalityRow, code)
        if row is None:
            raise InvalidRecord(f"市町村コード {code} はこの端末の名簿にありません")
        return row

    def _require_assigned(self, session: Session, code: object) -> None:
        """A record of a municipality is written only within the account's assignment."""
        if isinstance(code, str) and code and self.spec.scope is Scope.MUNICIPALITY:
            message = not_assigned_message(session, code)
            if message:
                raise InvalidRecord(
                    message,
                    refused={"municipality": message},
                    labels={"municipality": "市町村"},
                )

    @staticmethod
    def require_engagement(session: Session, engagement_id: str) -> EngagementRow:
        row = session.get(EngagementRow, engagement_id)
        if row is None or row.deleted:
            raise InvalidRecord(f"相談記録 {engagement_id} はありません")
        return row

    @staticmethod
    def _author(session: Session) -> str:
        """The sync account once logged in (what colleagues see), the OS login before that;
        looked up once per session (an absent key is a query each time: an import of 1,741
        municipalities made 3,482 of them)."""
        cached = session.info.get(_AUTHOR)
        if cached is None:
            cached = ""
            for key in (META_SYNC_USER, "author"):
                meta = session.get(StoreMeta, key)
                if meta is not None and meta.value:
                    cached = meta.value
                    break
            session.info[_AUTHOR] = cached
        return str(cached)

    def _tombstone(self, session: Session, kind: str, row: SyncedRecord) -> None:
        if row.deleted:
            return
        row.deleted = True
        row.updated_at = utc_now()
        row.updated_by = self._author(session)
        outbox.track_delete(session, kind, row, row.updated_at)
