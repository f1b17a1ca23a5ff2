"""The storage of bytes in the database (file_storage.py), through its interface alone."""

from __future__ import annotations

import hashlib
import itertools
import os

import pytest

from dxdesk.server.database import ServerDatabase
from dxdesk.server.file_storage import (
    CHUNK_ROW_BYTES,
    READ_ROWS,
    DatabaseFileStorage,
    FileStorage,
    Stored,
)

FILE = "7b0c3f0e-1c1e-4d7e-9a55-0d5b7e9b1f01"


@pytest.fixture
def storage(server_db: ServerDatabase) -> FileStorage:
    return DatabaseFileStorage(server_db)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_bytes_staged_in_order_are_read_back_from_any_offset(
    server_db: ServerDatabase, storage: FileStorage
) -> None:
    # Rows of many sizes (a byte, a few, a whole row): more of them than one read takes.
    data = os.urandom((READ_ROWS + 2) * CHUNK_ROW_BYTES + 10)
    cuts = [0, 1, 5, 1000, CHUNK_ROW_BYTES + 1000, len(data) - 3, len(data)]
    with server_db.transaction() as session:
        storage.hold(session, FILE)
        assert storage.received(session, FILE) == 0
        for start, end in itertools.pairwise(cuts):
            assert storage.append(session, FILE, start, data[start:end]) == end
        assert storage.stored(session, FILE) is None  # staged only
        assert not storage.matches(session, FILE, _sha(data), len(data) + 1)
        assert storage.matches(session, FILE, _sha(data + b"tail"), len(data) + 4, b"tail")
        assert storage.matches(session, FILE, _sha(data), len(data))
        storage.keep(session, FILE, _sha(data), len(data))
    with server_db.transaction() as session:
        assert storage.stored(session, FILE) == Stored(_sha(data), len(data))
        assert storage.received(session, FILE) == len(data)
    for start in (0, 1, 4, 999, 1000, CHUNK_ROW_BYTES + 1000, len(data) - 1, len(data)):
        ends: tuple[int | None, ...] = (None, start, start + 1, start + 2 * CHUNK_ROW_BYTES + 7)
        for stop in ends:
            pieces = list(storage.read(FILE, start, stop))
            assert b"".join(pieces) == data[start:stop], (start, stop)
            assert all(0 < len(piece) <= CHUNK_ROW_BYTES for piece in pieces)


def test_bytes_that_do_not_match_are_told_and_dropped_ones_are_gone(
    server_db: ServerDatabase, storage: FileStorage
) -> None:
    with server_db.transaction() as session:
        storage.append(session, FILE, 0, b"abc")
        assert not storage.matches(session, FILE, _sha(b"abd"), 3)
        assert not storage.matches(session, FILE, _sha(b"abc"), 4)  # short
        storage.keep(session, FILE, _sha(b"abc"), 3)
    with server_db.transaction() as session:
        storage.delete(session, FILE)
    with server_db.transaction() as session:
        assert storage.stored(session, FILE) is None and storage.received(session, FILE) == 0
    assert list(storage.read(FILE)) == []
