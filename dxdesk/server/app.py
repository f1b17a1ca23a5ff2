"""The FastAPI application factory; every process built from one database is interchangeable."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES, GZipMiddleware

from dxdesk.server.body_limit import BodyLimit
from dxdesk.server.database import DatabaseError, ServerDatabase, connect, is_current
from dxdesk.server.file_routes import UPLOAD_PATH_PATTERN, files
from dxdesk.server.file_storage import DatabaseFileStorage
from dxdesk.server.head import HeadAsGet
from dxdesk.server.problems import add_problem_schema, install_handlers
from dxdesk.server.reference import add_reference_pages, require_protocol_header
from dxdesk.server.routes import api, health_router
from dxdesk.server.security_headers import SecurityHeaders
from dxdesk.server.settings import Settings
from dxdesk.wire.files import OCTET_STREAM, UPLOAD_CHUNK_BYTES


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
    # Attachments' bytes, in the same database: every process on it serves the same files.
    app.state.file_storage = DatabaseFileStorage(database)
    install_handlers(app)

    # Innermost: every body is counted and timed as it arrives, chunked or not, and the 413 or 408
    # goes out through the middleware around it (its headers) like any other answer.
    app.add_middleware(
        BodyLimit,
        default_limit=settings.max_body_bytes,
        path_limits={"/api/v1/login": settings.max_login_body_bytes},
        pattern_limits=[(UPLOAD_PATH_PATTERN, UPLOAD_CHUNK_BYTES)],
        body_gap_s=settings.body_gap_s,
        min_bytes_per_s=settings.min_body_bytes_per_s,
    )

    # Pull pages are long, repetitive JSON: gzip shrinks them several times over for a laptop on
    # a slow line. Level 5 keeps the server's CPU for the next request. Files go as they are: a
    # download keeps its Content-Length and ranges, and most files are compressed already.
    app.add_middleware(
        GZipMiddleware,
        minimum_size=1024,
        compresslevel=5,
        exclude_content_types=(*DEFAULT_EXCLUDED_CONTENT_TYPES, OCTET_STREAM),
    )
    app.include_router(health_router)
    app.include_router(api)
    app.include_router(files)
    add_reference_pages(app)
    app.add_middleware(SecurityHeaders)  # nosniff on every answer, HSTS over TLS
    app.add_middleware(HeadAsGet)  # outermost: HEAD sees the headers GET would get
    return app
