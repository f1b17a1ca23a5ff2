"""Bound every request body as it is read, announced (Content-Length) or not (chunked).

Checking Content-Length alone let a chunked body through whole: 100 MB sent to the
unauthenticated login grew the server by 200 MB, 300 MB to push by 400 MB (issue 17). Here a
declared length over the limit is refused before anything is read, and every body is counted as
it arrives: the chunk that passes the limit is never kept, the app is never called, the answer is
413 and the connection is closed, so the rest of an endless stream is not read either.

The body is read here, up to the limit, before the app runs, and handed to it in one message.
FastAPI reads every body whole before its route runs anyway, so this costs no memory; raising
into the app's read instead left the chunks read so far in an exception's traceback, a reference
cycle only the garbage collector frees: each refused 64 MB body stayed in memory, 65 MB more
after each of three 300 MB pushes.

The limit is per path: login takes a few hundred bytes of credentials and is open to anyone, so
its limit is small (``Settings.max_login_body_bytes``); an upload of an attachment's bytes has
``UPLOAD_CHUNK_BYTES`` (paths matching a pattern, since each names its attachment); every other
route has ``Settings.max_body_bytes``.

The body's time is bounded here too, since only here is the server waiting for the client and
nothing else (finding 6: a body shorter than its Content-Length was held for good). The next part
must come within ``body_gap_s``, and the body as a whole at ``min_bytes_per_s`` after the first
``body_gap_s``, so that a byte every few seconds cannot hold a connection either. Too slow is a
408 problem and the connection is closed; the app never sees any of it.
"""

from __future__ import annotations

import asyncio
import gc
import re
from collections.abc import Mapping, Sequence

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dxdesk.server.problems import problem_response

_CLOSE = {"Connection": "close"}
# A body this large that the app refuses is collected at once (below); a few ms each time.
COLLECT_AFTER_BYTES = 1024 * 1024


def size_text(limit: int) -> str:
    """``limit`` bytes as the user reads it: 64 MB, 16 KB, 1500 バイト."""
    for unit, size in (("GB", 1024**3), ("MB", 1024 * 1024), ("KB", 1024)):
        if limit >= size and limit % size == 0:
            return f"{limit // size} {unit}"
    return f"{limit} バイト"


class BodyLimit:
    """ASGI middleware: a body over its path's limit gets a 413 problem; the app never sees it."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        default_limit: int,
        path_limits: Mapping[str, int] | None = None,
        pattern_limits: Sequence[tuple[str, int]] = (),
        body_gap_s: float | None = None,
        min_bytes_per_s: int = 1,
    ) -> None:
        """``body_gap_s`` None: no bound on the body's time (a test's in-process app)."""
        self.app = app
        self.default_limit = default_limit
        self.path_limits = dict(path_limits or {})
        # (regular expression a whole path matches, its limit): the first that matches counts.
        self.pattern_limits = [(re.compile(pattern), limit) for pattern, limit in pattern_limits]
        self.body_gap_s = body_gap_s
        self.min_bytes_per_s = min_bytes_per_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        limit = self._limit(path)

        async def refuse() -> None:
            response = problem_response(
                413,
                "too-large",
                "Payload too large",
                f"送信データが大きすぎます（上限 {size_text(limit)}）",
                instance=path,
                headers=_CLOSE,
            )
            await response(scope, receive, send)

        for name, value in scope["headers"]:
            if name == b"content-length" and (not value.isdigit() or int(value) > limit):
                await refuse()  # before reading a byte
                return

        async def refuse_slow() -> None:
            response = problem_response(
                408,
                "request-timeout",
                "Request timeout",
                "リクエストの本文が途中で止まったか、届くのが遅すぎます",
                instance=path,
                headers=_CLOSE,
            )
            await response(scope, receive, send)

        chunks: list[bytes] = []
        received = 0
        started = asyncio.get_running_loop().time()
        while True:
            try:
                async with asyncio.timeout_at(self._next_part_due(started, received)):
                    message = await receive()
            except TimeoutError:
                chunks.clear()
                await refuse_slow()
                return
            if message["type"] != "http.request":
                return  # the client left before its body ended: nobody to answer
            chunk: bytes = message.get("body", b"")
            received += len(chunk)
            if received > limit:
                chunks.clear()
                await refuse()
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        chunks.clear()
        replayed = False

        async def receive_read_body() -> Message:
            nonlocal replayed, body
            if replayed:
                return await receive()  # the next is http.disconnect, when the client leaves
            replayed = True
            message: Message = {"type": "http.request", "body": body, "more_body": False}
            body = b""
            return message

        if received < COLLECT_AFTER_BYTES:
            await self.app(scope, receive_read_body, send)
            return
        status = 0

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        await self.app(scope, receive_read_body, send_noting_status)
        if status >= 400:
            # A refused body (invalid JSON, say) stays in the traceback of the exception that
            # refused it, a reference cycle: each 60 MB one kept 60 to 120 MB until a full
            # collection, which may not come for a long time. They are young: collect them now.
            gc.collect(1)

    def _limit(self, path: str) -> int:
        if path in self.path_limits:
            return self.path_limits[path]
        for pattern, limit in self.pattern_limits:
            if pattern.fullmatch(path):
                return limit
        return self.default_limit

    def _next_part_due(self, started: float, received: int) -> float | None:
        """When the next part of a body that began at ``started`` must have come (loop time)."""
        if self.body_gap_s is None:
            return None
        now = asyncio.get_running_loop().time()
        at_rate = started + self.body_gap_s + received / self.min_bytes_per_s
        return min(now + self.body_gap_s, at_rate)
