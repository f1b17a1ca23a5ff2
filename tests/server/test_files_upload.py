"""Uploading an attachment's bytes: in chunks, resumed at the right offset, verified, bounded."""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from dxdesk.server.database import ServerDatabase
from dxdesk.server.dev_tls import DevCertificates
from dxdesk.server.file_storage import DatabaseFileStorage
from dxdesk.server.settings import Settings
from dxdesk.server.tables import AuditEntry, FileChunk, Record, StoredFile
from dxdesk.wire.files import UPLOAD_CHUNK_BYTES
from tests.server.files_fixtures import (
    Office,
    attachment_change,
    office,
    put,
    upload_all,
    upload_path,
)
from tests.server.fixtures import RunningServer, new_id, push, serve_in_thread

MiB = 1024 * 1024


@pytest.fixture
def here(server: RunningServer) -> Office:
    return office(server)


def _state(here: Office, attachment_id: str) -> dict[str, object]:
    answer = here.tanaka.get(upload_path(attachment_id))
    assert answer.status_code == 200, answer.text
    state: dict[str, object] = answer.json()
    return state


def test_chunks_add_up_and_the_last_completes_the_file(here: Office) -> None:
    data = os.urandom(5 * MiB + 123)
    attachment_id = here.attach(data)
    assert _state(here, attachment_id) == {"received": 0, "size": len(data), "complete": False}
    answer = put(here.tanaka, attachment_id, 0, data[: 2 * MiB])
    assert answer.json() == {"received": 2 * MiB, "size": len(data), "complete": False}
    answer = put(here.tanaka, attachment_id, 2 * MiB, data[2 * MiB :])
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"received": len(data), "size": len(data), "complete": True}
    assert _state(here, attachment_id)["complete"] is True
    with here.server.database.transaction() as session:
        # Stored in rows of at most 1 MiB; the upload audited.
        sizes = list(
            session.scalars(select(FileChunk.size).where(FileChunk.file_id == attachment_id))
        )
        assert sum(sizes) == len(data) and max(sizes) == MiB
        entry = session.scalars(
            select(AuditEntry).where(
                AuditEntry.record_id == attachment_id, AuditEntry.action == "upload"
            )
        ).one()
        assert entry.account == "tanaka" and hashlib.sha256(data).hexdigest() in entry.detail
    assert here.tanaka.get(f"/api/v1/files/{attachment_id}").content == data


def test_a_resumed_upload_must_start_where_the_server_stopped(here: Office) -> None:
    data = os.urandom(3 * MiB)
    attachment_id = here.attach(data)
    assert put(here.tanaka, attachment_id, 0, data[:MiB]).status_code == 200
    # The laptop lost the answer and sends the first chunk again, or skips ahead: refused,
    # told where the server is; nothing is stored twice.
    for offset in (0, 2 * MiB):
        answer = put(here.tanaka, attachment_id, offset, data[offset : offset + MiB])
        assert answer.status_code == 409, answer.text
        problem = answer.json()
        assert problem["type"].endswith("/upload-offset") and problem["received"] == MiB
    assert _state(here, attachment_id)["received"] == MiB
    answer = put(here.tanaka, attachment_id, MiB, data[MiB:])
    assert answer.json()["complete"] is True
    assert here.tanaka.get(f"/api/v1/files/{attachment_id}").content == data
    # Once complete, the last chunk sent again is told so.
    again = put(here.tanaka, attachment_id, MiB, data[MiB:])
    assert again.status_code == 409 and again.json()["received"] == len(data)


def test_bytes_that_are_not_the_records_are_dropped(here: Office) -> None:
    data = os.urandom(2 * MiB)
    attachment_id = here.attach(data, sha256=hashlib.sha256(b"other").hexdigest())
    assert put(here.tanaka, attachment_id, 0, data[:MiB]).status_code == 200
    answer = put(here.tanaka, attachment_id, MiB, data[MiB:])
    assert answer.status_code == 422, answer.text
    assert answer.json()["type"].endswith("/hash-mismatch")
    assert _state(here, attachment_id) == {"received": 0, "size": len(data), "complete": False}
    with here.server.database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(FileChunk)) == 0
        assert session.get(Record, attachment_id).incomplete  # type: ignore[union-attr]
    assert here.tanaka.get(f"/api/v1/files/{attachment_id}").status_code == 404


def test_more_bytes_than_the_record_says_are_refused(here: Office) -> None:
    data = os.urandom(1000)
    attachment_id = here.attach(data)
    answer = put(here.tanaka, attachment_id, 0, data + b"x")
    assert answer.status_code == 422 and answer.json()["type"].endswith("/upload-too-long")
    assert _state(here, attachment_id)["received"] == 0


def test_one_request_carries_at_most_the_chunk_limit(here: Office) -> None:
    data = os.urandom(UPLOAD_CHUNK_BYTES + 1)
    attachment_id = here.attach(data)
    answer = put(here.tanaka, attachment_id, 0, data)
    assert answer.status_code == 413 and answer.json()["type"].endswith("/too-large")
    assert upload_all(here.tanaka, attachment_id, data, UPLOAD_CHUNK_BYTES).json()["complete"]


def test_no_one_else_may_upload(here: Office) -> None:
    data = b"%PDF-1.7 plan"
    attachment_id = here.attach(data)
    for path in (upload_path(attachment_id), upload_path(new_id())):
        assert here.suzuki.get(path).status_code == 404
        answer = here.suzuki.put(path, params={"offset": 0}, content=data)
        assert answer.status_code == 404 and answer.json()["type"].endswith("/file-not-found")
    assert _state(here, attachment_id)["received"] == 0


@pytest.fixture
def limited(server_db: ServerDatabase, dev_tls: DevCertificates) -> Iterator[Office]:
    url = server_db.engine.url.render_as_string(hide_password=False)
    settings = Settings(database_url=url, max_file_bytes=3000, file_quota_bytes=5000)
    with serve_in_thread(server_db, dev_tls, settings) as running:
        yield office(running)


def test_a_file_over_the_servers_limit_is_refused_in_the_push(limited: Office) -> None:
    answer = push(limited.tanaka, *_attachment(limited, os.urandom(3001)))
    assert answer.status_code == 413, answer.text
    problem = answer.json()
    assert problem["type"].endswith("/file-too-large") and problem["limit"] == 3000
    assert problem["change_index"] == 0 and "3000 バイト" in problem["detail"]


def _attachment(here: Office, data: bytes) -> list[dict[str, object]]:
    return [attachment_change(new_id(), here.visit, data)]


def test_a_file_over_a_limit_lowered_later_is_refused_at_upload(
    server_db: ServerDatabase, dev_tls: DevCertificates, here: Office
) -> None:
    data = os.urandom(4000)
    attachment_id = here.attach(data)
    url = server_db.engine.url.render_as_string(hide_password=False)
    lower = dataclasses.replace(Settings(database_url=url), max_file_bytes=3000)
    with serve_in_thread(server_db, dev_tls, lower) as running:
        answer = put(running.login("tanaka"), attachment_id, 0, data)
    assert answer.status_code == 413, answer.text
    assert answer.json()["type"].endswith("/file-too-large") and answer.json()["limit"] == 3000


def test_an_accounts_files_stay_within_its_quota(limited: Office) -> None:
    first, second = os.urandom(3000), os.urandom(2500)
    first_id = limited.attach(first)
    assert upload_all(limited.tanaka, first_id, first).json()["complete"]
    second_id = limited.attach(second)
    answer = put(limited.tanaka, second_id, 0, second)
    assert answer.status_code == 413, answer.text
    problem = answer.json()
    assert problem["type"].endswith("/quota-exceeded") and problem["limit"] == 5000
    assert "容量" in problem["detail"]
    # A deleted attachment counts no more.
    with limited.server.database.transaction() as session:
        rev = session.get(Record, first_id).rev  # type: ignore[union-attr]
    deleted = push(
        limited.tanaka, {"kind": "attachment", "id": first_id, "op": "delete", "base_rev": rev}
    )
    assert deleted.status_code == 200, deleted.text
    assert put(limited.tanaka, second_id, 0, second).json()["complete"] is True


def test_the_same_chunk_sent_twice_at_once_is_stored_once(
    here: Office, server: RunningServer
) -> None:
    """Two requests with the same offset (a retry racing the original, or two logins of one
    laptop): one is taken, the other told where the server is; the file is whole once."""
    data = os.urandom(6 * MiB)
    attachment_id = here.attach(data)
    other = server.login("tanaka", device="home")
    with ThreadPoolExecutor(2) as pool:
        answers = list(
            pool.map(lambda client: put(client, attachment_id, 0, data), (here.tanaka, other))
        )
    assert sorted(a.status_code for a in answers) == [200, 409], [a.text for a in answers]
    (refused,) = [a for a in answers if a.status_code == 409]
    assert refused.json()["received"] == len(data)
    assert here.tanaka.get(f"/api/v1/files/{attachment_id}").content == data


def test_a_file_sent_whole_that_is_not_the_records_leaves_nothing(here: Office) -> None:
    """One request with every byte: checked before anything is kept, in the same transaction."""
    data = os.urandom(MiB + 5)
    attachment_id = here.attach(data, sha256=hashlib.sha256(b"other").hexdigest())
    answer = put(here.tanaka, attachment_id, 0, data)
    assert answer.status_code == 422 and answer.json()["type"].endswith("/hash-mismatch")
    assert answer.json()["received"] == 0
    with here.server.database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(FileChunk)) == 0
        assert session.scalar(select(func.count()).select_from(StoredFile)) == 0
        assert session.get(Record, attachment_id).incomplete  # type: ignore[union-attr]
        actions = session.scalars(
            select(AuditEntry.action).where(AuditEntry.record_id == attachment_id)
        )
        assert "upload-refused" in set(actions)
    assert _state(here, attachment_id) == {"received": 0, "size": len(data), "complete": False}


def test_bytes_all_staged_but_not_checked_are_checked_when_asked(here: Office) -> None:
    """A server that stopped between the last bytes and their check (an older one, which
    committed them apart): the next question of the laptop completes the file."""
    data = os.urandom(2 * MiB + 1)
    attachment_id = here.attach(data)
    storage = DatabaseFileStorage(here.server.database)
    with here.server.database.transaction() as session:
        storage.append(session, attachment_id, 0, data)
    with here.server.database.transaction() as session:
        rev = session.get(Record, attachment_id).rev  # type: ignore[union-attr]
    assert _state(here, attachment_id) == {
        "received": len(data),
        "size": len(data),
        "complete": True,
    }
    with here.server.database.transaction() as session:
        record = session.get(Record, attachment_id)
        assert record is not None and not record.incomplete and record.rev > rev
    assert here.tanaka.get(f"/api/v1/files/{attachment_id}").content == data


def test_a_restore_with_other_bytes_waits_for_them_and_serves_them(here: Office) -> None:
    first, second = os.urandom(MiB), os.urandom(MiB + 1)
    attachment_id = here.attach(first)
    assert upload_all(here.tanaka, attachment_id, first).json()["complete"]
    with here.server.database.transaction() as session:
        rev = session.get(Record, attachment_id).rev  # type: ignore[union-attr]
    gone = {"kind": "attachment", "id": attachment_id, "op": "delete", "base_rev": rev}
    assert push(here.tanaka, gone).status_code == 200
    restored = push(here.tanaka, attachment_change(attachment_id, here.visit, second))
    assert restored.status_code == 200, restored.text
    # The first file's bytes are not these: dropped, and the new ones start from 0.
    assert _state(here, attachment_id) == {"received": 0, "size": len(second), "complete": False}
    assert here.tanaka.get(f"/api/v1/files/{attachment_id}").status_code == 404
    assert put(here.tanaka, attachment_id, 0, second).json()["complete"] is True
    assert here.tanaka.get(f"/api/v1/files/{attachment_id}").content == second
