"""A download collecting its bytes in the file store's ``partial/<sha256>.part``.

Opened by ``FileStore.partial`` while the content's download lock is held
(``FileStore.downloading``: ``partial/<sha256>.lock``, across threads and processes, so the
window and ``dxdesk attachments get`` never append to one partial file at once). It is hashed
as it is written (a resumed one: the bytes already there once, when opened), so taking its name
(``FileStore.adopt_partial``) only checks the digest, with no second read of the file;
``finish`` flushes it to disk through the writer's own descriptor (Windows can only flush a
file opened for writing).
"""

from __future__ import annotations

import hashlib
import os
from contextlib import ExitStack, suppress
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from dxdesk.models.file_intake import CHUNK_BYTES
from dxdesk.models.file_writing import DISK_FULL, FileProblem, disk_full_message
from dxdesk.models.paths import OWNER_ONLY_FILE

# A file opened for writing is binary on Windows only with this flag (0 elsewhere).
_BINARY = getattr(os, "O_BINARY", 0)


class PartialFile:
    """The bytes of one download so far (see the module's docstring). Write errors raise
    FileProblem (a full disk said so); a full disk also drops what was received, to free it."""

    def __init__(self, path: Path, size: int, *, store_root: Path) -> None:
        self.path = path
        self._expected = size
        self._root = store_root
        self._stack = ExitStack()
        self.hash = hashlib.sha256()
        self.size = 0
        self._file: BinaryIO | None = None

    def __enter__(self) -> PartialFile:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | _BINARY, OWNER_ONLY_FILE)
            self._file = self._stack.enter_context(os.fdopen(fd, "r+b"))
            self._hash_what_is_there()
        except OSError as exc:
            self._stack.close()
            raise self._problem(exc) from None
        except BaseException:
            self._stack.close()
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            self._stack.close()
        except OSError:
            if kind is None:
                raise

    @property
    def file(self) -> BinaryIO:
        assert self._file is not None, "use PartialFile in a with statement"
        return self._file

    def _hash_what_is_there(self) -> None:
        """Resume: hash the bytes a cut left (one longer than the file is not it: start over)."""
        if os.fstat(self.file.fileno()).st_size > self._expected:
            self.restart()
            return
        while chunk := self.file.read(CHUNK_BYTES):
            self.hash.update(chunk)
            self.size += len(chunk)

    def restart(self) -> None:
        """Start over from byte 0 (a server that sent the whole file, not the rest)."""
        self.file.seek(0)
        self.file.truncate()
        self.hash = hashlib.sha256()
        self.size = 0

    def write(self, chunk: bytes) -> None:
        try:
            self.file.write(chunk)
        except OSError as exc:
            raise self._problem(exc) from None
        self.hash.update(chunk)
        self.size += len(chunk)

    def finish(self) -> str:
        """Flush to disk through the writer; the digest of the whole file."""
        try:
            self.file.flush()
            os.fsync(self.file.fileno())
        except OSError as exc:
            raise self._problem(exc) from None
        return self.hash.hexdigest()

    def _problem(self, exc: OSError) -> FileProblem:
        if exc.errno in DISK_FULL:
            self._drop()
            return FileProblem(disk_full_message(self._root))
        return FileProblem(
            f"受け取り途中のファイル {self.path.name} に書き込めません: {exc.strerror}"
        )

    def _drop(self) -> None:
        """Free what a full disk let in (the next sync fetches it from the start)."""
        if self._file is not None:
            with suppress(OSError):
                self._file.seek(0)
                self._file.truncate()
        with suppress(OSError):  # Windows: still open; emptied above
            self.path.unlink(missing_ok=True)
        self.size = 0
        self.hash = hashlib.sha256()
