"""Syncing the bytes of attachments, after the records (DESIGN §4, invariant 9).

An attachment's record syncs like any other; its bytes go by the file endpoints
(dxdesk/wire/files.py), streamed, never whole in memory:

- up (``upload_pending``), once the record's create is on the server: the server says how much
  it holds, the rest goes in chunks from there, so a cut link resumes where it stopped; the
  AttachmentUpload row goes once the server says the bytes are complete and verified. A
  refusal (too large, over the quota, not ours, a hash that does not match) is kept as a
  "refused" conflict the person sees, and not tried again until they decide.
- down on first open (``download_one``) and ahead of time within the person's budget
  (``download_ahead``, sync/file_budget.py): the bytes collect in the file store's partial
  file, a cut resumes it with a Range request, and only bytes whose hash is their name take it
  (FileStore.adopt_partial), so nothing half-downloaded ever looks complete.
- ``prune_files``: bytes no attachment here names any more (deleted, evicted) leave the laptop.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import ColumnElement, delete, func, or_, select

from dxdesk.domain.progress import CancelToken, Progress
from dxdesk.models.base import utc_now
from dxdesk.models.file_store import FileCorrupt, FileStore, file_store_of
from dxdesk.models.store import Store
from dxdesk.models.tables import (
    AttachmentRow,
    AttachmentUpload,
    MunicipalityRow,
    SyncConflict,
)
from dxdesk.sync.api_client import Offline, ServerRefused, SyncApiClient, SyncError
from dxdesk.sync.file_budget import read_budget
from dxdesk.sync.file_refusals import set_refused
from dxdesk.sync.summary import SyncSummary
from dxdesk.wire.files import UPLOAD_CHUNK_BYTES, UPLOAD_OFFSET, UploadState

# A transfer cut this many times in a row gives up for this sync (the next one resumes).
RESUME_ATTEMPTS = 4
READ_CHUNK = 1 << 20
# The answers that refuse a file for good (until the person decides): not ours, too large, over
# the quota, bytes that are not the record's.
REFUSALS = frozenset({403, 404, 409, 413, 422})


@dataclass(frozen=True)
class WantedFile:
    id: str
    name: str
    sha256: str
    size: int
    municipality: str | None = None


def _check(cancel: CancelToken | None) -> None:
    if cancel is not None:
        cancel.check()


# -- up ------------------------------------------------------------------------------------


def uploads_waiting(store: Store) -> list[WantedFile]:
    """Live attachments whose bytes the server has not confirmed, whose record it has (the
    create pushed), and that no open conflict holds back."""
    with store.session() as session:
        held = select(SyncConflict.record_id).where(
            SyncConflict.kind == "attachment", SyncConflict.resolved_at.is_(None)
        )
        rows = session.execute(
            select(
                AttachmentRow.id,
                AttachmentRow.name,
                AttachmentRow.sha256,
                AttachmentRow.size,
                AttachmentRow.municipality,
            )
            .join(AttachmentUpload, AttachmentUpload.attachment_id == AttachmentRow.id)
            .where(
                AttachmentRow.deleted.is_(False),
                AttachmentRow.server_rev.is_not(None),
                AttachmentRow.id.not_in(held),
            )
            .order_by(AttachmentUpload.created_at)
        )
        return [WantedFile(*row) for row in rows]


def upload_pending(
    store: Store,
    client: SyncApiClient,
    summary: SyncSummary,
    cancel: CancelToken | None = None,
    *,
    chunk_bytes: int = UPLOAD_CHUNK_BYTES,
) -> None:
    """Send the bytes of every attachment waiting to go up (see the module's docstring)."""
    _send(store, client, summary, cancel, chunk_bytes, uploads_waiting(store))


def upload_leaving(
    store: Store,
    client: SyncApiClient,
    summary: SyncSummary,
    cancel: CancelToken | None = None,
    *,
    chunk_bytes: int = UPLOAD_CHUNK_BYTES,
) -> None:
    """Before the pull: send the files of municipalities taken off this account since the last
    one. The server still takes them within its grace, which the pull that tells this laptop
    of the unassignment ends; the other files go after the records (``upload_pending``)."""
    waiting = [item for item in uploads_waiting(store) if item.municipality is not None]
    if not waiting:
        return
    scope = set(client.me().scope)
    leaving = [item for item in waiting if item.municipality not in scope]
    _send(store, client, summary, cancel, chunk_bytes, leaving)


def _send(
    store: Store,
    client: SyncApiClient,
    summary: SyncSummary,
    cancel: CancelToken | None,
    chunk_bytes: int,
    waiting: list[WantedFile],
) -> None:
    files = file_store_of(store)
    for item in waiting:
        _check(cancel)
        try:
            _upload(files, client, item, chunk_bytes, cancel)
        except ServerRefused as refused:
            if refused.status not in REFUSALS:
                raise  # a server error, not an answer about this file: the next sync tries again
            set_refused(store, item.id, item.name, str(refused), summary)
            continue
        except FileNotFoundError:
            why = "この端末にファイルの中身がありません"
            set_refused(store, item.id, item.name, why, summary)
            continue
        with store.transaction() as session:
            session.execute(
                delete(AttachmentUpload).where(AttachmentUpload.attachment_id == item.id)
            )
        summary.files_sent += 1


def _upload(
    files: FileStore,
    client: SyncApiClient,
    item: WantedFile,
    chunk_bytes: int,
    cancel: CancelToken | None,
) -> None:
    state = client.upload_state(item.id)
    cuts = 0
    while not state.complete:
        _check(cancel)
        if state.received >= item.size:
            raise SyncError(
                f"{item.name}: サーバーの受信状態が読めません（サーバーの版を確認してください）"
            )
        length = min(chunk_bytes, item.size - state.received)
        body = _piece(files, item.sha256, state.received, length, cancel)
        try:
            state = client.upload_chunk(item.id, state.received, body, length)
            cuts = 0
        except Offline:
            cuts += 1
            if cuts >= RESUME_ATTEMPTS:
                raise
            state = client.upload_state(item.id)  # where the cut left it
        except ServerRefused as refused:
            received = refused.problem.get("received")
            if refused.code != UPLOAD_OFFSET or not isinstance(received, int):
                raise
            state = UploadState(received=received, size=item.size, complete=False)


def _piece(
    files: FileStore, sha256: str, offset: int, length: int, cancel: CancelToken | None
) -> Iterator[bytes]:
    """``length`` bytes of the stored file from ``offset``, read as they are sent."""
    left = length
    for chunk in files.read_chunks(sha256, offset, min(READ_CHUNK, length)):
        _check(cancel)
        yield chunk[:left]
        left -= len(chunk)
        if left <= 0:
            return


# -- down ----------------------------------------------------------------------------------

_locks_lock = threading.Lock()
_locks: dict[str, threading.Lock] = {}


def _lock_for(sha256: str) -> threading.Lock:
    """One download of a content at a time in this process (the sync's and an opening's)."""
    with _locks_lock:
        return _locks.setdefault(sha256, threading.Lock())


def download_one(
    store: Store,
    client: SyncApiClient,
    attachment_id: str,
    *,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> None:
    """Bring the attachment's bytes to this laptop (nothing to do when they are here)."""
    with store.session() as session:
        row = session.get(AttachmentRow, attachment_id)
        if row is None or row.deleted:
            raise SyncError("この添付ファイルは端末にありません（削除されたか、担当外です）")
        item = WantedFile(row.id, row.name, row.sha256, row.size)
    _download(file_store_of(store), client, item, progress, cancel)


def _download(
    files: FileStore,
    client: SyncApiClient,
    item: WantedFile,
    progress: Progress | None,
    cancel: CancelToken | None,
) -> None:
    with _lock_for(item.sha256):
        if files.has(item.sha256):
            return
        part = files.partial_path(item.sha256)
        cuts = 0  # tries in a row that brought nothing
        while (have := _size_of(part, item.size)) < item.size:
            _check(cancel)
            lost: Offline | None = None
            try:
                _receive(client, item, part, have, progress, cancel)
            except Offline as offline:
                lost = offline  # what came before the cut stays: the next try goes on from it
            cuts = 0 if _size_of(part, item.size) > have else cuts + 1
            if cuts >= RESUME_ATTEMPTS:
                raise lost or SyncError(
                    f"{item.name}: サーバーからファイルの続きを受け取れませんでした"
                )
        try:
            files.adopt_partial(item.sha256)
        except FileCorrupt as corrupt:
            raise SyncError(f"{item.name}: {corrupt}") from None


def _size_of(part: Path, size: int) -> int:
    """What a partial download holds; one longer than the file is not it: start over."""
    try:
        have = part.stat().st_size
    except FileNotFoundError:
        return 0
    if have > size:
        part.unlink(missing_ok=True)
        return 0
    return have


def _receive(
    client: SyncApiClient,
    item: WantedFile,
    part: Path,
    have: int,
    progress: Progress | None,
    cancel: CancelToken | None,
) -> None:
    """Append what the server sends from ``have`` on."""
    with client.download(item.id, have) as stream:
        if stream.total != item.size:
            raise SyncError(f"{item.name}: サーバーのファイルの大きさが記録と違います")
        done = stream.start
        # A server that ignored the range sends the whole file: start it over.
        with part.open("ab" if done == have else "wb") as out:
            for chunk in stream.chunks():
                _check(cancel)
                out.write(chunk)
                done += len(chunk)
                if progress is not None:
                    progress(done, item.size)


# -- ahead of time, within the budget ------------------------------------------------------


def wanted_ahead(store: Store) -> list[WantedFile]:
    """The files to have here before they are opened: live attachments of this advisor's
    municipalities and prefecture-wide ones, within the budget's months, newest first while
    their total stays within its size (those here already count), not yet here."""
    budget = read_budget(store)
    if budget.off:
        return []
    since = utc_now() - timedelta(days=31 * budget.months)
    files = file_store_of(store)
    with store.session() as session:
        assigned = select(MunicipalityRow.code).where(MunicipalityRow.assigned.is_(True))
        rows = session.execute(
            select(AttachmentRow.id, AttachmentRow.name, AttachmentRow.sha256, AttachmentRow.size)
            .where(
                AttachmentRow.deleted.is_(False),
                AttachmentRow.created_at >= since,
                or_(
                    AttachmentRow.municipality.is_(None),
                    AttachmentRow.municipality.in_(assigned),
                ),
            )
            .order_by(AttachmentRow.created_at.desc(), AttachmentRow.id)
        )
        wanted, seen, total = [], set(), 0
        for item in (WantedFile(*row) for row in rows):
            if item.sha256 in seen:
                continue
            seen.add(item.sha256)
            total += item.size
            if total > budget.bytes:
                break
            if not files.has(item.sha256):
                wanted.append(item)
        return wanted


def download_ahead(
    store: Store,
    client: SyncApiClient,
    summary: SyncSummary,
    cancel: CancelToken | None = None,
) -> None:
    """Fetch the files the budget wants here. A file the server will not give (deleted since,
    or damaged) is skipped; a lost link ends this round (the next sync resumes it)."""
    files = file_store_of(store)
    for item in wanted_ahead(store):
        _check(cancel)
        try:
            _download(files, client, item, None, cancel)
        except Offline:
            summary.files_failed += 1
            return
        except SyncError:
            summary.files_failed += 1
            continue
        summary.files_received += 1


# -- leaving -------------------------------------------------------------------------------


def prune_files(store: Store, gone: Collection[str] = ()) -> int:
    """Remove the bytes that only deleted attachments name, and ``gone`` (the contents of
    records just evicted) unless a kept attachment still names them; returns how many went.

    Only such bytes: a file no record names yet may be an attach under way on another thread
    (its bytes go in before its record), so it is not touched here.
    """
    files = file_store_of(store)
    # From reading what records name to the last delete: an attach (which holds the same lock
    # from copying in to its commit) is wholly before, and named in ``kept``, or wholly after,
    # and puts its bytes back.
    with files.exclusive():
        with store.session() as session:
            kept = set(session.scalars(select(AttachmentRow.sha256).where(_kept())))
            deleted = set(session.scalars(select(AttachmentRow.sha256).where(~_kept())))
        doomed = (deleted | set(gone)) - kept
        return files.remove_unreferenced((set(files.stored()) - doomed) | kept)


def _kept() -> ColumnElement[bool]:
    """An attachment whose bytes stay: live, or deleted here before its bytes went up (an
    undo may bring it back)."""
    return or_(
        AttachmentRow.deleted.is_(False),
        AttachmentRow.id.in_(select(AttachmentUpload.attachment_id)),
    )


def waiting_upload_count(store: Store) -> int:
    """How many files wait to go up (the sync status shows it); refused ones included."""
    with store.session() as session:
        count = session.scalar(
            select(func.count())
            .select_from(AttachmentUpload)
            .join(AttachmentRow, AttachmentRow.id == AttachmentUpload.attachment_id)
            .where(AttachmentRow.deleted.is_(False))
        )
        return count or 0
