"""Bounds on connections, below the app: how long a request's head may take to arrive, and how
many connections one address may hold open (issue 17, finding 6).

uvicorn closes a kept-alive connection after 5 idle seconds, but any byte cancels that timer and
nothing bounds the head itself or a new connection that sends nothing: 200 connections sending a
header line every 5 s stayed open as long as they liked. ``BoundedH11Protocol`` is uvicorn's h11
protocol with

- a head timer, started by a new connection or by the first byte of the next request on a
  kept-alive one, stopped once the head is parsed. When it fires, a head that has begun gets a
  408 problem, a connection that sent nothing is closed, as uvicorn closes an idle one;
- a count of open connections per client address (an IPv6 /64, which one client usually has
  whole): one past ``Settings.max_connections_per_address`` gets a 503 problem and is closed
  before a byte of it is read;
- these answers, and uvicorn's own 400 to malformed HTTP (a text/plain one otherwise), as problem
  details with the headers every answer carries (security_headers.py).

A body's time is bounded where the body is read, in body_limit.py: only there are the waits for
the client told apart from the app's own work.
"""

from __future__ import annotations

import asyncio
import ipaddress
from collections import Counter
from http import HTTPStatus
from typing import ClassVar

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from dxdesk.server.problems import problem_response
from dxdesk.server.security_headers import HSTS_VALUE
from dxdesk.server.settings import Settings


def address_key(host: str) -> str:
    """What one client's connections are counted under: its IPv4 address, its IPv6 /64."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


class BoundedH11Protocol(H11Protocol):
    """One connection; the class attributes are one server's (``bounded_http_protocol``)."""

    bounds: ClassVar[Settings]
    open_per_address: ClassVar[Counter[str]]

    _head_timer: asyncio.TimerHandle | None = None
    _counted_as: str | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        key = address_key(self.client[0]) if self.client else None
        if key is not None:
            cap = self.bounds.max_connections_per_address
            if self.open_per_address[key] >= cap:
                self.logger.warning("%s: more than %d connections, refused", key, cap)
                self._answer_and_close(
                    503,
                    "too-many-connections",
                    "Too many connections",
                    f"このアドレスからの同時接続が多すぎます（上限 {cap}）。しばらくしてから"
                    f"やり直してください",
                    {"Retry-After": "10"},
                )
                return
            self.open_per_address[key] += 1
            self._counted_as = key
        self._start_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_head_timer()
        if self._counted_as is not None:
            self.open_per_address[self._counted_as] -= 1
            if self.open_per_address[self._counted_as] <= 0:
                del self.open_per_address[self._counted_as]
            self._counted_as = None
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self.transport.is_closing():
            return  # refused or cut off: TLS may still hand over what came before the close
        if self._head_timer is None and self.conn.their_state is h11.IDLE:
            self._start_head_timer()  # the first byte of the next request on this connection
        super().data_received(data)
        self._follow_head()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._follow_head()  # the next request may have begun already (pipelined)

    def send_400_response(self, msg: str) -> None:
        self._answer_and_close(
            400, "bad-request", "Bad request", "HTTP のリクエストとして読めませんでした"
        )

    def _follow_head(self) -> None:
        if self.conn.their_state is not h11.IDLE:
            self._stop_head_timer()  # the head is in
        elif self._head_timer is None and self.conn.trailing_data[0]:
            self._start_head_timer()

    def _start_head_timer(self) -> None:
        if not self.transport.is_closing():
            self._head_timer = self.loop.call_later(
                self.bounds.header_timeout_s, self._head_timed_out
            )

    def _stop_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self.transport.is_closing() or self.conn.their_state is not h11.IDLE:
            return
        if not self.conn.trailing_data[0]:
            self.transport.close()  # nothing asked: closed like an idle kept-alive connection
            return
        self.logger.info(
            "%s: request head not in after %gs", self.client, self.bounds.header_timeout_s
        )
        self._answer_and_close(
            408,
            "request-timeout",
            "Request timeout",
            f"リクエストのヘッダーが {self.bounds.header_timeout_s:g} 秒以内に届きませんでした",
        )

    def _answer_and_close(
        self,
        status: int,
        code: str,
        title: str,
        detail: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        """A problem answer written as it is, outside h11's request cycle, then the close."""
        response = problem_response(
            status, code, title, detail, headers={"Connection": "close", **(headers or {})}
        )
        fields = [
            *self.server_state.default_headers,
            *response.raw_headers,
            (b"x-content-type-options", b"nosniff"),
        ]
        if self.scheme == "https":
            fields.append((b"strict-transport-security", HSTS_VALUE.encode()))
        head = f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\n".encode()
        head += b"".join(name + b": " + value + b"\r\n" for name, value in fields)
        self.transport.write(head + b"\r\n" + response.body)
        self.transport.close()


def bounded_http_protocol(settings: Settings) -> type[BoundedH11Protocol]:
    """The protocol class for one server (``uvicorn.Config(http=...)``), with its own counts."""

    class ServerProtocol(BoundedH11Protocol):
        bounds = settings
        open_per_address: ClassVar[Counter[str]] = Counter()

    return ServerProtocol
