"""A 408 from the server's bounds on a slow client is retried (issue 17, finding 6).

The server answers 408 when a request's head or body did not arrive in time, before the app sees
it: nothing was done, so sending it again is safe, and a push is safe to repeat anyway (its push
id). A laptop whose link stalled for a few seconds should sync on the next try, not fail.
"""

from __future__ import annotations

import httpx
import pytest

from dxdesk.sync.api_client import Offline, SyncApiClient
from dxdesk.wire.protocol import PullRequest, PushRequest

EMPTY_PAGE = {
    "records": [],
    "cursor": "c",
    "more": False,
    "scope": [],
    "evicted": [],
    "backfilled": [],
}
PUSH_ID = "0b6a7f9e-6f3c-4d5c-9a51-2f7a3e0c1d11"
PUSHED = {"push_id": PUSH_ID, "replayed": False, "results": []}


def _timeout() -> httpx.Response:
    body = {
        "type": "https://dxdesk.invalid/problems/request-timeout",
        "title": "Request timeout",
        "status": 408,
        "detail": "リクエストのヘッダーが 10 秒以内に届きませんでした",
    }
    return httpx.Response(408, json=body, headers={"Connection": "close"})


def _transport(answers: list[httpx.Response]) -> tuple[SyncApiClient, list[float], list[str]]:
    waits: list[float] = []
    paths: list[str] = []
    remaining = iter(answers)

    def handler(request: httpx.Request) -> httpx.Response:
        paths.append(request.url.path)
        return next(remaining)

    client = httpx.Client(base_url="https://dx.example.jp", transport=httpx.MockTransport(handler))
    return SyncApiClient(client, token="dxd_token", sleep=waits.append), waits, paths


def test_a_pull_timed_out_by_the_server_is_retried_with_growing_waits() -> None:
    transport, waits, paths = _transport(
        [_timeout(), _timeout(), httpx.Response(200, json=EMPTY_PAGE)]
    )
    assert transport.pull(PullRequest()).cursor == "c"
    assert waits == [0.5, 1.0] and paths == ["/api/v1/sync/pull"] * 3


def test_a_push_timed_out_by_the_server_is_sent_again_with_its_push_id() -> None:
    sent: list[bytes] = []
    answers = iter([_timeout(), httpx.Response(200, json=PUSHED)])

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.content)
        return next(answers)

    client = httpx.Client(base_url="https://dx.example.jp", transport=httpx.MockTransport(handler))
    transport = SyncApiClient(client, token="dxd_token", sleep=lambda _: None)
    answer = transport.push(PushRequest(push_id=PUSH_ID, changes=[]))
    assert str(answer.push_id) == PUSH_ID
    assert len(sent) == 2 and sent[0] == sent[1]


def test_timeouts_on_every_attempt_are_offline_with_a_message_about_the_link() -> None:
    transport, waits, _ = _transport([_timeout() for _ in range(5)])
    with pytest.raises(Offline) as raised:
        transport.pull(PullRequest())
    assert len(waits) == 4
    assert "回線" in str(raised.value)


def test_a_login_timed_out_is_not_retried() -> None:
    transport, _, paths = _transport([_timeout(), _timeout()])
    with pytest.raises(Offline):
        transport.login("tanaka", "pw", "laptop")
    assert paths == ["/api/v1/login"]
