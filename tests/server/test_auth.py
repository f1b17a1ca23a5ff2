"""Login, tokens and refusals over real TLS, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select

from dxdesk.server import admin
from dxdesk.server.auth import secret_hash
from dxdesk.server.database import ServerDatabase
from dxdesk.server.dev_tls import DevCertificates
from dxdesk.server.settings import Settings
from dxdesk.server.tables import AuditEntry, Device
from dxdesk.wire.protocol import PROBLEM_MEDIA_TYPE, PROTOCOL_HEADER, PROTOCOL_VERSION
from tests.server.fixtures import PASSWORD, RunningServer, add_user, serve_in_thread

WAKAYAMA = "302015"


def _login(client: httpx.Client, user: str, password: str = PASSWORD) -> httpx.Response:
    return client.post(
        "/api/v1/login", json={"user": user, "password": password, "device_name": "ノートPC"}
    )


def test_healthz_answers_over_tls_verified_by_the_dev_ca(server: RunningServer) -> None:
    with server.client() as client:
        assert client.get("/healthz").json() == {"status": "ok", "protocol": PROTOCOL_VERSION}


def test_a_client_without_the_ca_is_refused(server: RunningServer) -> None:
    with httpx.Client(base_url=server.base_url) as client, pytest.raises(httpx.ConnectError):
        client.get("/healthz")


def test_login_gives_a_long_random_token_stored_only_as_a_hash(server: RunningServer) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    with server.client() as client:
        answer = _login(client, "tanaka")
    assert answer.status_code == 200
    body = answer.json()
    token = body["token"]
    assert len(token) >= 43 + 4  # 32 random bytes in base64 and the prefix
    assert body["user"] == "tanaka" and body["role"] == "advisor"
    with server.database.transaction() as session:
        device = session.get(Device, body["device_id"])
        assert device is not None and device.name == "ノートPC"
        assert device.token_hash == secret_hash(token) != token
        assert device.expires_at > device.created_at + timedelta(days=30)
        actions = list(session.scalars(select(AuditEntry.action)))
    assert "login" in actions
    with server.client(headers={"Authorization": f"Bearer {token}"}) as client:
        me = client.get("/api/v1/me").json()
    assert me["scope"] == [WAKAYAMA] and me["device_id"] == body["device_id"]


def test_wrong_password_and_unknown_user_get_the_same_401(server: RunningServer) -> None:
    add_user(server.database, "tanaka")
    with server.client() as client:
        wrong = _login(client, "tanaka", "not the password")
        unknown = _login(client, "nobody")
    for answer in (wrong, unknown):
        assert answer.status_code == 401
        assert answer.headers["content-type"] == PROBLEM_MEDIA_TYPE
        assert answer.json()["detail"] == "ユーザー名かパスワードが違います"
        assert PASSWORD not in answer.text


def test_repeated_failures_are_rate_limited_per_account(server: RunningServer) -> None:
    add_user(server.database, "tanaka")
    with server.client() as client:
        for _ in range(5):
            assert _login(client, "tanaka", "guess").status_code == 401
        # Even the right password waits now: the limit is not an oracle.
        limited = _login(client, "tanaka")
    assert limited.status_code == 429
    wait = int(limited.headers["Retry-After"])
    assert 0 < wait <= 15 * 60
    assert f"{wait} 秒後" in limited.json()["detail"]


def test_failures_across_accounts_are_rate_limited_per_address(
    server_db: ServerDatabase, dev_tls: DevCertificates
) -> None:
    add_user(server_db, "tanaka")
    settings = Settings(
        database_url=server_db.engine.url.render_as_string(False), max_failures_per_address=3
    )
    with serve_in_thread(server_db, dev_tls, settings) as running, running.client() as client:
        for name in ("a", "b", "c"):
            assert _login(client, name, "guess").status_code == 401
        answer = _login(client, "tanaka")
    assert answer.status_code == 429 and "Retry-After" in answer.headers


def test_a_revoked_device_is_refused_at_once_and_others_keep_working(
    server: RunningServer,
) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    lost, kept = server.login("tanaka", "lost"), server.login("tanaka", "kept")
    with lost, kept:
        lost_id = lost.get("/api/v1/me").json()["device_id"]
        with server.database.transaction() as session:
            admin.revoke_device(session, device_id=lost_id)
        refused = lost.post("/api/v1/sync/pull", json={})
        assert refused.status_code == 401
        assert "取り消されています" in refused.json()["detail"]
        assert kept.post("/api/v1/sync/pull", json={}).status_code == 200


def test_a_disabled_user_is_refused_at_once(server: RunningServer) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    with server.login("tanaka") as client:
        assert client.get("/api/v1/me").status_code == 200
        with server.database.transaction() as session:
            admin.disable_user(session, name="tanaka")
        answer = client.post("/api/v1/sync/pull", json={})
        assert answer.status_code == 403
        assert answer.json()["detail"] == "このアカウントは無効にされています"
    with server.client() as client:
        assert _login(client, "tanaka").status_code == 403


def test_an_expired_token_is_refused(server: RunningServer) -> None:
    add_user(server.database, "tanaka")
    with server.login("tanaka") as client:
        with server.database.transaction() as session:
            for device in session.scalars(select(Device)):
                device.expires_at = device.created_at - timedelta(seconds=1)
        answer = client.get("/api/v1/me")
    assert answer.status_code == 401 and "有効期限" in answer.json()["detail"]


def test_logout_revokes_the_token(server: RunningServer) -> None:
    add_user(server.database, "tanaka")
    with server.login("tanaka") as client:
        assert client.post("/api/v1/logout").status_code == 204
        assert client.get("/api/v1/me").status_code == 401


def test_no_token_or_a_forged_one_is_401(server: RunningServer) -> None:
    with server.client() as client:
        assert client.get("/api/v1/me").status_code == 401
        forged = client.get("/api/v1/me", headers={"Authorization": "Bearer dxd_" + "A" * 43})
        assert forged.status_code == 401


@pytest.mark.parametrize(
    ("sent", "update"),
    [(PROTOCOL_VERSION - 1, "app"), (PROTOCOL_VERSION + 1, "server")],
)
def test_a_protocol_mismatch_says_which_side_to_update(
    server: RunningServer, sent: int, update: str
) -> None:
    add_user(server.database, "tanaka")
    with server.client(headers={PROTOCOL_HEADER: str(sent)}) as client:
        answer = _login(client, "tanaka")
    assert answer.status_code == 400
    problem = answer.json()
    assert problem["type"].endswith("/protocol-mismatch")
    assert problem["update"] == update
    assert problem["server_protocol"] == PROTOCOL_VERSION
    expected = "DX Desk を更新してください" if update == "app" else "サーバーの管理者に更新"
    assert expected in problem["detail"]
    # An app of protocol 1 meeting a server of 2 is told both versions.
    assert problem["detail"].endswith(f"（アプリ: {sent}、サーバー: {PROTOCOL_VERSION}）")


def test_a_request_without_the_protocol_header_is_refused_clearly(server: RunningServer) -> None:
    with server.client() as client:
        del client.headers[PROTOCOL_HEADER]
        answer = client.post("/api/v1/sync/pull", json={})
    assert answer.status_code == 400
    assert "DXDesk-Protocol" in answer.json()["detail"]
