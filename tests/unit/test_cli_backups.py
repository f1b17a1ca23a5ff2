"""`dxdesk backups` and `dxdesk restore FILE` (issue 17, finding 9): the way back from a store
that cannot be read, a 0-byte one included, gives back every record; the store that was there
is kept aside; a file that is not a DX Desk backup is refused in one line, nothing changed."""

from __future__ import annotations

import hashlib
import io
import json
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from dxdesk.cli.main import main
from dxdesk.models.backups import take_backup
from dxdesk.models.paths import DATABASE_NAME
from dxdesk.models.store import open_store
from tests.child_process import run

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)


def _add_visits(data: Path, *titles: str) -> None:
    for title in titles:
        payload = json.dumps(
            {"municipality": "303917", "date": "2025-06-12", "title": title}, ensure_ascii=False
        )
        assert main(["--data-dir", str(data), "records", "add", "visit", "--json", payload]) == 0


def _titles(data: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    capsys.readouterr()
    assert main(["--data-dir", str(data), "records", "list", "visit", "--json"]) == 0
    return sorted(r["title"] for r in json.loads(capsys.readouterr().out))


def _back_up(data: Path, moment: datetime) -> Path:
    store = open_store(data)
    try:
        return take_backup(store, now=moment).path
    finally:
        store.close()


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_backups_lists_the_generations_newest_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "backups"]) == 0
    assert "バックアップはまだありません" in capsys.readouterr().out
    _add_visits(data, "一")
    older = _back_up(data, NOW - timedelta(hours=2))
    newer = _back_up(data, NOW)
    capsys.readouterr()
    assert main(["--data-dir", str(data), "backups"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines[:2]] == [newer.name, older.name]
    assert main(["--data-dir", str(data), "backups", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [b["file"] for b in listed] == [newer.name, older.name]
    assert listed[0]["taken_at"] == NOW.isoformat()
    assert listed[0]["path"] == str(newer) and listed[0]["size"] == newer.stat().st_size


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _flip_bytes(path: Path) -> None:
    content = bytearray(path.read_bytes())
    rng = random.Random(17)
    for _ in range(5000):
        content[rng.randrange(len(content))] ^= 0xFF
    path.write_bytes(bytes(content))


@pytest.mark.parametrize("damage", [_empty, _flip_bytes], ids=["0 bytes", "5000 flipped bytes"])
def test_an_unreadable_store_is_restored_whole_and_kept_aside(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], damage: object
) -> None:
    data = tmp_path / "data"
    _add_visits(data, "一", "二", "三")
    backup = _back_up(data, NOW)
    store_path = data / DATABASE_NAME
    assert callable(damage)
    damage(store_path)
    broken = hashlib.sha256(store_path.read_bytes()).hexdigest()

    capsys.readouterr()
    assert main(["--data-dir", str(data), "records", "list", "visit"]) == 2
    err = capsys.readouterr().err
    assert "dxdesk backups" in err and "dxdesk restore FILE" in err

    assert main(["--data-dir", str(data), "backups"]) == 0  # lists without opening the store
    assert backup.name in capsys.readouterr().out
    assert main(["--data-dir", str(data), "restore", backup.name]) == 0
    out = capsys.readouterr().out
    aside = sorted(data.glob("dxdesk-before-restore-*.sqlite3"))
    assert len(aside) == 1 and str(aside[0]) in out
    assert hashlib.sha256(aside[0].read_bytes()).hexdigest() == broken  # kept as it was
    assert _titles(data, capsys) == ["一", "三", "二"]


def test_a_file_that_is_not_a_backup_is_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    _add_visits(data, "一")
    text = tmp_path / "notes.sqlite3"
    text.write_text("これはバックアップではありません\n" * 20, encoding="utf-8")
    before = _snapshot(data)
    capsys.readouterr()
    for file in (str(text), "dxdesk-20990101-000000.sqlite3"):
        assert main(["--data-dir", str(data), "restore", file]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("dxdesk: エラー: "), err
        assert file in err
    assert _snapshot(data) == before
    assert _titles(data, capsys) == ["一"]


def test_restore_is_refused_while_the_store_is_open_elsewhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The window (here: a store open in this process) would go on writing to the file put
    # aside: `dxdesk restore` (another process) says to close it first, and changes nothing.
    data = tmp_path / "data"
    _add_visits(data, "一")
    backup = _back_up(data, NOW)
    _add_visits(data, "二")
    open_elsewhere = open_store(data)
    try:
        before = _snapshot(data)
        done = run(
            [
                sys.executable,
                "-m",
                "dxdesk",
                "--data-dir",
                str(data),
                "restore",
                "--force",
                backup.name,
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 2, done.stderr
        assert done.stderr.count("\n") == 1 and "閉じてから" in done.stderr, done.stderr
        assert _snapshot(data) == before
    finally:
        open_elsewhere.close()
    assert main(["--data-dir", str(data), "restore", "--force", backup.name]) == 0
    assert _titles(data, capsys) == ["一"]


def test_restore_refuses_to_put_changes_not_yet_sent_aside_unless_forced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # What was typed since the backup and not yet synced would survive only in the store put
    # aside, which DX Desk cannot read back: said in one line with the count, nothing changed.
    data = tmp_path / "data"
    backup = _back_up(data, NOW)  # an empty store: nothing waits in it
    _add_visits(data, "一", "二")
    before = _snapshot(data)
    capsys.readouterr()
    assert main(["--data-dir", str(data), "restore", backup.name]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("dxdesk: エラー: "), err
    assert "2 件" in err and "dxdesk sync" in err and "--force" in err
    assert _snapshot(data) == before
    assert _titles(data, capsys) == ["一", "二"]

    assert main(["--data-dir", str(data), "restore", "--force", backup.name]) == 0
    assert _titles(data, capsys) == []
    # Restored, nothing waits: the next restore asks nothing.
    assert main(["--data-dir", str(data), "restore", backup.name]) == 0


def test_restore_force_has_bilingual_help(capsys: pytest.CaptureFixture[str]) -> None:
    for lang, words in (("ja", "同期していない"), ("en", "not yet synced")):
        with pytest.raises(SystemExit):
            main(["--lang", lang, "restore", "--help"])
        assert words in capsys.readouterr().out


def test_a_passphrase_set_once_encrypts_and_restores_elsewhere_with_the_recovery_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    _add_visits(data, "暗号化される記録")
    monkeypatch.setattr(sys, "stdin", io.StringIO("短い\n"))
    assert main(["--data-dir", str(data), "backup-passphrase", "set", "--passphrase-stdin"]) == 2
    assert "8 文字以上" in capsys.readouterr().err
    monkeypatch.setattr(sys, "stdin", io.StringIO("十分に長い合言葉です\n"))
    assert main(["--data-dir", str(data), "backup-passphrase", "set", "--passphrase-stdin"]) == 0
    out = capsys.readouterr().out
    [code] = [line.strip() for line in out.splitlines() if line.count("-") == 5]
    monkeypatch.setattr(sys, "stdin", io.StringIO("別の合言葉にしたい\n"))
    assert main(["--data-dir", str(data), "backup-passphrase", "set", "--passphrase-stdin"]) == 2
    assert "もう決まっています" in capsys.readouterr().err
    store = open_store(data)
    try:
        backup = take_backup(store, now=NOW, passphrase="十分に長い合言葉です").path
    finally:
        store.close()
    assert main(["--data-dir", str(data), "backups"]) == 0
    assert capsys.readouterr().out.split()[-1] == "暗号化"
    other = tmp_path / "other"
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{code}\n"))
    assert main(["--data-dir", str(other), "restore", "--passphrase-stdin", str(backup)]) == 0
    assert _titles(other, capsys) == ["暗号化される記録"]
