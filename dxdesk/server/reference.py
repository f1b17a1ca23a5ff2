"""The server's description of itself, readable on a network that has no way out.

FastAPI's ``/docs`` (Swagger UI) and ``/redoc`` (ReDoc) pages load their scripts, styles and
fonts from internet CDNs, which a server on an isolated network (LGWAN) cannot reach, so an
operator got a blank page. Vendoring those bundles was weighed and not done: the one PyPI package
carrying both (fastapi-offline) ships them without the Swagger UI and ReDoc licence texts the
Apache-2.0 and MIT licences require, the bundles are megabytes of minified code that must follow
their upstreams' security fixes, and they reference outside URLs of their own. Instead the server
answers the OpenAPI document at ``/openapi.json`` (for any tool or client generator) and, at
``/redoc``, a page rendered here from that same document: every operation with its parameters,
body, authentication and answers, no script, nothing from elsewhere (its Content-Security-Policy
forbids it). ``/docs`` leads there.
"""

from __future__ import annotations

from html import escape
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from dxdesk.wire.protocol import PROTOCOL_HEADER

REFERENCE_PATH = "/redoc"
DOCS_PATH = "/docs"
BEARER = "Bearer トークン（/api/v1/login で得たもの）"
PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
_STYLE = (
    "body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222}"
    "section{border-top:1px solid #ccc;padding:.5em 0}h2{font-size:1.1em}"
    "code{background:#f3f3f3;padding:0 .2em}td,th{text-align:left;vertical-align:top;"
    "padding:.1em .6em .1em 0}th{font-weight:normal;color:#555;white-space:nowrap}"
)


def require_protocol_header(openapi: dict[str, Any]) -> None:
    """Mark the protocol header required wherever an operation takes it.

    The header is declared optional in code on purpose: a request without it must reach
    ``check_protocol``, which answers ``400 protocol-mismatch`` with the versions, instead of a
    bare validation error. But every operation that takes it refuses a request without it, and a
    client generated from the document must send it.
    """
    for operations in openapi.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "header" and parameter.get("name") == PROTOCOL_HEADER:
                    parameter["required"] = True
                    parameter["schema"] = {"type": "string", "pattern": "^[0-9]+$"}


def add_reference_pages(app: FastAPI) -> None:
    """``/redoc``: the offline reference page; ``/docs``: a redirect to it (old bookmarks)."""

    @app.get(REFERENCE_PATH, include_in_schema=False)
    def reference(request: Request) -> HTMLResponse:
        root = str(request.scope.get("root_path", "")).rstrip("/")
        page = reference_page(app.openapi(), openapi_url=root + str(app.openapi_url))
        return HTMLResponse(page, headers={"Content-Security-Policy": PAGE_POLICY})

    @app.get(DOCS_PATH, include_in_schema=False)
    def docs(request: Request) -> RedirectResponse:
        root = str(request.scope.get("root_path", "")).rstrip("/")
        return RedirectResponse(root + REFERENCE_PATH)


def reference_page(openapi: dict[str, Any], *, openapi_url: str) -> str:
    info = openapi.get("info", {})
    title = escape(str(info.get("title", "API")))
    sections = "".join(
        _operation(method, path, operation)
        for path, operations in openapi.get("paths", {}).items()
        for method, operation in operations.items()
    )
    return (
        f'<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>{title}</title>'
        f"<style>{_STYLE}</style></head><body><h1>{title} "
        f"<small>{escape(str(info.get('version', '')))}</small></h1>"
        f"<p>{escape(str(info.get('summary', '')))}</p>"
        f'<p>OpenAPI の定義（クライアントの生成や検証に）: <a href="{escape(openapi_url)}">'
        f"{escape(openapi_url)}</a></p>{sections}</body></html>"
    )


def _operation(method: str, path: str, operation: dict[str, Any]) -> str:
    rows = [
        ("説明", escape(str(operation.get("description", "")))),
        ("認証", BEARER if operation.get("security") else ""),
        ("パラメーター", "<br>".join(_parameter(p) for p in operation.get("parameters", []))),
        ("本文", _body(operation.get("requestBody"))),
        ("応答", "<br>".join(_response(s, r) for s, r in operation.get("responses", {}).items())),
    ]
    table = "".join(f"<tr><th>{name}</th><td>{value}</td></tr>" for name, value in rows if value)
    return (
        f"<section><h2><code>{escape(method.upper())}</code> <code>{escape(path)}</code> "
        f"{escape(str(operation.get('summary', '')))}</h2><table>{table}</table></section>"
    )


def _parameter(parameter: dict[str, Any]) -> str:
    need = "必須" if parameter.get("required") else "任意"
    name, where = escape(str(parameter.get("name"))), escape(str(parameter.get("in")))
    text = f"<code>{name}</code>（{where}、{need}）"
    if parameter.get("description"):
        text += " " + escape(str(parameter["description"]))
    return text


def _body(body: dict[str, Any] | None) -> str:
    if not body:
        return ""
    return "<br>".join(
        f"{escape(media)}: {_schema_name(content.get('schema', {}))}"
        for media, content in body.get("content", {}).items()
    )


def _response(status: str, response: dict[str, Any]) -> str:
    kinds = ", ".join(
        f"{escape(media)} {_schema_name(content.get('schema', {}))}".strip()
        for media, content in response.get("content", {}).items()
    )
    described = escape(str(response.get("description", "")))
    return f"<code>{escape(status)}</code> {described}" + (f"（{kinds}）" if kinds else "")


def _schema_name(schema: dict[str, Any]) -> str:
    ref = str(schema.get("$ref", ""))
    return f"<code>{escape(ref.rsplit('/', 1)[-1])}</code>" if ref else ""
