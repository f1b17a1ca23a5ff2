"""Attachments' bytes at rest, encrypted with the data folder's key (issue 23), read in pieces.

A stored file is ``MAGIC`` (16 bytes), the key's id (8 bytes: which data folder's key sealed it,
so a file of another key is told from a damaged one without a decryption), a random nonce
prefix of its own (8 bytes), then the contents in chunks of ``CHUNK`` plaintext bytes, each
sealed with AES-256-GCM (``cryptography``) under the file key, an HMAC-SHA256 of the store's key
(models/store_key.py): one key for the folder's ``files/``, its backups' ``backups/files/`` and a
copy's ``FILE.files/``, so that a stored file is hard-linked between them as before. A chunk's
nonce is the file's prefix and the chunk's index; its associated data are the index and whether
it is the last chunk: a chunk moved, a file cut at a chunk's end or grown by one fails to open
(FileCorrupt). Every file has its own random prefix (a file written again gets a new one), so
the key never meets a nonce twice.

Reading from an offset decrypts only the chunks it needs (an upload resumed, a PDF's pages);
nothing holds a whole file in memory (attachments go up to MAX_FILE_BYTES). A file an older
version wrote (no ``MAGIC``) is read as the plaintext it is, until it is encrypted in place
(models/file_migration.py). The files keep their names, the sha256 of their plaintext.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import os
import secrets
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, cast

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from dxdesk.models.file_writing import FileCorrupt, TempFile
from dxdesk.models.paths import OWNER_ONLY_FILE

MAGIC = b"DXDESK-FILE-1\n\0\0"
KEY_ID_BYTES = 8
PREFIX_BYTES = 8
HEADER_BYTES = len(MAGIC) + KEY_ID_BYTES + PREFIX_BYTES
CHUNK = 64 * 1024
TAG = 16
SEALED = CHUNK + TAG
_INDEX = struct.Struct(">I")  # the nonce's last 4 bytes: 2**32 chunks of 64 KiB, 256 TiB
_AAD = struct.Struct(">QB")  # the chunk's index and its last-chunk flag


class FileKey:
    """The key of a data folder's stored files, derived from the store's key."""

    def __init__(self, store_key: bytes) -> None:
        raw = hmac.new(store_key, b"dxdesk files", hashlib.sha256).digest()
        self._cipher = AESGCM(raw)
        self.key_id = hmac.new(raw, b"dxdesk files key id", hashlib.sha256).digest()[:KEY_ID_BYTES]

    def __repr__(self) -> str:
        return f"FileKey(id={self.key_id.hex()})"

    def header(self, prefix: bytes) -> bytes:
        return MAGIC + self.key_id + prefix

    def seal(self, prefix: bytes, index: int, last: bool, plain: bytes | memoryview) -> bytes:
        return self._cipher.encrypt(prefix + _INDEX.pack(index), plain, _AAD.pack(index, last))

    def open(self, prefix: bytes, index: int, last: bool, sealed: bytes) -> bytes:
        """The chunk's plaintext; InvalidTag when it is not what was sealed there."""
        return self._cipher.decrypt(prefix + _INDEX.pack(index), sealed, _AAD.pack(index, last))


def new_prefix() -> bytes:
    return secrets.token_bytes(PREFIX_BYTES)


def sealed_size(size: int) -> int:
    """The size on disk of ``size`` plaintext bytes (an empty file is one empty last chunk)."""
    chunks = max(1, -(-size // CHUNK))
    return HEADER_BYTES + size + chunks * TAG


def damaged(shown: str) -> FileCorrupt:
    return FileCorrupt(f"{shown}: 保存されていたファイルが壊れています")


def is_encrypted(path: Path) -> bool:
    """Whether the file at ``path`` is in this module's format (not an older plaintext one)."""
    with path.open("rb") as file:
        return file.read(len(MAGIC)) == MAGIC


def key_id_of(path: Path) -> bytes | None:
    """The id of the key that sealed the file at ``path``; None for a plaintext one."""
    with path.open("rb") as file:
        head = file.read(len(MAGIC) + KEY_ID_BYTES)
    if len(head) < len(MAGIC) + KEY_ID_BYTES or not head.startswith(MAGIC):
        return None
    return head[len(MAGIC) :]


class Sealer:
    """Plaintext written in any pieces, sealed chunk by chunk into ``out`` (the header first,
    at its current position); ``close`` seals the last chunk. Holds at most a chunk and a
    write's bytes in memory."""

    def __init__(self, key: FileKey, out: BinaryIO, *, prefix: bytes | None = None) -> None:
        self._key = key
        self._out = out
        self.prefix = prefix or new_prefix()
        self.index = 0
        self._buffer = bytearray()
        out.write(key.header(self.prefix))

    @classmethod
    def resumed(cls, key: FileKey, out: BinaryIO, prefix: bytes, index: int) -> Sealer:
        """Go on sealing a file whose first ``index`` chunks are written (``out`` after them)."""
        sealer = cls.__new__(cls)
        sealer._key, sealer._out, sealer.prefix = key, out, prefix
        sealer.index, sealer._buffer = index, bytearray()
        return sealer

    @property
    def buffered(self) -> int:
        return len(self._buffer)

    def write(self, data: bytes | memoryview, *, more: bool = False) -> None:
        """Take ``data``; ``more``: bytes are known to follow it (a download short of its
        size), so a chunk it completes is sealed at once, not held for the next byte."""
        self._buffer += data
        if len(self._buffer) < CHUNK or (len(self._buffer) == CHUNK and not more):
            return  # the last chunk is sealed as such: one byte more must be seen first
        whole = len(self._buffer) // CHUNK if more else (len(self._buffer) - 1) // CHUNK
        with memoryview(self._buffer) as view:
            for n in range(whole):
                self._emit(view[n * CHUNK : (n + 1) * CHUNK], last=False)
            rest = bytes(view[whole * CHUNK :])
        self._buffer = bytearray(rest)

    def close(self) -> None:
        self._emit(bytes(self._buffer), last=True)
        self._buffer = bytearray()

    def drop_buffer(self) -> None:
        self._buffer = bytearray()

    def _emit(self, plain: bytes | memoryview, *, last: bool) -> None:
        self._out.write(self._key.seal(self.prefix, self.index, last, plain))
        self.index += 1


class SealedTempFile(TempFile):
    """A TempFile (models/file_writing.py) that stores what it is given encrypted; its
    ``hash`` and ``size`` are of the plaintext."""

    def __init__(self, folder: Path, key: FileKey, *, mode: int = OWNER_ONLY_FILE) -> None:
        super().__init__(folder, mode=mode)
        try:
            self._sealer = Sealer(key, self.file)
        except BaseException:
            self.discard()
            raise

    def write(self, chunk: bytes) -> None:
        self._sealer.write(chunk)
        self.hash.update(chunk)
        self.size += len(chunk)

    def finish(self) -> None:
        self._sealer.close()
        super().finish()

    def writer(self) -> BinaryIO:
        """A file-like object whose writes go to ``write`` (for a writer that wants a file)."""
        return cast(BinaryIO, _Sink(self))


class _Sink(io.RawIOBase):
    def __init__(self, target: SealedTempFile) -> None:
        self._target = target

    def writable(self) -> bool:
        return True

    def write(self, data: object) -> int:
        chunk = bytes(cast(bytes, data))
        self._target.write(chunk)
        return len(chunk)


class StoredReader:
    """A stored file opened for reading its plaintext: an encrypted one chunk by chunk (each
    authenticated; FileCorrupt when one is not what was sealed), an older plaintext one as it
    is. Use in a with statement; ``shown`` names it in messages."""

    def __init__(self, key: FileKey, path: Path, shown: str) -> None:
        self.shown = shown
        self._key = key
        self._file = path.open("rb")
        try:
            on_disk = os.fstat(self._file.fileno()).st_size
            head = self._file.read(HEADER_BYTES)
            self.encrypted = head.startswith(MAGIC)
            if not self.encrypted:
                self.size = on_disk
                self._chunks = 0
                self._prefix = b""
                return
            if len(head) < HEADER_BYTES or head[len(MAGIC) : -PREFIX_BYTES] != key.key_id:
                raise damaged(shown)  # cut in its header, or sealed with another folder's key
            self._prefix = head[-PREFIX_BYTES:]
            body = on_disk - HEADER_BYTES
            self._chunks = max(1, -(-body // SEALED))
            if body - (self._chunks - 1) * SEALED < TAG:
                raise damaged(shown)  # a last chunk too short to be one
            self.size = body - self._chunks * TAG
        except BaseException:
            self._file.close()
            raise

    def __enter__(self) -> StoredReader:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._file.close()

    def chunk(self, index: int) -> bytes:
        """The plaintext of chunk ``index`` of an encrypted file."""
        self._file.seek(HEADER_BYTES + index * SEALED)
        sealed = self._file.read(SEALED)
        try:
            return self._key.open(self._prefix, index, index == self._chunks - 1, sealed)
        except InvalidTag:
            raise damaged(self.shown) from None

    def pieces(self, offset: int = 0, size: int = CHUNK) -> Iterator[bytes]:
        """The plaintext from ``offset`` in pieces of ``size`` bytes (the last one shorter)."""
        if not self.encrypted:
            self._file.seek(offset)
            while piece := self._file.read(size):
                yield piece
            return
        if offset >= self.size:
            if offset == self.size:
                self.chunk(self._chunks - 1)  # the end is authenticated even when nothing is read
            return
        out = bytearray()
        skip = offset % CHUNK
        for index in range(offset // CHUNK, self._chunks):
            plain = self.chunk(index)
            out += memoryview(plain)[skip:]
            skip = 0
            while len(out) >= size:
                yield bytes(out[:size])
                del out[:size]
        if out:
            yield bytes(out)

    def stream(self) -> BinaryIO:
        """A seekable file-like object of the plaintext, decrypting only what is read (for
        readers that want a file: pypdf, zipfile). Closed with this reader."""
        if not self.encrypted:
            self._file.seek(0)
            return self._file
        return cast(BinaryIO, io.BufferedReader(_Plain(self), buffer_size=CHUNK))


class _Plain(io.RawIOBase):
    """The plaintext of an encrypted StoredReader, seekable; keeps one decrypted chunk."""

    def __init__(self, reader: StoredReader) -> None:
        self._reader = reader
        self._position = 0
        self._cached: tuple[int, bytes] | None = None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._reader.size}
        position = base[whence] + offset
        if position < 0:
            raise ValueError("negative seek position")
        self._position = position
        return position

    def readinto(self, buffer: object) -> int:
        target = memoryview(cast(bytearray, buffer)).cast("B")
        if self._position >= self._reader.size or not len(target):
            return 0
        index, skip = divmod(self._position, CHUNK)
        if self._cached is None or self._cached[0] != index:
            self._cached = (index, self._reader.chunk(index))
        plain = self._cached[1]
        n = min(len(target), len(plain) - skip)
        target[:n] = plain[skip : skip + n]
        self._position += n
        return n
