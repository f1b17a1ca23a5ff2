"""The bytes of attachments on this laptop: one file per content, named by its sha256.

Under the data folder's ``files/`` (owner-only): ``files/ab/abcdef…`` holds the bytes whose
sha256 is ``abcdef…``. A file is copied in (a later change to the original does not touch the
attachment), streamed with its hash computed while copying, written to a temporary file in the
store's own folder, flushed to disk and only then renamed to its name, so a name always holds
whole, verified bytes. The same content is kept once. Downloads land in ``partial/`` and take
their name once their hash is checked (``adopt_partial``). Reading out verifies the hash as it
copies (``copy_out``): damaged bytes are never handed to a person as the attachment.
``exclusive`` is the store's lock across threads and processes (models/file_lock.py): the prune
and an attach take turns under it, so bytes a record has just come to name are never deleted.

The bytes are kept encrypted with the data folder's file key (models/file_cipher.py; issue 23):
every FileStore of a data folder (``files/``, ``backups/files/``, a copy's ``FILE.files/``)
holds the store's key, and a file's name is still the sha256 of its plaintext, which every check
(intake, ``verify``, ``copy_out``, ``take_from``) computes over the decrypted bytes. Only
``copy_out`` hands plaintext out: the person's own copy. A file an older version left plaintext
is read as it is, and encrypted in place at the store's opening (models/file_migration.py).

The attachment records that name these files are in the store (models/tables.py,
AttachmentRow); this module knows nothing of records.
"""

from __future__ import annotations

import errno
import hashlib
import os
import time
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from dxdesk.domain.progress import Cancelled
from dxdesk.domain.records import MAX_FILE_BYTES
from dxdesk.models.file_cipher import FileKey, SealedTempFile, StoredReader, key_id_of, sealed_size
from dxdesk.models.file_intake import CHUNK_BYTES, SourceCopy, check_size, check_source
from dxdesk.models.file_lock import folder_lock, path_lock
from dxdesk.models.file_partial import PartialFile
from dxdesk.models.file_writing import (
    DISK_FULL,
    TEMP_PREFIX,
    FileCorrupt,
    FileProblem,
    Patch,
    Patcher,
    TempFile,
    disk_full_message,
    fsync_dir,
)
from dxdesk.models.paths import OWNER_ONLY_FILE, make_owner_only_dir
from dxdesk.models.store import Store

# The errors and types callers use, whose home is a module below this one.
__all__ = ["FileCorrupt", "FileProblem", "Patch", "Patcher", "check_size"]

FILES_DIR = "files"
PARTIAL_DIR = "partial"
# A stale temporary file (a copy killed halfway) is removed by remove_unreferenced once it is
# older than this (another process may be writing a fresh one).
STALE_TEMP_SECONDS = 24 * 3600
_HEX = frozenset("0123456789abcdef")


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    # This call put the bytes in the store (False: they were there already).
    added: bool = field(default=False, compare=False)


def file_store_of(store: Store) -> FileStore:
    """The file store beside ``store``'s database."""
    return FileStore(store.path.parent / FILES_DIR, store.key)


def is_sha256(text: str) -> bool:
    return len(text) == 64 and set(text) <= _HEX


class FileStore:
    """Content-addressed bytes under ``root``, encrypted with a key derived from
    ``store_key``, the data folder's store key (see the module's docstring)."""

    def __init__(self, root: Path, store_key: bytes) -> None:
        self.root = root
        self.key = FileKey(store_key)

    def __repr__(self) -> str:
        return f"FileStore({str(self.root)!r})"

    # ---- names -------------------------------------------------------------------------

    def path(self, sha256: str) -> Path:
        if not is_sha256(sha256):
            raise ValueError(f"not a sha256: {sha256!r}")
        return self.root / sha256[:2] / sha256

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold the store's lock: one holder at a time across this process's threads and
        across processes (the window and the CLI). Re-entrant within a thread.

        The prune holds it from reading which contents records name until its last delete;
        an attach holds it from copying the bytes in until its record is committed. So a
        prune never deletes bytes a record has just come to name. Keep it short: no network
        inside it. Raises FileProblem when the store's folder cannot be made."""
        self._ready(self.root)
        with ExitStack() as stack:
            try:
                stack.enter_context(folder_lock(self.root))
            except OSError as exc:
                raise self._write_problem(exc) from None
            yield

    def has(self, sha256: str) -> bool:
        return is_sha256(sha256) and self.path(sha256).is_file()

    def stored(self) -> Iterator[str]:
        """The sha256 of every file held (not the partial downloads)."""
        if not self.root.is_dir():
            return
        for folder in self.root.iterdir():
            if len(folder.name) != 2 or not folder.is_dir():
                continue
            for file in folder.iterdir():
                if is_sha256(file.name) and file.name[:2] == folder.name:
                    yield file.name

    def _ready(self, folder: Path) -> Path:
        """``folder`` (the store's, or one in it) made, owner-only; a new one's entry flushed
        into its parent, so that a crash cannot lose a folder whose file a record names."""
        try:
            for each in dict.fromkeys((self.root, folder)):
                new = not each.is_dir()
                make_owner_only_dir(each, tighten=True)
                if new:
                    fsync_dir(each.parent)
        except OSError as exc:
            if exc.errno in DISK_FULL:
                raise FileProblem(disk_full_message(folder)) from None
            raise FileProblem(
                f"添付ファイルのフォルダ {folder} を作れません: {exc.strerror}"
            ) from None
        return folder

    # ---- taking bytes in ------------------------------------------------------------------

    def add_file(
        self,
        source: Path,
        *,
        cancel: Callable[[], bool] | None = None,
        patcher: Patcher | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> StoredFile:
        """Copy ``source`` in; raises FileProblem (nothing left behind) when it cannot be.

        ``patcher`` reads the opened source and names bytes to write instead of its own (the
        hash is of what is stored); ``progress`` hears the bytes copied after each chunk.
        """
        with SourceCopy(source, patcher=patcher, progress=progress) as copy:
            return self._take(copy.chunks(), shown=copy.shown, cancel=cancel, verify=copy.verify)

    @staticmethod
    def check_source(source: Path) -> os.stat_result:
        """Refuse, before anything is copied, what cannot be attached: a missing file, a
        folder, something not a file, an empty file, one over MAX_FILE_BYTES."""
        return check_source(source)

    def _take(
        self,
        chunks: Iterable[bytes],
        *,
        shown: str,
        cancel: Callable[[], bool] | None,
        verify: Callable[[TempFile], None] | None,
        expected: str | None = None,
    ) -> StoredFile:
        """Store the bytes of ``chunks``; with ``expected``, only if they are that content
        (FileCorrupt otherwise), and whatever their size (they were taken in before)."""
        folder = self._ready(self.root)
        try:
            sink = SealedTempFile(folder, self.key)
        except OSError as exc:
            raise self._write_problem(exc) from None
        try:
            for chunk in chunks:
                if cancel is not None and cancel():
                    raise Cancelled
                sink.write(chunk)
                if sink.size > MAX_FILE_BYTES and expected is None:
                    check_size(shown, sink.size)
            if expected is None:
                check_size(shown, sink.size)
            if verify is not None:
                verify(sink)
            sink.finish()
            stored = StoredFile(sha256=sink.hash.hexdigest(), size=sink.size)
            if expected is not None and stored.sha256 != expected:
                raise FileCorrupt(f"{shown}: 中身が名前（SHA-256）と一致しません")
            target = self.path(stored.sha256)
            if self._holds(target, stored.size):
                sink.discard()  # the same content is here already
                return stored
            self._ready(target.parent)
            sink.keep(target)
            return StoredFile(stored.sha256, stored.size, added=True)
        except OSError as exc:
            sink.discard()
            raise self._write_problem(exc) from None
        except BaseException:
            sink.discard()
            raise

    def _write_problem(self, exc: OSError) -> FileProblem:
        if exc.errno in DISK_FULL:
            return FileProblem(disk_full_message(self.root))
        return FileProblem(f"添付ファイルを {self.root} に書き込めません: {exc.strerror}")

    def take_from(
        self, other: FileStore, sha256: str, *, check: bool = False, link: bool = True
    ) -> bool:
        """Hold ``other``'s file of ``sha256`` here too (backups, and restoring from them): a
        hard link when both are on one file system (a stored file never changes: a new content
        is a new name), a verified copy otherwise (always, without ``link``: a copy of its
        own for a copy made by hand). ``check`` hashes ``other``'s bytes first.
        False when they are missing or damaged (nothing is put here then). Only a file sealed
        with this store's key is linked; another (an older version's plaintext file) is copied
        in, encrypted."""
        if self.has(sha256):
            return True
        source = other.path(sha256)
        if not source.is_file() or (check and not other.verify(sha256)):
            return False
        target = self.path(sha256)
        self._ready(target.parent)
        try:
            if not link or key_id_of(source) != self.key.key_id:
                raise OSError(errno.EXDEV, "a copy, not a link")
            os.link(source, target)
        except FileExistsError:
            return True
        except OSError:
            try:
                self._take(
                    other.read_chunks(sha256),
                    shown=sha256[:12],
                    cancel=None,
                    verify=None,
                    expected=sha256,
                )
            except (FileCorrupt, FileNotFoundError):
                return False
            return True
        fsync_dir(target.parent)
        return True

    def encrypt_in_place(self, sha256: str, *, twin: FileStore | None = None) -> bool:
        """An older version's plaintext file of ``sha256`` encrypted under its name: sealed
        into a temporary file, checked against its name, flushed and renamed over it, so a kill
        at any point leaves the file whole (plaintext or encrypted) under its name. Where
        ``twin`` (the data folder's store, for the backups' one) holds the content sealed with
        this key, a hard link to it takes the name instead (the backup and the data folder
        share the bytes again). A damaged file (its bytes are not its name) is removed, as
        ``copy_out`` would; returns False then. One already encrypted is left as it is."""
        target = self.path(sha256)
        if key_id_of(target) is not None:
            return True
        if twin is not None and twin.has(sha256):
            source = twin.path(sha256)
            if key_id_of(source) == self.key.key_id:
                link = self.root / f"{TEMP_PREFIX}{sha256}"  # a stale one goes in the prune
                try:
                    link.unlink(missing_ok=True)
                    os.link(source, link)
                    link.replace(target)
                    fsync_dir(target.parent)
                    return True
                except OSError:
                    link.unlink(missing_ok=True)  # another file system: a copy below
        try:
            self._take(
                self.read_chunks(sha256),
                shown=sha256[:12],
                cancel=None,
                verify=None,
                expected=sha256,
            )
        except FileCorrupt:
            target.unlink(missing_ok=True)
            return False
        return True

    # ---- downloads ------------------------------------------------------------------------

    def partial_path(self, sha256: str) -> Path:
        """Where a download of ``sha256`` collects its bytes (resumed from its size)."""
        if not is_sha256(sha256):
            raise ValueError(f"not a sha256: {sha256!r}")
        return self._ready(self.root / PARTIAL_DIR) / f"{sha256}.part"

    @contextmanager
    def downloading(self, sha256: str) -> Iterator[None]:
        """One download of ``sha256`` at a time, across threads and processes (the lock file
        beside its partial file); check ``has`` once it is held."""
        lock = self.partial_path(sha256).with_suffix(".lock")
        with ExitStack() as stack:
            try:
                stack.enter_context(path_lock(lock))
            except OSError as exc:
                raise self._write_problem(exc) from None
            yield

    def partial(self, sha256: str, size: int) -> PartialFile:
        """The partial download of ``sha256`` (a file of ``size`` bytes), to open in a with
        statement while ``downloading`` is held (models/file_partial.py)."""
        return PartialFile(self.partial_path(sha256), size, store_root=self.root, key=self.key)

    def adopt_partial(self, sha256: str, digest: str) -> None:
        """Give a complete download, flushed to disk (PartialFile.finish, whose ``digest`` it
        is), its name; one whose bytes are not ``sha256`` is deleted (FileCorrupt), so the next
        one starts over."""
        part = self.partial_path(sha256)
        if digest != sha256:
            part.unlink(missing_ok=True)
            raise FileCorrupt(
                "受け取ったファイルの中身が記録と一致しません（破棄しました）。"
                "もう一度同期してください"
            )
        target = self.path(sha256)
        self._ready(target.parent)
        try:
            part.chmod(OWNER_ONLY_FILE)
            part.replace(target)
        except FileNotFoundError:
            raise FileCorrupt(f"受け取り途中のファイル {part.name} がありません") from None
        except OSError as exc:
            raise self._write_problem(exc) from None
        fsync_dir(target.parent)

    # ---- reading out ----------------------------------------------------------------------

    def reader(self, sha256: str) -> StoredReader:
        """The stored file opened for reading its plaintext (models/file_cipher.py), in a with
        statement; FileNotFoundError when it is not here."""
        return StoredReader(self.key, self.path(sha256), sha256[:12])

    def read_chunks(self, sha256: str, offset: int = 0, size: int = CHUNK_BYTES) -> Iterator[bytes]:
        """The stored plaintext from ``offset``, in chunks of ``size``, decrypting only the
        chunks it needs. Each of those is authenticated (FileCorrupt when one is damaged), but
        the whole is not hashed: an upload is verified by the server, a copy out by
        ``copy_out``."""
        with self.reader(sha256) as reader:
            yield from reader.pieces(offset, size)

    @contextmanager
    def opened(self, sha256: str) -> Iterator[BinaryIO]:
        """The stored plaintext as a seekable file-like object, decrypted as it is read (never
        a plaintext copy on disk): for readers that want a file (pypdf, zipfile)."""
        with self.reader(sha256) as reader:
            yield reader.stream()

    def verify(self, sha256: str) -> bool:
        """Whether the stored file is there and its bytes are still ``sha256``."""
        digest = hashlib.sha256()
        try:
            for chunk in self.read_chunks(sha256):
                digest.update(chunk)
        except (FileNotFoundError, FileCorrupt):
            return False
        return digest.hexdigest() == sha256

    def copy_out(self, sha256: str, dest: Path, *, mode: int = OWNER_ONLY_FILE) -> None:
        """Write the stored bytes to ``dest`` (a temporary file beside it, renamed when whole
        and verified). Damaged bytes raise FileCorrupt, leave ``dest`` as it was and are
        removed from the store, so that the next sync fetches them again."""
        source = self.path(sha256)
        if not source.is_file():
            raise FileNotFoundError(errno.ENOENT, "not in the file store", str(source))
        try:
            sink = TempFile(dest.parent, mode=mode)
        except OSError as exc:
            raise self._out_problem(dest, exc) from None
        damaged = FileCorrupt(
            f"{dest.name}: 保存されていたファイルが壊れていました（削除しました）。"
            "同期すると取り直します"
        )
        try:
            try:
                for chunk in self.read_chunks(sha256):
                    sink.write(chunk)
            except FileCorrupt:
                source.unlink(missing_ok=True)
                raise damaged from None
            if sink.hash.hexdigest() != sha256:
                source.unlink(missing_ok=True)
                raise damaged
            sink.finish()
            sink.keep(dest)
        except OSError as exc:
            sink.discard()
            raise self._out_problem(dest, exc) from None
        except BaseException:
            sink.discard()
            raise

    @staticmethod
    def _out_problem(dest: Path, exc: OSError) -> FileProblem:
        if exc.errno in DISK_FULL:
            return FileProblem(disk_full_message(dest.parent))
        return FileProblem(f"{dest} に書き込めません: {exc.strerror}")

    # ---- housekeeping ---------------------------------------------------------------------

    def remove_unreferenced(self, referenced: Collection[str]) -> int:
        """Delete the files no live record names (and partial downloads of them); returns how
        many stored files went. Stale temporary files go too."""
        wanted = set(referenced)
        removed = 0
        for sha256 in list(self.stored()):
            if sha256 not in wanted:
                self.path(sha256).unlink(missing_ok=True)
                removed += 1
        partial = self.root / PARTIAL_DIR
        if partial.is_dir():
            for part in partial.iterdir():  # <sha256>.part and its download's .lock
                if part.name.split(".")[0] not in wanted:
                    part.unlink(missing_ok=True)
        self._remove_stale_temps()
        return removed

    def _remove_stale_temps(self) -> None:
        if not self.root.is_dir():
            return
        now = time.time()
        for temp in self.root.glob(TEMP_PREFIX + "*"):
            try:
                if now - temp.stat().st_mtime > STALE_TEMP_SECONDS:
                    temp.unlink(missing_ok=True)
            except OSError:
                continue

    def _holds(self, target: Path, size: int) -> bool:
        """Whether ``target`` is already a stored file of this size sealed with this store's
        key (the same content: the name is its hash; a file of another size there is damaged,
        and an older version's plaintext one is to be encrypted: either is replaced)."""
        try:
            same_size = target.stat().st_size == sealed_size(size)
            return same_size and key_id_of(target) == self.key.key_id
        except OSError:
            return False
