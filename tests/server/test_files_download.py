"""Downloading an attachment's bytes: whole or from an offset, from any process on the database,
streamed without holding the file in memory."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from dxdesk.server.database import ServerDatabase, connect
from dxdesk.server.dev_tls import DevCertificates
from tests.server.files_fixtures import Office, attachment_change, office, put, upload_all
from tests.server.fixtures import (
    RunningServer,
    new_id,
    push,
    serve_in_thread,
    server_process,
)

MiB = 1024 * 1024


@pytest.fixture
def here(server: RunningServer) -> Office:
    return office(server)


@pytest.fixture
def stored(here: Office) -> tuple[Office, str, bytes]:
    """An attachment of 2.5 MiB (three stored rows), uploaded."""
    data = os.urandom(5 * MiB // 2)
    attachment_id = here.attach(data)
    assert upload_all(here.tanaka, attachment_id, data).json()["complete"]
    return here, attachment_id, data


def test_the_whole_file_comes_as_it_is(stored: tuple[Office, str, bytes]) -> None:
    here, attachment_id, data = stored
    answer = here.suzuki.get(f"/api/v1/files/{attachment_id}")
    assert answer.status_code == 404  # not suzuki's municipality
    answer = here.tanaka.get(f"/api/v1/files/{attachment_id}", headers={"Accept-Encoding": "gzip"})
    assert answer.status_code == 200 and answer.content == data
    assert answer.headers["content-length"] == str(len(data))
    assert answer.headers["etag"] == f'"{hashlib.sha256(data).hexdigest()}"'
    assert answer.headers["content-type"] == "application/octet-stream"
    assert "content-encoding" not in answer.headers  # never gzipped: ranges stay true
    assert answer.headers["accept-ranges"] == "bytes"
    head = here.tanaka.head(f"/api/v1/files/{attachment_id}")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == str(len(data))


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [
        ("bytes=1572864-", 1572864, None),  # within the second stored row
        ("bytes=1048576-", 1048576, None),  # at a row's start
        ("bytes=100-199", 100, 200),
        ("bytes=-1000", -1000, None),
    ],
)
def test_a_range_resumes_from_its_offset(
    stored: tuple[Office, str, bytes], header: str, start: int, end: int | None
) -> None:
    here, attachment_id, data = stored
    answer = here.tanaka.get(f"/api/v1/files/{attachment_id}", headers={"Range": header})
    assert answer.status_code == 206, answer.text
    expected = data[start:end]
    assert answer.content == expected
    first = start % len(data)
    assert (
        answer.headers["content-range"] == f"bytes {first}-{first + len(expected) - 1}/{len(data)}"
    )
    assert answer.headers["content-length"] == str(len(expected))


def test_a_range_of_other_bytes_or_past_the_end(stored: tuple[Office, str, bytes]) -> None:
    here, attachment_id, data = stored
    path = f"/api/v1/files/{attachment_id}"
    # If-Range naming other bytes: the whole file, as it is now.
    answer = here.tanaka.get(path, headers={"Range": "bytes=10-", "If-Range": '"0000"'})
    assert answer.status_code == 200 and answer.content == data
    past = here.tanaka.get(path, headers={"Range": f"bytes={len(data)}-"})
    assert past.status_code == 416 and past.headers["content-range"] == f"bytes */{len(data)}"
    garbled = here.tanaka.get(path, headers={"Range": "lines=1-2"})
    assert garbled.status_code == 200 and garbled.content == data


def test_two_processes_on_one_database_serve_the_same_files(
    database_url: str, server_db: ServerDatabase, dev_tls: DevCertificates, here: Office
) -> None:
    """Half of the file goes up through one app, the rest through another on the same
    database, and each serves it whole."""
    data = os.urandom(3 * MiB + 7)
    attachment_id = here.attach(data)
    other_database = connect(database_url)
    try:
        with serve_in_thread(other_database, dev_tls) as other:
            there = other.login("tanaka", device="home")
            assert put(here.tanaka, attachment_id, 0, data[: 2 * MiB]).status_code == 200
            assert there.get(f"/api/v1/files/{attachment_id}/upload").json()["received"] == 2 * MiB
            done = put(there, attachment_id, 2 * MiB, data[2 * MiB :])
            assert done.json()["complete"] is True
            assert there.get(f"/api/v1/files/{attachment_id}").content == data
            assert here.tanaka.get(f"/api/v1/files/{attachment_id}").content == data
    finally:
        other_database.close()


def _kib(status: str, name: str) -> int:
    for line in status.splitlines():
        if line.startswith(name + ":"):
            return int(line.split()[1])
    raise AssertionError(f"{name} not in /proc status")


@pytest.mark.skipif(not Path("/proc/self/clear_refs").exists(), reason="Linux /proc needed")
def test_a_100_mb_download_is_streamed_not_held(tmp_path: Path, server_db: ServerDatabase) -> None:
    """The server process's peak memory while it serves 100 MB grows by far less than the file.

    The peak (VmHWM) is reset after the upload (clear_refs 5), so it measures the download only;
    a server holding the file would grow by 100 MB or more.
    """
    url = server_db.engine.url.render_as_string(hide_password=False)
    tls = tmp_path / "tls"
    with server_process(url, tls, 0, "--file-quota-gb", "1") as (process, base_url):
        running = RunningServer(base_url, tls / "dev-ca.pem", server_db)
        try:
            here = office(running)
            data = os.urandom(100 * 1000 * 1000)
            attachment_id = here.attach(data)
            assert upload_all(here.tanaka, attachment_id, data, 8 * MiB).json()["complete"]
            digest = hashlib.sha256(data).hexdigest()
            del data
            status = Path(f"/proc/{process.pid}/status")
            Path(f"/proc/{process.pid}/clear_refs").write_text("5")
            before = _kib(status.read_text(), "VmRSS")
            got = hashlib.sha256()
            with here.tanaka.stream("GET", f"/api/v1/files/{attachment_id}") as answer:
                assert answer.status_code == 200
                for piece in answer.iter_bytes(256 * 1024):
                    got.update(piece)
            peak = _kib(status.read_text(), "VmHWM")
        finally:
            for client in running.clients:
                client.close()
    assert got.hexdigest() == digest
    assert peak - before < 40 * 1024, f"grew by {(peak - before) // 1024} MB"


def test_serve_takes_its_file_limit_from_its_options(
    tmp_path: Path, server_db: ServerDatabase
) -> None:
    url = server_db.engine.url.render_as_string(hide_password=False)
    tls = tmp_path / "tls"
    with server_process(url, tls, 0, "--max-file-mb", "1") as (_, base_url):
        running = RunningServer(base_url, tls / "dev-ca.pem", server_db)
        try:
            here = office(running)
            answer = push(here.tanaka, attachment_change(new_id(), here.visit, os.urandom(MiB + 1)))
        finally:
            for client in running.clients:
                client.close()
    assert answer.status_code == 413 and answer.json()["limit"] == MiB
