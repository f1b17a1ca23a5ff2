"""The real server for tests: on SQLite and on PostgreSQL, over TLS on 127.0.0.1 with the dev CA.

PostgreSQL comes from ``DXDESK_TEST_PG`` (a URL whose user may create databases; ``.ci/run`` sets
it and starts the cluster). Without it the PostgreSQL cases are skipped, unless
``DXDESK_REQUIRE_PG`` is set, as in CI, where a missing database fails the run instead.
"""

from __future__ import annotations

import contextlib
import os
import queue
import re
import socket
import ssl
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import httpx
import pytest
import uvicorn
from sqlalchemy import create_engine, make_url, text

from dxdesk.server import admin
from dxdesk.server.app import create_app
from dxdesk.server.database import ServerDatabase, connect, initialise
from dxdesk.server.dev_tls import DevCertificates, ensure_dev_certificates
from dxdesk.server.settings import Settings
from dxdesk.wire.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION
from tests.child_process import stop
from tests.postgres_scratch import drop_database

PG_ENV = "DXDESK_TEST_PG"
REQUIRE_PG_ENV = "DXDESK_REQUIRE_PG"
PASSWORD = "correct horse battery"


def postgres_admin_url() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        if os.environ.get(REQUIRE_PG_ENV):
            pytest.fail(f"{PG_ENV} is not set but {REQUIRE_PG_ENV} asks for PostgreSQL")
        pytest.skip(f"PostgreSQL not configured ({PG_ENV})")
    return url


@contextlib.contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """A new empty database for one test, dropped afterwards."""
    admin_url = make_url(postgres_admin_url())
    name = f"dxdesk_test_{uuid.uuid4().hex[:12]}"
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        drop_database(engine, name)
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'server.sqlite3'}"
    else:
        with fresh_postgres_database() as url:
            yield url


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with fresh_postgres_database() as url:
        yield url


@pytest.fixture
def server_db(database_url: str) -> Iterator[ServerDatabase]:
    database = connect(database_url)
    initialise(database)
    yield database
    database.close()


@pytest.fixture(scope="session")
def dev_tls(tmp_path_factory: pytest.TempPathFactory) -> DevCertificates:
    return ensure_dev_certificates(tmp_path_factory.mktemp("tls"))


def add_user(
    database: ServerDatabase, name: str, role: str = "advisor", codes: tuple[str, ...] = ()
) -> None:
    with database.transaction() as session:
        admin.add_user(session, name=name, role=role, password=PASSWORD)
        if codes:
            admin.assign(session, name=name, codes=codes)


@dataclass
class RunningServer:
    base_url: str
    ca: Path
    database: ServerDatabase
    clients: list[httpx.Client] = field(default_factory=list)

    def client(self, **kwargs: Any) -> httpx.Client:
        """A client that trusts the dev CA; closed with the server, so shutdown does not wait."""
        context = ssl.create_default_context(cafile=str(self.ca))
        headers = {PROTOCOL_HEADER: str(PROTOCOL_VERSION), **kwargs.pop("headers", {})}
        client = httpx.Client(
            base_url=self.base_url, verify=context, headers=headers, timeout=30, **kwargs
        )
        self.clients.append(client)
        return client

    def login(self, user: str, device: str = "laptop") -> httpx.Client:
        """A client holding a fresh device token of ``user``."""
        with self.client() as client:
            answer = client.post(
                "/api/v1/login", json={"user": user, "password": PASSWORD, "device_name": device}
            )
        assert answer.status_code == 200, answer.text
        return self.client(headers={"Authorization": f"Bearer {answer.json()['token']}"})


@contextlib.contextmanager
def serve_in_thread(
    database: ServerDatabase, certificates: DevCertificates, settings: Settings | None = None
) -> Iterator[RunningServer]:
    settings = settings or Settings(database_url=database.engine.url.render_as_string(False))
    app = create_app(settings, database)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app,
        ssl_certfile=str(certificates.cert),
        ssl_keyfile=str(certificates.key),
        log_level="warning",
        timeout_graceful_shutdown=2,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            server.should_exit = True  # it may still start: it must not outlive the test
            thread.join(timeout=10)
            sock.close()
            raise RuntimeError("test server did not start")
        time.sleep(0.02)
    running = RunningServer(f"https://localhost:{port}", certificates.ca, database)
    try:
        yield running
    finally:
        for client in running.clients:
            client.close()
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture
def server(server_db: ServerDatabase, dev_tls: DevCertificates) -> Iterator[RunningServer]:
    with serve_in_thread(server_db, dev_tls) as running:
        yield running


def new_id() -> str:
    return str(uuid.uuid4())


def visit_change(
    record_id: str, municipality: str, *, op: str = "create", **fields: Any
) -> dict[str, Any]:
    values = {"municipality": municipality, "date": "2026-11-20", **fields}
    return {
        "kind": "visit",
        "id": record_id,
        "op": op,
        "fields": {name: {"value": value} for name, value in values.items()},
    }


def push(
    client: httpx.Client, *changes: dict[str, Any], push_id: str | None = None
) -> httpx.Response:
    return client.post(
        "/api/v1/sync/push", json={"push_id": push_id or new_id(), "changes": list(changes)}
    )


def pull_all(
    client: httpx.Client, cursor: str | None = None, limit: int = 1000
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Every page until ``more`` is false: the records in order and the last answer."""
    records: list[dict[str, Any]] = []
    while True:
        answer = client.post("/api/v1/sync/pull", json={"cursor": cursor, "limit": limit})
        assert answer.status_code == 200, answer.text
        page = answer.json()
        records.extend(page["records"])
        cursor = page["cursor"]
        if not page["more"]:
            return records, page


SERVER_START_TIMEOUT = 60.0  # seconds until the server says where it listens


def start_server_process(
    url: str, tls_dir: Path, port: int = 0, *serve_options: str
) -> tuple[subprocess.Popen[str], str]:
    """``dxdesk-server serve --dev-tls`` in a child process; returns it and its https URL.

    The caller ends it with ``tests.child_process.stop`` in a ``finally`` (``server_process``
    does). A server that does not say where it listens within SERVER_START_TIMEOUT is stopped
    and fails the test. Its output is read to the end in the background: uvicorn logs every
    request to stdout, and a full pipe would freeze the server.
    """
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "dxdesk.server",
            "--db",
            url,
            "serve",
            "--dev-tls",
            str(tls_dir),
            "--port",
            str(port),
            *serve_options,
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    first_line: queue.Queue[str] = queue.Queue()

    def read_output(output: IO[str]) -> None:
        with output:  # closed here, at the end of the output, where nothing reads it any more
            first_line.put(output.readline())
            output.read()

    assert process.stdout is not None
    threading.Thread(target=read_output, args=(process.stdout,), daemon=True).start()
    try:
        line = first_line.get(timeout=SERVER_START_TIMEOUT)
    except queue.Empty:
        line = f"nothing in {SERVER_START_TIMEOUT:g} s"
    match = re.search(r"https://127\.0\.0\.1:(\d+)", line)
    if match is None:
        stop(process)
        raise AssertionError(f"server did not say where it listens: {line!r}")
    return process, f"https://localhost:{match.group(1)}"


@contextlib.contextmanager
def server_process(
    url: str, tls_dir: Path, port: int = 0, *serve_options: str
) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """``start_server_process``, stopped when the block ends, however it ends."""
    process, base_url = start_server_process(url, tls_dir, port, *serve_options)
    try:
        yield process, base_url
    finally:
        stop(process)
