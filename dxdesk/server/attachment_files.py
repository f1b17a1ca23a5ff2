"""An attachment's bytes: who may send and fetch them, the limits, completion.

Scope for bytes is exactly the scope of records. Sending: the attachment must be live and one the
caller may write, as a push would (its municipality assigned, or within the grace after an
unassignment for what the laptop held, or prefecture-wide). Fetching: live, complete, and in the
caller's municipalities or prefecture-wide, as a pull would send it. Anything else is 404, the
same answer whatever the reason, so an id or hash from elsewhere learns nothing.

When the last byte is in and its sha256 is the record's, the record takes a new revision under the
sync clock, as a push does, and stops being incomplete: the next pulls bring it (server/pull.py
leaves incomplete ones out). Bytes are kept when their record is deleted, so a restore needs no
upload; they do not count in the quota then, and ``dxdesk-server purge-files`` drops them
once the deletion is old enough (``purge_deleted``). The quota counts an attachment against the
account that attached it (its record's ``created_by``), once its bytes are complete.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dxdesk.server.audit import audit
from dxdesk.server.auth import Caller, scope_codes
from dxdesk.server.body_limit import size_text
from dxdesk.server.database import ServerDatabase
from dxdesk.server.file_storage import FileStorage, OffsetMismatch
from dxdesk.server.problems import ProblemError
from dxdesk.server.settings import Settings
from dxdesk.server.tables import Record, SyncClock
from dxdesk.server.write_scope import Access, pushed_by_laptop, write_scope
from dxdesk.sql_common import utc_now
from dxdesk.wire.files import (
    FILE_TOO_LARGE,
    HASH_MISMATCH,
    QUOTA_EXCEEDED,
    UPLOAD_OFFSET,
    UPLOAD_TOO_LONG,
    UploadState,
)

ATTACHMENT = "attachment"


@dataclass(frozen=True)
class Attachment:
    """What the file endpoints need of an attachment's record."""

    id: str
    size: int
    sha256: str
    name: str
    complete: bool
    owner: str  # the account that attached it: its quota counts the file


def _not_found() -> ProblemError:
    return ProblemError(404, "file-not-found", "Not found", "ファイルが見つかりません")


def _of(record: Record) -> Attachment:
    fields = record.fields
    return Attachment(
        record.id,
        int(fields.get("size") or 0),
        str(fields.get("sha256") or ""),
        str(fields.get("name") or ""),
        not record.incomplete,
        record.created_by,
    )


def _live_attachment(session: Session, attachment_id: str) -> Record | None:
    record = session.get(Record, attachment_id)
    if record is None or record.kind != ATTACHMENT or record.deleted:
        return None
    return record


def writable(session: Session, caller: Caller, attachment_id: str) -> Attachment:
    """The attachment, if the caller may send its bytes (as it may push a change to it)."""
    record = _live_attachment(session, attachment_id)
    if record is None:
        raise _not_found()
    scope = write_scope(session, caller)
    access = scope.access(
        record.scope_code,
        record.scope_rev,
        lambda: pushed_by_laptop(session, scope, attachment_id),
    )
    if access not in (Access.ASSIGNED, Access.GRACE):
        raise _not_found()
    return _of(record)


def readable(session: Session, caller: Caller, attachment_id: str) -> Attachment:
    """The attachment, if its bytes are complete and a pull would send the caller its record."""
    record = _live_attachment(session, attachment_id)
    if (
        record is None
        or record.incomplete
        or (record.scope_code is not None and record.scope_code not in scope_codes(session, caller))
    ):
        raise _not_found()
    return _of(record)


def _check_file_limit(settings: Settings, attachment: Attachment) -> None:
    limit = settings.max_file_bytes
    if attachment.size > limit:
        raise ProblemError(
            413,
            FILE_TOO_LARGE,
            "File too large",
            f"ファイル「{attachment.name}」が大きすぎます（このサーバーの上限は 1 ファイル "
            f"{size_text(limit)}）。小さく分けるか、管理者に上限を確認してください",
            limit=limit,
        )


def _check_quota(session: Session, settings: Settings, attachment: Attachment) -> None:
    """The live, complete attachments of the account that attached this one, and this one,
    together within the account's quota."""
    used = session.scalar(
        select(func.coalesce(func.sum(Record.fields["size"].as_integer()), 0)).where(
            Record.kind == ATTACHMENT,
            Record.created_by == attachment.owner,
            Record.deleted.is_(False),
            Record.incomplete.is_(False),
            Record.id != attachment.id,
        )
    )
    limit = settings.file_quota_bytes
    if int(used or 0) + attachment.size > limit:
        raise ProblemError(
            413,
            QUOTA_EXCEEDED,
            "Quota exceeded",
            f"このアカウントのファイルの保存容量（{size_text(limit)}）を超えます。"
            "不要な添付ファイルを削除するか、管理者に容量を確認してください",
            limit=limit,
        )


def _state(attachment: Attachment, received: int, *, complete: bool) -> UploadState:
    return UploadState(received=received, size=attachment.size, complete=complete)


def upload_state(
    database: ServerDatabase,
    storage: FileStorage,
    settings: Settings,
    caller: Caller,
    attachment_id: str,
) -> UploadState:
    with database.transaction() as session:
        attachment = writable(session, caller, attachment_id)
    if attachment.complete:
        return _state(attachment, attachment.size, complete=True)
    received = _fresh_received(storage, attachment)
    if received == attachment.size:
        # All there, but the server stopped before it checked them: check now.
        return _finish(database, storage, settings, caller, attachment)
    return _state(attachment, received, complete=False)


def _fresh_received(storage: FileStorage, attachment: Attachment) -> int:
    """What is staged; stored bytes of another file (a restore with new bytes) are dropped."""
    stored = storage.stored(attachment.id)
    if stored is not None and (stored.sha256, stored.size) != (attachment.sha256, attachment.size):
        storage.delete(attachment.id)
    return storage.received(attachment.id)


def upload(
    database: ServerDatabase,
    storage: FileStorage,
    settings: Settings,
    caller: Caller,
    attachment_id: str,
    offset: int,
    data: bytes,
) -> UploadState:
    """Stage ``data`` at ``offset``; once the whole file is in, verify it and complete."""
    with database.transaction() as session:
        attachment = writable(session, caller, attachment_id)
        _check_file_limit(settings, attachment)
        if not attachment.complete:
            _check_quota(session, settings, attachment)
    if attachment.complete:
        if offset == attachment.size and not data:
            return _state(attachment, attachment.size, complete=True)
        raise _offset_problem(attachment.size)
    received = _fresh_received(storage, attachment)
    if offset != received:
        raise _offset_problem(received)
    if offset + len(data) > attachment.size:
        raise ProblemError(
            422,
            UPLOAD_TOO_LONG,
            "Upload too long",
            f"ファイル「{attachment.name}」の大きさ（{attachment.size} バイト）を超えて"
            "送られました。何も保存していません",
            received=received,
        )
    if data:
        try:
            received = storage.append(attachment.id, offset, data)
        except OffsetMismatch as mismatch:
            raise _offset_problem(mismatch.received) from None
    if received < attachment.size:
        return _state(attachment, received, complete=False)
    return _finish(database, storage, settings, caller, attachment)


def _offset_problem(received: int) -> ProblemError:
    return ProblemError(
        409,
        UPLOAD_OFFSET,
        "Upload offset mismatch",
        f"サーバーにあるのは {received} バイト目までです。そこから送り直してください",
        received=received,
    )


def _finish(
    database: ServerDatabase,
    storage: FileStorage,
    settings: Settings,
    caller: Caller,
    attachment: Attachment,
) -> UploadState:
    """Verify the staged bytes and make the attachment complete, at a new revision."""
    if not storage.commit(attachment.id, attachment.sha256, attachment.size):
        with database.transaction() as session:
            audit(
                session,
                account=caller.user,
                device_id=caller.device_id,
                action="upload-refused",
                kind=ATTACHMENT,
                record_id=attachment.id,
                detail="sha256 mismatch",
            )
        raise ProblemError(
            422,
            HASH_MISMATCH,
            "Hash mismatch",
            f"ファイル「{attachment.name}」の中身が記録の SHA-256 と一致しません。"
            "受け取った分を捨てました。最初から送り直してください",
            received=0,
        )
    try:
        with database.transaction() as session:
            # Held until commit, as a push holds it: revisions become visible in order.
            clock = session.scalars(
                select(SyncClock).where(SyncClock.id == 1).with_for_update()
            ).one()
            record = session.get(Record, attachment.id, with_for_update=True)
            if record is None or not record.incomplete:
                return _state(attachment, attachment.size, complete=True)
            if not record.deleted:
                _check_quota(session, settings, attachment)  # again, one at a time
                clock.value += 1
                record.rev = record.scope_rev = clock.value  # the revision it is sent at
            record.incomplete = False
            audit(
                session,
                account=caller.user,
                device_id=caller.device_id,
                action="upload",
                kind=ATTACHMENT,
                record_id=attachment.id,
                detail=f"{attachment.size} bytes, sha256 {attachment.sha256}",
            )
    except ProblemError:
        storage.delete(attachment.id)  # over the quota: not kept
        raise
    return _state(attachment, attachment.size, complete=True)


def download(storage: FileStorage, attachment: Attachment, start: int, end: int) -> Iterator[bytes]:
    """Bytes ``start`` to ``end`` (exclusive) of a complete attachment, a row at a time."""
    left = end - start
    for piece in storage.read(attachment.id, start):
        if left <= 0:
            return
        if len(piece) > left:
            piece = piece[:left]
        left -= len(piece)
        yield piece


def purge_deleted(
    database: ServerDatabase, storage: FileStorage, *, older_than: timedelta, operator: str
) -> tuple[int, int]:
    """Drop the bytes of attachments deleted more than ``older_than`` ago: (files, bytes).

    Their records stay tombstones, marked incomplete: restored after this, one is pulled again
    only once its bytes are sent again.
    """
    cutoff = utc_now() - older_than
    with database.transaction() as session:
        ids = list(
            session.scalars(
                select(Record.id).where(
                    Record.kind == ATTACHMENT,
                    Record.deleted.is_(True),
                    Record.updated_at < cutoff,
                )
            )
        )
    files = freed = 0
    for attachment_id in ids:
        stored = storage.stored(attachment_id)
        held = stored.size if stored is not None else storage.received(attachment_id)
        if stored is None and held == 0:
            continue
        with database.transaction() as session:
            record = session.get(Record, attachment_id, with_for_update=True)
            if record is None or not record.deleted:
                continue  # restored meanwhile
            record.incomplete = True
            audit(
                session,
                account=operator,
                action="purge-file",
                kind=ATTACHMENT,
                record_id=attachment_id,
                detail=f"{held} bytes",
            )
        storage.delete(attachment_id)  # after: the storage's own transaction (SQLite: one writer)
        files += 1
        freed += held
    return files, freed
