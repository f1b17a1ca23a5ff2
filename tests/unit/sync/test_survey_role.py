"""The folder keeps the role the server gave its user: at login, and again at every sync.

``survey-definition load`` reads it to refuse an advisor's folder (only the secretariat loads a
definition); the server's /me is the source, so a role changed by the operator is followed at the
next sync. A stub server (httpx.MockTransport) stands for the real one: what is tested is what
the folder keeps of its answers.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from dxdesk.models import store_key
from dxdesk.models.store import META_SYNC_ROLE
from dxdesk.services.workspace import Workspace, open_workspace
from dxdesk.sync import account
from tests.conftest import STORE_PASSPHRASE

SERVER = "https://dx.example.jp"
PASSWORD = "correct horse battery"
EMPTY_PAGE = {
    "records": [],
    "cursor": "c1",
    "more": False,
    "scope": [],
    "evicted": [],
    "backfilled": [],
}


class StubServer:
    """Answers login, /me, an empty pull and logout as the server would, for one account."""

    def __init__(self, role: str) -> None:
        self.role = role
        self.paths: list[str] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        self.paths.append(path)
        if path == "/api/v1/login":
            return httpx.Response(
                200,
                json={
                    "token": "t0ken",
                    "device_id": "device-1",
                    "expires_at": "2027-01-01T00:00:00+00:00",
                    "user": "tanaka",
                    "role": self.role,
                },
            )
        if path == "/api/v1/me":
            body = {"user": "tanaka", "role": self.role, "device_id": "device-1", "scope": []}
            return httpx.Response(200, json=body)
        if path == "/api/v1/sync/pull":
            return httpx.Response(200, json=EMPTY_PAGE)
        if path == "/api/v1/logout":
            return httpx.Response(204)
        return httpx.Response(404, json={"type": "x", "title": "t", "status": 404, "detail": "?"})

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=SERVER, transport=httpx.MockTransport(self.handle))


@pytest.fixture
def workspace(tmp_path: Path, no_keychain: None) -> Iterator[Workspace]:
    # No keychain: the store's key is sealed under a passphrase, as the window asks it.
    store_key.unlock(tmp_path / "laptop", STORE_PASSPHRASE)
    opened = open_workspace(tmp_path / "laptop")
    opened.store.clear_records()
    yield opened
    opened.close()


def test_the_role_is_kept_at_login_and_followed_at_every_sync(workspace: Workspace) -> None:
    store = workspace.store
    assert store.meta(META_SYNC_ROLE) is None  # the folder is its own before any login
    server = StubServer("advisor")
    account.login(store, server=SERVER, user="tanaka", password=PASSWORD, client=server.client())
    assert store.meta(META_SYNC_ROLE) == "advisor"

    server.role = "coordinator"  # the operator made tanaka a coordinator
    account.run_sync(store, password=PASSWORD, client=server.client())
    assert store.meta(META_SYNC_ROLE) == "coordinator"
    assert "/api/v1/me" in server.paths

    server.role = "advisor"  # and back
    account.run_sync(store, password=PASSWORD, client=server.client())
    assert store.meta(META_SYNC_ROLE) == "advisor"
