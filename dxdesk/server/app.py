"""The FastAPI application factory; every process built from one database is interchangeable."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request, Response
from starlette.middleware.gzip import GZipMiddleware

from dxdesk.server.database import DatabaseError, ServerDatabase, connect, is_current
from dxdesk.server.head import HeadAsGet
from dxdesk.server.problems import add_problem_schema, install_handlers, problem_response
from dxdesk.server.reference import add_reference_pages, require_protocol_header
from dxdesk.server.routes import api, health_router
from dxdesk.server.security_headers import SecurityHeaders
from dxdesk.server.settings import Settings

MAX_BODY_BYTES = 64 * 1024 * 1024


class _App(FastAPI):
    def openapi(self) -> dict[str, Any]:
        """FastAPI's schema plus the Problem schema its problem responses refer to, and the
        protocol header required where the app requires it."""
        if self.openapi_schema is None:
            document = super().openapi()
            add_problem_schema(document)
            require_protocol_header(document)
        return super().openapi()


def create_app(settings: Settings, database: ServerDatabase | None = None) -> FastAPI:
    """An app on ``settings.database_url``, which ``dxdesk-server init`` must have prepared."""
    database = database or connect(settings.database_url)
    if not is_current(database):
        raise DatabaseError(
            "データベースの準備ができていません。先に dxdesk-server init を実行してください"
        )
    app = _App(
        title="DX Desk server",
        version="1",
        summary="Accounts, assignments and the sync API of DX Desk (docs/sync-protocol.md)",
        docs_url=None,  # FastAPI's pages load from a CDN; reference.py serves an offline one
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.database = database
    install_handlers(app)

    @app.middleware("http")
    async def _limit_body(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
            return problem_response(
                413, "too-large", "Payload too large", "送信データが大きすぎます（上限 64 MB）"
            )
        return await call_next(request)

    # Pull pages are long, repetitive JSON: gzip shrinks them several times over for a laptop on
    # a slow line. Level 5 keeps the server's CPU for the next request.
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=5)
    app.include_router(health_router)
    app.include_router(api)
    add_reference_pages(app)
    app.add_middleware(SecurityHeaders)  # nosniff on every answer, HSTS over TLS
    app.add_middleware(HeadAsGet)  # outermost: HEAD sees the headers GET would get
    return app
