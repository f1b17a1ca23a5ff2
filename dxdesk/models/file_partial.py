"""A download collecting its bytes in the file store's ``partial/<sha256>.part``.

Opened by ``FileStore.partial`` while the content's download lock is held
(``FileStore.downloading``: ``partial/<sha256>.lock``, across threads and processes, so the
window and ``dxdesk attachments get`` never append to one partial file at once). It is hashed
as it is written (a resumed one: the bytes already there once, when opened), so taking its name
(``FileStore.adopt_partial``) only checks the digest, with no second read of the file;
``finish`` flushes it to disk through the writer's own descriptor (Windows can only flush a
file opened for writing).

The bytes are encrypted as they arrive (models/file_cipher.py), chunk by chunk: a chunk is
sealed and written once it is whole and short of the file's size (the last one by ``finish``),
so at most one chunk (64 KiB) is held in memory, and a resumed download goes on from the last
whole chunk on disk. A cut within this process loses nothing (the partial chunk is still held);
a cancel or a killed process loses that partial chunk, which the next download fetches again
(its Range starts at ``size``, the end of the whole chunks). Opening decrypts what is there to
hash it, and cuts the file after the last chunk that opens: a chunk half-written by a kill is
dropped, never trusted. A partial file an older version left in plaintext (no header) is
started over.
"""

from __future__ import annotations

import hashlib
import os
from contextlib import ExitStack, suppress
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from cryptography.exceptions import InvalidTag

from dxdesk.models.file_cipher import (
    HEADER_BYTES,
    MAGIC,
    PREFIX_BYTES,
    SEALED,
    FileKey,
    Sealer,
    sealed_size,
)
from dxdesk.models.file_writing import DISK_FULL, FileProblem, disk_full_message
from dxdesk.models.paths import OWNER_ONLY_FILE

# A file opened for writing is binary on Windows only with this flag (0 elsewhere).
_BINARY = getattr(os, "O_BINARY", 0)


class PartialFile:
    """The bytes of one download so far (see the module's docstring). Write errors raise
    FileProblem (a full disk said so); a full disk also drops what was received, to free it."""

    def __init__(self, path: Path, size: int, *, store_root: Path, key: FileKey) -> None:
        self.path = path
        self._expected = size
        self._root = store_root
        self._key = key
        self._stack = ExitStack()
        self.hash = hashlib.sha256()
        self.size = 0  # plaintext bytes received (on disk, and held for the chunk not sealed)
        self._file: BinaryIO | None = None
        self._sealer: Sealer | None = None

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

    @property
    def sealer(self) -> Sealer:
        assert self._sealer is not None, "use PartialFile in a with statement"
        return self._sealer

    def _hash_what_is_there(self) -> None:
        """Resume: hash the whole chunks a cut left, dropping what follows the last one that
        opens; one of another key, an older plaintext one or one longer than the file is not
        it: start over."""
        too_long = os.fstat(self.file.fileno()).st_size > sealed_size(self._expected)
        head = self.file.read(HEADER_BYTES)
        ours = MAGIC + self._key.key_id
        if too_long or len(head) < HEADER_BYTES or head[:-PREFIX_BYTES] != ours:
            self.restart()
            return
        prefix = head[-PREFIX_BYTES:]
        index = 0
        while len(sealed := self.file.read(SEALED)) == SEALED:
            try:
                plain = self._key.open(prefix, index, False, sealed)
            except InvalidTag:
                break
            self.hash.update(plain)
            self.size += len(plain)
            index += 1
        if self.size > self._expected:
            self.restart()
            return
        self.file.seek(HEADER_BYTES + index * SEALED)
        self.file.truncate()
        self._sealer = Sealer.resumed(self._key, self.file, prefix, index)

    def restart(self) -> None:
        """Start over from byte 0 (a server that sent the whole file, not the rest), under a
        new nonce prefix: the key never seals other bytes under a nonce it used."""
        self.file.seek(0)
        self.file.truncate()
        self._sealer = Sealer(self._key, self.file)
        self.hash = hashlib.sha256()
        self.size = 0

    def write(self, chunk: bytes) -> None:
        try:
            # Short of its size, a chunk completed is not the last: sealed and on disk at once.
            self.sealer.write(chunk, more=self.size + len(chunk) < self._expected)
        except OSError as exc:
            raise self._problem(exc) from None
        self.hash.update(chunk)
        self.size += len(chunk)

    def finish(self) -> str:
        """Seal the last chunk and flush to disk through the writer; the digest of the whole
        file."""
        try:
            self.sealer.close()
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
        if self._sealer is not None:
            self._sealer.drop_buffer()
        self._sealer = None  # nothing more is written to this file
        self.size = 0
        self.hash = hashlib.sha256()
