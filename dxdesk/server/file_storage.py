"""Where the server keeps the bytes of attachments: one small interface, one implementation.

``FileStorage`` is all the rest of the server knows of bytes. Its changes happen in the caller's
transaction, so that staging the last bytes, checking them, keeping them and completing the
record are one commit: ``hold`` the file first (one request at a time changes its bytes), then
ask (``received``, ``stored``), stage in order (``append``), check (``matches``), keep
(``keep``) or drop (``delete``). ``read`` serves a kept file from an offset in its own short
transactions. A file is named by its attachment's id, never by its hash: a hash learnt
elsewhere must not be a way to another municipality's file.

``DatabaseFileStorage`` keeps them in the server's own database (PostgreSQL bytea, SQLite BLOB),
in rows of at most ``CHUNK_ROW_BYTES``: every server process on that database serves the same
files, and one backup of the database holds records and files alike. Rows are read a few at a
time (``READ_ROWS``), each batch in its own transaction, so a download holds no transaction open
while the client is slow, and no process ever holds a whole file in memory. On PostgreSQL they
are written and read in binary, through the driver (bytea as text doubles the bytes, to be
encoded and decoded on both sides).
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Final, Protocol

from sqlalchemy import Connection, delete, insert, select
from sqlalchemy.orm import Session

from dxdesk.server.database import ServerDatabase
from dxdesk.server.tables import FileChunk, StoredFile
from dxdesk.sql_common import utc_now

CHUNK_ROW_BYTES: Final = 1024 * 1024
READ_ROWS: Final = 4  # rows a read takes in one query: at most 4 MiB held at a time
# The first key of PostgreSQL's transaction locks on files (the second: the file's id hashed).
_LOCK_CLASS: Final = 0x64786466  # "dxdf"


@dataclass(frozen=True)
class Stored:
    sha256: str
    size: int


class FileStorage(Protocol):
    def hold(self, session: Session, file_id: str) -> None:
        """Wait until no other transaction changes this file's bytes, and keep it so until
        this one ends: what it reads of them then stays true until it commits."""
        ...

    def received(self, session: Session, file_id: str) -> int:
        """Bytes staged or stored: where the next ``append`` must start."""
        ...

    def stored(self, session: Session, file_id: str) -> Stored | None:
        """The kept file, or None (nothing, or bytes only staged)."""
        ...

    def append(self, session: Session, file_id: str, offset: int, data: bytes) -> int:
        """Stage ``data`` at ``offset``, which the caller, holding the file, found ``received``
        of a file not stored; the new ``received``."""
        ...

    def matches(
        self, session: Session, file_id: str, sha256: str, size: int, tail: bytes = b""
    ) -> bool:
        """Whether the staged bytes, then ``tail``, are ``size`` bytes hashing to ``sha256``."""
        ...

    def keep(self, session: Session, file_id: str, sha256: str, size: int) -> None:
        """Keep the staged bytes, checked by ``matches``: from now on ``stored``."""
        ...

    def delete(self, session: Session, file_id: str) -> None:
        """Drop the file, staged or stored."""
        ...

    def read(self, file_id: str, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        """The bytes from ``start`` to ``end`` (exclusive; None: the end), a piece at a time,
        in short transactions of their own."""
        ...


class DatabaseFileStorage:
    """``FileStorage`` in the server's database (see the module's docstring)."""

    def __init__(self, database: ServerDatabase) -> None:
        self.database = database

    def hold(self, session: Session, file_id: str) -> None:
        connection = session.connection()
        if connection.dialect.name == "postgresql":
            # A lock of the transaction that no push takes, so no deadlock with the sync clock.
            key = zlib.crc32(file_id.encode()) - 2**31
            connection.exec_driver_sql(
                "SELECT pg_advisory_xact_lock(%(kind)s, %(key)s)", {"kind": _LOCK_CLASS, "key": key}
            )
        # SQLite: every transaction begins IMMEDIATE (sql_common.py), one writer at a time.

    def received(self, session: Session, file_id: str) -> int:
        last = session.execute(
            select(FileChunk.start, FileChunk.size)
            .where(FileChunk.file_id == file_id)
            .order_by(FileChunk.start.desc())
            .limit(1)
        ).first()
        return 0 if last is None else int(last.start + last.size)

    def stored(self, session: Session, file_id: str) -> Stored | None:
        row = session.execute(
            select(StoredFile.sha256, StoredFile.size).where(StoredFile.file_id == file_id)
        ).first()
        return None if row is None else Stored(row.sha256, int(row.size))

    def append(self, session: Session, file_id: str, offset: int, data: bytes) -> int:
        connection = session.connection()
        view = memoryview(data)
        for at in range(0, len(view), CHUNK_ROW_BYTES):
            piece = bytes(view[at : at + CHUNK_ROW_BYTES])  # one row's copy at a time
            row = {"file_id": file_id, "start": offset + at, "size": len(piece), "data": piece}
            if connection.dialect.name == "postgresql":
                driver: Any = connection.connection.driver_connection
                with driver.cursor() as cursor:
                    cursor.execute(_INSERT_PG, row)  # the bytes in binary, not escaped as text
            else:
                connection.execute(insert(FileChunk), row)
            del piece, row
        return offset + len(data)

    def matches(
        self, session: Session, file_id: str, sha256: str, size: int, tail: bytes = b""
    ) -> bool:
        digest = hashlib.sha256()
        expected = 0
        for start, piece in _rows_from(session.connection(), file_id, 0, None, 2 * READ_ROWS):
            if start != expected:
                return False  # a gap: never staged so (append keeps them in order), never kept
            digest.update(piece)
            expected += len(piece)
        digest.update(tail)
        return expected + len(tail) == size and digest.hexdigest() == sha256

    def keep(self, session: Session, file_id: str, sha256: str, size: int) -> None:
        session.execute(
            insert(StoredFile).values(
                file_id=file_id, sha256=sha256, size=size, stored_at=utc_now()
            )
        )

    def delete(self, session: Session, file_id: str) -> None:
        session.execute(delete(StoredFile).where(StoredFile.file_id == file_id))
        session.execute(delete(FileChunk).where(FileChunk.file_id == file_id))

    def read(self, file_id: str, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        at = start
        while end is None or at < end:
            with self.database.transaction() as session:
                rows = _rows(session.connection(), file_id, at, end, READ_ROWS)
            if not rows:
                return
            for row_start, data in rows:
                piece = memoryview(data)[max(at - row_start, 0) :]
                if end is not None:
                    piece = piece[: end - at]
                at += len(piece)
                yield bytes(piece) if len(piece) < len(data) else data
            del rows


def _rows_from(
    connection: Connection, file_id: str, start: int, end: int | None, batch: int
) -> Iterator[tuple[int, bytes]]:
    """The rows holding bytes ``start`` to ``end``, ``batch`` per query, in this transaction."""
    at = start
    while True:
        rows = _rows(connection, file_id, at, end, batch)
        if not rows:
            return
        yield from rows
        last_start, last = rows[-1]
        at = last_start + len(last)
        del rows, last


_INSERT_PG: Final = (
    "INSERT INTO file_chunk (file_id, start, size, data) "
    "VALUES (%(file_id)s, %(start)s, %(size)s, %(data)b)"
)
_SELECT_PG: Final = (
    "SELECT start, data FROM file_chunk WHERE file_id = %s AND start > %s AND start + size > %s "
    "AND start < %s ORDER BY start LIMIT %s"
)


def _rows(
    connection: Connection, file_id: str, at: int, end: int | None, limit: int
) -> Sequence[tuple[int, bytes]]:
    """At most ``limit`` rows in order, from the one holding byte ``at``, none from ``end`` on.

    A row holds at most CHUNK_ROW_BYTES, so the one holding ``at`` starts after
    ``at - CHUNK_ROW_BYTES``: the index finds it without reading the rows before.
    """
    after = at - CHUNK_ROW_BYTES
    before = end if end is not None else 2**62
    rows: Sequence[tuple[int, bytes]]
    if connection.dialect.name == "postgresql":
        driver: Any = connection.connection.driver_connection
        with driver.cursor(binary=True) as cursor:
            cursor.execute(_SELECT_PG, (file_id, after, at, before, limit))
            rows = cursor.fetchall()
    else:
        rows = [
            (int(row.start), row.data)
            for row in connection.execute(
                select(FileChunk.start, FileChunk.data)
                .where(
                    FileChunk.file_id == file_id,
                    FileChunk.start > after,
                    FileChunk.start + FileChunk.size > at,
                    FileChunk.start < before,
                )
                .order_by(FileChunk.start)
                .limit(limit)
            )
        ]
    return rows
