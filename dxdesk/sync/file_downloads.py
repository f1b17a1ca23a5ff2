"""Fetching the bytes of attachments (sync/files.py says how the files sync).

On first open (``download_one``) and ahead of time within the person's budget
(``download_ahead``, sync/file_budget.py): the bytes collect in the file store's partial file
(models/file_partial.py), hashed as they are written; a cut resumes it with a Range request;
only bytes whose hash is their name take it (FileStore.adopt_partial), so nothing
half-downloaded ever looks complete. One download of a content at a time, across threads and
processes (FileStore.downloading). Fetching ahead is optional: a full disk stops it and the
summary says so (``files_problem``), the sync itself goes on.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import or_, select

from dxdesk.domain.progress import CancelToken, Progress
from dxdesk.models.base import utc_now
from dxdesk.models.file_partial import PartialFile
from dxdesk.models.file_store import FileCorrupt, FileProblem, FileStore, file_store_of
from dxdesk.models.store import Store
from dxdesk.models.tables import AttachmentRow, MunicipalityRow
from dxdesk.sync.api_client import Offline, SyncApiClient, SyncError, WipeOrdered
from dxdesk.sync.file_budget import read_budget
from dxdesk.sync.file_items import RESUME_ATTEMPTS, AttachedFile, check_cancel
from dxdesk.sync.summary import SyncSummary


def download_one(
    store: Store,
    client: SyncApiClient,
    attachment_id: str,
    *,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> None:
    """Bring the attachment's bytes to this laptop (nothing to do when they are here). Raises
    SyncError, or FileProblem when they cannot be written (a full disk, said so)."""
    with store.session() as session:
        row = session.get(AttachmentRow, attachment_id)
        if row is None or row.deleted:
            raise SyncError("この添付ファイルは端末にありません（削除されたか、担当外です）")
        item = AttachedFile(row.id, row.name, row.sha256, row.size)
    _download(file_store_of(store), client, item, progress, cancel)


def _download(
    files: FileStore,
    client: SyncApiClient,
    item: AttachedFile,
    progress: Progress | None,
    cancel: CancelToken | None,
) -> None:
    with files.downloading(item.sha256):
        if files.has(item.sha256):
            return  # here already, or another download brought it while this one waited
        with files.partial(item.sha256, item.size) as part:
            cuts = 0  # tries in a row that brought nothing
            while part.size < item.size:
                check_cancel(cancel)
                have = part.size
                lost: Offline | None = None
                try:
                    _receive(client, item, part, progress, cancel)
                except Offline as offline:
                    lost = offline  # what came before the cut stays: the next try goes on
                cuts = 0 if part.size > have else cuts + 1
                if cuts >= RESUME_ATTEMPTS:
                    raise lost or SyncError(
                        f"{item.name}: サーバーからファイルの続きを受け取れませんでした"
                    )
            if part.size > item.size:
                part.restart()  # more than the record's size: not its bytes; start over
                raise SyncError(f"{item.name}: サーバーのファイルの大きさが記録と違います")
            digest = part.finish()
        try:
            files.adopt_partial(item.sha256, digest)
        except FileCorrupt as corrupt:
            raise SyncError(f"{item.name}: {corrupt}") from None


def _receive(
    client: SyncApiClient,
    item: AttachedFile,
    part: PartialFile,
    progress: Progress | None,
    cancel: CancelToken | None,
) -> None:
    """Append what the server sends from what ``part`` holds on."""
    with client.download(item.id, part.size) as stream:
        if stream.total != item.size:
            raise SyncError(f"{item.name}: サーバーのファイルの大きさが記録と違います")
        if stream.start != part.size:
            part.restart()  # a server that ignored the range sends the whole file
        for chunk in stream.chunks():
            check_cancel(cancel)
            part.write(chunk)
            if progress is not None:
                progress(part.size, item.size)


# -- ahead of time, within the budget ------------------------------------------------------


def wanted_ahead(store: Store) -> list[AttachedFile]:
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
        for item in (AttachedFile(*row) for row in rows):
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
    or damaged) is skipped; a lost link ends this round (the next sync resumes it); so does a
    file that cannot be written (a full disk), which the summary tells (``files_problem``)."""
    files = file_store_of(store)
    for item in wanted_ahead(store):
        check_cancel(cancel)
        try:
            _download(files, client, item, None, cancel)
        except Offline:
            summary.files_failed += 1
            return
        except FileProblem as problem:
            summary.files_failed += 1
            summary.files_problem = str(problem)
            return
        except WipeOrdered:
            raise  # this laptop is to be wiped: no next file
        except SyncError:
            summary.files_failed += 1
            continue
        summary.files_received += 1
