"""The storage of bytes in the database (file_storage.py), through its interface alone."""

from __future__ import annotations

import hashlib
import os

import pytest

from dxdesk.server.database import ServerDatabase
from dxdesk.server.file_storage import (
    CHUNK_ROW_BYTES,
    DatabaseFileStorage,
    FileStorage,
    OffsetMismatch,
    Stored,
)

FILE = "7b0c3f0e-1c1e-4d7e-9a55-0d5b7e9b1f01"


@pytest.fixture
def storage(server_db: ServerDatabase) -> FileStorage:
    return DatabaseFileStorage(server_db)


def test_bytes_staged_in_order_are_read_back_from_any_offset(storage: FileStorage) -> None:
    data = os.urandom(2 * CHUNK_ROW_BYTES + 10)
    assert storage.received(FILE) == 0
    assert storage.append(FILE, 0, data[:1000]) == 1000
    assert storage.append(FILE, 1000, data[1000:]) == len(data)
    assert storage.stored(FILE) is None  # staged only
    assert storage.commit(FILE, hashlib.sha256(data).hexdigest(), len(data))
    assert storage.commit(FILE, hashlib.sha256(data).hexdigest(), len(data))  # again: still kept
    assert storage.stored(FILE) == Stored(hashlib.sha256(data).hexdigest(), len(data))
    for offset in (0, 999, 1000, CHUNK_ROW_BYTES + 1000, len(data) - 1, len(data)):
        pieces = list(storage.read(FILE, offset))
        assert b"".join(pieces) == data[offset:]
        assert all(len(piece) <= CHUNK_ROW_BYTES for piece in pieces)
    with pytest.raises(OffsetMismatch) as stored:
        storage.append(FILE, len(data), b"more")
    assert stored.value.received == len(data)


def test_bytes_out_of_place_or_wrong_are_not_kept(storage: FileStorage) -> None:
    storage.append(FILE, 0, b"abc")
    for offset in (0, 2, 4):
        with pytest.raises(OffsetMismatch) as mismatch:
            storage.append(FILE, offset, b"x")
        assert mismatch.value.received == 3
    assert not storage.commit(FILE, hashlib.sha256(b"abd").hexdigest(), 3)
    assert storage.received(FILE) == 0 and list(storage.read(FILE)) == []
    storage.append(FILE, 0, b"abc")
    assert not storage.commit(FILE, hashlib.sha256(b"abc").hexdigest(), 4)  # short
    assert storage.received(FILE) == 0
    storage.append(FILE, 0, b"abc")
    assert storage.commit(FILE, hashlib.sha256(b"abc").hexdigest(), 3)
    storage.delete(FILE)
    assert storage.stored(FILE) is None and storage.received(FILE) == 0
