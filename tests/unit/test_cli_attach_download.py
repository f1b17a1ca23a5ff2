"""``dxdesk attachments get`` of a file attached on another laptop: downloaded with the stored
login from the real server over TLS, then written out byte-identical.

The login keeps its token in the keychain: these need a real Secret Service
(``scripts/with_keychain``) and skip without one, as tests/e2e/test_cli_sync.py does.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from dxdesk.cli.main import main
from dxdesk.services.workspace import open_workspace
from dxdesk.sync.file_budget import FileBudget, set_budget
from tests.server.fixtures import PASSWORD, RunningServer, add_user

pytestmark = pytest.mark.slow  # the real server, the command in this process

WAKAYAMA = "302015"


def cli(
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *args: str,
    stdin: str = "",
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    status = main(["--data-dir", str(data_dir), *args])
    out, err = capsys.readouterr()
    return status, out, err


def login(
    data_dir: Path,
    server: RunningServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    status, _out, err = cli(
        data_dir,
        capsys,
        monkeypatch,
        *("login", server.base_url, "--user", "tanaka", "--ca-file", str(server.ca)),
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert status == 0, err


def test_get_downloads_a_file_attached_on_the_other_laptop(
    server: RunningServer,
    real_keychain: None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    office, home = tmp_path / "office", tmp_path / "home"
    plan = tmp_path / "計画案 2026年度.pdf"
    data = os.urandom(3 * 1024 * 1024)
    plan.write_bytes(data)

    login(office, server, capsys, monkeypatch)
    visit = {"municipality": WAKAYAMA, "date": "2026-11-20", "title": "計画案の相談"}
    status, out, _err = cli(
        office, capsys, monkeypatch, "records", "add", "visit", "--json", json.dumps(visit)
    )
    visit_id = json.loads(out)["id"]
    status, out, err = cli(office, capsys, monkeypatch, "attach", "visit", visit_id, str(plan))
    assert status == 0, err
    (made,) = json.loads(out)
    status, out, err = cli(office, capsys, monkeypatch, "sync", "--json")
    assert status == 0, err
    assert json.loads(out)["files_sent"] == 1

    # The home laptop fetches nothing ahead: the file comes only when asked for.
    ws = open_workspace(home)
    set_budget(ws.store, FileBudget(months=0, megabytes=0))
    ws.close()
    login(home, server, capsys, monkeypatch)
    assert cli(home, capsys, monkeypatch, "sync")[0] == 0
    status, out, _err = cli(home, capsys, monkeypatch, "attachments", "list", "visit", visit_id)
    assert status == 0 and "未取得" in out

    copy = tmp_path / "copy.pdf"
    status, out, err = cli(
        home, capsys, monkeypatch, "attachments", "get", made["id"], "-o", str(copy)
    )
    assert status == 0, err
    assert copy.read_bytes() == data
    status, out, _err = cli(
        home, capsys, monkeypatch, "attachments", "list", "visit", visit_id, "--json"
    )
    assert json.loads(out)[0]["present"] is True
