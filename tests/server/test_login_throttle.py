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
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import delete, func, select, update

from dxdesk.server import admin
from dxdesk.server.cli import main
from dxdesk.server.database import ServerDatabase
from dxdesk.server.dev_tls import DevCertificates
from dxdesk.server.settings import Settings
from dxdesk.server.tables import Account, AuditEntry, Device, LoginFailure
from dxdesk.sql_common import utc_now
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


def _parallel_logins(server: RunningServer, users: list[str]) -> list[int]:
    """Every login at once, each on its own connection from 127.0.0.1."""
    clients = [server.client() for _ in users]
    start = threading.Barrier(len(clients))

    def log_in(client: httpx.Client, user: str) -> int:
        start.wait()
        return _login(client, user).status_code

    with ThreadPoolExecutor(len(clients)) as pool:
        return list(pool.map(log_in, clients, users))


def test_parallel_right_logins_of_one_account_from_one_address_all_pass(
    server: RunningServer,
) -> None:
    # A coordinator's sync threads, or an office's laptops of one shared account, at once:
    # checks in flight are no failures.
    add_user(server.database, "tanaka")
    assert _parallel_logins(server, ["tanaka"] * 12) == [200] * 12
    assert _failures(server.database) == 0


def test_parallel_right_logins_of_thirty_accounts_from_one_address_all_pass(
    server: RunningServer,
) -> None:
    # A city hall behind one NAT address at nine o'clock: more than the address's 20.
    add_user(server.database, "user00")
    with server.database.transaction() as session:
        first = session.scalars(select(Account)).one()
        session.add_all(
            Account(name=f"user{n:02}", role="advisor", password_hash=first.password_hash)
            for n in range(1, 30)
        )
    users = [f"user{n:02}" for n in range(30)]
    assert _parallel_logins(server, users) == [200] * 30
    with server.database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(LoginFailure)) == 0


def _in_flight(database: ServerDatabase, count: int, *, age: timedelta = timedelta()) -> list[int]:
    """Rows as attempts whose password check has not ended leave them, from 127.0.0.1."""
    with database.transaction() as session:
        rows = [
            LoginFailure(account_name="tanaka", address=ADVISOR, pending=True, at=utc_now() - age)
            for _ in range(count)
        ]
        session.add_all(rows)
        session.flush()
        return [row.id for row in rows]


def _later(seconds: float, action: Callable[[], None]) -> threading.Timer:
    timer = threading.Timer(seconds, action)
    timer.start()
    return timer


def test_a_login_waits_for_checks_in_flight_and_is_refused_only_for_failures_that_happened(
    server: RunningServer,
) -> None:
    add_user(server.database, "tanaka")
    client = server.client()
    # Five checks in flight fill the bucket; they turn out right: the login waits, then passes.
    ids = _in_flight(server.database, 5)

    def right() -> None:
        with server.database.transaction() as session:
            session.execute(delete(LoginFailure).where(LoginFailure.id.in_(ids)))

    timer = _later(1, right)
    started = time.monotonic()
    assert _login(client).status_code == 200
    assert time.monotonic() - started >= 1
    timer.join()
    # Five more, which turn out wrong: the login is refused for the window, not a moment.
    ids = _in_flight(server.database, 5)

    def wrong() -> None:
        with server.database.transaction() as session:
            session.execute(
                update(LoginFailure).where(LoginFailure.id.in_(ids)).values(pending=False)
            )

    timer = _later(1, wrong)
    refused = _login(client)
    timer.join()
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 14 * 60


def test_checks_that_never_end_hold_a_login_briefly_and_count_as_failures_after_a_minute(
    server_db: ServerDatabase, dev_tls: DevCertificates
) -> None:
    add_user(server_db, "tanaka")
    settings = Settings(
        database_url=server_db.engine.url.render_as_string(False),
        login_settle_wait=timedelta(seconds=1),
    )
    with serve_in_thread(server_db, dev_tls, settings) as running:
        client = running.client()
        # In flight (a check running, or a server that stopped during one): a short wait, then
        # a 429 that says to try again soon, not in 15 minutes.
        _in_flight(server_db, 5)
        started = time.monotonic()
        busy = _login(client)
        assert time.monotonic() - started >= 1
        assert busy.status_code == 429
        assert 1 <= int(busy.headers["Retry-After"]) <= 10
        assert "失敗" not in busy.json()["detail"]
        with server_db.transaction() as session:
            session.execute(delete(LoginFailure))
        # Left over for more than a minute: a crashed server's checks count as failures.
        _in_flight(server_db, 5, age=timedelta(minutes=2))
        refused = _login(client)
        assert refused.status_code == 429
        assert int(refused.headers["Retry-After"]) > 12 * 60


def test_user_list_does_not_count_checks_in_flight_as_failures(
    server: RunningServer, capsys: pytest.CaptureFixture[str]
) -> None:
    add_user(server.database, "tanaka")
    _in_flight(server.database, 5)
    [tanaka] = json.loads(_user_list(server, capsys, "--json"))
    assert tanaka["failed_logins"] == 0 and tanaka["throttled"] == []
    _in_flight(server.database, 5, age=timedelta(minutes=2))  # a crashed server's: failures
    [tanaka] = json.loads(_user_list(server, capsys, "--json"))
    assert tanaka["failed_logins"] == 5
    [throttle] = tanaka["throttled"]
    assert throttle["address"] == ADVISOR


def test_parallel_right_logins_of_one_laptop_sending_its_device_key_all_pass_and_keep_one_key(
    server: RunningServer,
) -> None:
    # The laptop's sync and its user's login, or a laptop restored twice, at once: each moves
    # the key to its own new device row, and none may find it taken by the other (before: 500).
    add_user(server.database, "tanaka")
    key = _login(server.client()).json()["device_key"]
    clients = [server.client() for _ in range(8)]
    start = threading.Barrier(len(clients))

    def log_in(client: httpx.Client) -> httpx.Response:
        start.wait()
        return _login(client, device_key=key)

    with ThreadPoolExecutor(len(clients)) as pool:
        answers = list(pool.map(log_in, clients))
    assert [a.status_code for a in answers] == [200] * len(clients), [a.text for a in answers]
    assert {a.json()["device_key"] for a in answers} == {key}
    assert _failures(server.database) == 0
    with server.database.transaction() as session:
        holders = session.scalars(
            select(Device).where(Device.login_key_hash == hashlib.sha256(key.encode()).hexdigest())
        ).all()
    [holder] = holders
    assert holder.revoked_at is None and holder.id in {a.json()["device_id"] for a in answers}
    # The one key left still works: it passes while its address is throttled for others.
    for _ in range(5):
        assert _login(server.client(), password="guess").status_code == 401
    assert _login(server.client()).status_code == 429
    assert _login(server.client(), device_key=key).status_code == 200


def test_a_disabled_accounts_right_password_is_refused_but_not_counted_as_a_failure(
    server: RunningServer, capsys: pytest.CaptureFixture[str]
) -> None:
    # Its owner, who may not know yet, is no guesser: the 403 says why, and the operator's list
    # shows no failed logins and nothing throttled (before: the sixth answer was a 429).
    add_user(server.database, "tanaka")
    with server.database.transaction() as session:
        admin.disable_user(session, name="tanaka")
    client = server.client()
    for _ in range(7):
        refused = _login(client)
        assert refused.status_code == 403, refused.text
        assert refused.json()["type"].endswith("account-disabled")
    assert _failures(server.database) == 0
    [tanaka] = json.loads(_user_list(server, capsys, "--json"))
    assert tanaka["failed_logins"] == 0 and tanaka["throttled"] == []
    with server.database.transaction() as session:
        refusals = session.scalars(
            select(AuditEntry.detail).where(AuditEntry.action == "login_disabled")
        ).all()
    assert refusals == [ADVISOR] * 7  # the operator's trail: someone holds its password
    # Guesses at a disabled account are still counted, and throttled like any others.
    for _ in range(5):
        assert _login(client, password="guess").status_code == 401
    assert _failures(server.database) == 5
    assert _login(client).status_code == 429
