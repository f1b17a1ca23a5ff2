"""Files attached to visits, interview notes, follow-ups, articles and group sessions.

An attachment is a record (kind "attachment": name, media type, size, sha256, its parent) that
syncs like any other, and bytes in the data folder's file store (models/file_store.py). Attaching
is all or nothing: every path is checked first, each file is copied in (a photo without its
location, services/photo_location.py), then one transaction writes the records and the uploads
waiting (AttachmentUpload); if anything fails, no record is written and no file this attach
brought in is left behind. The file store's lock is held from the first copy to the commit, so a
sync's prune (which holds it too) never removes bytes a new record comes to name. Deleting is a
record's delete, undone as one (RecordFacade.restore); a deleted parent takes its attachments
with it (services/attachment_parents.py).
"""

from __future__ import annotations

import contextlib
import mimetypes
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dxdesk.domain.progress import Progress
from dxdesk.domain.record_fields import clean_record_id
from dxdesk.domain.records import ATTACHMENT_PARENTS, InvalidField
from dxdesk.models.file_store import StoredFile, file_store_of
from dxdesk.models.paths import make_owner_only_dir
from dxdesk.models.store import Store, StoreError
from dxdesk.models.store_cipher import shred
from dxdesk.models.tables import AttachmentRow, AttachmentUpload
from dxdesk.services.assignment import not_assigned_message
from dxdesk.services.attachment_parents import live_parent, parent_municipality
from dxdesk.services.file_names import safe_file_name
from dxdesk.services.photo_location import location_patches
from dxdesk.services.records import InvalidRecord, Record, RecordFacade, RecordNotFound

# Where the copies opened with the system's application go (a fresh folder for each opening),
# and how long one is kept: the application may still hold it, so none is removed sooner.
OPENED_DIR = "opened"
OPENED_KEPT_SECONDS = 24 * 3600
# Read-only: an edit there would never reach the attachment, so the application says so.
OPENED_FILE_MODE = 0o400
# Kinds the system's table may not know (the type is a hint for the application that opens it).
_MEDIA_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".heic": "image/heic",
    ".heif": "image/heif",
    ".webp": "image/webp",
    ".md": "text/markdown",
}
_UNKNOWN_TYPE = "application/octet-stream"
# What an attachment keeps for life: its bytes and its parent (a rename is a change like others).
_FIXED = ("parent_kind", "parent", "municipality", "size", "sha256")


class FileNotHere(StoreError):
    """The attachment's bytes are not on this laptop yet: a sync (or a download) brings them."""


class FileExists(StoreError):
    """A file is where an attachment was to be saved, and it is not to be overwritten."""


def media_type_of(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return _MEDIA_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or _UNKNOWN_TYPE


class AttachmentFacade(RecordFacade):
    kind = "attachment"

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self.files = file_store_of(store)
        # The folders of the copies this process opened (private_copy), removed at its end.
        self._opened_here: list[Path] = []

    # -- attaching -----------------------------------------------------------------------

    def attach(
        self,
        parent_kind: str,
        parent_id: str,
        paths: Sequence[Path],
        *,
        progress: Progress | None = None,
        cancel: Callable[[], bool] | None = None,
    ) -> list[Record]:
        """Attach the files at ``paths`` to a record, all or none; ``progress`` hears
        (bytes copied, bytes in all)."""
        sources = self._sources(paths)
        parent_id = self._check_parent(parent_kind, parent_id)
        sizes = [self.files.check_source(path).st_size for path in sources]
        total = sum(sizes)
        stored: list[StoredFile] = []
        # The file store's lock from the first copy in to the commit: a sync's prune (which
        # holds it from reading what records name to its last delete) never removes bytes a
        # record of this attach comes to name, nor does _forget_new another attach's.
        with self.files.exclusive():
            try:
                done = 0
                for path in sources:

                    def copied(n: int, base: int = done) -> None:
                        if progress is not None:
                            progress(base + n, total)

                    stored.append(
                        self.files.add_file(
                            path, cancel=cancel, patcher=location_patches, progress=copied
                        )
                    )
                    done += stored[-1].size
                    if progress is not None:
                        progress(done, total)  # this file is in
                made = self._insert(parent_kind, parent_id, sources, stored)
            except BaseException:
                self._forget_new(stored)
                raise
        return made

    def _insert(
        self,
        parent_kind: str,
        parent_id: str,
        sources: Sequence[Path],
        stored: Sequence[StoredFile],
    ) -> list[Record]:
        """One transaction: a record and an upload waiting for each file copied in."""
        with self._store.transaction() as session:
            rows = []
            for path, file in zip(sources, stored, strict=True):
                name = safe_file_name(path.name)
                row = self.insert_in(
                    session,
                    {
                        "parent_kind": parent_kind,
                        "parent": parent_id,
                        "name": name,
                        "media_type": media_type_of(name),
                        "size": file.size,
                        "sha256": file.sha256,
                    },
                )
                session.add(AttachmentUpload(attachment_id=row.id))
                rows.append(row)
            session.flush()
            return [self._present(row) for row in rows]

    def _check_parent(self, parent_kind: str, parent_id: str) -> str:
        parent_id = self.require_parent(parent_kind, parent_id)
        with self._store.session() as session:
            parent = live_parent(session, parent_kind, parent_id)
            if parent is None:  # deleted since
                raise RecordNotFound(f"{ATTACHMENT_PARENTS[parent_kind]} {parent_id} はありません")
            self._require_assigned(session, parent_municipality(parent_kind, parent))
        return parent_id

    def require_parent(self, parent_kind: str, parent_id: str) -> str:
        """The id of a record files attach to, which is here and not deleted; said in words
        otherwise (「相談記録 … はありません」)."""
        if parent_kind not in ATTACHMENT_PARENTS:
            raise InvalidRecord(
                f"{parent_kind!r} にはファイルを添付できません"
                f"（添付できるもの: {', '.join(ATTACHMENT_PARENTS)}）"
            )
        label = ATTACHMENT_PARENTS[parent_kind]
        try:
            parent_id = clean_record_id(parent_id)
        except InvalidField:
            raise RecordNotFound(f"{label} {parent_id} はありません") from None
        with self._store.session() as session:
            if live_parent(session, parent_kind, parent_id) is None:
                raise RecordNotFound(f"{label} {parent_id} はありません")
        return parent_id

    @staticmethod
    def _sources(paths: Sequence[Path]) -> list[Path]:
        """The files to attach, each once (the same file given twice is one attachment)."""
        if not paths:
            raise InvalidRecord("添付するファイルを指定してください")
        seen: set[tuple[int, int] | Path] = set()
        unique = []
        for path in paths:
            path = Path(path).expanduser()
            try:
                stat = path.stat()
                key: tuple[int, int] | Path = (stat.st_dev, stat.st_ino)
            except OSError:
                key = path.absolute()  # refused in words by the check that follows
            if key not in seen:
                seen.add(key)
                unique.append(path)
        return unique

    def _forget_new(self, stored: Sequence[StoredFile]) -> None:
        """After a failed attach: remove the files it brought in that no record names."""
        brought = {file.sha256 for file in stored if file.added}
        if not brought:
            return
        with self._store.session() as session:
            named = set(
                session.scalars(
                    select(AttachmentRow.sha256).where(AttachmentRow.sha256.in_(brought))
                )
            )
        for sha256 in brought - named:
            self.files.path(sha256).unlink(missing_ok=True)

    # -- reading -------------------------------------------------------------------------

    def list_for(self, parent_kind: str, parent_id: str) -> list[Record]:
        """A record's attachments, newest first, each with ``present`` (the bytes are on
        this laptop) and ``waiting`` (the server has not confirmed them yet)."""
        with self._store.session() as session:
            rows = session.scalars(
                select(AttachmentRow)
                .where(
                    AttachmentRow.deleted.is_(False),
                    AttachmentRow.parent_kind == parent_kind,
                    AttachmentRow.parent == parent_id,
                )
                .order_by(AttachmentRow.created_at.desc(), AttachmentRow.name)
            ).all()
            waiting = set(
                session.scalars(
                    select(AttachmentUpload.attachment_id).where(
                        AttachmentUpload.attachment_id.in_([row.id for row in rows])
                    )
                )
            )
            return [{**self._present(row), "waiting": row.id in waiting} for row in rows]

    def private_copy(self, attachment_id: str) -> Path:
        """A read-only copy, under the data folder, to open with the system's application; a
        fresh folder each time (an application may still hold the last one)."""
        record = self._here(attachment_id)
        opened = self._store.data_dir / OPENED_DIR
        self._tidy_opened(opened)
        try:
            make_owner_only_dir(opened, tighten=True)
            folder = Path(tempfile.mkdtemp(prefix="", dir=opened))
        except OSError as exc:
            raise StoreError(f"{opened} にファイルを用意できません: {exc.strerror}") from None
        dest = folder / safe_file_name(record["name"])
        try:
            self.files.copy_out(record["sha256"], dest, mode=OPENED_FILE_MODE)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        self._opened_here.append(folder)
        return dest

    def remove_opened_copies(self) -> int:
        """Remove the plaintext copies this process made for the system's application (the
        window's end), each overwritten first: the files stay encrypted at rest. An application
        that still holds one keeps reading what it has (Windows refuses: that copy goes with the
        tidying of day-old ones). Returns how many folders went."""
        removed = 0
        for folder in self._opened_here:
            if _remove_opened(folder):
                removed += 1
        self._opened_here = [folder for folder in self._opened_here if folder.exists()]
        return removed

    def save_as(self, attachment_id: str, dest: Path, *, overwrite: bool = True) -> Path:
        """Write the attachment to ``dest`` (into it, under its name, when it is a folder);
        the file written. ``overwrite=False`` refuses a file that is there (FileExists)."""
        record = self._here(attachment_id)
        dest = Path(dest).expanduser()
        if dest.is_dir():
            dest = dest / safe_file_name(record["name"])
        if not dest.parent.is_dir():
            raise StoreError(f"保存先のフォルダ {dest.parent} がありません")
        if not overwrite and (dest.exists() or dest.is_symlink()):
            raise FileExists(f"{dest} はすでにあります")
        self.files.copy_out(record["sha256"], dest, mode=_file_mode())
        return dest

    def _here(self, attachment_id: str) -> Record:
        record = self.get(attachment_id)
        if not self.files.has(record["sha256"]):
            raise FileNotHere(
                f"{record['name']} はまだこの端末にありません。同期してから開いてください"
            )
        return record

    @staticmethod
    def _tidy_opened(opened: Path) -> None:
        """Remove the copies opened more than a day ago."""
        if not opened.is_dir():
            return
        now = time.time()
        for folder in opened.iterdir():
            with contextlib.suppress(OSError):
                if now - folder.stat().st_mtime > OPENED_KEPT_SECONDS:
                    _remove_opened(folder)

    # -- the record's rules --------------------------------------------------------------

    def _checked(
        self, session: Session, values: dict[str, Any], row: Any, *, touched: set[str]
    ) -> dict[str, Any]:
        if row is None:
            parent = live_parent(session, values["parent_kind"], values["parent"])
            if parent is None:
                label = ATTACHMENT_PARENTS.get(values["parent_kind"], values["parent_kind"])
                raise InvalidRecord(f"{label} {values['parent']} はありません")
            values["municipality"] = parent_municipality(values["parent_kind"], parent)
        else:
            fixed = [name for name in _FIXED if values[name] != getattr(row, name)]
            if fixed:
                raise InvalidRecord(
                    "添付ファイルの中身と添付先は変えられません（"
                    + "、".join(fixed)
                    + "）。新しく添付し直してください"
                )
        if "name" in touched or row is None:
            values["name"] = safe_file_name(values["name"])
        return super()._checked(session, values, row, touched=touched)

    def _require_assigned(self, session: Session, code: object) -> None:
        """An attachment of a municipality's record is written only within the assignment."""
        if isinstance(code, str) and code:
            message = not_assigned_message(session, code)
            if message:
                raise InvalidRecord(
                    message,
                    refused={"municipality": message},
                    labels={"municipality": "市町村"},
                )

    def _present(self, row: Any) -> Record:
        return {
            **super()._present(row),
            "created_at": row.created_at.isoformat(),
            "present": self.files.has(row.sha256),
        }


def _read_umask() -> int:
    """The process's umask, read once at start-up: reading it sets it for a moment, which
    would race with files other threads create."""
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


_UMASK = _read_umask()


def _file_mode() -> int:
    """The mode a new file of this user gets (0o666 less the umask), for a copy saved out."""
    return 0o666 & ~_UMASK


def _remove_opened(folder: Path) -> bool:
    """An opened copy's folder removed, its files overwritten first; False when it stays."""
    try:
        for file in folder.iterdir():
            file.chmod(0o600)  # a read-only file cannot be written or removed on Windows
            shred(file)
        shutil.rmtree(folder)
    except OSError:
        return False
    return True
