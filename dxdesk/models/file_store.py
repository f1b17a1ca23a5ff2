"""The bytes of attachments on this laptop: one file per content, named by its sha256.

Under the data folder's ``files/`` (owner-only): ``files/ab/abcdef…`` holds the bytes whose
sha256 is ``abcdef…``. A file is copied in (a later change to the original does not touch the
attachment), streamed with its hash computed while copying, written to a temporary file in the
store's own folder, flushed to disk and only then renamed to its name, so a name always holds
whole, verified bytes. The same content is kept once. Downloads land in ``partial/`` and take
their name once their hash is checked (``adopt_partial``). Reading out verifies the hash as it
copies (``copy_out``): damaged bytes are never handed to a person as the attachment.

The attachment records that name these files are in the store (models/tables.py,
AttachmentRow); this module knows nothing of records.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import tempfile
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from dxdesk.domain.progress import Cancelled
from dxdesk.domain.records import MAX_FILE_BYTES
from dxdesk.models.paths import OWNER_ONLY_FILE, make_owner_only_dir
from dxdesk.models.store import Store, StoreError

FILES_DIR = "files"
PARTIAL_DIR = "partial"
CHUNK_BYTES = 1 << 20
# A temporary file of this store's is named so; a stale one (a copy killed halfway) is removed
# by remove_unreferenced once it is older than STALE_TEMP_SECONDS (another process may be
# writing a fresh one).
_TEMP_PREFIX = ".incoming-"
STALE_TEMP_SECONDS = 24 * 3600
_HEX = frozenset("0123456789abcdef")
# Errors of a full disk (or a full quota): said in words, never a stack trace.
_DISK_FULL = (errno.ENOSPC, errno.EDQUOT)


class FileCorrupt(StoreError):
    """Bytes whose sha256 is not their name (damaged on disk, or a download gone wrong)."""


class FileProblem(StoreError):
    """A file that cannot be taken in; the message says which and why, in Japanese."""


# Bytes to write instead of the source's while copying it in: (offset, bytes). Photos lose their
# location so (services/photo_location.py), without being decoded.
Patch = tuple[int, bytes]
Patcher = Callable[[BinaryIO], Sequence[Patch]]


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    # This call put the bytes in the store (False: they were there already).
    added: bool = field(default=False, compare=False)


def file_store_of(store: Store) -> FileStore:
    """The file store beside ``store``'s database."""
    return FileStore(store.path.parent / FILES_DIR)


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def is_sha256(text: str) -> bool:
    return len(text) == 64 and set(text) <= _HEX


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; Windows has no directory handles to sync)."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def disk_full_message(where: Path) -> str:
    return (
        f"ディスクの空きが足りないため {where} に書き込めませんでした。"
        "不要なファイルを削除して空きを作ってから、もう一度お試しください"
    )


class _Sink:
    """A temporary file in ``folder`` receiving bytes and hashing them; ``keep`` gives it its
    name, anything else removes it (no half-written file is left behind, whatever happened)."""

    def __init__(self, folder: Path, *, mode: int = OWNER_ONLY_FILE) -> None:
        fd, name = tempfile.mkstemp(prefix=_TEMP_PREFIX, dir=folder)
        self.path = Path(name)
        self.file: BinaryIO = os.fdopen(fd, "wb")
        self.hash = hashlib.sha256()
        self.size = 0
        try:
            self.path.chmod(mode)
        except BaseException:
            self.discard()
            raise

    def write(self, chunk: bytes) -> None:
        self.file.write(chunk)
        self.hash.update(chunk)
        self.size += len(chunk)

    def finish(self) -> None:
        """Flush to disk and close (still under the temporary name)."""
        self.file.flush()
        os.fsync(self.file.fileno())
        self.file.close()

    def keep(self, target: Path) -> None:
        self.path.replace(target)
        fsync_dir(target.parent)

    def discard(self) -> None:
        if not self.file.closed:
            self.file.close()
        self.path.unlink(missing_ok=True)


class FileStore:
    """Content-addressed bytes under ``root`` (see the module's docstring)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def __repr__(self) -> str:
        return f"FileStore({str(self.root)!r})"

    # ---- names -------------------------------------------------------------------------

    def path(self, sha256: str) -> Path:
        if not is_sha256(sha256):
            raise ValueError(f"not a sha256: {sha256!r}")
        return self.root / sha256[:2] / sha256

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
        try:
            make_owner_only_dir(self.root, tighten=True)
            if folder != self.root:
                make_owner_only_dir(folder, tighten=True)
        except OSError as exc:
            if exc.errno in _DISK_FULL:
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
        shown = source.name or str(source)
        before = self.check_source(source)
        try:
            file = source.open("rb")
        except FileNotFoundError:
            raise FileProblem(f"{shown}: ファイルが見つかりません（{source}）") from None
        except OSError as exc:
            raise FileProblem(f"{shown}: ファイルを読めません（{exc.strerror}）") from None
        changed = FileProblem(
            f"{shown}: コピーしている間にファイルが変更されたか削除されました。"
            "ファイルを閉じてから、もう一度添付してください"
        )
        with file:

            def verify(sink: _Sink) -> None:
                try:
                    after = source.stat()
                except OSError:
                    raise changed from None
                opened = os.fstat(file.fileno())
                same = (
                    sink.size == before.st_size
                    and after.st_size == before.st_size
                    and after.st_mtime_ns == before.st_mtime_ns
                    and (opened.st_dev, opened.st_ino) == (after.st_dev, after.st_ino)
                    and (opened.st_dev, opened.st_ino) == (before.st_dev, before.st_ino)
                )
                if not same:
                    raise changed

            def chunks() -> Iterator[bytes]:
                try:
                    patches = list(patcher(file)) if patcher is not None else []
                    file.seek(0)
                    offset = 0
                    while chunk := file.read(CHUNK_BYTES):
                        yield apply_patches(chunk, offset, patches) if patches else chunk
                        offset += len(chunk)
                        if progress is not None:
                            progress(offset)
                except OSError as exc:
                    raise FileProblem(f"{shown}: ファイルを読めません（{exc.strerror}）") from None

            return self._take(chunks(), shown=shown, cancel=cancel, verify=verify)

    @staticmethod
    def check_source(source: Path) -> os.stat_result:
        """Refuse, before anything is copied, what cannot be attached: a missing file, a
        folder, something not a file, an empty file, one over MAX_FILE_BYTES."""
        shown = source.name or str(source)
        try:
            found = source.stat()
        except FileNotFoundError:
            raise FileProblem(f"{shown}: ファイルが見つかりません（{source}）") from None
        except OSError as exc:
            raise FileProblem(f"{shown}: ファイルを読めません（{exc.strerror}）") from None
        if stat.S_ISDIR(found.st_mode):
            raise FileProblem(f"{shown}: フォルダは添付できません。中のファイルを選んでください")
        if not stat.S_ISREG(found.st_mode):
            raise FileProblem(f"{shown}: 通常のファイルではないため添付できません")
        check_size(shown, found.st_size)
        return found

    def add_bytes_from(
        self,
        chunks: Iterable[bytes],
        *,
        name: str = "",
        cancel: Callable[[], bool] | None = None,
    ) -> StoredFile:
        """The same from a stream of bytes (``name`` is for messages only)."""
        return self._take(chunks, shown=name or "ファイル", cancel=cancel, verify=None)

    def _take(
        self,
        chunks: Iterable[bytes],
        *,
        shown: str,
        cancel: Callable[[], bool] | None,
        verify: Callable[[_Sink], None] | None,
    ) -> StoredFile:
        folder = self._ready(self.root)
        try:
            sink = _Sink(folder)
        except OSError as exc:
            raise self._write_problem(exc) from None
        try:
            for chunk in chunks:
                if cancel is not None and cancel():
                    raise Cancelled
                sink.write(chunk)
                if sink.size > MAX_FILE_BYTES:
                    check_size(shown, sink.size)
            check_size(shown, sink.size)
            if verify is not None:
                verify(sink)
            sink.finish()
            stored = StoredFile(sha256=sink.hash.hexdigest(), size=sink.size)
            target = self.path(stored.sha256)
            if _holds(target, stored.size):
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
        if exc.errno in _DISK_FULL:
            return FileProblem(disk_full_message(self.root))
        return FileProblem(f"添付ファイルを {self.root} に書き込めません: {exc.strerror}")

    # ---- downloads ------------------------------------------------------------------------

    def partial_path(self, sha256: str) -> Path:
        """Where a download of ``sha256`` collects its bytes (resumed from its size)."""
        if not is_sha256(sha256):
            raise ValueError(f"not a sha256: {sha256!r}")
        return self._ready(self.root / PARTIAL_DIR) / f"{sha256}.part"

    def adopt_partial(self, sha256: str) -> None:
        """Give a complete download its name once its hash is checked; a download whose bytes
        are not ``sha256`` is deleted (FileCorrupt), so the next one starts over."""
        part = self.partial_path(sha256)
        digest = hashlib.sha256()
        try:
            with part.open("rb") as file:
                while chunk := file.read(CHUNK_BYTES):
                    digest.update(chunk)
                os.fsync(file.fileno())
        except FileNotFoundError:
            raise FileCorrupt(f"受け取り途中のファイル {part.name} がありません") from None
        if digest.hexdigest() != sha256:
            part.unlink(missing_ok=True)
            raise FileCorrupt(
                "受け取ったファイルの中身が記録と一致しません（破棄しました）。"
                "もう一度同期してください"
            )
        target = self.path(sha256)
        self._ready(target.parent)
        part.chmod(OWNER_ONLY_FILE)
        part.replace(target)
        fsync_dir(target.parent)

    # ---- reading out ----------------------------------------------------------------------

    def read_chunks(self, sha256: str, offset: int = 0, size: int = CHUNK_BYTES) -> Iterator[bytes]:
        """The stored bytes from ``offset``, in chunks of ``size`` (not verified: an upload
        is verified by the server, a copy out by ``copy_out``)."""
        with self.path(sha256).open("rb") as file:
            file.seek(offset)
            while chunk := file.read(size):
                yield chunk

    def verify(self, sha256: str) -> bool:
        """Whether the stored file is there and its bytes are still ``sha256``."""
        digest = hashlib.sha256()
        try:
            for chunk in self.read_chunks(sha256):
                digest.update(chunk)
        except FileNotFoundError:
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
            sink = _Sink(dest.parent, mode=mode)
        except OSError as exc:
            raise self._out_problem(dest, exc) from None
        try:
            for chunk in self.read_chunks(sha256):
                sink.write(chunk)
            if sink.hash.hexdigest() != sha256:
                source.unlink(missing_ok=True)
                raise FileCorrupt(
                    f"{dest.name}: 保存されていたファイルが壊れていました（削除しました）。"
                    "同期すると取り直します"
                )
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
        if exc.errno in _DISK_FULL:
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
            for part in partial.iterdir():
                if part.name.removesuffix(".part") not in wanted:
                    part.unlink(missing_ok=True)
        self._remove_stale_temps()
        return removed

    def _remove_stale_temps(self) -> None:
        if not self.root.is_dir():
            return
        now = time.time()
        for temp in self.root.glob(_TEMP_PREFIX + "*"):
            try:
                if now - temp.stat().st_mtime > STALE_TEMP_SECONDS:
                    temp.unlink(missing_ok=True)
            except OSError:
                continue


def check_size(shown: str, size: int) -> None:
    """Refuse an empty file and one over MAX_FILE_BYTES."""
    if size == 0:
        raise FileProblem(f"{shown}: 空のファイル（0 バイト）は添付できません")
    if size > MAX_FILE_BYTES:
        raise FileProblem(
            f"{shown}: ファイルが大きすぎます（{_mb(MAX_FILE_BYTES)} まで添付できます）"
        )


def _holds(target: Path, size: int) -> bool:
    """Whether ``target`` is already a stored file of this size (the same content: the name is
    its hash; a file of another size there is damaged and is replaced)."""
    try:
        return target.stat().st_size == size
    except OSError:
        return False


def apply_patches(chunk: bytes, offset: int, patches: Sequence[Patch]) -> bytes:
    """``chunk`` (the file's bytes from ``offset``) with the patches that fall in it applied."""
    end = offset + len(chunk)
    hits = [(at, new) for at, new in patches if at < end and at + len(new) > offset]
    if not hits:
        return chunk
    out = bytearray(chunk)
    for at, new in hits:
        lo, hi = max(at, offset), min(at + len(new), end)
        out[lo - offset : hi - offset] = new[lo - at : hi - at]
    return bytes(out)
