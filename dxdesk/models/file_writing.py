"""Writing a file so that it is whole or absent: a temporary file beside its final name, hashed
as it is written, flushed to disk and renamed (the rename itself flushed), or removed whatever
went wrong. Used by the file store (models/file_store.py) for what it takes in and copies out,
and (``replace_atomically``) by every workbook the app writes: answer sheets, definitions, reports.
"""

from __future__ import annotations

import errno
import hashlib
import os
import tempfile
from collections.abc import Callable, Sequence
from contextlib import suppress
from pathlib import Path
from typing import BinaryIO

from dxdesk.models.paths import OWNER_ONLY_FILE
from dxdesk.models.store import StoreError


class FileCorrupt(StoreError):
    """Bytes whose sha256 is not their name (damaged on disk, or a download gone wrong)."""


class FileProblem(StoreError):
    """A file that cannot be taken in; the message says which and why, in Japanese."""


# Errors of a full disk (or a full quota): said in words, never a stack trace.
DISK_FULL = (errno.ENOSPC, errno.EDQUOT)
# A temporary file is named so; the file store removes stale ones.
TEMP_PREFIX = ".incoming-"
# Bytes to write instead of the source's while copying it in: (offset, bytes). Photos lose their
# location so (services/photo_location.py), without being decoded.
Patch = tuple[int, bytes]
Patcher = Callable[[BinaryIO], Sequence[Patch]]


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


def replace_atomically(path: Path, write: Callable[[Path], object]) -> Path:
    """Write ``path`` whole or not at all: ``write`` (e.g. an openpyxl ``Workbook.save``) fills
    a temporary file beside it, which is flushed to disk and renamed over ``path`` (atomic within
    one folder); whatever goes wrong, the temporary file goes and the error is raised as it was."""
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=".dxdesk-", suffix=".tmp")
    os.close(fd)
    temp = Path(name)
    try:
        write(temp)
        with temp.open("rb+") as written:
            os.fsync(written.fileno())
        temp.replace(path)
    except BaseException:
        with suppress(OSError):
            temp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)
    return path


class TempFile:
    """A temporary file in ``folder`` receiving bytes and hashing them; ``keep`` gives it its
    name, anything else removes it (no half-written file is left behind, whatever happened)."""

    def __init__(self, folder: Path, *, mode: int = OWNER_ONLY_FILE) -> None:
        fd, name = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=folder)
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
        """Remove it, whatever happens on the way (a close that flushes onto a full disk
        raises again: ignored, the file goes anyway)."""
        with suppress(OSError):
            self.file.close()
        with suppress(OSError):  # gone already, or Windows still holding it
            self.path.unlink(missing_ok=True)


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
