"""After login, a record outside the account's municipalities is refused at once, not at sync.

The real server over TLS tells the laptop its account's scope at login and at every pull; the
command refuses a visit elsewhere in one line and writes nothing, so no conflict waits for the
advisor at the next sync. A coordinator, whose scope is every municipality, is refused nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.test_cli_sync import Cli
from tests.server.fixtures import PASSWORD, RunningServer, add_user

WAKAYAMA, KAINAN, HASHIMOTO = "302015", "302023", "302031"


def _visit(code: str) -> str:
    return json.dumps({"municipality": code, "date": "2026-11-20", "title": "窓口BPR"})


def test_an_advisor_is_refused_a_visit_outside_their_municipalities_after_login(
    server: RunningServer,
    no_keychain: None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_user(server.database, "tanaka", codes=(KAINAN, HASHIMOTO))
    cli = Cli(tmp_path / "laptop", capsys, monkeypatch)
    status, _, err = cli.login(server, "tanaka")
    assert status == 0, err
    status, out, err = cli("records", "add", "visit", "--json", _visit(WAKAYAMA))
    assert status == 2 and out == ""
    assert err == (
        "dxdesk: エラー: 和歌山市 (302015) は担当ではありません。"
        "担当: 海南市 (302023)、橋本市 (302031)\n"
    )
    assert json.loads(cli("records", "list", "visit", "--json")[1]) == []
    status, out, _ = cli("records", "add", "visit", "--json", _visit(KAINAN))
    assert status == 0
    # The sync sends the one visit and has nothing to refuse.
    status, out, err = cli("sync", "--json", "--password-stdin", stdin=PASSWORD + "\n")
    assert status == 0, err
    assert json.loads(out)["pushed"] == 1 and json.loads(out)["conflicts"] == 0
    # And after the sync, as before it.
    assert cli("records", "add", "visit", "--json", _visit(WAKAYAMA))[0] == 2


def test_a_coordinator_may_write_for_every_municipality(
    server: RunningServer,
    no_keychain: None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_user(server.database, "jimukyoku", role="coordinator")
    cli = Cli(tmp_path / "office", capsys, monkeypatch)
    assert cli.login(server, "jimukyoku")[0] == 0
    status, _, err = cli("records", "add", "visit", "--json", _visit(WAKAYAMA))
    assert status == 0, err
    status, out, err = cli("sync", "--json", "--password-stdin", stdin=PASSWORD + "\n")
    assert status == 0, err
    assert json.loads(out)["conflicts"] == 0
    assert cli("records", "add", "visit", "--json", _visit(HASHIMOTO))[0] == 0
