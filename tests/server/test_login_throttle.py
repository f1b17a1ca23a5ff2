"""The login rate limit: atomic, and costing an attacker more than the advisor (issue 17, 5).

Over real TLS, on SQLite and PostgreSQL. The server listens on 127.0.0.1; a client can connect
from another loopback address (127.0.0.2, …), which the server sees as another address.
Password checks are counted by what they leave behind: a 401 answer and a failed-attempt row.
"""

from __future__ import annotations

import hashlib
import json
import ssl
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import func, select

from dxdesk.server import admin
from dxdesk.server.cli import main
from dxdesk.server.database import ServerDatabase
from dxdesk.server.dev_tls import DevCertificates
from dxdesk.server.settings import Settings
from dxdesk.server.tables import Device, LoginFailure
from tests.server.fixtures import PASSWORD, RunningServer, add_user, serve_in_thread

ATTACKER = "127.0.0.2"
ADVISOR = "127.0.0.1"


def _client_from(server: RunningServer, address: str) -> httpx.Client:
    """A client whose connections leave from ``address``."""
    context = ssl.create_default_context(cafile=str(server.ca))
    return server.client(transport=httpx.HTTPTransport(local_address=address, verify=context))


def _login(
    client: httpx.Client,
    user: str = "tanaka",
    password: str = PASSWORD,
    device_key: str | None = None,
) -> httpx.Response:
    body = {"user": user, "password": password, "device_name": "ノートPC"}
    if device_key is not None:
        body["device_key"] = device_key
    return client.post("/api/v1/login", json=body)


def _failures(database: ServerDatabase, user: str = "tanaka") -> int:
    with database.transaction() as session:
        count = session.scalar(
            select(func.count()).select_from(LoginFailure).where(LoginFailure.account_name == user)
        )
    return count or 0


def test_forty_parallel_wrong_guesses_get_at_most_the_limit_of_password_checks(
    server: RunningServer,
) -> None:
    add_user(server.database, "tanaka")
    clients = [server.client() for _ in range(40)]
    start = threading.Barrier(len(clients))

    def guess(client: httpx.Client) -> int:
        start.wait()
        return _login(client, password="guess").status_code

    with ThreadPoolExecutor(len(clients)) as pool:
        statuses = list(pool.map(guess, clients))
    # Each 401 is one password check; the rest were refused before any check.
    assert statuses.count(401) == 5
    assert statuses.count(429) == 35
    assert _failures(server.database) == 5


def test_an_attacker_on_one_address_does_not_lock_out_the_advisor_on_another(
    server: RunningServer,
) -> None:
    add_user(server.database, "tanaka")
    attacker = _client_from(server, ATTACKER)
    statuses = [_login(attacker, password=f"guess {n}").status_code for n in range(40)]
    assert statuses == [401] * 5 + [429] * 35
    assert _login(attacker).status_code == 429  # not an oracle: the right password waits too
    advisor = _client_from(server, ADVISOR)
    assert _login(advisor).status_code == 200
    assert _failures(server.database) == 5
    assert _login(attacker).status_code == 429  # the advisor's login frees nothing for it


def test_a_known_device_with_the_right_password_passes_while_its_address_is_throttled(
    server: RunningServer,
) -> None:
    add_user(server.database, "tanaka")
    laptop = server.client()
    first = _login(laptop)
    assert first.status_code == 200
    key = first.json()["device_key"]
    assert key.startswith("dxk_") and len(key) >= 4 + 43
    # Someone behind the same address (a city hall's one NAT address) guesses.
    for _ in range(5):
        assert _login(laptop, password="guess").status_code == 401
    assert _login(laptop).status_code == 429  # a new laptop waits
    assert _login(laptop, device_key="dxk_" + "A" * 43).status_code == 429  # made up: no key
    again = _login(laptop, device_key=key)
    assert again.status_code == 200
    assert again.json()["device_key"] == key  # the laptop keeps its key
    assert _login(laptop, device_key=key).status_code == 200


def test_a_device_key_is_kept_hashed_its_own_guesses_are_limited_and_revocation_ends_it(
    server: RunningServer,
) -> None:
    add_user(server.database, "tanaka")
    laptop = server.client()
    answer = _login(laptop).json()
    key = answer["device_key"]
    with server.database.transaction() as session:
        device = session.get(Device, answer["device_id"])
        assert device is not None
        assert device.login_key_hash == hashlib.sha256(key.encode()).hexdigest()
    # A stolen key does not give unlimited guesses: they are counted for that device.
    for _ in range(5):
        assert _login(laptop, password="guess", device_key=key).status_code == 401
    assert _login(laptop, device_key=key).status_code == 429
    # Those guesses do not throttle the account for anyone else.
    assert _login(_client_from(server, ATTACKER)).status_code == 200
    # A fresh key, then the device is revoked (a lost laptop): its key is no pass any more.
    fresh = _login(server.client()).json()
    with server.database.transaction() as session:
        admin.revoke_device(session, device_id=fresh["device_id"])
    other = _client_from(server, "127.0.0.3")
    for _ in range(5):
        assert _login(other, password="guess").status_code == 401
    assert _login(other, device_key=fresh["device_key"]).status_code == 429


def test_guesses_spread_over_addresses_throttle_the_account_except_for_a_known_device(
    server_db: ServerDatabase, dev_tls: DevCertificates
) -> None:
    add_user(server_db, "tanaka")
    settings = Settings(
        database_url=server_db.engine.url.render_as_string(False), max_failures_per_account=10
    )
    with serve_in_thread(server_db, dev_tls, settings) as running:
        key = _login(_client_from(running, ADVISOR)).json()["device_key"]
        statuses = []
        for n in range(2, 6):
            attacker = _client_from(running, f"127.0.0.{n}")
            statuses += [_login(attacker, password="guess").status_code for _ in range(5)]
        assert statuses.count(401) == 10 and statuses.count(429) == 10
        advisor = _client_from(running, ADVISOR)
        assert _login(advisor).status_code == 429  # an unknown laptop waits
        assert _login(advisor, device_key=key).status_code == 200
    assert _failures(server_db) == 10


def _user_list(server: RunningServer, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    url = server.database.engine.url.render_as_string(hide_password=False)
    assert main(["--db", url, "user", "list", *args]) == 0
    return capsys.readouterr().out


def test_user_list_shows_failed_attempts_and_who_is_throttled(
    server: RunningServer, capsys: pytest.CaptureFixture[str]
) -> None:
    add_user(server.database, "tanaka")
    add_user(server.database, "suzuki")
    attacker = _client_from(server, ATTACKER)
    for _ in range(6):
        _login(attacker, password="guess")
    _login(attacker, "suzuki", password="guess")
    _login(attacker, "nobody", password="guess")
    listed = {u["name"]: u for u in json.loads(_user_list(server, capsys, "--json"))}
    tanaka, suzuki = listed["tanaka"], listed["suzuki"]
    assert tanaka["failed_logins"] == 5 and suzuki["failed_logins"] == 1
    assert tanaka["last_failed_login"] is not None
    [throttle] = tanaka["throttled"]
    assert throttle["address"] == ATTACKER and 0 < throttle["retry_after"] <= 15 * 60
    assert suzuki["throttled"] == []
    text = _user_list(server, capsys)
    [line] = [line for line in text.splitlines() if line.startswith("tanaka\t")]
    assert "ログイン失敗 5 回" in line and f"制限中 {ATTACKER}" in line
    [line] = [line for line in text.splitlines() if line.startswith("suzuki\t")]
    assert "ログイン失敗 1 回" in line and "制限中" not in line
    assert "存在しないユーザー名へのログイン失敗 1 回" in text
