"""Errors as RFC 9457 problem details, each with a short Japanese sentence for the user."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from dxdesk.sync.protocol import PROBLEM_MEDIA_TYPE, Problem

TYPE_BASE = "https://dxdesk.invalid/problems/"
log = logging.getLogger(__name__)


class ProblemError(Exception):
    """Raised anywhere in a request; becomes a problem+json answer and rolls back the work."""

    def __init__(
        self,
        status: int,
        code: str,
        title: str,
        detail: str,
        *,
        headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail
        self.headers = dict(headers or {})
        self.extra = extra


def problem_response(
    status: int,
    code: str,
    title: str,
    detail: str,
    *,
    instance: str | None = None,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body = Problem(
        type=TYPE_BASE + code,
        title=title,
        status=status,
        detail=detail,
        instance=instance,
        **extra,
    )
    return JSONResponse(
        body.model_dump(exclude_none=True),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=dict(headers or {}),
    )


_STATUS_TEXT = {
    400: ("bad-request", "Bad request", "リクエストが正しくありません"),
    401: ("unauthorized", "Unauthorized", "ログインが必要です"),
    403: ("forbidden", "Forbidden", "この操作は許可されていません"),
    404: ("not-found", "Not found", "見つかりません"),
    405: ("method-not-allowed", "Method not allowed", "この操作はできません"),
    413: ("too-large", "Payload too large", "送信データが大きすぎます"),
}


def install_handlers(app: FastAPI) -> None:
    @app.exception_handler(ProblemError)
    async def _problem(request: Request, exc: ProblemError) -> JSONResponse:
        return problem_response(
            exc.status,
            exc.code,
            exc.title,
            exc.detail,
            instance=request.url.path,
            headers=exc.headers,
            **exc.extra,
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        # Never echo the input back: it may hold a password.
        errors = [
            {"loc": [str(part) for part in error.get("loc", ())], "msg": str(error.get("msg"))}
            for error in exc.errors()
        ]
        return problem_response(
            422,
            "invalid-request",
            "Invalid request",
            "送信された内容の形式が正しくありません",
            instance=request.url.path,
            errors=errors,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code, title, detail = _STATUS_TEXT.get(
            exc.status_code, ("error", "Error", "リクエストを処理できませんでした")
        )
        return problem_response(
            exc.status_code,
            code,
            title,
            detail,
            instance=request.url.path,
            headers=exc.headers,
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s", request.url.path)
        return problem_response(
            500,
            "internal",
            "Internal server error",
            "サーバーでエラーが起きました。管理者に連絡してください",
            instance=request.url.path,
        )
