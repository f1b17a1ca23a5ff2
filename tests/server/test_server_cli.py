"""The operator's ``dxdesk-server`` commands, on a SQLite file."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from dxdesk.server.cli import main
from dxdesk.server.database import connect
from dxdesk.server.tables import AuditEntry


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'data' / 'server.sqlite3'}"


def test_an_operator_prepares_accounts_and_assignments(
    db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _run(capsys, "--db", db, "init")[0] == 0
    assert _run(capsys, "--db", db, "init")[0] == 0  # again: nothing to do, no error
    monkeypatch.setattr("sys.stdin", io.StringIO("long enough password\n"))
    status, out, _ = _run(
        capsys, "--db", db, "user", "add", "tanaka", "--role", "advisor", "--password-stdin"
    )
    assert status == 0 and "tanaka" in out
    assert (
        _run(capsys, "--db", db, "assign", "tanaka", "302015", "30202", "橋本市")[0] == 0
    )  # check digit optional
    status, out, _ = _run(capsys, "--db", db, "user", "list", "--json")
    [user] = json.loads(out)
    assert user == {
        "name": "tanaka",
        "role": "advisor",
        "disabled": False,
        "municipalities": ["302015", "302023", "302031"],
        "devices": 0,
        "failed_logins": 0,
        "last_failed_login": None,
        "throttled": [],
    }
    assert _run(capsys, "--db", db, "unassign", "tanaka", "302023")[0] == 0
    assert _run(capsys, "--db", db, "user", "disable", "tanaka")[0] == 0
    status, out, _ = _run(capsys, "--db", db, "user", "list")
    assert "無効" in out and "302023" not in out
    database = connect(db)
    with database.transaction() as session:
        actions = [entry.action for entry in session.query(AuditEntry).order_by(AuditEntry.id)]
    database.close()
    assert actions == ["user_add", "assign", "unassign", "user_disable"]
    assert (Path(db.removeprefix("sqlite:///")).stat().st_mode & 0o077) == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("assign", "tanaka", "302016"), "302016"),  # wrong check digit
        (("assign", "tanaka", "大阪市"), "大阪市"),
        (("assign", "nobody", "302015"), "ユーザー nobody はいません"),
        (("revoke", "no-such-device"), "端末 no-such-device はありません"),
        (("serve", "--host", "0.0.0.0", "--insecure-http"), "127.0.0.1"),
    ],
)
def test_mistakes_get_one_clear_line_and_status_1(
    db: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    message: str,
) -> None:
    _run(capsys, "--db", db, "init")
    monkeypatch.setattr("sys.stdin", io.StringIO("long enough password\n"))
    _run(capsys, "--db", db, "user", "add", "tanaka", "--role", "advisor", "--password-stdin")
    status, _, err = _run(capsys, "--db", db, *args)
    assert status == 1
    assert err.startswith("dxdesk-server: ") and message in err
    assert err.count("\n") == 1


def test_a_short_password_is_refused(
    db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _run(capsys, "--db", db, "init")
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    status, _, err = _run(
        capsys, "--db", db, "user", "add", "x", "--role", "admin", "--password-stdin"
    )
    assert status == 1 and "10 文字以上" in err


def test_serving_an_uninitialised_database_says_to_run_init(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = _run(capsys, "--db", db, "serve", "--insecure-http", "--port", "0")
    assert status == 1 and "dxdesk-server init" in err


def test_the_dev_ca_is_kept_across_restarts(tmp_path: Path) -> None:
    from dxdesk.server.dev_tls import ensure_dev_certificates

    first = ensure_dev_certificates(tmp_path / "tls")
    ca = first.ca.read_bytes()
    second = ensure_dev_certificates(tmp_path / "tls")
    assert second.ca.read_bytes() == ca
    assert (first.key.stat().st_mode & 0o077) == 0


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://nobody:wrong@127.0.0.1:1/none",  # nothing listens on port 1
        "sqlite:///{tmp}/never-initialised.sqlite3",
    ],
)
def test_an_unusable_database_is_one_line_not_a_traceback(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = _run(capsys, "--db", url.format(tmp=tmp_path), "user", "list")
    assert status == 1
    assert err.startswith("dxdesk-server: データベースを使えません") and err.count("\n") == 1


def test_devices_lists_the_live_ones_says_expired_and_hides_the_revoked_until_all(
    db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, datetime, timedelta

    from dxdesk.server.tables import Account, Device

    assert _run(capsys, "--db", db, "init")[0] == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("long enough password\n"))
    _run(capsys, "--db", db, "user", "add", "tanaka", "--role", "advisor", "--password-stdin")
    now = datetime.now(UTC)
    database = connect(db)
    with database.transaction() as session:
        account = session.query(Account).filter_by(name="tanaka").one()
        for n, (name, expires, revoked) in enumerate(
            [
                ("laptop", now + timedelta(days=90), None),
                ("old-laptop", now - timedelta(days=1), None),
                (
                    "password-sync",
                    now + timedelta(days=180),
                    now,
                ),  # what a keychain-less sync leaves
            ]
        ):
            session.add(
                Device(
                    id=f"00000000-0000-4000-8000-00000000000{n}",
                    account_id=account.id,
                    name=name,
                    token_hash=f"{n:064d}",
                    expires_at=expires,
                    revoked_at=revoked,
                )
            )
    database.close()
    status, out, _ = _run(capsys, "--db", db, "devices", "tanaka")
    lines = out.splitlines()
    assert status == 0 and len(lines) == 3
    assert "laptop\t有効" in lines[0] and "old-laptop\t期限切れ" in lines[1]
    assert lines[2] == "（取り消し済みの端末 1 台は --all で表示します）"
    status, out, _ = _run(capsys, "--db", db, "devices", "tanaka", "--all", "--json")
    listed = {d["name"]: d for d in json.loads(out)}
    assert set(listed) == {"laptop", "old-laptop", "password-sync"}
    assert listed["old-laptop"]["expired"] and not listed["laptop"]["expired"]
    assert listed["password-sync"]["revoked_at"] is not None
