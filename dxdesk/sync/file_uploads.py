"""Sending the bytes of attachments up (sync/files.py says how the files sync).

Once the record's create is on the server, the bytes go in chunks from what the server holds,
so a cut link resumes where it stopped; the AttachmentUpload row goes once the server says the
bytes are complete and verified. A file that fits in one request is sent from byte 0 without
asking first (one round trip per file fewer): if the server holds some of it already (an earlier
cut), its 409 ``upload-offset`` says how much, and the rest goes from there. A refusal (too
large, over the quota, not ours, a hash that does not match) is kept as a "refused" conflict
the person sees, and not tried again until they decide (sync/file_refusals.py).
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import delete, select

from dxdesk.domain.progress import CancelToken
from dxdesk.models.file_store import FileCorrupt, FileStore, file_store_of
from dxdesk.models.store import Store
from dxdesk.models.tables import AttachmentRow, AttachmentUpload, SyncConflict
from dxdesk.sync.api_client import Offline, ServerRefused, SyncApiClient, SyncError
from dxdesk.sync.file_items import RESUME_ATTEMPTS, AttachedFile, check_cancel
from dxdesk.sync.file_refusals import set_refused
from dxdesk.sync.summary import SyncSummary
from dxdesk.wire.files import UPLOAD_CHUNK_BYTES, UPLOAD_OFFSET, UploadState

READ_CHUNK = 1 << 20
# The answers that refuse a file for good (until the person decides): not ours, too large, over
# the quota, bytes that are not the record's.
REFUSALS = frozenset({403, 404, 409, 413, 422})


def uploads_waiting(store: Store) -> list[AttachedFile]:
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
        return [AttachedFile(*row) for row in rows]


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
    waiting: list[AttachedFile],
) -> None:
    files = file_store_of(store)
    for item in waiting:
        check_cancel(cancel)
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
        except FileCorrupt:
            # Its stored bytes do not decrypt: damaged on this disk, never sent as they are.
            why = "この端末に保存されていたファイルが壊れています"
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
    item: AttachedFile,
    chunk_bytes: int,
    cancel: CancelToken | None,
) -> None:
    if item.size <= chunk_bytes:
        state = UploadState(received=0, size=item.size, complete=False)  # see the docstring
    else:
        state = client.upload_state(item.id)
    cuts = corrections = 0
    while not state.complete:
        check_cancel(cancel)
        if state.received >= item.size or corrections > RESUME_ATTEMPTS:
            raise SyncError(
                f"{item.name}: サーバーの受信状態が読めません（サーバーの版を確認してください）"
            )
        length = min(chunk_bytes, item.size - state.received)
        body = _piece(files, item.sha256, state.received, length, cancel)
        try:
            state = client.upload_chunk(item.id, state.received, body, length)
            cuts = corrections = 0
        except Offline:
            cuts += 1
            if cuts >= RESUME_ATTEMPTS:
                raise
            state = client.upload_state(item.id)  # where the cut left it
        except ServerRefused as refused:
            received = refused.problem.get("received")
            if refused.code != UPLOAD_OFFSET or not isinstance(received, int):
                raise
            corrections += 1
            if received >= item.size:
                # All there (another sync of this laptop, the CLI beside the window, finished
                # it): whether it is complete and verified is the server's to say.
                state = client.upload_state(item.id)
            else:
                state = UploadState(received=received, size=item.size, complete=False)


def _piece(
    files: FileStore, sha256: str, offset: int, length: int, cancel: CancelToken | None
) -> Iterator[bytes]:
    """``length`` bytes of the stored file from ``offset``, read as they are sent."""
    left = length
    for chunk in files.read_chunks(sha256, offset, min(READ_CHUNK, length)):
        check_cancel(cancel)
        yield chunk[:left]
        left -= len(chunk)
        if left <= 0:
            return
