"""``dxdesk login / sync / conflicts / resolve / logout`` against the real server over TLS.

The keychain cases need a real Secret Service (``scripts/with_keychain`` starts one, as
``.ci/run`` does); they skip without one unless ``DXDESK_REQUIRE_KEYCHAIN`` is set.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import keyring
import pytest

from dxdesk.cli.main import main
from dxdesk.server import admin
from dxdesk.server.tables import Device
from dxdesk.sync.credentials import SERVICE
from tests.server.fixtures import PASSWORD, RunningServer, add_user

WAKAYAMA = "302015"


class Cli:
    def __init__(
        self, data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        self.data_dir = data_dir
        self.capsys = capsys
        self.monkeypatch = monkeypatch

    def __call__(self, *args: str, stdin: str = "") -> tuple[int, str, str]:
        self.monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        status = main(["--data-dir", str(self.data_dir), *args])
        out, err = self.capsys.readouterr()
        return status, out, err

    def login(self, server: RunningServer, user: str) -> tuple[int, str, str]:
        return self(
            "login",
            server.base_url,
            "--user",
            user,
            "--ca-file",
            str(server.ca),
            "--password-stdin",
            stdin=PASSWORD + "\n",
        )


def _files_containing(folder: Path, secret: str) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()]


def test_login_keeps_the_token_in_the_keychain_only_and_sync_reports_json(
    server: RunningServer,
    real_keychain: None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    cli = Cli(tmp_path / "laptop", capsys, monkeypatch)
    status, out, _ = cli.login(server, "tanaka")
    assert status == 0 and "ログインしました" in out
    token = keyring.get_password(SERVICE, f"tanaka@{server.base_url}")
    assert token and token.startswith("dxd_")
    status, out, err = cli("sync", "--json")
    assert status == 0, err
    summary = json.loads(out)
    assert set(summary) == {
        "pushed",
        "pulled",
        "merged",
        "conflicts",
        "evicted",
        "files_sent",
        "files_received",
        "files_refused",
    }
    assert token not in out + err
    assert _files_containing(tmp_path, token) == []
    # A revoked laptop is asked to log in again; its edits stay.
    record = json.loads(
        cli(
            "records",
            "add",
            "visit",
            "--json",
            json.dumps({"municipality": WAKAYAMA, "date": "2026-11-21", "title": "取消後"}),
        )[1]
    )
    with server.database.transaction() as session:
        for device in session.query(Device).all():
            admin.revoke_device(session, device_id=device.id)
    status, _, err = cli("sync")
    assert status != 0 and "ログイン" in err and token not in err
    assert keyring.get_password(SERVICE, f"tanaka@{server.base_url}") is None
    assert json.loads(cli("records", "get", "visit", record["id"])[1])["title"] == "取消後"
    assert cli.login(server, "tanaka")[0] == 0
    assert cli("sync")[0] == 0
    assert cli("logout")[0] == 0
    assert keyring.get_password(SERVICE, f"tanaka@{server.base_url}") is None


def test_without_a_keychain_nothing_is_stored_and_sync_asks_for_the_password(
    server: RunningServer,
    no_keychain: None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    cli = Cli(tmp_path / "laptop", capsys, monkeypatch)
    status, out, _ = cli.login(server, "tanaka")
    assert status == 0 and "キーチェーン" in out
    status, _, err = cli("sync")
    assert status != 0 and "パスワード" in err
    status, out, err = cli("sync", "--json", "--password-stdin", stdin=PASSWORD + "\n")
    assert status == 0, err
    # Each such sync logs in for itself and logs out after: no device stays registered.
    with server.database.transaction() as session:
        assert all(d.revoked_at is not None for d in session.query(Device).all())


def test_conflicts_are_listed_and_resolved_from_the_command_line(
    server: RunningServer,
    no_keychain: None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    add_user(server.database, "suzuki", codes=(WAKAYAMA,))
    tanaka = Cli(tmp_path / "tanaka", capsys, monkeypatch)
    suzuki = Cli(tmp_path / "suzuki", capsys, monkeypatch)
    for cli, user in ((tanaka, "tanaka"), (suzuki, "suzuki")):
        cli.login(server, user)

    def sync(cli: Cli) -> dict[str, object]:
        status, out, err = cli("sync", "--json", "--password-stdin", stdin=PASSWORD + "\n")
        assert status == 0, err
        return dict(json.loads(out))

    visit = json.loads(
        tanaka(
            "records",
            "add",
            "visit",
            "--json",
            json.dumps({"municipality": WAKAYAMA, "date": "2026-11-21", "title": "元"}),
        )[1]
    )["id"]
    sync(tanaka), sync(suzuki)
    tanaka("records", "update", "visit", visit, "--json", json.dumps({"title": "田中案"}))
    suzuki("records", "update", "visit", visit, "--json", json.dumps({"title": "鈴木案"}))
    sync(tanaka)
    assert sync(suzuki)["conflicts"] == 1
    [conflict] = json.loads(suzuki("conflicts", "--json")[1])
    assert {k: conflict[k] for k in ("kind", "record_id", "field", "base", "theirs", "mine")} == {
        "kind": "visit",
        "record_id": visit,
        "field": "title",
        "base": "元",
        "theirs": "田中案",
        "mine": "鈴木案",
    }
    status, _, _ = suzuki("resolve", str(conflict["id"]), "--value", json.dumps("田中案と鈴木案"))
    assert status == 0
    sync(suzuki), sync(tanaka)
    for cli in (tanaka, suzuki):
        assert json.loads(cli("records", "get", "visit", visit)[1])["title"] == "田中案と鈴木案"
        assert json.loads(cli("conflicts", "--json")[1]) == []


def test_a_demo_folder_cannot_log_in_so_its_made_up_records_never_reach_the_server(
    server: RunningServer,
    no_keychain: None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    cli = Cli(tmp_path / "demo", capsys, monkeypatch)
    assert cli("seed-demo")[0] == 0
    status, _, err = cli.login(server, "tanaka")
    assert status != 0 and "デモデータ" in err
    with server.database.transaction() as session:
        assert session.query(Device).count() == 0  # the server never heard of it
    real = Cli(tmp_path / "real", capsys, monkeypatch)
    assert real.login(server, "tanaka")[0] == 0
