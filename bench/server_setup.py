"""The server side of ``bench.server_sync``: a scratch PostgreSQL database, records written in
bulk, the plain-SQL baseline, accounts, and ``dxdesk-server serve`` in a child process.

``scratch_database`` and ``serve`` are context managers that undo themselves whatever happens:
the database is dropped (connections forced off) and the server terminated.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import ssl
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import IO, Any

import httpx
import psycopg
from sqlalchemy import create_engine, make_url, text

from bench.large_store import NOTE_SENTENCES, PEOPLE, SUMMARIES
from dxdesk.domain.vocabulary import ENGAGEMENT_TYPES, MODES, THEMES
from dxdesk.server import admin
from dxdesk.server.database import ServerDatabase
from dxdesk.server.dev_tls import ensure_dev_certificates
from dxdesk.wire.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION
from tests.postgres_scratch import drop_database

SEED = 20251123
CLIENTS = 50  # advisor accounts
ASSIGNED_EACH = 3  # municipalities per advisor
NOTE_BYTES = (500, 1_500)
PASSWORD = "bench password 123"
COORDINATOR = "jimukyoku"
REQUEST_TIMEOUT_S = 120.0


class BenchFailure(Exception):
    """The benchmark could not run to the end; the message says where."""


def progress(message: str) -> None:
    sys.stderr.write(f"bench: server: {message}\n")
    sys.stderr.flush()


# --- the scratch database -------------------------------------------------------------------


@contextlib.contextmanager
def scratch_database(admin_url: str) -> Iterator[str]:
    """A new empty database, dropped afterwards whatever happens (connections are forced off)."""
    url = make_url(admin_url)
    name = f"dxdesk_bench_{uuid.uuid4().hex[:12]}"
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield url.set(database=name).render_as_string(hide_password=False)
        finally:
            drop_database(engine, name)
            progress(f"dropped database {name}")
    finally:
        engine.dispose()


def libpq_url(sqlalchemy_url: str) -> str:
    return make_url(sqlalchemy_url).set(drivername="postgresql").render_as_string(False)


# --- records written in bulk ----------------------------------------------------------------


def japanese_note(rng: random.Random) -> str:
    size = rng.randint(*NOTE_BYTES)
    parts: list[str] = []
    written = 0
    while written < size:
        sentence = rng.choice(NOTE_SENTENCES)
        parts.append(sentence)
        written += len(sentence.encode())
    return "".join(parts)


def visit_fields(rng: random.Random, code: str, day: date, n: int) -> dict[str, Any]:
    """A visit's fields as the server stores them after a push (every field, JSON form)."""
    summary = rng.choice(SUMMARIES)
    return {
        "municipality": code,
        "date": day.isoformat(),
        "type": rng.choice(list(ENGAGEMENT_TYPES)),
        "mode": rng.choice(list(MODES)),
        "title": f"{summary}（{n + 1}）",
        "municipal_attendees": rng.sample(PEOPLE[:3], 2),
        "advisor_attendees": [rng.choice(PEOPLE[3:])],
        "themes": rng.sample(THEMES, rng.randrange(1, 3)),
        "summary": summary,
        "notes": japanese_note(rng),
    }


@dataclass(frozen=True)
class Loaded:
    records: int
    seconds: float
    megabytes: float  # the fields as JSON text, UTF-8


def insert_records(database_url: str, codes: Sequence[str], count: int) -> Loaded:
    """``count`` visits by COPY, revisions 1..count in date order, the clock set to count."""
    started = time.perf_counter()
    rng = random.Random(SEED)
    today = date.today()
    first_day = today - timedelta(days=5 * 365)
    days = sorted(first_day + timedelta(days=rng.randrange(5 * 365)) for _ in range(count))
    size = 0
    columns = (
        "id, kind, scope_code, previous_scope_code, fields, rev, scope_rev, deleted, "
        "created_at, created_by, updated_at, updated_by, updated_device"
    )
    with psycopg.connect(libpq_url(database_url)) as connection:
        clock = connection.execute("SELECT value FROM sync_clock WHERE id = 1").fetchone()
        if clock is None or clock[0] != 0:
            raise BenchFailure(f"sync_clock of a fresh database is {clock}, not 0")
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY record ({columns}) FROM STDIN") as copy,
        ):
            for n, day in enumerate(days):
                code = codes[n % len(codes)]
                fields = json.dumps(visit_fields(rng, code, day, n), ensure_ascii=False)
                size += len(fields.encode())
                stamp = datetime(day.year, day.month, day.day, 9 + rng.randrange(9))
                author = rng.choice(PEOPLE[3:])
                copy.write_row(
                    (
                        str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                        "visit",
                        code,
                        None,
                        fields,
                        n + 1,
                        n + 1,  # scope_rev: made in its municipality at its revision
                        False,
                        stamp,
                        author,
                        stamp,
                        author,
                        None,
                    )
                )
        connection.execute("UPDATE sync_clock SET value = %s WHERE id = 1", (count,))
        connection.commit()
        connection.autocommit = True
        connection.execute("VACUUM ANALYZE record")
    return Loaded(count, time.perf_counter() - started, size / 1_000_000)


def baseline_select_json(database_url: str) -> tuple[float, int, int]:
    """One plain query of every record in revision order, serialised with ``json.dumps``.

    Returns seconds, rows and bytes of JSON (UTF-8).
    """
    started = time.perf_counter()
    with psycopg.connect(libpq_url(database_url)) as connection:
        rows = connection.execute(
            "SELECT kind, id, rev, deleted, scope_code, fields, updated_by, updated_at "
            "FROM record ORDER BY rev"
        ).fetchall()
    document = json.dumps(
        [
            {
                "kind": kind,
                "id": record_id,
                "rev": rev,
                "deleted": deleted,
                "municipality": code,
                "fields": fields,
                "updated_by": by,
                "updated_at": at.replace(tzinfo=UTC).isoformat(),
            }
            for kind, record_id, rev, deleted, code, fields, by, at in rows
        ],
        ensure_ascii=False,
    )
    size = len(document.encode())
    return time.perf_counter() - started, len(rows), size


# --- accounts -------------------------------------------------------------------------------


def add_accounts(database: ServerDatabase, codes: Sequence[str]) -> dict[str, list[str]]:
    """The coordinator and the advisors (through ``admin``); returns each advisor's codes."""
    plan = {
        f"advisor{i + 1:02d}": [codes[(i * ASSIGNED_EACH + k) % len(codes)] for k in range(3)]
        for i in range(CLIENTS)
    }

    def add(name: str, role: str, assigned: Sequence[str]) -> None:
        with database.transaction() as session:
            admin.add_user(session, name=name, role=role, password=PASSWORD)
            if assigned:
                admin.assign(session, name=name, codes=assigned)

    # argon2 releases the GIL: two at a time on two cores.
    jobs: list[tuple[str, str, list[str]]] = [(COORDINATOR, "coordinator", [])] + [
        (n, "advisor", c) for n, c in plan.items()
    ]
    errors: list[BaseException] = []

    def worker(part: list[tuple[str, str, list[str]]]) -> None:
        try:
            for job in part:
                add(*job)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(jobs[i::2],)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise BenchFailure(f"adding accounts failed: {errors[0]!r}")
    return plan


# --- the server in a child process ----------------------------------------------------------


@dataclass
class Server:
    base_url: str
    ca: Path
    process: subprocess.Popen[str]
    log: Path

    def client(self, token: str | None = None, source: str | None = None) -> httpx.Client:
        """A client over TLS; ``source`` is the loopback address it connects from.

        The server caps the connections one address may hold open, as it should for laptops
        each on their own address: a client standing for one of many laptops connects from
        its own 127.x.y.z (all of 127.0.0.0/8 is this machine's loopback).
        """
        context = ssl.create_default_context(cafile=str(self.ca))
        headers = {PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        transport = httpx.HTTPTransport(verify=context, local_address=source)
        return httpx.Client(
            base_url=self.base_url, transport=transport, headers=headers, timeout=REQUEST_TIMEOUT_S
        )

    def login(self, user: str, device: str, source: str | None = None) -> httpx.Client:
        with self.client(source=source) as client:
            answer = client.post(
                "/api/v1/login", json={"user": user, "password": PASSWORD, "device_name": device}
            )
        if answer.status_code != 200:
            raise BenchFailure(f"login of {user} answered {answer.status_code}: {answer.text}")
        return self.client(answer.json()["token"], source)

    def log_tail(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-3000:]
        except OSError:
            return ""


def laptop_address(index: int) -> str:
    """The loopback address the ``index``-th simulated laptop connects from (127.0.1.1 onwards)."""
    return f"127.0.{1 + index // 250}.{1 + index % 250}"


@contextlib.contextmanager
def serve(python: str, database_url: str, tls_dir: Path) -> Iterator[Server]:
    certificates = ensure_dev_certificates(tls_dir)
    log = tls_dir.parent / "server.log"
    command = [
        python,
        "-m",
        "dxdesk.server",
        "--db",
        database_url,
        "serve",
        "--dev-tls",
        str(tls_dir),
        "--port",
        "0",
    ]
    with log.open("w") as log_file:
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=log_file,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # the server says where it listens, then serves
        match = re.search(r"https://127\.0\.0\.1:(\d+)", line)
        if match is None:
            raise BenchFailure(f"the server did not start: {line!r} {log.read_text()[-2000:]}")
        # uvicorn's access log goes to stdout: keep draining it, or the server blocks on a
        # full pipe after a few hundred requests.
        threading.Thread(target=_drain, args=(process.stdout, log), daemon=True).start()
        server = Server(f"https://localhost:{match.group(1)}", certificates.ca, process, log)
        with server.client() as client:
            deadline = time.monotonic() + 30
            while True:
                try:
                    if client.get("/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline or process.poll() is not None:
                    raise BenchFailure(f"the server is not healthy: {server.log_tail()}")
                time.sleep(0.05)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _drain(stream: IO[str], log: Path) -> None:
    with log.open("a") as out:
        for line in stream:
            out.write(line)
