"""A laptop revoked as lost wipes itself at its next sync, over TLS against the real server:
no store, no backups, no files, no keychain entry; nothing pushed; the account's other laptop
and a plain revoke as before (issue 23).

Needs a real Secret Service keychain (``scripts/with_keychain``); skips without one unless
``DXDESK_REQUIRE_KEYCHAIN`` is set.
"""

from __future__ import annotations

import json
from pathlib import Path

import keyring
import pytest
from sqlalchemy import select

from dxdesk.models import backup_keys, store_key
from dxdesk.models.backup_crypto import KdfCost
from dxdesk.server.cli import main as server_main
from dxdesk.server.tables import Device, Record
from dxdesk.services.workspace import open_workspace
from dxdesk.sync.account import META_DEVICE
from dxdesk.sync.credentials import DEVICE_KEY_SERVICE, SERVICE
from tests.e2e.test_cli_sync import Cli
from tests.server.fixtures import PASSWORD, RunningServer, add_user

WAKAYAMA = "302015"


def _login(cli: Cli, url: str, server: RunningServer) -> None:
    status, _, err = cli(
        "login",
        url,
        "--user",
        "tanaka",
        "--ca-file",
        str(server.ca),
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert status == 0, err


def _device_and_pending_visit(data_dir: Path) -> tuple[str, str]:
    """The laptop's device id; a visit typed offline (pending), a backup, attachment files."""
    ws = open_workspace(data_dir)
    try:
        device = ws.store.meta(META_DEVICE)
        visit = ws.engagements.add(
            {"municipality": WAKAYAMA, "date": "2026-12-01", "title": "未送信の訪問"}
        )["id"]
        (data_dir / "backups").mkdir(exist_ok=True)
        ws.store.backup(data_dir / "backups" / "copy.sqlite3")
        backup_keys.set_up(data_dir, "合言葉はうみねこ", cost=KdfCost(n=2**10))
    finally:
        ws.close()
    files = data_dir / "files" / "ab"
    files.mkdir(parents=True, exist_ok=True)
    (files / "abcdef").write_bytes(b"interview notes")
    (files / "abcdef").chmod(0o400)  # read-only
    assert device
    return device, str(visit)


def _operator(server: RunningServer, *args: str) -> int:
    url = server.database.engine.url.render_as_string(hide_password=False)
    return server_main(["--db", url, *args])


def test_a_lost_laptop_wipes_itself_at_its_next_sync_and_sends_nothing(
    server: RunningServer,
    real_keychain: None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    lost, other = (
        Cli(tmp_path / "lost", capsys, monkeypatch),
        Cli(tmp_path / "other", capsys, monkeypatch),
    )
    # Two laptops of one account; the same server by two names keeps their keychain entries
    # apart in this one test keychain.
    other_url = server.base_url.replace("localhost", "127.0.0.1")
    _login(lost, server.base_url, server)
    _login(other, other_url, server)
    assert lost("sync")[0] == 0
    device, visit = _device_and_pending_visit(tmp_path / "lost")
    assert _operator(server, "revoke", device, "--wipe") == 0
    capsys.readouterr()

    store_entry = json.loads((tmp_path / "lost" / store_key.KEY_FILE).read_text())["keychain"]
    assert keyring.get_password(store_key.KEYCHAIN_SERVICE, store_entry) is not None

    status, _out, err = lost("sync")
    assert status == 3, err
    assert err.count("\n") == 1 and "消去しました" in err and "消去できなかった" not in err
    assert keyring.get_password(store_key.KEYCHAIN_SERVICE, store_entry) is None  # the records' key
    assert not (tmp_path / "lost").exists()
    lost_account = f"tanaka@{server.base_url}"
    assert keyring.get_password(SERVICE, lost_account) is None
    assert keyring.get_password(DEVICE_KEY_SERVICE, lost_account) is None
    assert backup_keys.saved_key(tmp_path / "lost") is None  # the backups' key went too
    with server.database.transaction() as session:
        assert session.get(Record, visit) is None  # the order came before anything was sent
        wiped = session.get(Device, device)
        assert wiped is not None and wiped.wipe_delivered_at is not None
    # The other laptop of the same account syncs as before.
    assert other("sync")[0] == 0
    assert keyring.get_password(SERVICE, f"tanaka@{other_url}") is not None
    assert (tmp_path / "other" / "dxdesk.sqlite3").exists()


def test_a_plain_revoke_keeps_the_data_and_asks_for_a_login(
    server: RunningServer,
    real_keychain: None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    cli = Cli(tmp_path / "laptop", capsys, monkeypatch)
    _login(cli, server.base_url, server)
    device, _ = _device_and_pending_visit(tmp_path / "laptop")
    assert _operator(server, "revoke", device) == 0
    status, _, err = cli("sync")
    assert status == 1 and "ログインし直してください" in err
    assert (tmp_path / "laptop" / "dxdesk.sqlite3").exists()
    assert (tmp_path / "laptop" / "backups" / "copy.sqlite3").exists()
    account = f"tanaka@{server.base_url}"
    assert keyring.get_password(SERVICE, account) is None
    assert keyring.get_password(DEVICE_KEY_SERVICE, account) is not None  # for the next login
    _login(cli, server.base_url, server)
    assert cli("sync")[0] == 0
    with server.database.transaction() as session:
        assert session.scalar(select(Device.wipe_requested_at).where(Device.id == device)) is None
