"""Headers every answer carries: ``nosniff`` always, HSTS when the request came over TLS.

``X-Content-Type-Options: nosniff`` keeps a browser from reading a JSON or text answer as a
script or a page. ``Strict-Transport-Security`` tells a browser that reached the server over
HTTPS to use nothing else for a year; over plain http (``--insecure-http``, loopback only) it
would mean nothing and is left out. Pure ASGI, so streamed and error answers get them too; a
header a route set itself (the reference page's Content-Security-Policy) is kept.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HSTS_VALUE = "max-age=31536000"  # a year, in seconds


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        over_tls = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                if over_tls:
                    headers.setdefault("Strict-Transport-Security", HSTS_VALUE)
            await send(message)

        await self.app(scope, receive, send_with_headers)
