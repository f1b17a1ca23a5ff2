"""The file endpoints on the client: requests as the contract says, answers read safely, the
server's refusals told in Japanese with the limit in MB, and only a refusal about the file set
aside (httpx.MockTransport, for answers the real server gives rarely or never on demand; the
real server is in tests/e2e/test_attachments*.py)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import update

from dxdesk.domain.records import MAX_FILE_BYTES
from dxdesk.models.tables import AttachmentRow
from dxdesk.services.workspace import Workspace
from dxdesk.sync.api_client import Offline, ServerRefused, SyncApiClient, SyncError
from dxdesk.sync.conflicts import open_conflicts
from dxdesk.sync.files import upload_pending, waiting_upload_count
from dxdesk.sync.summary import SyncSummary
from dxdesk.wire.files import OCTET_STREAM

TOKEN = "dxd_file-token"
ID = "0b7c1e52-7d0e-4a47-9a0a-5d8e9f2c1a11"


def _client(handler: Callable[[httpx.Request], httpx.Response]) -> SyncApiClient:
    client = httpx.Client(base_url="https://dx.example.jp", transport=httpx.MockTransport(handler))
    return SyncApiClient(client, token=TOKEN, sleep=lambda _s: None)


def _problem(status: int, code: str, **extra: object) -> httpx.Response:
    body = {"type": f"https://dxdesk.invalid/problems/{code}", "status": status, "detail": "x"}
    return httpx.Response(status, json={**body, **extra})


def test_a_chunk_goes_streamed_at_its_offset_with_its_length() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        request.read()
        return httpx.Response(200, json={"received": 15, "size": 20, "complete": False})

    def pieces() -> Iterator[bytes]:
        yield b"12345"
        yield b"67890"

    state = _client(handler).upload_chunk(ID, 5, pieces(), 10)
    assert (state.received, state.complete) == (15, False)
    [request] = seen
    assert request.method == "PUT"
    assert request.url.path == f"/api/v1/files/{ID}/upload"
    assert request.url.params["offset"] == "5"
    assert request.headers["Content-Length"] == "10"
    assert "Transfer-Encoding" not in request.headers
    assert request.headers["Content-Type"] == OCTET_STREAM
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.content == b"1234567890"


@pytest.mark.parametrize(
    ("response", "words"),
    [
        (_problem(413, "file-too-large", limit=100 * 1024 * 1024), "1 ファイル 100 MB まで"),
        (_problem(413, "quota-exceeded", limit=5 * 1024**3), "保存容量の上限（5,120 MB）"),
        (_problem(422, "hash-mismatch"), "記録と一致しない"),
        (_problem(404, "not-found"), "サーバーにこのファイルがありません"),
    ],
)
def test_refusals_say_why_and_the_limit_in_megabytes(response: httpx.Response, words: str) -> None:
    client = _client(lambda request: response)
    with pytest.raises(ServerRefused) as refused:
        client.upload_state(ID)
    assert words in str(refused.value)
    assert refused.value.status == response.status_code


def test_a_push_refused_for_a_file_over_the_limit_says_the_limit_too() -> None:
    client = _client(lambda request: _problem(413, "file-too-large", limit=50 * 1024 * 1024))
    with pytest.raises(ServerRefused, match="50 MB まで"):
        client.me()


def test_a_download_resumes_with_a_range_and_reads_where_the_answer_starts() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        headers = {"Content-Range": "bytes 4-9/10", "Content-Length": "6"}
        return httpx.Response(206, content=b"456789", headers=headers)

    with _client(handler).download(ID, 4) as stream:
        assert (stream.start, stream.total) == (4, 10)
        assert b"".join(stream.chunks()) == b"456789"
    assert seen[0].headers["Range"] == "bytes=4-"
    assert seen[0].url.path == f"/api/v1/files/{ID}"


def test_a_whole_answer_to_a_range_starts_at_zero() -> None:
    client = _client(lambda request: httpx.Response(200, content=b"0123456789"))
    with client.download(ID, 4) as stream:
        assert (stream.start, stream.total) == (0, 10)


def test_a_range_answer_from_elsewhere_is_not_taken() -> None:
    headers = {"Content-Range": "bytes 0-9/10"}
    client = _client(lambda request: httpx.Response(206, content=b"0123456789", headers=headers))
    with pytest.raises(SyncError, match="応答が読めません"), client.download(ID, 4):
        pass


def test_a_download_refused_is_told_and_a_cut_stream_is_offline() -> None:
    client = _client(lambda request: _problem(404, "not-found"))
    with pytest.raises(ServerRefused, match="ファイルがありません"), client.download(ID):
        pass

    class Cut(httpx.SyncByteStream):
        def __iter__(self) -> Iterator[bytes]:
            yield b"0123"
            raise httpx.ReadError("connection reset")

    cut = _client(
        lambda request: httpx.Response(200, stream=Cut(), headers={"Content-Length": "10"})
    )
    # (The mock reads the body at once, so the cut comes as the answer opens; a cut amid the
    # bytes, after some arrived, is tests/e2e/test_attachments_faults.py's.)
    with pytest.raises(Offline, match="接続できません"), cut.download(ID) as stream:
        b"".join(stream.chunks())


@pytest.mark.parametrize(("status", "refused"), [(500, False), (429, False), (413, True)])
def test_only_an_answer_about_the_file_sets_it_aside(
    workspace: Workspace, tmp_path: Path, status: int, refused: bool
) -> None:
    visit = workspace.engagements.add({"municipality": "302015", "date": "2026-11-20"})
    source = tmp_path / "計画案.pdf"
    source.write_bytes(b"x" * 5000)
    [record] = workspace.attachments.attach("visit", str(visit["id"]), [source])
    with workspace.store.transaction() as session:  # its record is on the server
        session.execute(update(AttachmentRow).values(server_rev=1))

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            return httpx.Response(200, json={"received": 0, "size": 5000, "complete": False})
        return _problem(status, "file-too-large", limit=MAX_FILE_BYTES)

    summary = SyncSummary()
    if refused:
        upload_pending(workspace.store, _client(handler), summary)
        [conflict] = open_conflicts(workspace.store)
        assert (conflict.record_id, conflict.reason) == (record["id"], "refused")
        assert summary.files_refused == 1
    else:
        with pytest.raises(ServerRefused):
            upload_pending(workspace.store, _client(handler), summary)
        assert open_conflicts(workspace.store) == []  # the next sync tries again
    assert waiting_upload_count(workspace.store) == 1


def _sent(workspace: Workspace, tmp_path: Path, size: int = 5000) -> bytes:
    """An attachment whose record is on the server and whose bytes wait to go up."""
    visit = workspace.engagements.add({"municipality": "302015", "date": "2026-11-20"})
    source = tmp_path / "計画案.pdf"
    data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    source.write_bytes(data)
    workspace.attachments.attach("visit", str(visit["id"]), [source])
    with workspace.store.transaction() as session:
        session.execute(update(AttachmentRow).values(server_rev=1))
    return data


def _state(received: int, complete: bool = False, size: int = 5000) -> httpx.Response:
    return httpx.Response(200, json={"received": received, "size": size, "complete": complete})


def test_a_file_never_sent_goes_at_once_without_asking_first(
    workspace: Workspace, tmp_path: Path
) -> None:
    data = _sent(workspace, tmp_path)
    seen: list[tuple[str, str | None, bytes]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.method, request.url.params.get("offset"), request.read()))
        return _state(5000, complete=True)

    summary = SyncSummary()
    upload_pending(workspace.store, _client(handler), summary)
    assert seen == [("PUT", "0", data)]  # one round trip, no GET of the upload state
    assert summary.files_sent == 1 and waiting_upload_count(workspace.store) == 0


def test_a_file_the_server_holds_part_of_goes_on_from_what_its_409_says(
    workspace: Workspace, tmp_path: Path
) -> None:
    data = _sent(workspace, tmp_path)
    seen: list[tuple[str, str | None, bytes]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.method, request.url.params.get("offset"), request.read()))
        if request.url.params["offset"] == "0":  # an earlier sync was cut at 3000
            return _problem(409, "upload-offset", received=3000)
        return _state(5000, complete=True)

    upload_pending(workspace.store, _client(handler), SyncSummary())
    assert [(m, o) for m, o, _ in seen] == [("PUT", "0"), ("PUT", "3000")]
    assert seen[1][2] == data[3000:]
    assert waiting_upload_count(workspace.store) == 0


def test_a_409_saying_all_is_there_asks_the_server_whether_it_is_complete(
    workspace: Workspace, tmp_path: Path
) -> None:
    """The CLI's sync beside the window's finished the file first: not an error."""
    _sent(workspace, tmp_path)
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.method)
        if request.method == "GET":
            return _state(5000, complete=True)
        request.read()
        return _problem(409, "upload-offset", received=5000)

    summary = SyncSummary()
    upload_pending(workspace.store, _client(handler), summary)
    assert seen == ["PUT", "GET"]
    assert summary.files_sent == 1 and waiting_upload_count(workspace.store) == 0
    assert open_conflicts(workspace.store) == []


def test_a_file_larger_than_one_request_asks_where_to_start(
    workspace: Workspace, tmp_path: Path
) -> None:
    """A cut larger file would otherwise send a whole chunk again for nothing."""
    data = _sent(workspace, tmp_path)
    seen: list[tuple[str, str | None]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.method, request.url.params.get("offset")))
        if request.method == "GET":
            return _state(4000)
        assert request.read() == data[4000:]
        return _state(5000, complete=True)

    upload_pending(workspace.store, _client(handler), SyncSummary(), chunk_bytes=2000)
    assert seen == [("GET", None), ("PUT", "4000")]


def test_bytes_gone_from_this_laptop_are_set_aside_in_words(
    workspace: Workspace, tmp_path: Path
) -> None:
    data = _sent(workspace, tmp_path)
    workspace.files.path(hashlib.sha256(data).hexdigest()).unlink()

    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        return _state(5000, complete=True)

    summary = SyncSummary()
    upload_pending(workspace.store, _client(handler), summary)
    [conflict] = open_conflicts(workspace.store)
    assert "この端末にファイルの中身がありません" in conflict.detail
    assert summary.files_refused == 1 and summary.files_sent == 0


def test_bytes_damaged_on_this_laptop_are_set_aside_in_words_and_never_sent(
    workspace: Workspace, tmp_path: Path
) -> None:
    """The stored file is encrypted (models/file_cipher.py): a chunk that does not open is
    refused here, before any of it goes; the server never sees damaged bytes."""
    data = _sent(workspace, tmp_path)
    stored = workspace.files.path(hashlib.sha256(data).hexdigest())
    stored.chmod(0o600)
    damaged = bytearray(stored.read_bytes())
    damaged[-1] ^= 0x01  # the last chunk's tag
    stored.write_bytes(bytes(damaged))
    bodies: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        bodies.append(request.read())
        return _state(5000, complete=True)

    summary = SyncSummary()
    upload_pending(workspace.store, _client(handler), summary)
    [conflict] = open_conflicts(workspace.store)
    assert "この端末に保存されていたファイルが壊れています" in conflict.detail
    assert summary.files_refused == 1 and summary.files_sent == 0
    assert bodies == []
