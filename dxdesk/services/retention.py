"""Retention on the laptop: the content of records deleted longer ago than the period goes.

The server's operator sets the period (``dxdesk-server purge``, 90 days unless set); the pull
does not carry it yet, so the laptop uses the same default unless told otherwise (``dxdesk
purge --days N``). For each tombstone older than that, every content column is set to its empty
value (``""``, ``[]``/``{}``, NULL where the column allows it); what sync and the store need
stays: id, deleted, server revision, who/when, the municipality and the ids it hangs on
(``engagement``, ``parent``, …), and non-null dates, years and sizes (no personal content).
With it go what else holds the record's values on this laptop: its merge base, the values of
its settled conflicts, an import's row values, kept unsaved edits, an article draft of a
deleted visit, the extracted text and bytes of a deleted attachment's file, and its entries in
the search index. Then the file is rewritten (``VACUUM``) and the write-ahead log emptied, so
that no page of the database file keeps the old values.

A tombstone whose delete, or an edit of it, still waits to go up, or that has an open conflict,
is left alone: sync settles it first (the delete-vs-edit conflict shows the person their edit).
Running it again clears nothing more.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, Date, Integer, String, Text, delete, select
from sqlalchemy.orm import Session

from dxdesk.models import outbox
from dxdesk.models.base import SyncedRecord, utc_now
from dxdesk.models.file_store import file_store_of
from dxdesk.models.kinds import KIND_TABLES
from dxdesk.models.store import Store
from dxdesk.models.tables import (
    AttachmentRow,
    AttachmentText,
    AttachmentUpload,
    ImportMark,
    StoreMeta,
    SyncConflict,
)
from dxdesk.services.knowledge_drafts import DRAFT_PREFIX
from dxdesk.services.search import catch_up
from dxdesk.services.unsaved import forget_kept_edits

DEFAULT_RETENTION_DAYS = 90  # the server's default (dxdesk/server/settings.py)
# Columns sync and the store need: kept whatever the period.
_KEPT = frozenset(
    {
        "id",
        "server_rev",
        "deleted",
        "created_at",
        "updated_at",
        "updated_by",
        "municipality",
        "engagement",
        "event",
        "parent",
        "parent_kind",
    }
)


@dataclass
class LocalPurge:
    """What a purge of this laptop's store cleared (or, dry, would clear), by kind."""

    cutoff: datetime
    dry_run: bool
    records: Counter[str] = field(default_factory=Counter)
    files: int = 0

    @property
    def total(self) -> int:
        return sum(self.records.values())

    def as_json(self) -> dict[str, Any]:
        return {
            "cutoff": self.cutoff.isoformat().replace("+00:00", "Z"),
            "dry_run": self.dry_run,
            "records": dict(sorted(self.records.items())),
            "total": self.total,
            "files": self.files,
        }


# The server's retention period in days, as its last pull told it (wire RETENTION_HEADER).
META_RETENTION_DAYS = "retention_days"


def learn_retention_days(store: Store, days: int) -> None:
    """Keep the period the server told (a sync's pull), when it changed."""
    if store.meta(META_RETENTION_DAYS) != str(days):
        store.set_meta(META_RETENTION_DAYS, str(days))


def retention_period(store: Store) -> timedelta:
    """This laptop's retention period: the server's, as last told, else the default (a folder
    that never synced, or a server from before it told)."""
    told = store.meta(META_RETENTION_DAYS)
    days = int(told) if told is not None and told.isdigit() else DEFAULT_RETENTION_DAYS
    return timedelta(days=days)


def purge_deleted(
    store: Store,
    *,
    older_than: timedelta = timedelta(days=DEFAULT_RETENTION_DAYS),
    dry_run: bool = False,
    now: datetime | None = None,
) -> LocalPurge:
    """Clear the content of tombstones older than ``older_than`` (their ``updated_at``: the
    local delete, or for a pulled one its last change before the delete)."""
    cutoff = (now or utc_now()) - older_than
    report = LocalPurge(cutoff=cutoff, dry_run=dry_run)
    doomed_files: set[str] = set()
    with store.transaction() as session:
        for kind, table in KIND_TABLES.items():
            rows = session.scalars(
                select(table).where(table.deleted.is_(True), table.updated_at < cutoff)
            ).all()
            ids = [row.id for row in rows if not _waiting(session, kind, row.id)]
            if kind == "attachment":  # before the rows lose their sha256
                doomed_files |= _clear_attachments(session, ids, dry_run)
            chosen = set(ids)
            purged_ids = {row.id for row in rows if row.id in chosen and _clear(row, dry_run)}
            purged_ids |= _clear_companions(session, kind, ids, dry_run)
            if purged_ids:
                report.records[kind] += len(purged_ids)
        if dry_run:
            report.files = len(doomed_files)
            session.rollback()
            return report
    report.files = _remove_files(store, doomed_files)
    if report.total:
        _rewrite(store)
    return report


def _waiting(session: Session, kind: str, record_id: str) -> bool:
    """Sync has yet to settle it: a change waits to go up, or a conflict is open."""
    if outbox.has_pending(session, [(kind, record_id)]):
        return True
    open_conflict = select(SyncConflict.id).where(
        SyncConflict.record_id == record_id, SyncConflict.resolved_at.is_(None)
    )
    return session.scalar(open_conflict.limit(1)) is not None


def _empty(column: Any, value: Any) -> Any:
    if column.nullable:
        return None
    if isinstance(column.type, JSON):
        return type(value)() if isinstance(value, dict | list) else {}
    if isinstance(column.type, String | Text) and not (
        column.name == "definition" and isinstance(value, str)
    ):
        return ""
    return value  # a non-null date, year, count or size: no personal content


def _clear(row: SyncedRecord, dry_run: bool) -> bool:
    """Set every content column of ``row`` to its empty value; whether anything changed."""
    changed = False
    for column in type(row).__table__.columns:
        if column.name in _KEPT or (
            isinstance(column.type, Date | Integer) and not column.nullable
        ):
            continue
        if column.name == "definition" and isinstance(getattr(row, column.key), str):
            continue  # a survey response's reference to its definition
        value = getattr(row, column.key)
        empty = _empty(column, value)
        if value != empty:
            changed = True
            if not dry_run:
                setattr(row, column.key, empty)
    return changed


def _clear_companions(session: Session, kind: str, ids: list[str], dry_run: bool) -> set[str]:
    """Values of these records kept beside them; the ids that had any."""
    if not ids:
        return set()
    had: set[str] = set()
    conflicts = session.scalars(
        select(SyncConflict).where(SyncConflict.record_id.in_(ids), SyncConflict.kind == kind)
    ).all()
    for conflict in conflicts:
        if any(v is not None for v in (conflict.base, conflict.theirs, conflict.mine)):
            had.add(conflict.record_id)
            if not dry_run:
                conflict.base = conflict.theirs = conflict.mine = None
    marks = set(session.scalars(select(ImportMark.record_id).where(ImportMark.record_id.in_(ids))))
    unsaved = {
        key.removeprefix("unsaved:")
        for key in session.scalars(
            select(StoreMeta.key).where(
                StoreMeta.key.in_([f"unsaved:{i}" for i in ids] + [DRAFT_PREFIX + i for i in ids])
            )
        )
    }
    had |= marks | {key.removeprefix(DRAFT_PREFIX) for key in unsaved}
    if not dry_run:
        session.execute(delete(ImportMark).where(ImportMark.record_id.in_(ids)))
        forget_kept_edits(session, ids)
        session.execute(delete(StoreMeta).where(StoreMeta.key.in_([DRAFT_PREFIX + i for i in ids])))
        table = KIND_TABLES[kind]
        outbox.forget_records(session, kind, select(table.id).where(table.id.in_(ids)))
    return had


def _clear_attachments(session: Session, ids: list[str], dry_run: bool) -> set[str]:
    """The files only these purged attachments named: their text for search goes now, their
    bytes once the transaction is in (returned)."""
    if not ids:
        return set()
    hashes = set(
        session.scalars(
            select(AttachmentRow.sha256).where(
                AttachmentRow.id.in_(ids), AttachmentRow.sha256 != ""
            )
        )
    )
    named = set(
        session.scalars(
            select(AttachmentRow.sha256).where(
                AttachmentRow.sha256.in_(hashes), AttachmentRow.id.not_in(ids)
            )
        )
    )
    doomed = hashes - named
    if not dry_run:
        session.execute(delete(AttachmentText).where(AttachmentText.sha256.in_(doomed)))
        session.execute(delete(AttachmentUpload).where(AttachmentUpload.attachment_id.in_(ids)))
    return doomed


def _remove_files(store: Store, doomed: set[str]) -> int:
    files = file_store_of(store)
    removed = 0
    with files.exclusive():
        for sha256 in sorted(doomed):
            if files.has(sha256):
                files.path(sha256).unlink(missing_ok=True)
                removed += 1
    return removed


def _rewrite(store: Store) -> None:
    """Take the cleared values out of the search index and out of every page of the file."""
    catch_up(store)
    with store.transaction() as session:
        # Merges the index's segments: what they held of deleted rows leaves them.
        session.connection().exec_driver_sql(
            "INSERT INTO search_index(search_index) VALUES ('optimize')"
        )
    raw = store.engine.raw_connection()
    try:
        driver: Any = raw.driver_connection
        # VACUUM rebuilds the file through a temporary copy: in memory, not in a temp folder
        # outside the data folder, where the old values would outlive the purge (and a wipe).
        driver.execute("PRAGMA temp_store = MEMORY")
        driver.execute("VACUUM")
        driver.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        raw.close()
