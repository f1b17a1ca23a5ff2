"""Faults during sync: cut connections, a killed client, a restarted server.

After each, the next sync converges: every edit is on the server exactly once and the laptop
has nothing left to send.
"""

from __future__ import annotations

import os
import random
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
from sqlalchemy import func, select

from dxdesk.models import store_key
from dxdesk.server.database import ServerDatabase, connect, initialise
from dxdesk.server.tables import AuditEntry, Record
from dxdesk.services.workspace import Workspace, open_workspace
from dxdesk.sync import account
from dxdesk.sync.api_client import SyncApiClient, SyncError
from dxdesk.sync.engine import SyncEngine
from dxdesk.sync.push import META_OUTBOX
from dxdesk.wire.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION
from tests.child_process import stop
from tests.conftest import STORE_PASSPHRASE
from tests.e2e.tcp_proxy import TcpProxy
from tests.server.fixtures import PASSWORD, RunningServer, add_user, start_server_process

WAKAYAMA = "302015"
LONG_NOTE = "議事録の本文。" * 1500  # about 30 KB of UTF-8 per record


def _token(server: RunningServer, user: str) -> str:
    with server.client() as client:
        answer = client.post(
            "/api/v1/login", json={"user": user, "password": PASSWORD, "device_name": "pc"}
        )
    return str(answer.json()["token"])


def _client(ca: Path, port: int) -> httpx.Client:
    return httpx.Client(
        base_url=f"https://localhost:{port}",
        verify=ssl.create_default_context(cafile=str(ca)),
        headers={PROTOCOL_HEADER: str(PROTOCOL_VERSION)},
        timeout=30,
    )


def _server_records(database: ServerDatabase) -> dict[str, Record]:
    with database.transaction() as session:
        return {r.id: r for r in session.scalars(select(Record))}


def _add_visits(workspace: Workspace, count: int, note: str = LONG_NOTE) -> list[str]:
    return [
        str(
            workspace.engagements.add(
                {
                    "municipality": WAKAYAMA,
                    "date": "2026-11-20",
                    "title": f"訪問 {i}",
                    "notes": note,
                }
            )["id"]
        )
        for i in range(count)
    ]


def test_a_connection_cut_mid_request_or_mid_answer_is_retried_without_applying_twice(
    server: RunningServer, tmp_path: Path
) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    port = int(server.base_url.rsplit(":", 1)[1])
    proxy = TcpProxy(port)
    workspace = open_workspace(tmp_path / "laptop")
    workspace.store.clear_records()
    transport = SyncApiClient(
        _client(server.ca, proxy.port), token=_token(server, "tanaka"), backoff=0.05
    )
    engine = SyncEngine(workspace.store, transport)
    try:
        ids = _add_visits(workspace, 20)
        proxy.cut_upstream_after = 200_000  # inside the 600 KB push body
        assert engine.sync().pushed == 20
        assert proxy.cuts == 1
        # Notes that gzip cannot shrink much: the push answer, which carries the values the
        # server now holds, is then some 200 KB, and the cut falls inside it.
        notes = {record_id: os.urandom(5_000).hex() for record_id in ids}
        for record_id in ids:
            workspace.engagements.update(record_id, {"title": "更新", "notes": notes[record_id]})
        proxy.cut_downstream_after = 30_000  # inside the answer, after the server applied it
        summary = engine.sync()
        assert proxy.cuts == 2 and summary.conflicts == 0
        records = _server_records(server.database)
        assert set(records) == set(ids)
        assert all(r.fields["title"] == "更新" for r in records.values())
        assert {r.id: r.fields["notes"] for r in records.values()} == notes
        with server.database.transaction() as session:
            updates = session.scalar(
                select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "update")
            )
        assert updates == 20  # the replayed push applied nothing a second time
        assert workspace.store.pending_record_count() == 0
    finally:
        transport.close()
        workspace.close()
        proxy.close()


def _sync_process(data_dir: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    process = subprocess.Popen(
        [sys.executable, "-m", "dxdesk", "--data-dir", str(data_dir), "sync", "--password-stdin"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        assert process.stdin is not None
        process.stdin.write(PASSWORD + "\n")
        process.stdin.close()
    except BaseException:
        stop(process)
        raise
    return process


def test_a_client_killed_at_random_points_of_a_sync_converges_next_time(
    server: RunningServer, tmp_path: Path, no_keychain: None
) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    data_dir = tmp_path / "laptop"
    store_key.unlock(data_dir, STORE_PASSPHRASE)  # no keychain: the store's passphrase
    workspace = open_workspace(data_dir)
    workspace.store.clear_records()
    account.login(
        workspace.store,
        server=server.base_url,
        user="tanaka",
        password=PASSWORD,
        ca_file=str(server.ca),
    )
    rng = random.Random(20261122)
    ids: list[str] = []
    try:
        for round_ in range(6):
            ids += _add_visits(workspace, 60, note=f"第{round_}回のメモ\n" * 200)
            for record_id in rng.sample(ids, min(10, len(ids))):
                workspace.engagements.update(record_id, {"title": f"改訂 {round_}"})
            process = _sync_process(data_dir)
            try:
                time.sleep(rng.uniform(0.3, 2.0))
            finally:
                process.send_signal(signal.SIGKILL)
                process.wait(timeout=10)
        summary = account.run_sync(workspace.store, password=PASSWORD)
        assert summary.conflicts == 0
        local = {r["id"]: r for r in workspace.engagements.list_records()}
        remote = _server_records(server.database)
        assert set(local) == set(remote) == set(ids)
        for record_id, record in local.items():
            assert remote[record_id].fields["title"] == record["title"]
            assert remote[record_id].fields["notes"] == record["notes"]
        assert workspace.store.pending_record_count() == 0
        assert not workspace.store.meta(META_OUTBOX)
    finally:
        workspace.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(url: str, tls_dir: Path, port: int) -> subprocess.Popen[str]:
    return start_server_process(url, tls_dir, port)[0]


def test_a_server_restarted_mid_push_loses_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    database = connect(url)
    initialise(database)
    add_user(database, "tanaka", codes=(WAKAYAMA,))
    tls_dir, port = tmp_path / "tls", _free_port()
    workspace = open_workspace(tmp_path / "laptop")
    workspace.store.clear_records()
    process = _serve(url, tls_dir, port)  # stopped in the finally, whatever happens after this
    try:
        running = RunningServer(f"https://localhost:{port}", tls_dir / "dev-ca.pem", database)
        transport = SyncApiClient(
            _client(running.ca, port), token=_token(running, "tanaka"), backoff=0.2
        )
        ids = _add_visits(workspace, 1500, note="短いメモ")
        errors: list[Exception] = []

        def first_sync() -> None:
            try:
                SyncEngine(workspace.store, transport).sync()
            except SyncError as exc:  # allowed: the next sync must converge
                errors.append(exc)

        worker = threading.Thread(target=first_sync, daemon=True)
        worker.start()
        time.sleep(0.8)
        process.kill()  # mid-push: 1,500 creates go in batches of 500
        process.wait(timeout=10)
        process = _serve(url, tls_dir, port)
        worker.join(timeout=120)
        assert not worker.is_alive(), "the first sync did not end after the restart"
        SyncEngine(workspace.store, transport).sync()
        remote = _server_records(database)
        assert set(remote) == set(ids)
        assert workspace.store.pending_record_count() == 0
        transport.close()
    finally:
        stop(process)
        workspace.close()
        database.close()
