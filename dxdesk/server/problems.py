"""Errors as RFC 9457 problem details, each with a short Japanese sentence for the user."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from dxdesk.wire.protocol import PROBLEM_MEDIA_TYPE, Problem

TYPE_BASE = "https://dxdesk.invalid/problems/"
SCHEMA_REF_PREFIX = "#/components/schemas/"
PROBLEM_SCHEMA_REF = SCHEMA_REF_PREFIX + "Problem"
log = logging.getLogger(__name__)

# Headers that always come with a problem of this status (auth.py, dependencies.py).
_PROBLEM_HEADERS: dict[int, dict[str, dict[str, Any]]] = {
    401: {
        "WWW-Authenticate": {
            "description": "Always `Bearer`: send a device token from /api/v1/login",
            "required": True,
            "schema": {"type": "string"},
        }
    },
    429: {
        "Retry-After": {
            "description": "Seconds to wait before the next login attempt",
            "required": True,
            "schema": {"type": "integer", "minimum": 1},
        }
    },
}


def problem_responses(
    *statuses: int, invalid_input: bool = True
) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for problems: ``application/problem+json`` bodies, Problem schema.

    ``invalid_input`` adds 422, the answer to a request that does not match its schema. The schema
    is given by reference, not as a ``model``: FastAPI would document a model under the route's
    own media type, ``application/json``, which problems are never sent as.
    """
    return {
        status: {
            "description": "Problem details (RFC 9457)",
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": PROBLEM_SCHEMA_REF}}},
            **({"headers": _PROBLEM_HEADERS[status]} if status in _PROBLEM_HEADERS else {}),
        }
        for status in (*statuses, *((422,) if invalid_input else ()))
    }


def add_problem_schema(openapi: dict[str, Any]) -> None:
    """Put the Problem schema that :func:`problem_responses` refers to into ``openapi``."""
    schemas = openapi.setdefault("components", {}).setdefault("schemas", {})
    schemas[PROBLEM_SCHEMA_REF.removeprefix(SCHEMA_REF_PREFIX)] = Problem.model_json_schema(
        mode="serialization", ref_template=SCHEMA_REF_PREFIX + "{model}"
    )


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


class ProblemResponse(JSONResponse):
    media_type = PROBLEM_MEDIA_TYPE

    def render(self, content: Any) -> bytes:
        try:
            return super().render(content)
        except UnicodeEncodeError:
            # A lone surrogate from the request, echoed in a detail: still answer, \u-escaped.
            return json.dumps(content, allow_nan=False, separators=(",", ":")).encode()


def problem_response(
    status: int,
    code: str,
    title: str,
    detail: str,
    *,
    instance: str | None = None,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> ProblemResponse:
    body = Problem(
        type=TYPE_BASE + code,
        title=title,
        status=status,
        detail=detail,
        instance=instance,
        **extra,
    )
    return ProblemResponse(
        body.model_dump(exclude_none=True), status_code=status, headers=dict(headers or {})
    )


_STATUS_TEXT = {
    400: ("bad-request", "Bad request", "リクエストが正しくありません"),
    401: ("unauthorized", "Unauthorized", "ログインが必要です"),
    403: ("forbidden", "Forbidden", "この操作は許可されていません"),
    404: ("not-found", "Not found", "見つかりません"),
    405: ("method-not-allowed", "Method not allowed", "この操作はできません"),
    413: ("too-large", "Payload too large", "送信データが大きすぎます"),
}


_MAX_LOC_PART = 100
_VALUE_ERROR_PREFIX = "Value error, "


def _refused_change(errors: Sequence[Any]) -> tuple[int, str] | None:
    """The first change of a push body that failed validation, and why, if one did."""
    found: list[tuple[int, str]] = []
    for error in errors:
        loc = tuple(error.get("loc", ()))
        if len(loc) > 2 and loc[:2] == ("body", "changes") and isinstance(loc[2], int):
            msg = str(error.get("msg")).removeprefix(_VALUE_ERROR_PREFIX)
            if len(loc) > 4 and loc[3] == "fields" and loc[-1] == "[key]":
                msg = f"フィールド名 {str(loc[4])[:_MAX_LOC_PART]!a} は使えません"
            found.append((loc[2], msg[:300]))
    return min(found, key=lambda item: item[0]) if found else None


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
        # Never echo the input back: it may hold a password. A location may name a field, as
        # sent: it is cut short.
        errors = [
            {
                "loc": [str(part)[:_MAX_LOC_PART] for part in error.get("loc", ())],
                "msg": str(error.get("msg")),
            }
            for error in exc.errors()
        ]
        refused = _refused_change(exc.errors())
        if refused is not None:
            # One change of a push does not match the wire schema (a field name not of its
            # kind, say): named by its index, as a change the server refuses is, so that the
            # app sets that one aside and sends the rest.
            index, reason = refused
            return problem_response(
                422,
                "invalid-change",
                "Change refused",
                f"{index + 1} 件目の変更の形式が正しくありません: {reason}。何も保存していません",
                instance=request.url.path,
                change_index=index,
                errors=errors,
            )
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
