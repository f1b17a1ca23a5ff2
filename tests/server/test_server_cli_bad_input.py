"""No ``dxdesk-server`` command ends in a traceback on bad input: each says what to do instead."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from dxdesk.server.cli import main
from tests.child_process import TIMEOUT, TimedOut, run


def server(db: str, *args: str, timeout: float = TIMEOUT) -> subprocess.CompletedProcess[str]:
    """The real command in a new session: no controlling terminal, stdin empty (as under cron);
    a ``serve`` that starts instead of refusing is killed after ``timeout`` and fails the test."""
    return run(
        [sys.executable, "-m", "dxdesk.server", "--db", db, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    assert main(["--db", url, "init"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("long enough password\n"))
    add = ["user", "add", "tanaka", "--role", "advisor", "--password-stdin"]
    assert main(["--db", url, *add]) == 0
    capsys.readouterr()
    return url


NO_TERMINAL = (
    "dxdesk-server: パスワードを入力する端末がありません。--password-stdin で渡してください。\n"
)


@pytest.mark.parametrize(
    "args", [("user", "add", "suzuki", "--role", "advisor"), ("user", "password", "tanaka")]
)
def test_a_password_without_a_terminal_says_to_use_password_stdin(
    db: str, args: tuple[str, ...]
) -> None:
    done = server(db, *args)
    assert "Traceback" not in done.stderr
    assert (done.returncode, done.stderr) == (1, NO_TERMINAL)


def test_assign_takes_a_name_without_its_cho_and_lists_candidates(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", db, "assign", "tanaka", "みなべ", "海南"]) == 0
    out, _ = capsys.readouterr()
    assert "303917" in out and "みなべ町" in out
    assert main(["--db", db, "user", "list", "--json"]) == 0
    [user] = json.loads(capsys.readouterr().out)
    assert user["municipalities"] == ["302023", "303917"]
    assert main(["--db", db, "unassign", "tanaka", "みなべ"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "assign", "tanaka", "紀"]) == 1
    _, err = capsys.readouterr()
    assert "紀の川市（302082）、紀美野町（303046）" in err and err.count("\n") == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("serve", "--insecure-http", "--port", "99999"), "0〜65535"),
        (("serve", "--dev-tls", "{tmp}/server.sqlite3"), "server.sqlite3"),
        (("serve", "--dev-tls", "{tmp}/server.sqlite3/tls"), "server.sqlite3"),
        (("serve", "--cert", "{tmp}/server.sqlite3", "--key", "{tmp}/server.sqlite3"), "証明書"),
    ],
)
def test_bad_serve_options_are_one_line(
    db: str, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    done = server(db, *[a.format(tmp=tmp_path) for a in args])
    assert "Traceback" not in done.stderr
    assert done.returncode in (1, 2)
    assert done.stderr.startswith("dxdesk-server") and done.stderr.count("\n") == 1
    assert message in done.stderr


def test_a_serve_that_starts_instead_of_refusing_is_stopped_and_fails(db: str) -> None:
    # The guard every test above relies on: a server that does start does not hang the run.
    with pytest.raises(TimedOut):
        server(db, "serve", "--insecure-http", "--port", "0", timeout=3)
