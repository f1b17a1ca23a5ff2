"""Slow clients are cut off and the server stays responsive (issue 17, finding 6).

200 connections sending a header line every 5 s stayed open for 40 s, and a body shorter than
its Content-Length was held for good. Here the real ``dxdesk-server serve`` runs in a child
process over TLS (the dev CA) on 127.0.0.1 with short bounds given as ``serve`` options, and the
slow clients connect from other loopback addresses (127.0.0.2 and up), so that /healthz from
127.0.0.1 is another client's view of the server. Every slow client stops by itself: what is
asserted is what the server did (closed, answered), each wait bounded only for liveness.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import ssl
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import httpx
import pytest
from starlette.types import Message, Receive, Scope, Send

from dxdesk.server import admin
from dxdesk.server.body_limit import BodyLimit
from dxdesk.server.connections import address_key
from dxdesk.server.database import connect, initialise
from dxdesk.wire.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION
from tests.server.fixtures import PASSWORD, new_id, server_process, visit_change

WAKAYAMA = "302015"
MB = 1024 * 1024
LIVENESS_S = 30.0  # a wait that should end long before this fails the test instead of hanging
HEADER_TIMEOUT = "2"
BODY_TIMEOUT = "2"
DRIBBLE_EVERY_S = 1.0
DRIBBLED_LINES = 20  # 20 s of header lines: ten times the header bound
SLOW_ADDRESSES = [f"127.0.0.{n}" for n in range(2, 10)]  # 8 × 25 = 200 connections
PER_ADDRESS = 25
SLOW_CONNECTIONS = len(SLOW_ADDRESSES) * PER_ADDRESS
HEALTHZ_ROUNDS = 3


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    database = connect(url)
    initialise(database)
    with database.transaction() as session:
        admin.add_user(session, name="tanaka", role="advisor", password=PASSWORD)
        admin.assign(session, name="tanaka", codes=(WAKAYAMA,))
    database.close()
    return url


@contextlib.contextmanager
def _server(database_url: str, tmp_path: Path, *options: str) -> Iterator[tuple[int, Path]]:
    """The server's port and the dev CA file."""
    with server_process(database_url, tmp_path / "tls", 0, *options) as (_, base_url):
        yield int(base_url.rsplit(":", 1)[1]), tmp_path / "tls" / "dev-ca.pem"


@contextlib.asynccontextmanager
async def _connection(
    port: int, ca: Path, source: str
) -> AsyncIterator[tuple[asyncio.StreamReader, asyncio.StreamWriter]]:
    """A TLS connection to the server from ``source`` (a loopback address), closed after."""
    context = ssl.create_default_context(cafile=str(ca))
    reader, writer = await asyncio.wait_for(
        asyncio.open_connection(
            "127.0.0.1",
            port,
            ssl=context,
            server_hostname="localhost",
            local_addr=(source, 0),
        ),
        LIVENESS_S,
    )
    try:
        yield reader, writer
    finally:
        writer.close()
        with contextlib.suppress(OSError, ssl.SSLError, TimeoutError):
            await asyncio.wait_for(writer.wait_closed(), 5)


async def _read_to_end(reader: asyncio.StreamReader) -> bytes:
    """What the server sends until it closes; an error closing it counts as closed."""
    received = b""
    with contextlib.suppress(ConnectionError, ssl.SSLError):
        while chunk := await reader.read(65536):
            received += chunk
    return received


def _status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else 0


def _problem(answer: bytes) -> dict[str, object]:
    head, _, body = answer.partition(b"\r\n\r\n")
    assert b"content-type: application/problem+json" in head.lower(), head
    assert b"x-content-type-options: nosniff" in head.lower(), head
    assert b"connection: close" in head.lower(), head
    problem: dict[str, object] = json.loads(body)
    return problem


class SlowClients:
    """Connections dribbling their heads, each opened again when the server cuts it off, until
    told to stop: how many are open now (connected, a line sent, not yet seen closed), and what
    the server sent on each before it closed it (None: still open after every line)."""

    def __init__(self) -> None:
        self.open_now = 0
        self.endings: list[bytes | None] = []
        self.stop = asyncio.Event()

    async def run(self, port: int, ca: Path, source: str) -> None:
        while not self.stop.is_set():
            self.endings.append(await self._dribble_header_lines(port, ca, source))

    async def _dribble_header_lines(self, port: int, ca: Path, source: str) -> bytes | None:
        """A request head sent one line a second."""
        async with _connection(port, ca, source) as (reader, writer):
            writer.write(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n")
            self.open_now += 1
            try:
                for n in range(DRIBBLED_LINES):
                    try:
                        await writer.drain()
                        first = await asyncio.wait_for(reader.read(65536), DRIBBLE_EVERY_S)
                    except TimeoutError:
                        writer.write(f"X-Slow-{n}: still coming\r\n".encode())
                        continue
                    except (ConnectionError, ssl.SSLError):
                        return b""
                    return first + await asyncio.wait_for(_read_to_end(reader), LIVENESS_S)
            finally:
                self.open_now -= 1
        return None


async def _wait_until(condition: Callable[[], bool]) -> None:
    for _ in range(int(LIVENESS_S / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    pytest.fail("still waiting after the liveness bound")


def test_connections_dribbling_their_head_are_closed_while_healthz_answers(
    database_url: str, tmp_path: Path
) -> None:
    """Counted, not timed: each /healthz round begins with at least half of the 200 slow
    connections open, however long the rounds or the handshakes take on a loaded machine."""
    with _server(database_url, tmp_path, "--header-timeout", HEADER_TIMEOUT) as (port, ca):

        async def run() -> tuple[SlowClients, list[tuple[int, int]]]:
            slow = SlowClients()
            running = asyncio.gather(
                *(
                    slow.run(port, ca, source)
                    for source in SLOW_ADDRESSES
                    for _ in range(PER_ADDRESS)
                )
            )
            rounds: list[tuple[int, int]] = []  # (slow connections open at its start, status)
            context = ssl.create_default_context(cafile=str(ca))
            base_url = f"https://localhost:{port}"
            try:
                async with httpx.AsyncClient(
                    base_url=base_url, verify=context, timeout=LIVENESS_S
                ) as client:
                    for _ in range(HEALTHZ_ROUNDS):
                        await _wait_until(lambda: slow.open_now >= SLOW_CONNECTIONS // 2)
                        open_at_start = slow.open_now
                        rounds.append((open_at_start, (await client.get("/healthz")).status_code))
            finally:
                slow.stop.set()
                # Every one ends when the server cuts it off, or after its last line (a failure).
                await asyncio.wait_for(running, LIVENESS_S + DRIBBLED_LINES * DRIBBLE_EVERY_S)
            return slow, rounds

        slow, rounds = asyncio.run(run())
    assert [status for _, status in rounds] == [200] * HEALTHZ_ROUNDS, rounds
    assert all(open_at_start >= SLOW_CONNECTIONS // 2 for open_at_start, _ in rounds), rounds
    assert len(slow.endings) >= SLOW_CONNECTIONS
    still_open = sum(ending is None for ending in slow.endings)
    assert still_open == 0, f"{still_open} of {len(slow.endings)} slow connections stayed open"
    # Each had sent part of a head: it is told why before the connection closes. A client that
    # was writing its next line as the server closed may get a reset instead, and lose it.
    told = [ending for ending in slow.endings if ending]
    assert told and all(_status(ending) == 408 for ending in told), told[:3]
    assert _problem(told[0])["status"] == 408


def _push_request(token: str, body: bytes, *, chunked: bool) -> bytes:
    """A push whose head promises one byte more than ``body`` (or a chunked body never ended)."""
    framing = (
        b"Transfer-Encoding: chunked\r\n"
        if chunked
        else f"Content-Length: {len(body) + 1}\r\n".encode()
    )
    head = (
        b"POST /api/v1/sync/push HTTP/1.1\r\nHost: localhost\r\n"
        + f"Authorization: Bearer {token}\r\n{PROTOCOL_HEADER}: {PROTOCOL_VERSION}\r\n".encode()
        + b"Content-Type: application/json\r\n"
        + framing
        + b"\r\n"
    )
    return head + (f"{len(body):x}\r\n".encode() + body + b"\r\n" if chunked else body)


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_body_that_stops_short_is_cut_off_and_nothing_is_stored(
    database_url: str, tmp_path: Path, chunked: bool
) -> None:
    with _server(database_url, tmp_path, "--body-timeout", BODY_TIMEOUT) as (port, ca):
        context = ssl.create_default_context(cafile=str(ca))
        base_url = f"https://localhost:{port}"
        headers = {PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
        with httpx.Client(base_url=base_url, verify=context, headers=headers) as client:
            login = client.post(
                "/api/v1/login",
                json={"user": "tanaka", "password": PASSWORD, "device_name": "laptop"},
            )
            token = login.json()["token"]
            # A whole, valid push: only the end of its framing never comes.
            body = json.dumps(
                {"push_id": new_id(), "changes": [visit_change(new_id(), WAKAYAMA)]}
            ).encode()

            async def send_short() -> bytes:
                async with _connection(port, ca, "127.0.0.2") as (reader, writer):
                    writer.write(_push_request(token, body, chunked=chunked))
                    await writer.drain()
                    try:
                        return await asyncio.wait_for(_read_to_end(reader), LIVENESS_S)
                    except TimeoutError:
                        return b"(still open)"

            answer = asyncio.run(send_short())
            assert _status(answer) == 408, answer
            assert _problem(answer)["status"] == 408
            client.headers["Authorization"] = f"Bearer {token}"
            pulled = client.post("/api/v1/sync/pull", json={"cursor": None, "limit": 10})
            assert pulled.status_code == 200 and pulled.json()["records"] == []
            assert client.get("/healthz").status_code == 200


CAP = 4


async def _answer_to_healthz(port: int, ca: Path, source: str) -> int:
    async with _connection(port, ca, source) as (reader, writer):
        writer.write(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        await writer.drain()
        return _status(await asyncio.wait_for(_read_to_end(reader), LIVENESS_S))


def test_connections_past_the_per_address_cap_are_refused_while_others_are_served(
    database_url: str, tmp_path: Path
) -> None:
    options = ("--max-connections-per-address", str(CAP), "--header-timeout", "60")
    with _server(database_url, tmp_path, *options) as (port, ca):

        async def run() -> None:
            async with contextlib.AsyncExitStack() as held:
                writers = []
                for _ in range(CAP):
                    reader, writer = await held.enter_async_context(
                        _connection(port, ca, "127.0.0.3")
                    )
                    # Answered, so the server counts it; then the start of another request
                    # keeps it open (the header bound is 60 s here).
                    writer.write(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
                    await writer.drain()
                    assert _status(await asyncio.wait_for(reader.read(4096), LIVENESS_S)) == 200
                    writer.write(b"GET /healthz HTTP/1.1\r\n")
                    writers.append(writer)

                # One more from the same address: refused at once, without being asked.
                async with _connection(port, ca, "127.0.0.3") as (reader, _):
                    try:
                        refused = await asyncio.wait_for(_read_to_end(reader), LIVENESS_S)
                    except TimeoutError:
                        refused = b"(still open)"
                assert _status(refused) == 503, refused
                assert _problem(refused)["status"] == 503

                # Another address is served meanwhile.
                assert await _answer_to_healthz(port, ca, "127.0.0.4") == 200

                # One of the four leaves: the address may open one again.
                writers[0].close()
                for _ in range(int(LIVENESS_S / 0.1)):
                    if await _answer_to_healthz(port, ca, "127.0.0.3") == 200:
                        break
                    await asyncio.sleep(0.1)
                else:
                    pytest.fail("the address stayed refused after one of its connections closed")

        asyncio.run(run())


def test_malformed_http_gets_a_problem_with_the_usual_headers(
    database_url: str, tmp_path: Path
) -> None:
    """uvicorn's own answer to bytes that are not HTTP was text/plain without nosniff."""
    with _server(database_url, tmp_path) as (port, ca):

        async def send_garbage() -> bytes:
            async with _connection(port, ca, "127.0.0.5") as (reader, writer):
                writer.write(b"NOT HTTP AT ALL\r\n\r\n")
                await writer.drain()
                return await asyncio.wait_for(_read_to_end(reader), LIVENESS_S)

        answer = asyncio.run(send_garbage())
    assert _status(answer) == 400, answer
    assert _problem(answer)["status"] == 400
    assert b"strict-transport-security: max-age=31536000" in answer.lower()


@pytest.mark.parametrize(
    ("host", "key"),
    [
        ("192.0.2.7", "192.0.2.7"),
        ("::ffff:192.0.2.7", "192.0.2.7"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:bbbb::9", "2001:db8:1:2::/64"),
    ],
)
def test_connections_are_counted_per_ipv4_address_and_ipv6_64(host: str, key: str) -> None:
    assert address_key(host) == key


def test_a_body_that_trickles_without_pausing_is_cut_off_by_its_rate() -> None:
    """A byte every 50 ms never pauses for the gap (200 ms) but stays under the minimum rate
    (100 bytes/s): refused with 408 before its end, and the app is never called."""
    called: list[bool] = []
    sent: list[Message] = []
    parts = 400  # 20 s of trickle if nothing cut it off

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        called.append(True)

    async def trickle() -> Message:
        nonlocal parts
        await asyncio.sleep(0.05)
        parts -= 1
        return {"type": "http.request", "body": b"x", "more_body": parts > 0}

    async def send(message: Message) -> None:
        sent.append(message)

    limit = BodyLimit(app, default_limit=MB, body_gap_s=0.2, min_bytes_per_s=100)
    scope = {"type": "http", "method": "POST", "path": "/", "headers": []}
    asyncio.run(limit(scope, trickle, send))
    assert called == [] and parts > 0
    assert sent[0]["status"] == 408
    assert (b"connection", b"close") in sent[0]["headers"]


RAW_SOCKETS = 20


def _raw_connections(port: int, source: str, count: int) -> list[socket.socket]:
    """TCP connections from ``source`` that never send a byte, not even a TLS ClientHello."""
    sockets = []
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", port), LIVENESS_S, (source, 0))
        sockets.append(sock)
    return sockets


def _closed_by_the_server(sock: socket.socket, deadline: float) -> bool:
    """Whether the server closes ``sock`` (an end or a reset) before ``deadline``."""
    sock.settimeout(max(0.01, deadline - time.monotonic()))
    try:
        return sock.recv(1) == b""
    except ConnectionError:
        return True
    except TimeoutError:
        return False


def _status_from(port: int, ca: Path, source: str) -> int:
    """/healthz's status on a new TLS connection from ``source``; 0 if it was not served."""
    try:
        return asyncio.run(_answer_to_healthz(port, ca, source))
    except (ConnectionError, ssl.SSLError, TimeoutError):
        return 0


def test_connections_that_never_begin_tls_are_counted_and_closed(
    database_url: str, tmp_path: Path
) -> None:
    """The count and the head's bound began only after the TLS handshake, which asyncio lets
    a client take 60 s over: 20 bare TCP connections from one address stayed open, and a 21st
    connection past a cap of 4 was served."""
    options = ("--max-connections-per-address", str(CAP), "--header-timeout", "5")
    with _server(database_url, tmp_path, *options) as (port, ca):
        raw = _raw_connections(port, "127.0.0.7", RAW_SOCKETS)
        try:
            assert _status_from(port, ca, "127.0.0.7") != 200
            assert _status_from(port, ca, "127.0.0.1") == 200
            deadline = time.monotonic() + LIVENESS_S
            still_open = sum(not _closed_by_the_server(sock, deadline) for sock in raw)
            assert still_open == 0, f"{still_open} of {RAW_SOCKETS} were still open"
        finally:
            for sock in raw:
                sock.close()
        # Once they are gone, the address is served again.
        assert _status_from(port, ca, "127.0.0.7") == 200
