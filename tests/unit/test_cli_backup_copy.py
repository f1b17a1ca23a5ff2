"""`dxdesk backup -o FILE` never writes a plaintext copy: refused before a backup passphrase
is chosen, encrypted after (the passphrase from stdin where there is no keychain; the tests'
keychain is the failing backend of tests/conftest.py)."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from dxdesk.cli.main import main
from dxdesk.models import backup_crypto, backup_keys
from dxdesk.models.backup_crypto import KdfCost
from dxdesk.services.workspace import open_workspace

PASSPHRASE = "和歌山の青い海2026"
WORD = "ZQXJ持ち出し禁止のことば"


def _cli(
    data: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *args: str,
    stdin: str = "",
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    status = main(["--data-dir", str(data), *args])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def data(tmp_path: Path, visit_payload: dict[str, object]) -> Path:
    folder = tmp_path / "data"
    ws = open_workspace(folder)
    try:
        visit = ws.engagements.add({**visit_payload, "notes": WORD})
        (tmp_path / "計画案.pdf").write_bytes(b"%PDF " + WORD.encode())
        ws.attachments.attach("visit", visit["id"], [tmp_path / "計画案.pdf"])
    finally:
        ws.close()
    return folder


def _everything_under(path: Path) -> list[Path]:
    return [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]


def test_before_a_passphrase_is_chosen_the_copy_is_refused_and_nothing_written(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "usb" / "copy.dxbackup"
    copy.parent.mkdir()
    status, out, err = _cli(data, capsys, monkeypatch, "backup", "-o", str(copy))
    assert (status, out) == (2, "")
    assert err.count("\n") == 1 and "dxdesk backup-passphrase set" in err
    assert list(copy.parent.iterdir()) == []


def test_after_set_up_the_copy_is_encrypted_and_restores_elsewhere(
    data: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    no_keychain: None,
) -> None:
    backup_keys.set_up(data, PASSPHRASE, cost=KdfCost(n=2**10))
    copy = tmp_path / "usb" / "copy.dxbackup"
    copy.parent.mkdir()
    # No keychain and no passphrase given: one line saying how to give it, nothing written.
    status, _, err = _cli(data, capsys, monkeypatch, "backup", "-o", str(copy))
    assert status == 2 and err.count("\n") == 1 and "--passphrase-stdin" in err
    # A wrong passphrase: the clear message, nothing written.
    status, _, err = _cli(
        data,
        capsys,
        monkeypatch,
        "backup",
        "--passphrase-stdin",
        "-o",
        str(copy),
        stdin="違う合言葉です\n",
    )
    assert status == 2 and err.count("\n") == 1 and "合言葉または回復コードが違います" in err
    assert list(copy.parent.iterdir()) == []
    status, out, err = _cli(
        data,
        capsys,
        monkeypatch,
        "backup",
        "--passphrase-stdin",
        "-o",
        str(copy),
        stdin=f"{PASSPHRASE}\n",
    )
    assert status == 0, err
    assert f"バックアップを作りました: {copy}" in out
    written = _everything_under(copy.parent)
    assert copy in written and len(written) >= 2  # the copy and its attached file beside it
    for path in written:
        raw = path.read_bytes()
        assert WORD.encode() not in raw and b"SQLite format 3" not in raw, path
    # Another laptop: the app's own restore, with the passphrase.
    other = tmp_path / "other"
    status, out, err = _cli(
        other,
        capsys,
        monkeypatch,
        "restore",
        "--passphrase-stdin",
        str(copy),
        stdin=f"{PASSPHRASE}\n",
    )
    assert status == 0, err
    assert "添付ファイル 1 件をバックアップから戻しました" in out
    ws = open_workspace(other)
    try:
        [visit] = ws.engagements.list_records()
        assert ws.engagements.get(visit["id"])["notes"] == WORD
    finally:
        ws.close()


def test_the_passphrase_is_changed_with_the_current_one_and_a_wrong_one_changes_nothing(
    data: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code = backup_keys.set_up(data, PASSPHRASE, cost=KdfCost(n=2**10)).recovery_code
    keys = data / "backups" / backup_keys.KEYS_FILE
    before = keys.read_bytes()
    change = ("backup-passphrase", "change", "--passphrase-stdin")
    status, _out, err = _cli(
        data, capsys, monkeypatch, *change, stdin="違う合言葉です\n新しい合言葉です\n"
    )
    assert status == 2 and "違います" in err and keys.read_bytes() == before
    status, out, _err = _cli(
        data, capsys, monkeypatch, *change, stdin=f"{code}\n新しい合言葉です\n"
    )
    assert status == 0 and "変えました" in out
    wraps = backup_keys.wraps_of(data)
    assert backup_crypto.unwrap_key(wraps, "新しい合言葉です").key_id == (
        backup_crypto.unwrap_key(wraps, code).key_id
    )
