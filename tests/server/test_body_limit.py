"""Request bodies are bounded as they are read, chunked or not (issue 17, finding 1).

Checking Content-Length alone let a chunked body be read whole. These send chunked bodies to the
real server over TLS: over the limit they get a 413 problem, under it they work. Most use a small
limit from Settings; one sends a stream past the real 64 MB default and stops by itself.
"""

from __future__ import annotations

import asyncio
import gc
import time
import weakref
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from starlette.types import Message

from dxdesk.server.body_limit import BodyLimit
from dxdesk.server.database import ServerDatabase
from dxdesk.server.dev_tls import DevCertificates
from dxdesk.server.settings import Settings
from dxdesk.wire.protocol import PROBLEM_MEDIA_TYPE
from tests.server.fixtures import (
    PASSWORD,
    RunningServer,
    add_user,
    new_id,
    serve_in_thread,
    visit_change,
)

WAKAYAMA = "302015"
MB = 1024 * 1024
SMALL_LIMIT = 1 * MB  # instead of 64 MB, so that a body over it is quick to send


def _chunked(data: bytes, chunk: int = 64 * 1024) -> Iterator[bytes]:
    """``data`` as a generator: httpx sends it chunked, without Content-Length."""
    for start in range(0, len(data), chunk):
        yield data[start : start + chunk]


def _endless(limit: int, chunk: int = MB) -> Iterator[bytes]:
    """A JSON-looking stream that goes on past ``limit`` and stops by itself 4 MB later."""
    yield b'{"push_id": "'
    sent = 0
    block = b"x" * chunk
    while sent < limit + 4 * MB:
        yield block
        sent += len(block)


def _assert_too_large(answer: httpx.Response, detail_limit: str) -> None:
    assert answer.status_code == 413, answer.text[:500]
    assert answer.headers["content-type"] == PROBLEM_MEDIA_TYPE
    problem = answer.json()
    assert problem["type"].endswith("/too-large") and problem["status"] == 413
    assert detail_limit in problem["detail"]


@pytest.fixture
def small_server(server_db: ServerDatabase, dev_tls: DevCertificates) -> Iterator[RunningServer]:
    settings = Settings(
        database_url=server_db.engine.url.render_as_string(False), max_body_bytes=SMALL_LIMIT
    )
    with serve_in_thread(server_db, dev_tls, settings) as running:
        yield running


def _push_body(count: int) -> bytes:
    changes = [visit_change(new_id(), WAKAYAMA, notes="あ" * 100) for _ in range(count)]
    return httpx.Request("POST", "/", json={"push_id": new_id(), "changes": changes}).read()


def test_a_chunked_login_over_its_small_limit_is_refused(server: RunningServer) -> None:
    add_user(server.database, "tanaka")
    body = b'{"user": "tanaka", "password": "' + b"a" * (64 * 1024) + b'"}'
    with server.client() as client:
        answer = client.post(
            "/api/v1/login",
            content=_chunked(body),
            headers={"Content-Type": "application/json"},
        )
        assert "content-length" not in answer.request.headers
        _assert_too_large(answer, "16 KB")
        # Announced the same: refused before it is read.
        declared = client.post(
            "/api/v1/login", content=body, headers={"Content-Type": "application/json"}
        )
        _assert_too_large(declared, "16 KB")


def test_a_chunked_login_under_its_limit_works(server: RunningServer) -> None:
    add_user(server.database, "tanaka")
    body = httpx.Request(
        "POST",
        "/",
        json={"user": "tanaka", "password": PASSWORD, "device_name": "端" * 200},
    ).read()
    with server.client() as client:
        answer = client.post(
            "/api/v1/login",
            content=_chunked(body, chunk=100),
            headers={"Content-Type": "application/json"},
        )
    assert answer.status_code == 200, answer.text
    assert answer.json()["token"]


def test_the_longest_valid_login_fits_its_limit(server: RunningServer) -> None:
    """Every character \\u-escaped as a surrogate pair (12 bytes): still under 16 KB."""
    escaped = "\\ud83d\\ude00"
    body = (
        f'{{"user": "{escaped * 100}", "password": "{escaped * 1000}",'
        f' "device_name": "{escaped * 200}"}}'
    ).encode()
    assert len(body) < 16 * 1024
    with server.client() as client:
        answer = client.post(
            "/api/v1/login", content=_chunked(body), headers={"Content-Type": "application/json"}
        )
    assert answer.status_code == 401  # read whole and checked: nobody of that name


def test_a_chunked_push_over_the_limit_is_refused(small_server: RunningServer) -> None:
    add_user(small_server.database, "tanaka", codes=(WAKAYAMA,))
    body = _push_body(5000)
    assert len(body) > SMALL_LIMIT
    client = small_server.login("tanaka")
    answer = client.post(
        "/api/v1/sync/push", content=_chunked(body), headers={"Content-Type": "application/json"}
    )
    assert "content-length" not in answer.request.headers
    _assert_too_large(answer, "1 MB")
    # Nothing of it was stored.
    pulled = small_server.login("tanaka", "other").post(
        "/api/v1/sync/pull", json={"cursor": None, "limit": 10}
    )
    assert pulled.status_code == 200 and pulled.json()["records"] == []


def test_a_chunked_push_under_the_limit_works(small_server: RunningServer) -> None:
    add_user(small_server.database, "tanaka", codes=(WAKAYAMA,))
    body = _push_body(2000)
    assert 0.5 * SMALL_LIMIT < len(body) < SMALL_LIMIT
    client = small_server.login("tanaka")
    answer = client.post(
        "/api/v1/sync/push", content=_chunked(body), headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 200, answer.text[:500]
    assert len(answer.json()["results"]) == 2000


def test_the_default_64_mb_limit_holds_for_an_endless_chunked_push(
    server: RunningServer,
) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    client = server.login("tanaka")
    limit = Settings(database_url="sqlite://").max_body_bytes
    assert limit == 64 * MB
    started = time.monotonic()
    answer = client.post(
        "/api/v1/sync/push",
        content=_endless(limit),
        headers={"Content-Type": "application/json"},
    )
    _assert_too_large(answer, "64 MB")
    assert time.monotonic() - started < 30


def _run_middleware(path: str, chunks: list[bytes]) -> tuple[list[int], list[Message]]:
    """``chunks`` (the body; more follows the last) through BodyLimit (1,000 bytes on /small,
    a lot elsewhere) to an app that reads its body whole: how much the app had after each
    message it received, and what went out."""
    seen: list[int] = []
    sent: list[Message] = []
    incoming = list(chunks)

    async def app(scope: Any, receive: Any, send: Any) -> None:
        total = 0
        while True:
            message = await receive()
            total += len(message.get("body", b""))
            seen.append(total)
            if not message.get("more_body", False):
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"read it all"})

    async def receive() -> Message:
        if not incoming:
            raise AssertionError("read past the end of the body")
        return {"type": "http.request", "body": incoming.pop(0), "more_body": bool(incoming)}

    async def send(message: Message) -> None:
        sent.append(message)

    middleware = BodyLimit(app, default_limit=10**9, path_limits={"/small": 1000})
    scope = {"type": "http", "method": "POST", "path": path, "headers": []}
    asyncio.run(middleware(scope, receive, send))
    return seen, sent


def test_the_app_never_sees_a_body_past_the_limit() -> None:
    """Read to the limit and not one chunk further; the app is not called; a 413 goes out."""
    seen, sent = _run_middleware("/small", [b"x" * 300] * 4 + [b"never read"])
    assert seen == []
    assert sent[0]["status"] == 413
    assert (b"connection", b"close") in sent[0]["headers"]
    assert "1000 バイト".encode() in sent[1]["body"] and len(sent) == 2


def test_a_body_under_the_limit_reaches_the_app_whole() -> None:
    seen, sent = _run_middleware("/small", [b"x" * 300] * 3 + [b"y" * 100])
    assert seen == [1000]  # exactly the limit is allowed
    assert sent[0]["status"] == 200
    seen, sent = _run_middleware("/other", [b"x" * 300] * 4)
    assert seen == [1200] and sent[0]["status"] == 200


def test_a_large_refused_body_is_not_kept_until_a_full_collection() -> None:
    """FastAPI keeps a body it refuses in its exception's traceback, a reference cycle."""

    class Holder:
        pass

    refs: list[weakref.ref[Holder]] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        holder = Holder()
        holder.cycle = holder  # type: ignore[attr-defined]
        holder.body = (await receive())["body"]  # type: ignore[attr-defined]
        refs.append(weakref.ref(holder))
        await send({"type": "http.response.start", "status": 422, "headers": []})
        await send({"type": "http.response.body", "body": b"refused"})

    async def receive() -> Message:
        return {"type": "http.request", "body": b"x" * (2 * MB), "more_body": False}

    async def send(message: Message) -> None:
        pass

    scope = {"type": "http", "method": "POST", "path": "/", "headers": []}
    gc.disable()
    try:
        asyncio.run(BodyLimit(app, default_limit=64 * MB)(scope, receive, send))
        assert refs and refs[0]() is None
    finally:
        gc.enable()
