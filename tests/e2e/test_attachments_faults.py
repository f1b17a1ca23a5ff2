"""Attachments' bytes through faults, on SQLite and PostgreSQL servers over TLS: a link cut
mid-upload or mid-download resumes where it stopped (fewer bytes go again than the file
holds), a laptop killed mid-download leaves nothing that looks complete, and a file the server
refuses is shown once, not sent again and again.
"""

from __future__ import annotations

import hashlib
import os
import select
import signal
import ssl
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from dxdesk.domain.progress import Cancelled, CancelToken
from dxdesk.models import file_cipher
from dxdesk.models.file_store import file_store_of
from dxdesk.server import admin
from dxdesk.server.database import ServerDatabase
from dxdesk.server.dev_tls import DevCertificates
from dxdesk.server.settings import Settings
from dxdesk.services.workspace import Workspace, open_workspace
from dxdesk.sync.api_client import SyncApiClient
from dxdesk.sync.conflicts import open_conflicts, resolve
from dxdesk.sync.engine import SyncEngine, SyncSummary
from dxdesk.sync.file_budget import FileBudget, set_budget
from dxdesk.sync.files import download_one, waiting_upload_count
from dxdesk.wire.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION
from tests.child_process import stop
from tests.e2e.tcp_proxy import TcpProxy
from tests.server.fixtures import PASSWORD, RunningServer, add_user, serve_in_thread
from tests.store_files import stored_bytes

WAKAYAMA = "302015"
SIZE = 3 * 1024 * 1024
CHUNK = 256 * 1024  # the upload's chunk in these tests, so that a cut falls between chunks
STARTS_WITHIN = 60.0  # seconds a child has to start its download (a bound, not a measure)


@dataclass
class CountingProxy(TcpProxy):
    """The fault proxy, also counting the bytes each way, and where they stood at its cut."""

    up: int = 0
    down: int = 0
    at_cut: tuple[int, int] | None = None
    _count: threading.Lock = field(default_factory=threading.Lock)

    def _passes(self, upstream: bool, size: int) -> int | None:
        allowed = super()._passes(upstream, size)
        with self._count:
            passed = size if allowed is None else allowed
            if upstream:
                self.up += passed
            else:
                self.down += passed
            if allowed is not None:
                self.at_cut = (self.up, self.down)
        return allowed


def _token(server: RunningServer, user: str, device: str) -> str:
    with server.client() as client:
        answer = client.post(
            "/api/v1/login", json={"user": user, "password": PASSWORD, "device_name": device}
        )
    assert answer.status_code == 200, answer.text
    return str(answer.json()["token"])


def _client(ca: Path, url: str) -> httpx.Client:
    return httpx.Client(
        base_url=url,
        verify=ssl.create_default_context(cafile=str(ca)),
        headers={PROTOCOL_HEADER: str(PROTOCOL_VERSION)},
        timeout=30,
    )


@dataclass
class Laptop:
    workspace: Workspace
    engine: SyncEngine
    transport: SyncApiClient

    def sync(self, records_done: Callable[[SyncSummary], None] | None = None) -> SyncSummary:
        return self.engine.sync(records_done)


MakeLaptop = Callable[..., Laptop]  # (name, proxy=None)


@pytest.fixture
def laptop(server: RunningServer, tmp_path: Path) -> Iterator[MakeLaptop]:
    """A laptop of tanaka's, straight to the server or through ``proxy``."""
    opened: list[Laptop] = []

    def make(name: str, proxy: TcpProxy | None = None) -> Laptop:
        workspace = open_workspace(tmp_path / name)
        workspace.store.clear_records()
        url = server.base_url if proxy is None else f"https://localhost:{proxy.port}"
        transport = SyncApiClient(
            _client(server.ca, url), token=_token(server, "tanaka", name), backoff=0.05
        )
        engine = SyncEngine(workspace.store, transport, upload_chunk=CHUNK)
        opened.append(Laptop(workspace, engine, transport))
        return opened[-1]

    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    yield make
    for each in opened:
        each.transport.close()
        each.workspace.close()


def _attach(laptop: Laptop, folder: Path, size: int = SIZE) -> tuple[dict[str, object], bytes]:
    visit = laptop.workspace.engagements.add(
        {"municipality": WAKAYAMA, "date": "2026-11-20", "title": "計画案の相談"}
    )
    data = os.urandom(size)
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "計画案.pdf"
    source.write_bytes(data)
    [record] = laptop.workspace.attachments.attach("visit", str(visit["id"]), [source])
    return record, data


def _download(transport: SyncApiClient, attachment_id: str) -> bytes:
    with transport.download(attachment_id) as stream:
        return b"".join(stream.chunks())


def test_a_cut_mid_upload_resumes_from_what_the_server_has(
    server: RunningServer, laptop: MakeLaptop, tmp_path: Path
) -> None:
    port = int(server.base_url.rsplit(":", 1)[1])
    proxy = CountingProxy(port)
    try:
        office = laptop("office", proxy)
        record, data = _attach(office, tmp_path / "desk")

        def cut_halfway_through_the_file(_summary: SyncSummary) -> None:
            proxy.cut_upstream_after = SIZE // 2

        summary = office.sync(records_done=cut_halfway_through_the_file)
        assert (proxy.cuts, summary.files_sent) == (1, 1)
        assert waiting_upload_count(office.workspace.store) == 0
        assert proxy.at_cut is not None
        resent = proxy.up - proxy.at_cut[0]
        assert resent < SIZE // 2 + 2 * CHUNK  # the rest and the chunk the cut broke, no more
        assert resent < SIZE
        assert _download(office.transport, str(record["id"])) == data
    finally:
        proxy.close()


def test_a_cut_mid_download_resumes_with_a_range(
    server: RunningServer, laptop: MakeLaptop, tmp_path: Path
) -> None:
    office = laptop("office")
    record, data = _attach(office, tmp_path / "desk")
    office.sync()
    port = int(server.base_url.rsplit(":", 1)[1])
    proxy = CountingProxy(port)
    try:
        home = laptop("home", proxy)

        def cut_halfway_through_the_file(_summary: SyncSummary) -> None:
            proxy.cut_downstream_after = SIZE // 2

        summary = home.sync(records_done=cut_halfway_through_the_file)
        assert (proxy.cuts, summary.files_received) == (1, 1)
        assert proxy.at_cut is not None
        received_again = proxy.down - proxy.at_cut[1]
        assert received_again < SIZE // 2 + CHUNK
        files = file_store_of(home.workspace.store)
        assert stored_bytes(files, str(record["sha256"])) == data
        assert not files.partial_path(str(record["sha256"])).exists()
    finally:
        proxy.close()


CHILD = """
import ssl, sys
from pathlib import Path
import httpx
from dxdesk.services.workspace import open_workspace
from dxdesk.sync.api_client import SyncApiClient
from dxdesk.sync.conflicts import open_conflicts, resolve
from dxdesk.sync.files import download_one
from dxdesk.wire.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION

data_dir, url, ca, token, attachment = sys.argv[1:6]
workspace = open_workspace(Path(data_dir))
client = httpx.Client(
    base_url=url,
    verify=ssl.create_default_context(cafile=ca),
    headers={PROTOCOL_HEADER: str(PROTOCOL_VERSION)},
)

def progress(done, total):
    print(done, total, flush=True)
    sys.stdin.readline()  # holds here, mid-download, until the test kills this process

download_one(workspace.store, SyncApiClient(client, token=token), attachment, progress=progress)
"""


def test_a_laptop_killed_mid_download_leaves_nothing_that_looks_complete(
    server: RunningServer, laptop: MakeLaptop, tmp_path: Path
) -> None:
    office = laptop("office")
    record, data = _attach(office, tmp_path / "desk")
    office.sync()
    home = laptop("home")
    set_budget(home.workspace.store, FileBudget(months=0))  # the record only, for now
    assert home.sync().files_received == 0
    sha256 = str(record["sha256"])
    args = [str(tmp_path / "home"), server.base_url, str(server.ca)]
    args += [_token(server, "tanaka", "home-child"), str(record["id"])]
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        ready, _, _ = select.select([child.stdout], [], [], STARTS_WITHIN)
        assert ready, "the child did not start its download"
        done, total = map(int, child.stdout.readline().split())
        assert 0 < done < total == SIZE
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        stop(child)
        for pipe in (child.stdin, child.stdout, child.stderr):
            if pipe is not None:
                pipe.close()

    files = file_store_of(home.workspace.store)
    assert not files.has(sha256)
    assert [p for p in files.root.rglob("*") if p.name == sha256] == []
    part = files.partial_path(sha256)
    assert not part.exists() or part.stat().st_size < SIZE

    set_budget(home.workspace.store, FileBudget())
    assert home.sync().files_received == 1  # the next sync completes it
    assert stored_bytes(files, sha256) == data
    assert hashlib.sha256(stored_bytes(files, sha256)).hexdigest() == sha256
    assert not part.exists()


@pytest.fixture
def small_server(server_db: ServerDatabase, dev_tls: DevCertificates) -> Iterator[RunningServer]:
    """A server taking files of 2 MB at most, and 1 MB in all for each account."""
    settings = Settings(
        database_url=server_db.engine.url.render_as_string(False),
        max_file_bytes=2 * 1024 * 1024,
        file_quota_bytes=1024 * 1024,
    )
    with serve_in_thread(server_db, dev_tls, settings) as running:
        add_user(running.database, "tanaka", codes=(WAKAYAMA,))
        yield running


def test_a_file_over_the_limit_per_file_is_refused_with_its_record_saying_the_limit(
    small_server: RunningServer, tmp_path: Path
) -> None:
    server = small_server
    workspace = open_workspace(tmp_path / "office")
    workspace.store.clear_records()
    transport = SyncApiClient(
        _client(server.ca, server.base_url), token=_token(server, "tanaka", "office")
    )
    try:
        office = Laptop(workspace, SyncEngine(workspace.store, transport), transport)
        record, _ = _attach(office, tmp_path / "desk", size=3 * 1024 * 1024)
        summary = office.sync()
        assert (summary.pushed, summary.conflicts, summary.files_sent) == (1, 1, 0)
        [conflict] = open_conflicts(workspace.store)
        assert (conflict.record_id, conflict.reason) == (record["id"], "refused")
        assert "1 ファイル 2 MB まで" in conflict.detail
        assert office.sync().conflicts == 0  # shown once: nothing goes again meanwhile
        assert waiting_upload_count(workspace.store) == 1
        resolve(workspace.store, conflict.id, take="theirs")  # 送らずに取り下げる
        assert office.sync().conflicts == 0
        assert waiting_upload_count(workspace.store) == 0  # no longer counted as waiting
    finally:
        transport.close()
        workspace.close()


def test_a_file_over_the_quota_is_refused_shown_once_and_not_sent_again(
    small_server: RunningServer, tmp_path: Path
) -> None:
    server = small_server
    workspace = open_workspace(tmp_path / "office")
    workspace.store.clear_records()
    transport = SyncApiClient(
        _client(server.ca, server.base_url), token=_token(server, "tanaka", "office")
    )
    try:
        engine = SyncEngine(workspace.store, transport, upload_chunk=CHUNK)
        office = Laptop(workspace, engine, transport)
        record, _ = _attach(office, tmp_path / "desk", size=1536 * 1024)
        summary = office.sync()
        assert (summary.files_refused, summary.files_sent) == (1, 0)
        [conflict] = open_conflicts(workspace.store)
        assert (conflict.record_id, conflict.reason) == (record["id"], "refused")
        assert "計画案.pdf" in conflict.detail and "1 MB" in conflict.detail
        # Not sent again until the person decides; still counted as waiting to go up.
        summary = office.sync()
        assert (summary.files_refused, summary.files_sent, summary.conflicts) == (0, 0, 0)
        assert waiting_upload_count(workspace.store) == 1
        # 「もう一度送る」: tried once more at the next sync (and refused again, shown again).
        resolve(workspace.store, conflict.id, take="mine")
        summary = office.sync()
        assert (summary.files_refused, summary.files_sent) == (1, 0)
        [conflict] = open_conflicts(workspace.store)
        # 「送らずに取り下げる」: the file stays here only, and no longer waits to go up.
        resolve(workspace.store, conflict.id, take="theirs")
        summary = office.sync()
        assert (summary.files_refused, summary.conflicts) == (0, 0)
        assert waiting_upload_count(workspace.store) == 0
        assert workspace.files.has(str(record["sha256"]))
    finally:
        transport.close()
        workspace.close()


def test_records_go_first_and_a_cancel_stops_before_the_files_which_go_next_time(
    server: RunningServer, laptop: MakeLaptop, tmp_path: Path
) -> None:
    office = laptop("office")
    record, data = _attach(office, tmp_path / "desk")
    cancel = CancelToken()
    office.engine = SyncEngine(office.workspace.store, office.transport, cancel=cancel)
    stored: list[int] = []

    def records_done(summary: SyncSummary) -> None:
        stored.append(summary.pushed)
        cancel.cancel()  # 中止, once the records are in

    with pytest.raises(Cancelled):
        office.sync(records_done)
    assert stored == [2]  # the visit and the attachment's record, before any byte
    assert waiting_upload_count(office.workspace.store) == 1
    assert office.transport.upload_state(str(record["id"])).received == 0

    # 和歌山市 is taken off tanaka meanwhile: the file still goes up, within the grace (before
    # the pull that tells the laptop ends it), then the municipality leaves with its files.
    with server.database.transaction() as session:
        admin.unassign(session, name="tanaka", codes=[WAKAYAMA])
    office.engine = SyncEngine(office.workspace.store, office.transport)
    summary = office.sync()
    assert (summary.files_sent, summary.files_refused, summary.evicted) == (1, 0, [WAKAYAMA])
    assert list(file_store_of(office.workspace.store).stored()) == []
    add_user(server.database, "suzuki", codes=(WAKAYAMA,))
    colleague = SyncApiClient(
        _client(server.ca, server.base_url), token=_token(server, "suzuki", "suzuki")
    )
    try:
        assert _download(colleague, str(record["id"])) == data
    finally:
        colleague.close()


def test_a_download_cancelled_midway_stops_at_once_and_the_next_goes_on_from_there(
    laptop: MakeLaptop, tmp_path: Path
) -> None:
    office = laptop("office")
    record, data = _attach(office, tmp_path / "desk")
    office.sync()
    home = laptop("home")
    set_budget(home.workspace.store, FileBudget(months=0))
    home.sync()
    cancel = CancelToken()
    first: list[int] = []

    def stop_after_the_first_piece(done: int, _total: int) -> None:
        first.append(done)
        cancel.cancel()

    attachment_id, sha256 = str(record["id"]), str(record["sha256"])
    with pytest.raises(Cancelled):
        download_one(
            home.workspace.store,
            home.transport,
            attachment_id,
            progress=stop_after_the_first_piece,
            cancel=cancel,
        )
    files = file_store_of(home.workspace.store)
    part = files.partial_path(sha256)
    assert not files.has(sha256)
    assert len(first) == 1 and 0 < first[0] < SIZE  # stopped after one piece
    # What it left on disk, encrypted: the whole 64 KiB chunks of that piece.
    whole = first[0] // file_cipher.CHUNK
    assert part.stat().st_size == file_cipher.HEADER_BYTES + whole * file_cipher.SEALED

    resumed: list[int] = []
    download_one(
        home.workspace.store,
        home.transport,
        attachment_id,
        progress=lambda done, _total: resumed.append(done),
    )
    assert resumed[0] > first[0]  # went on from what was here, not from the start
    assert stored_bytes(files, sha256) == data


def test_bytes_damaged_on_this_laptop_are_refused_by_the_server_and_shown(
    laptop: MakeLaptop, tmp_path: Path
) -> None:
    office = laptop("office")
    record, data = _attach(office, tmp_path / "desk", size=CHUNK + 1000)
    stored = file_store_of(office.workspace.store).path(str(record["sha256"]))
    stored.chmod(0o600)
    stored.write_bytes(bytes([data[0] ^ 0xFF]) + data[1:])  # one byte flipped on the disk
    summary = office.sync()
    assert (summary.files_refused, summary.files_sent) == (1, 0)
    [conflict] = open_conflicts(office.workspace.store)
    assert conflict.record_id == record["id"] and "記録と一致しない" in conflict.detail
    assert office.transport.upload_state(str(record["id"])).received == 0  # nothing kept there
