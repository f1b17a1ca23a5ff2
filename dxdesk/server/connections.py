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

Over TLS the h11 protocol sees its connection only once the handshake is done, and asyncio gives
a handshake 60 s: bare TCP connections that never sent a ClientHello were neither counted nor
timed, so one address could hold as many as it liked. ``TLSConnection`` is therefore what the
listening socket accepts (the server is made without ``ssl=``): asyncio's own TLS protocol, in
front of the h11 one, that counts the connection at TCP accept and lets its handshake take no
longer than the head's bound, whose timer then runs on from the accept, not restarts. A
connection past the cap still needs its handshake to be told so with a 503, and its client sets
how long that takes: only another cap's worth are let through to hear it, the rest are closed at
accept, before TLS.

A body's time is bounded where the body is read, in body_limit.py: only there are the waits for
the client told apart from the app's own work.
"""

from __future__ import annotations

import asyncio
import enum
import ipaddress
import ssl
from asyncio import sslproto
from collections import Counter
from http import HTTPStatus
from typing import Any, ClassVar

import h11
from uvicorn.config import Config
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.server import ServerState

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


class Admit(enum.Enum):
    SERVE = "serve"
    REFUSE = "refuse"  # told with a 503 why, then closed
    DROP = "drop"  # closed at once, told nothing: too many are being refused already


class Admission:
    """One server's open connections, counted per ``address_key`` from TCP accept to close."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.open: Counter[str] = Counter()

    def admit(self, key: str, *, refusals_wait: bool) -> Admit:
        """Counted unless dropped. ``refusals_wait``: a refusal is told only after a TLS
        handshake the client may drag out, so it holds a connection meanwhile, and at most
        ``cap`` more of them are let in; without TLS the 503 is written at once."""
        held = self.open[key]
        if held < self.cap:
            verdict = Admit.SERVE
        elif not refusals_wait:
            return Admit.REFUSE  # answered and closed at once: not counted
        elif held < 2 * self.cap:
            verdict = Admit.REFUSE
        else:
            return Admit.DROP
        self.open[key] += 1
        return verdict

    def release(self, key: str) -> None:
        self.open[key] -= 1
        if self.open[key] <= 0:
            del self.open[key]


def _address_of(transport: asyncio.BaseTransport) -> str | None:
    peer = transport.get_extra_info("peername")
    return address_key(str(peer[0])) if isinstance(peer, tuple) and peer else None


class BoundedH11Protocol(H11Protocol):
    """One connection; the class attributes are one server's (``bounded_http_protocol``)."""

    bounds: ClassVar[Settings]
    admission: ClassVar[Admission]

    _head_timer: asyncio.TimerHandle | None = None
    _counted_as: str | None = None
    # Set by TLSConnection, which counted the connection at TCP accept.
    _admitted_at_accept: Admit | None = None
    _accepted_at: float | None = None

    def accepted(self, verdict: Admit, at: float) -> None:
        """The TCP connection under this one's TLS was counted, with ``verdict``, at ``at``."""
        self._admitted_at_accept = verdict
        self._accepted_at = at

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        verdict = self._admitted_at_accept
        if verdict is None:  # no TLS: this is the TCP accept
            key = _address_of(transport)
            verdict = Admit.SERVE
            if key is not None:
                verdict = self.admission.admit(key, refusals_wait=False)
                if verdict is Admit.SERVE:
                    self._counted_as = key
        if verdict is not Admit.SERVE:
            cap = self.bounds.max_connections_per_address
            self.logger.warning("%s: more than %d connections, refused", self.client, cap)
            self._answer_and_close(
                503,
                "too-many-connections",
                "Too many connections",
                f"このアドレスからの同時接続が多すぎます（上限 {cap}）。しばらくしてから"
                f"やり直してください",
                {"Retry-After": "10"},
            )
            return
        self._start_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_head_timer()
        if self._counted_as is not None:
            self.admission.release(self._counted_as)
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
            delay = self.bounds.header_timeout_s
            if self._accepted_at is not None:  # the first head: its time began at TCP accept
                delay -= self.loop.time() - self._accepted_at
                self._accepted_at = None
            self._head_timer = self.loop.call_later(max(0.0, delay), self._head_timed_out)

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


class TLSConnection(sslproto.SSLProtocol):
    """asyncio's server-side TLS over one accepted TCP connection, counted from the accept and
    with a handshake bounded by the head's time (``bounded_tls_protocol``). Made as uvicorn makes
    its http protocol (``Config(http=...)``) and made with one, which it hands the connection to
    once the handshake is done."""

    http_protocol: ClassVar[type[BoundedH11Protocol]]
    context: ClassVar[ssl.SSLContext]

    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        loop = _loop or asyncio.get_event_loop()
        self._http = self.http_protocol(
            config=config, server_state=server_state, app_state=app_state, _loop=loop
        )
        self._admitted_as: str | None = None
        bound = self._http.bounds.header_timeout_s
        super().__init__(
            loop,
            self._http,
            self.context,
            None,  # type: ignore[arg-type]  # nobody waits for the handshake
            server_side=True,
            ssl_handshake_timeout=bound,  # type: ignore[arg-type]  # a float is what it takes
        )

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        key = _address_of(transport)
        verdict = Admit.SERVE
        if key is not None:
            verdict = self._http.admission.admit(key, refusals_wait=True)
            if verdict is Admit.DROP:
                self._http.logger.warning("%s: far too many connections, closed", key)
                transport.close()
                return
            self._admitted_as = key
        self._http.accepted(verdict, self._http.loop.time())
        super().connection_made(transport)

    def connection_lost(self, exc: BaseException | None) -> None:
        if self._admitted_as is None and self._transport is None:
            return  # dropped at accept: its TLS never began
        if self._admitted_as is not None:
            self._http.admission.release(self._admitted_as)
            self._admitted_as = None
        super().connection_lost(exc)


def bounded_http_protocol(settings: Settings) -> type[BoundedH11Protocol]:
    """The protocol class for one server (``uvicorn.Config(http=...)``), with its own counts."""

    class ServerProtocol(BoundedH11Protocol):
        bounds = settings
        admission = Admission(settings.max_connections_per_address)

    return ServerProtocol


def bounded_tls_protocol(settings: Settings, context: ssl.SSLContext) -> type[TLSConnection]:
    """The protocol class for one server over TLS (``uvicorn.Config(http=...)``, with no
    ``ssl_certfile``: the server's socket must not do TLS itself, or the count would begin only
    after the handshake)."""

    class ServerConnection(TLSConnection):
        http_protocol = bounded_http_protocol(settings)

    ServerConnection.context = context
    return ServerConnection
