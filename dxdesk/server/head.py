"""HEAD on every path: the answer GET would give, status and headers, without its body.

FastAPI routes answer only the methods they declare, so a monitor's ``HEAD /healthz`` got 405.
HTTP says a server that answers GET answers HEAD the same way minus the content (RFC 9110
§9.3.2). Running GET keeps that true for every route, present and future, including the headers
the middleware inside adds (gzip's Content-Length), and a path without GET still answers 405.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Set in the scope of a HEAD run as GET: a route whose body is costly to make (a file's download)
# may answer the headers alone.
HEAD_SCOPE_KEY = "dxdesk.head"


class HeadAsGet:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_without_body(message: Message) -> None:
            if message["type"] != "http.response.body":
                await send(message)
            elif not message.get("more_body", False):
                await send({"type": "http.response.body", "body": b"", "more_body": False})

        await self.app({**scope, "method": "GET", HEAD_SCOPE_KEY: True}, receive, send_without_body)
