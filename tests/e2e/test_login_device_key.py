"""The laptop's device key: kept in the keychain with the token, it lets the advisor log in again
while someone else's guesses throttle the account (issue 17, finding 5).

Needs a real Secret Service keychain (``scripts/with_keychain``); skips without one unless
``DXDESK_REQUIRE_KEYCHAIN`` is set.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import keyring
import pytest
from sqlalchemy import select

from dxdesk.server.tables import Device
from dxdesk.sync.credentials import DEVICE_KEY_SERVICE, SERVICE
from tests.e2e.test_cli_sync import Cli, _files_containing
from tests.server.fixtures import RunningServer, add_user


def test_a_laptop_that_logged_in_before_logs_in_again_while_others_guesses_throttle_it(
    server: RunningServer,
    real_keychain: None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_user(server.database, "tanaka")
    cli = Cli(tmp_path / "laptop", capsys, monkeypatch)
    assert cli.login(server, "tanaka")[0] == 0
    where = f"tanaka@{server.base_url}"
    key = keyring.get_password(DEVICE_KEY_SERVICE, where)
    assert key and key.startswith("dxk_")
    assert _files_containing(tmp_path, key) == []
    # The token runs out (180 days); meanwhile someone at the same address guesses.
    with server.database.transaction() as session:
        for device in session.scalars(select(Device)):
            device.expires_at = device.created_at
    assert cli("sync")[0] != 0
    assert keyring.get_password(SERVICE, where) is None  # the dead token is forgotten
    with server.client() as attacker:
        for _ in range(5):
            answer = attacker.post(
                "/api/v1/login",
                json={"user": "tanaka", "password": "guess", "device_name": "x"},
            )
            assert answer.status_code == 401
        answer = attacker.post(
            "/api/v1/login",
            json={"user": "tanaka", "password": "guess", "device_name": "x"},
        )
        assert answer.status_code == 429
    status, _, err = cli.login(server, "tanaka")
    assert status == 0, err
    assert keyring.get_password(DEVICE_KEY_SERVICE, where) == key
    with server.database.transaction() as session:
        latest = session.scalars(select(Device).order_by(Device.created_at.desc())).first()
        assert latest is not None
        assert latest.login_key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert cli("sync")[0] == 0
    # Logging out revokes the device, and with it the key: it is forgotten here too.
    assert cli("logout")[0] == 0
    assert keyring.get_password(DEVICE_KEY_SERVICE, where) is None
