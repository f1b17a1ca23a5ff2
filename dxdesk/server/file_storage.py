"""Where the server keeps the bytes of attachments: one small interface, one implementation.

``FileStorage`` is all the rest of the server knows of bytes: stage them in order (``append``),
check and keep them (``commit``), read them from an offset (``read``), ask (``received``,
``stored``), drop them (``delete``). A file is named by its attachment's id, never by its hash:
a hash learnt elsewhere must not be a way to another municipality's file.

``DatabaseFileStorage`` keeps them in the server's own database (PostgreSQL bytea, SQLite BLOB),
in rows of at most ``CHUNK_ROW_BYTES``: every server process on that database serves the same
files, and one backup of the database holds records and files alike. Each call is its own short
transaction; ``read`` reads one row per step, so a download holds no transaction open while the
client is slow, and no process ever holds a whole file in memory.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final, Protocol

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dxdesk.server.database import ServerDatabase
from dxdesk.server.tables import FileChunk, StoredFile

CHUNK_ROW_BYTES: Final = 1024 * 1024


class OffsetMismatch(Exception):
    """Bytes sent from another offset than the end of what is staged (or of a stored file)."""

    def __init__(self, received: int) -> None:
        super().__init__(f"the storage holds {received} bytes")
        self.received = received


@dataclass(frozen=True)
class Stored:
    sha256: str
    size: int


class FileStorage(Protocol):
    def received(self, file_id: str) -> int:
        """Bytes staged or stored: where the next ``append`` must start."""
        ...

    def append(self, file_id: str, offset: int, data: bytes) -> int:
        """Stage ``data`` at ``offset``, all or nothing; the new ``received``.

        Raises ``OffsetMismatch`` when ``offset`` is not ``received`` (two uploads racing
        included), or when the file is already stored.
        """
        ...

    def commit(self, file_id: str, sha256: str, size: int) -> bool:
        """Check the staged bytes are ``size`` bytes hashing to ``sha256``: if so keep them
        (``stored``) and say True; if not, drop them (``received`` back to 0) and say False."""
        ...

    def stored(self, file_id: str) -> Stored | None:
        """The kept file, or None (nothing, or bytes only staged)."""
        ...

    def read(self, file_id: str, offset: int = 0) -> Iterator[bytes]:
        """The bytes from ``offset`` to the end, a piece at a time."""
        ...

    def delete(self, file_id: str) -> None:
        """Drop the file, staged or stored."""
        ...


class DatabaseFileStorage:
    """``FileStorage`` in the server's database (see the module's docstring)."""

    def __init__(self, database: ServerDatabase) -> None:
        self.database = database

    def received(self, file_id: str) -> int:
        with self.database.transaction() as session:
            return _received(session, file_id)

    def append(self, file_id: str, offset: int, data: bytes) -> int:
        try:
            with self.database.transaction() as session:
                stored = session.get(StoredFile, file_id)
                if stored is not None:
                    raise OffsetMismatch(stored.size)
                received = _received(session, file_id)
                if offset != received:
                    raise OffsetMismatch(received)
                view = memoryview(data)
                for at in range(0, len(view), CHUNK_ROW_BYTES):
                    piece = bytes(view[at : at + CHUNK_ROW_BYTES])
                    session.add(
                        FileChunk(file_id=file_id, start=offset + at, size=len(piece), data=piece)
                    )
                    session.flush()  # one row at a time in the session, not the whole body twice
                    session.expunge_all()
        except IntegrityError:
            # Another upload of the same file staged bytes at this offset meanwhile.
            raise OffsetMismatch(self.received(file_id)) from None
        return offset + len(data)

    def commit(self, file_id: str, sha256: str, size: int) -> bool:
        digest = hashlib.sha256()
        expected = 0
        for start, piece in self._rows(file_id, 0):
            if start != expected:
                break  # a gap: never staged so (append keeps them in order), but never served
            digest.update(piece)
            expected += len(piece)
        matches = expected == size and digest.hexdigest() == sha256
        try:
            with self.database.transaction() as session:
                if not matches:
                    _delete(session, file_id)
                elif session.get(StoredFile, file_id) is None:
                    session.add(StoredFile(file_id=file_id, sha256=sha256, size=size))
        except IntegrityError:
            pass  # another request checked the same bytes and kept them meanwhile
        return matches

    def stored(self, file_id: str) -> Stored | None:
        with self.database.transaction() as session:
            row = session.get(StoredFile, file_id)
            return None if row is None else Stored(row.sha256, row.size)

    def read(self, file_id: str, offset: int = 0) -> Iterator[bytes]:
        for start, piece in self._rows(file_id, offset):
            yield piece[offset - start :] if start < offset else piece

    def delete(self, file_id: str) -> None:
        with self.database.transaction() as session:
            _delete(session, file_id)

    def _rows(self, file_id: str, offset: int) -> Iterator[tuple[int, bytes]]:
        """Each row from the one holding ``offset`` on, one short transaction per row."""
        with self.database.transaction() as session:
            row = session.execute(
                select(FileChunk.start, FileChunk.data)
                .where(FileChunk.file_id == file_id, FileChunk.start <= offset)
                .order_by(FileChunk.start.desc())
                .limit(1)
            ).first()
        while row is not None:
            start, data = row
            if start + len(data) > offset:
                yield start, data
            following = start + len(data)
            del row, data
            with self.database.transaction() as session:
                row = session.execute(
                    select(FileChunk.start, FileChunk.data).where(
                        FileChunk.file_id == file_id, FileChunk.start == following
                    )
                ).first()


def _received(session: Session, file_id: str) -> int:
    last = session.execute(
        select(FileChunk.start, FileChunk.size)
        .where(FileChunk.file_id == file_id)
        .order_by(FileChunk.start.desc())
        .limit(1)
    ).first()
    return 0 if last is None else last.start + last.size


def _delete(session: Session, file_id: str) -> None:
    session.execute(delete(StoredFile).where(StoredFile.file_id == file_id))
    session.execute(delete(FileChunk).where(FileChunk.file_id == file_id))
