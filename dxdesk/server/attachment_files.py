"""An attachment's bytes: who may send and fetch them, the limits, completion.

Scope for bytes is exactly the scope of records. Sending: the attachment must be live and one the
caller may write, as a push would (its municipality assigned, or within the grace after an
unassignment for what the laptop held, or prefecture-wide). Fetching: live, complete, and in the
caller's municipalities or prefecture-wide, as a pull would send it. Anything else is 404, the
same answer whatever the reason, so an id or hash from elsewhere learns nothing.

When the last byte is in and its sha256 is the record's, the record takes a new revision under the
sync clock, as a push does, and stops being incomplete: the next pulls bring it (server/pull.py
leaves incomplete ones out). Each request is one transaction, holding the file (``hold``): the
last bytes are staged, checked, kept and the record completed in the same commit.

Bytes are kept when their record is deleted, so a restore needs no upload; they do not count in
the quota then, and ``dxdesk-server purge-files`` drops them once the deletion is old enough
(``purge_deleted``). The quota counts an attachment against the account that attached it (its
record's ``created_by``), once its bytes are complete.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dxdesk.server.audit import audit
from dxdesk.server.auth import Caller, scope_codes
from dxdesk.server.body_limit import size_text
from dxdesk.server.database import ServerDatabase
from dxdesk.server.file_storage import FileStorage, Stored
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


def not_found() -> ProblemError:
    """The one answer for a file the caller may not have, whatever the reason."""
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
        raise not_found()
    scope = write_scope(session, caller)
    access = scope.access(
        record.scope_code,
        record.scope_rev,
        lambda: pushed_by_laptop(session, scope, attachment_id),
    )
    if access not in (Access.ASSIGNED, Access.GRACE):
        raise not_found()
    return _of(record)


def readable(session: Session, caller: Caller, attachment_id: str) -> Attachment:
    """The attachment, if its bytes are complete and a pull would send the caller its record."""
    record = _live_attachment(session, attachment_id)
    if (
        record is None
        or record.incomplete
        or (record.scope_code is not None and record.scope_code not in scope_codes(session, caller))
    ):
        raise not_found()
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
    return upload(database, storage, settings, caller, attachment_id, None, b"")


def upload(
    database: ServerDatabase,
    storage: FileStorage,
    settings: Settings,
    caller: Caller,
    attachment_id: str,
    offset: int | None,
    data: bytes,
) -> UploadState:
    """Stage ``data`` at ``offset`` (None: only say how much is there); once the whole file is
    in, verify it and complete, all in one transaction.

    A refusal that drops the staged bytes (their hash, the quota) commits the drop, and its
    audit, before it is raised.
    """
    refusal: list[ProblemError] = []
    try:
        with database.transaction() as session:
            state = _upload(
                session, storage, settings, caller, attachment_id, offset, data, refusal
            )
    except IntegrityError:
        # Staged or kept meanwhile by a request that did not hold the file: none does, but
        # should one, the client is told where the server is rather than a server error.
        with database.transaction() as session:
            storage.hold(session, attachment_id)
            received = storage.received(session, attachment_id)
        raise _offset_problem(received) from None
    if refusal:
        raise refusal[0]
    return state


def _upload(
    session: Session,
    storage: FileStorage,
    settings: Settings,
    caller: Caller,
    attachment_id: str,
    offset: int | None,
    data: bytes,
    refusal: list[ProblemError],
) -> UploadState:
    attachment = writable(session, caller, attachment_id)
    if offset is not None:
        _check_file_limit(settings, attachment)
    if attachment.complete:
        if offset in (None, attachment.size) and not data:
            return _state(attachment, attachment.size, complete=True)
        raise _offset_problem(attachment.size)
    storage.hold(session, attachment.id)
    kept, received = _fresh_received(session, storage, attachment)
    if offset is None:
        if received < attachment.size:
            return _state(attachment, received, complete=False)
        # All there, but the server stopped before it checked them: check now.
        return _finish(session, storage, settings, caller, attachment, b"", refusal, kept=kept)
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
    if offset + len(data) < attachment.size:
        _check_quota(session, settings, attachment)  # before the rest is sent for nothing
        received = storage.append(session, attachment.id, offset, data)
        return _state(attachment, received, complete=False)
    return _finish(session, storage, settings, caller, attachment, data, refusal, kept=kept)


def _fresh_received(
    session: Session, storage: FileStorage, attachment: Attachment
) -> tuple[bool, int]:
    """Whether this file's bytes are kept, and how many are there; stored bytes of another
    file (a restore with new bytes) are dropped."""
    stored = storage.stored(session, attachment.id)
    if stored is None:
        return False, storage.received(session, attachment.id)
    if (stored.sha256, stored.size) == (attachment.sha256, attachment.size):
        return True, stored.size
    storage.delete(session, attachment.id)
    return False, 0


def _offset_problem(received: int) -> ProblemError:
    return ProblemError(
        409,
        UPLOAD_OFFSET,
        "Upload offset mismatch",
        f"サーバーにあるのは {received} バイト目までです。そこから送り直してください",
        received=received,
    )


def _finish(
    session: Session,
    storage: FileStorage,
    settings: Settings,
    caller: Caller,
    attachment: Attachment,
    tail: bytes,
    refusal: list[ProblemError],
    *,
    kept: bool,
) -> UploadState:
    """Verify the staged bytes and ``tail``, the file's last ones, keep them and make the
    attachment complete at a new revision; or drop them, saying why in ``refusal``."""
    done = _state(attachment, attachment.size, complete=True)
    if not storage.matches(session, attachment.id, attachment.sha256, attachment.size, tail):
        storage.delete(session, attachment.id)
        _audit(session, caller, attachment, "upload-refused", "sha256 mismatch")
        refusal.append(
            ProblemError(
                422,
                HASH_MISMATCH,
                "Hash mismatch",
                f"ファイル「{attachment.name}」の中身が記録の SHA-256 と一致しません。"
                "受け取った分を捨てました。最初から送り直してください",
                received=0,
            )
        )
        return done
    if tail:
        storage.append(session, attachment.id, attachment.size - len(tail), tail)
    if not kept:
        storage.keep(session, attachment.id, attachment.sha256, attachment.size)
    # Held until commit, as a push holds it: revisions become visible in order. Taken last, after
    # the bytes are written, so that pushes wait for it as little as they can.
    clock = session.scalars(select(SyncClock).where(SyncClock.id == 1).with_for_update()).one()
    record = session.get(Record, attachment.id, with_for_update=True, populate_existing=True)
    if record is None or not record.incomplete:
        return done
    if not record.deleted:
        try:
            _check_quota(session, settings, attachment)  # again, one at a time
        except ProblemError as over:
            storage.delete(session, attachment.id)  # over the quota: not kept
            refusal.append(over)
            return done
        clock.value += 1
        record.rev = record.scope_rev = clock.value  # the revision it is sent at
    record.incomplete = False
    _audit(
        session,
        caller,
        attachment,
        "upload",
        f"{attachment.size} bytes, sha256 {attachment.sha256}",
    )
    return done


def _audit(
    session: Session, caller: Caller, attachment: Attachment, action: str, detail: str
) -> None:
    audit(
        session,
        account=caller.user,
        device_id=caller.device_id,
        action=action,
        kind=ATTACHMENT,
        record_id=attachment.id,
        detail=detail,
    )


def opened(
    database: ServerDatabase, storage: FileStorage, caller: Caller, attachment_id: str
) -> Stored:
    """The kept file of an attachment the caller may fetch (else 404)."""
    with database.transaction() as session:
        attachment = readable(session, caller, attachment_id)
        stored = storage.stored(session, attachment.id)
    if stored is None or stored.sha256 != attachment.sha256:
        raise not_found()
    return stored


def download(storage: FileStorage, attachment_id: str, start: int, end: int) -> Iterator[bytes]:
    """Bytes ``start`` to ``end`` (exclusive) of a kept file, a few rows at a time."""
    return storage.read(attachment_id, start, end)


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
        with database.transaction() as session:
            storage.hold(session, attachment_id)
            stored = storage.stored(session, attachment_id)
            held = stored.size if stored is not None else storage.received(session, attachment_id)
            if stored is None and held == 0:
                continue
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
            storage.delete(session, attachment_id)
        files += 1
        freed += held
    return files, freed
