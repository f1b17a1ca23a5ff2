"""``dxdesk-server purge``: the content of records deleted longer ago than the retention period.

What goes, for each such tombstone: its fields (stored as ``{}``), the values of the conflicts
stored about it (``base``, ``theirs``, ``mine``), the field values the push log's recorded
answers hold for it (a replay then answers ``{}`` for them) and, for an attachment, its bytes
(the record is marked incomplete, as ``purge-files`` does). What stays: the record's id, kind,
municipality, deleted flag and revision, which sync needs, and who made and changed it when,
with the audit trail (who, device, when, which action and field names; it never holds values).

A purge changes nothing a laptop can see: a pull sends a tombstone's fields as ``{}`` already,
so the record keeps its revision and no laptop pulls it again. An edit of it still meets the
delete as a conflict (push.py ``_update`` reads nothing of the fields but for the catalog of
``scores.<item>``), and a create over it restores it with the fields sent.

Safe while the server serves: each batch is one short transaction that takes the locks a push
and an upload take, in their order (the batch's files, then the sync clock), and checks each
record again under them (a record restored meanwhile is left alone). Idempotent: a record with
nothing left to clear is not counted again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dxdesk.server.audit import audit
from dxdesk.server.database import ServerDatabase
from dxdesk.server.file_storage import FileStorage
from dxdesk.server.push_log import CONFLICT_VALUES
from dxdesk.server.settings import retention_days
from dxdesk.server.tables import AuditEntry, Conflict, PushLog, Record, SyncClock
from dxdesk.sql_common import utc_now

ATTACHMENT = "attachment"
BATCH_SIZE = 500
# The audit actions whose ``detail`` is the push id whose recorded answer holds field values.
_ANSWERED_ACTIONS = ("create", "update", "restore")


@dataclass
class PurgeReport:
    """What a purge cleared (or, dry, would clear)."""

    cutoff: datetime
    dry_run: bool
    records: Counter[str] = field(default_factory=Counter)  # by kind
    conflicts: int = 0  # conflict rows whose values went
    push_answers: int = 0  # recorded push answers that held values of them
    files: int = 0
    file_bytes: int = 0

    @property
    def total(self) -> int:
        return sum(self.records.values())

    def as_json(self) -> dict[str, Any]:
        return {
            "cutoff": self.cutoff.isoformat().replace("+00:00", "Z"),
            "dry_run": self.dry_run,
            "records": dict(sorted(self.records.items())),
            "total": self.total,
            "conflicts": self.conflicts,
            "push_answers": self.push_answers,
            "files": self.files,
            "file_bytes": self.file_bytes,
        }


def purge(
    database: ServerDatabase,
    storage: FileStorage,
    *,
    older_than: timedelta,
    operator: str,
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
    now: datetime | None = None,
) -> PurgeReport:
    """Clear the content of records deleted more than ``older_than`` ago, a batch at a time."""
    cutoff = (now or utc_now()) - older_than
    report = PurgeReport(cutoff=cutoff, dry_run=dry_run)
    after = ""
    while True:
        with database.transaction() as session:
            ids = list(
                session.scalars(
                    select(Record.id)
                    .where(Record.deleted.is_(True), Record.updated_at < cutoff, Record.id > after)
                    .order_by(Record.id)
                    .limit(batch_size)
                )
            )
        if not ids:
            if report.total and not dry_run:
                _rewrite_sqlite(database)
            return report
        after = ids[-1]
        with Session(database.engine, expire_on_commit=False) as session:
            session.begin()
            _purge_batch(session, storage, ids, cutoff, operator, report)
            if dry_run:
                session.rollback()  # counted, not written
            else:
                session.commit()


def _rewrite_sqlite(database: ServerDatabase) -> None:
    """On a trial server's SQLite file, take the cleared values out of its free pages and its
    write-ahead log too (PostgreSQL's own VACUUM, automatic by default, reclaims dead rows)."""
    if database.engine.dialect.name != "sqlite":
        return
    with database.engine.connect() as connection:
        driver: Any = connection.connection.driver_connection
        driver.execute("PRAGMA temp_store = MEMORY")  # no copy of the file in a temp folder
        driver.execute("VACUUM")
        driver.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _purge_batch(
    session: Session,
    storage: FileStorage,
    ids: list[str],
    cutoff: datetime,
    operator: str,
    report: PurgeReport,
) -> None:
    kinds = dict(session.execute(select(Record.id, Record.kind).where(Record.id.in_(ids))).all())
    for attachment_id in sorted(i for i in ids if kinds.get(i) == ATTACHMENT):
        storage.hold(session, attachment_id)  # an upload holds its file, then the clock
    session.scalars(select(SyncClock).where(SyncClock.id == 1).with_for_update()).one()
    records = session.scalars(
        select(Record)
        .where(Record.id.in_(ids), Record.deleted.is_(True), Record.updated_at < cutoff)
        .order_by(Record.id)
        .with_for_update()
    ).all()
    if not records:
        return
    by_id = {record.id: record for record in records}
    cleared: set[str] = set()
    for record in records:
        if record.fields:
            record.fields = {}
            cleared.add(record.id)
        if record.kind == ATTACHMENT:
            stored = storage.stored(session, record.id)
            held = stored.size if stored is not None else storage.received(session, record.id)
            if stored is not None or held:
                storage.delete(session, record.id)
                record.incomplete = True
                report.files += 1
                report.file_bytes += held
                cleared.add(record.id)
    for conflict in session.scalars(select(Conflict).where(Conflict.record_id.in_(by_id))):
        if any(getattr(conflict, key) is not None for key in CONFLICT_VALUES):
            for key in CONFLICT_VALUES:
                setattr(conflict, key, None)
            report.conflicts += 1
            cleared.add(conflict.record_id)
    for log in _push_logs_naming(session, by_id):
        response, scrubbed = _scrubbed_answer(log.response, by_id)
        if scrubbed:
            log.response = response
            report.push_answers += 1
            cleared.update(scrubbed)
    for record_id in sorted(cleared):
        record = by_id[record_id]
        report.records[record.kind] += 1
        audit(session, account=operator, action="purge", kind=record.kind, record_id=record.id)


def _push_logs_naming(session: Session, ids: Iterable[str]) -> list[PushLog]:
    """The recorded answers that may hold values of these records: the pushes that wrote them
    (their audit entries name the push) and the pushes whose conflicts were about them."""
    ids = list(ids)
    push_ids = set(
        session.scalars(
            select(AuditEntry.detail).where(
                AuditEntry.record_id.in_(ids), AuditEntry.action.in_(_ANSWERED_ACTIONS)
            )
        )
    )
    push_ids.update(session.scalars(select(Conflict.push_id).where(Conflict.record_id.in_(ids))))
    if not push_ids:
        return []
    return list(
        session.scalars(
            select(PushLog)
            .where(PushLog.push_id.in_(sorted(push_ids)))
            .order_by(PushLog.push_id)
            .with_for_update()
        )
    )


def _scrubbed_answer(
    response: dict[str, Any], ids: Iterable[str]
) -> tuple[dict[str, Any], set[str]]:
    """A recorded answer without the values it holds of ``ids``, and which of them it held."""
    doomed = set(ids)
    scrubbed: set[str] = set()
    results = []
    for result in response.get("results", []):
        if result.get("id") in doomed:
            conflicts = [
                {**entry, **dict.fromkeys(CONFLICT_VALUES)}
                if any(entry.get(key) is not None for key in CONFLICT_VALUES)
                else entry
                for entry in result.get("conflicts", [])
            ]
            if result.get("fields") or conflicts != result.get("conflicts", []):
                result = {**result, "fields": {}, "conflicts": conflicts}
                scrubbed.add(result["id"])
        results.append(result)
    return {**response, "results": results}, scrubbed


def purge_command(database: ServerDatabase, storage: FileStorage, args: Any) -> None:
    """``dxdesk-server purge [--days N] [--dry-run] [--json]``: purge and say what went."""
    from dxdesk.command_line import print_json
    from dxdesk.server import admin

    days = retention_days(None if args.days is None else str(args.days))
    report = purge(
        database,
        storage,
        older_than=timedelta(days=days),
        operator=admin.operator_name(),
        dry_run=args.dry_run,
    )
    if args.json:
        print_json({"retention_days": days, **report.as_json()})
        return
    verb = "消去します（--dry-run: 何も変えていません）" if args.dry_run else "消去しました"
    print(
        f"削除から {days} 日を過ぎた記録 {report.total} 件の内容を{verb}"
        f"（{report.cutoff:%Y-%m-%d %H:%M} UTC より前に削除されたもの）"
    )
    for kind, count in sorted(report.records.items()):
        print(f"  {kind}: {count} 件")
    if report.files:
        print(f"  添付ファイルの中身: {report.files} 件（{report.file_bytes / 1024**2:.1f} MB）")
    print("id・種類・削除済みの印・リビジョンと、誰がいつ変更したかの記録は残しています")
