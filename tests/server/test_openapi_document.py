"""What the server tells about itself: its OpenAPI document, its pages, HEAD on what it serves.

A generated client follows the document, so the document must say what the server enforces;
an operator on an isolated network must be able to read the pages; monitors probe with HEAD.
"""

from __future__ import annotations

import re
from typing import Any

from dxdesk.wire.protocol import PROTOCOL_HEADER
from tests.server.fixtures import RunningServer, add_user

ADVISOR = "doc-advisor"
EXTERNAL_URL = re.compile(r"(?i)\b(?:https?:)?//[a-z0-9.-]+")


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    ]


def _protocol_parameter(operation: dict[str, Any]) -> dict[str, Any] | None:
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "header" and parameter["name"].lower() == PROTOCOL_HEADER.lower():
            return dict(parameter)
    return None


def test_the_protocol_header_is_required_wherever_the_server_requires_it(
    server: RunningServer,
) -> None:
    """Asked without the header, an operation that refuses says so; its document must too."""
    with server.client() as client:
        document = client.get("/openapi.json").json()
    needing = []
    with server.client(headers={PROTOCOL_HEADER: ""}) as bare:
        bare.headers.pop(PROTOCOL_HEADER)
        for method, path, operation in _operations(document):
            answer = bare.request(method, path, json={})
            refused = answer.status_code == 400 and answer.json()["type"].endswith(
                "/protocol-mismatch"
            )
            parameter = _protocol_parameter(operation)
            where = f"{method.upper()} {path}"
            if refused:
                needing.append(where)
                assert parameter is not None, where
                assert parameter["required"] is True, where
            else:
                assert parameter is None or not parameter.get("required"), where
    assert sorted(needing) == [
        "GET /api/v1/files/{attachment_id}",
        "GET /api/v1/files/{attachment_id}/upload",
        "GET /api/v1/me",
        "POST /api/v1/login",
        "POST /api/v1/logout",
        "POST /api/v1/sync/pull",
        "POST /api/v1/sync/push",
        "PUT /api/v1/files/{attachment_id}/upload",
    ]


def test_the_pages_load_nothing_from_outside_the_server(server: RunningServer) -> None:
    with server.client(follow_redirects=True) as client:
        for page in ("/docs", "/redoc"):
            answer = client.get(page)
            assert answer.status_code == 200, page
            assert answer.headers["content-type"].startswith("text/html"), page
            body = answer.text
            assert "cdn" not in body.lower(), page
            assert EXTERNAL_URL.findall(body) == [], page
            # What the page names is there: every operation, and the document itself.
            assert 'href="/openapi.json"' in body
            for path in ("/healthz", "/api/v1/login", "/api/v1/sync/push"):
                assert path in body, (page, path)
            assert PROTOCOL_HEADER in body
            for asset in re.findall(r'(?:src|href)="(/[^"]*)"', body):
                assert client.get(asset).status_code == 200, (page, asset)


def test_head_answers_every_get_without_a_body(server: RunningServer) -> None:
    add_user(server.database, ADVISOR)
    with server.client() as client:
        health = client.head("/healthz")
        assert (health.status_code, health.content) == (200, b"")
        assert health.headers["content-type"] == "application/json"
        plain = {"Accept-Encoding": "identity"}  # gzip streams, without a Content-Length
        document = client.head("/openapi.json", headers=plain)
        assert (document.status_code, document.content) == (200, b"")
        full = client.get("/openapi.json", headers=plain)
        assert document.headers["content-length"] == full.headers["content-length"]
        assert client.head("/api/v1/me").status_code == 401  # as GET would answer
    me = server.login(ADVISOR).head("/api/v1/me")
    assert (me.status_code, me.content) == (200, b"")
    with server.client() as client:
        assert client.head("/api/v1/sync/push").status_code == 405  # no GET there either
