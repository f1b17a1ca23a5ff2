"""The transport against httpx.MockTransport: retries, problems, URL and token rules."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest

from dxdesk.sync.api_client import (
    LoginRequired,
    Offline,
    ServerRefused,
    SyncApiClient,
    SyncError,
    check_server_url,
)
from dxdesk.wire.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION, PullRequest

TOKEN = "dxd_secret-token-value"
EMPTY_PAGE = {
    "records": [],
    "cursor": "c",
    "more": False,
    "scope": [],
    "evicted": [],
    "backfilled": [],
}


def _transport(
    handler: Callable[[httpx.Request], httpx.Response],
) -> tuple[SyncApiClient, list[float]]:
    waits: list[float] = []
    client = httpx.Client(base_url="https://dx.example.jp", transport=httpx.MockTransport(handler))
    return SyncApiClient(client, token=TOKEN, sleep=waits.append), waits


def _problem(status: int, detail: str, **headers: str) -> httpx.Response:
    body = {
        "type": "https://dxdesk.invalid/problems/x",
        "title": "t",
        "status": status,
        "detail": detail,
    }
    return httpx.Response(status, json=body, headers=headers)


def test_requests_carry_the_protocol_version_and_the_token() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=EMPTY_PAGE)

    transport, _ = _transport(handler)
    transport.pull(PullRequest())
    assert seen[0].headers[PROTOCOL_HEADER] == str(PROTOCOL_VERSION)
    assert seen[0].headers["Authorization"] == f"Bearer {TOKEN}"
    assert json.loads(seen[0].content) == {"cursor": None, "limit": 1000}


def test_only_a_catch_up_pull_after_a_restore_says_so() -> None:
    bodies: list[object] = []

    def handler(request: httpx.Request) -> httpx.Response:
        bodies.append(json.loads(request.content))
        return httpx.Response(200, json=EMPTY_PAGE)

    transport, _ = _transport(handler)
    transport.pull(PullRequest(cursor="c", after_restore=True))
    transport.pull(PullRequest(cursor="c"))
    assert bodies == [
        {"cursor": "c", "limit": 1000, "after_restore": True},
        {"cursor": "c", "limit": 1000},  # as every pull before the member existed
    ]


@pytest.mark.parametrize("status", [502, 503, 504])
def test_gateway_errors_are_retried_with_growing_waits(status: int) -> None:
    answers = iter(
        [_problem(status, "busy"), _problem(status, "busy"), httpx.Response(200, json=EMPTY_PAGE)]
    )
    transport, waits = _transport(lambda request: next(answers))
    assert transport.pull(PullRequest()).cursor == "c"
    assert waits == [0.5, 1.0]


def test_429_waits_as_long_as_retry_after_says() -> None:
    answers = iter(
        [_problem(429, "wait", **{"Retry-After": "7"}), httpx.Response(200, json=EMPTY_PAGE)]
    )
    transport, waits = _transport(lambda request: next(answers))
    transport.pull(PullRequest())
    assert waits == [7.0]


def test_connection_errors_are_retried_then_reported_as_offline() -> None:
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        raise httpx.ConnectError("connection refused", request=request)

    transport, waits = _transport(handler)
    with pytest.raises(Offline) as raised:
        transport.pull(PullRequest())
    assert calls == 5 and len(waits) == 4
    assert TOKEN not in str(raised.value)


@pytest.mark.parametrize("status", [400, 403, 404, 409, 422])
def test_other_client_errors_are_not_retried(status: int) -> None:
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return _problem(status, "だめです")

    transport, waits = _transport(handler)
    with pytest.raises(ServerRefused) as raised:
        transport.pull(PullRequest())
    assert calls == 1 and waits == []
    assert str(raised.value) == "だめです" and raised.value.status == status


def test_401_asks_for_a_new_login() -> None:
    transport, _ = _transport(lambda request: _problem(401, "ログインし直してください"))
    with pytest.raises(LoginRequired):
        transport.pull(PullRequest())


def test_a_login_is_never_retried() -> None:
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        raise httpx.ReadTimeout("slow", request=request)

    transport, _ = _transport(handler)
    with pytest.raises(Offline):
        transport.login("tanaka", "pw", "pc")
    assert calls == 1


def test_a_hostile_answer_is_an_error_not_a_crash() -> None:
    transport, _ = _transport(lambda request: httpx.Response(200, json={"records": "lots"}))
    with pytest.raises(SyncError, match="応答が読めません"):
        transport.pull(PullRequest())


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://dx.pref.wakayama.lg.jp", True),
        ("http://127.0.0.1:8000", True),
        ("http://localhost:8000", True),
        ("http://dx.pref.wakayama.lg.jp", False),
        ("ftp://dx.pref.wakayama.lg.jp", False),
        ("dx.pref.wakayama.lg.jp", False),
    ],
)
def test_plain_http_only_to_this_machine(url: str, allowed: bool) -> None:
    if allowed:
        check_server_url(url)
    else:
        with pytest.raises(SyncError):
            check_server_url(url)
