"""Encrypted backups (issue 23): once a passphrase is chosen, nothing typed or attached is
readable in the backups; a restore on another laptop with the passphrase or the recovery code
gives everything back; a wrong secret, a cut or altered file change nothing."""

from __future__ import annotations

import hashlib
import io
import json
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import keyring
import pytest
from jaraco.classes import properties
from keyring.backend import KeyringBackend

from dxdesk.cli.main import main
from dxdesk.models import backup_crypto, backup_keys, store_key
from dxdesk.models.backup_crypto import BackupKey, Damaged, KdfCost
from dxdesk.models.backup_files import backup_file_store
from dxdesk.models.backups import (
    BackupRefused,
    SecretNeeded,
    WrongPassphrase,
    backups_dir,
    copy_with_files,
    list_backups,
    restore_backup,
    take_backup,
    unlock,
)
from dxdesk.models.file_store import FileStore
from dxdesk.services.workspace import Workspace, open_workspace
from tests.store_files import stored_bytes

JST = timezone(timedelta(hours=9))
NOW = datetime(2026, 12, 6, 18, 0, tzinfo=JST)
TEST_COST = KdfCost(n=2**10)  # production's cost is measured in backup_crypto.py
PASSPHRASE = "和歌山の青い海2026"
WORD = "ZQXJ秘密のことば"
PHONE = "073-441-9876"
FILE_BYTES = b"%PDF attached-file-contents 7f3a9c " * 100


class MemoryKeyring(KeyringBackend):
    """A keychain in this process (the real one runs under scripts/with_keychain)."""

    @properties.classproperty
    def priority(cls) -> float:
        # Not viable for keyring's own discovery: other tests in this process must not find it.
        raise RuntimeError("set by the memory_keychain fixture only")

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.entries.pop((service, username), None)


@pytest.fixture
def memory_keychain() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def _cli(data: Path, *args: str) -> int:
    return main(["--data-dir", str(data), *args])


@pytest.fixture
def laptop(tmp_path: Path) -> Iterator[Workspace]:
    """A data folder with a visit holding WORD, a contact with PHONE and an attached file."""
    data = tmp_path / "data"
    visit = {"municipality": "302015", "date": "2025-06-12", "title": "訪問", "notes": WORD}
    contact = {"municipality": "302015", "name": "森 誠", "phone": PHONE}
    for kind, payload in (("visit", visit), ("contact", contact)):
        body = json.dumps(payload, ensure_ascii=False)
        assert _cli(data, "records", "add", kind, "--json", body) == 0
    ws = open_workspace(data)
    source = tmp_path / "計画案.pdf"
    source.write_bytes(FILE_BYTES)
    visit_id = _visit_id(data)
    ws.attachments.attach("visit", visit_id, [source])
    source.unlink()
    yield ws
    ws.close()


def _visit_id(data: Path) -> str:
    out = io.StringIO()
    saved, sys.stdout = sys.stdout, out
    try:
        assert _cli(data, "records", "list", "visit", "--json") == 0
    finally:
        sys.stdout = saved
    (record,) = json.loads(out.getvalue())
    return str(record["id"])


def _secrets_in(folder: Path) -> list[str]:
    needles = [WORD.encode("utf-8"), PHONE.encode("ascii"), FILE_BYTES[:64], b"SQLite format 3"]
    found = []
    for path in folder.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            found += [f"{path}: {n[:20]!r}" for n in needles if n in content]
    return found


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _set_up(data: Path) -> str:
    (data.parent / "usb").mkdir(exist_ok=True)
    return backup_keys.set_up(data, PASSPHRASE, cost=TEST_COST).recovery_code


def test_no_byte_of_a_record_or_file_is_readable_in_the_backups(
    no_keychain: None, laptop: Workspace, tmp_path: Path
) -> None:
    data = laptop.store.data_dir
    take_backup(laptop.store, now=NOW - timedelta(hours=1))  # before a passphrase
    # Under the store's key already: the generation is an SQLCipher file, its files sealed
    # with the folder's file key; the search finds the file's bytes once decrypted.
    assert _secrets_in(backups_dir(data)) == []
    kept = backup_file_store(backups_dir(data), laptop.store.key)
    assert [FILE_BYTES[:64] in stored_bytes(kept, sha) for sha in kept.stored()] == [True]
    _set_up(data)
    with pytest.raises(backup_keys.PassphraseNeeded):  # no keychain here: asked each time
        take_backup(laptop.store, now=NOW)
    backup = take_backup(laptop.store, now=NOW, passphrase=PASSPHRASE)
    assert backup.encrypted and backup.path.suffix == ".dxbackup"
    copy = copy_with_files(laptop.store, tmp_path / "usb" / "copy.sqlite3", passphrase=PASSPHRASE)
    assert _secrets_in(backups_dir(data)) == []
    assert _secrets_in(copy.parent) == []
    # The plaintext generation went once the encrypted one was there.
    assert [b.encrypted for b in list_backups(data)] == [True]
    assert not any(p.is_file() for p in (backups_dir(data) / "files").rglob("*"))


@pytest.mark.parametrize("secret_kind", ["passphrase", "recovery code"])
def test_another_laptop_restores_with_the_passphrase_or_the_recovery_code(
    laptop: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str], secret_kind: str
) -> None:
    code = _set_up(laptop.store.data_dir)
    copy = copy_with_files(laptop.store, tmp_path / "usb" / "copy.sqlite3", passphrase=PASSPHRASE)
    other = tmp_path / "other-laptop"
    secret = PASSPHRASE if secret_kind == "passphrase" else code.lower().replace("-", " ")
    with pytest.raises(SecretNeeded):
        restore_backup(other, str(copy))
    restored = restore_backup(other, str(copy), secret=secret)
    assert restored.files.put_back == 1 and restored.files.missing == 0
    capsys.readouterr()
    assert _cli(other, "records", "list", "contact", "--json") == 0
    assert [c["phone"] for c in json.loads(capsys.readouterr().out)] == [PHONE]
    files = FileStore(other / "files", store_key.key_for(other))
    assert [stored_bytes(files, sha) for sha in files.stored()] == [FILE_BYTES]
    assert _secrets_in(other / "files") == []  # sealed with the other laptop's own key
    # The other laptop takes the backup's passphrase: its own backups open with it too.
    assert backup_keys.is_set_up(other)
    ws = open_workspace(other)
    try:
        again = take_backup(ws.store, now=NOW, passphrase=PASSPHRASE)
    finally:
        ws.close()
    assert again.encrypted


def test_a_wrong_passphrase_is_refused_and_changes_nothing(
    laptop: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str], no_keychain: None
) -> None:
    data = laptop.store.data_dir
    _set_up(data)
    backup = take_backup(laptop.store, now=NOW, passphrase=PASSPHRASE)
    laptop.close()
    before = _snapshot(data)
    with pytest.raises(WrongPassphrase, match="合言葉または回復コードが違います"):
        restore_backup(data, backup.path.name, secret="ちがう合言葉です")
    sys.stdin = io.StringIO("ちがう合言葉です\n")
    try:
        status = _cli(data, "restore", "--passphrase-stdin", backup.path.name)
    finally:
        sys.stdin = sys.__stdin__
    err = capsys.readouterr().err
    assert status == 2 and "合言葉または回復コードが違います" in err and err.count("\n") == 1
    assert _snapshot(data) == before


@pytest.mark.parametrize("damage", ["cut", "altered", "cut at a chunk"])
def test_a_cut_or_altered_backup_is_refused_whole(
    laptop: Workspace, tmp_path: Path, damage: str
) -> None:
    _set_up(laptop.store.data_dir)
    copy = copy_with_files(laptop.store, tmp_path / "usb" / "copy.sqlite3", passphrase=PASSPHRASE)
    content = bytearray(copy.read_bytes())
    if damage == "cut":
        del content[-10:]
    elif damage == "altered":
        content[len(content) // 2] ^= 0x01
    else:  # every chunk dropped whole (the database is one chunk), the header left
        header_end = len(backup_crypto.MAGIC) + 4 + int.from_bytes(content[16:20], "big")
        del content[header_end:]
    copy.write_bytes(bytes(content))
    other = tmp_path / "other-laptop"
    with pytest.raises(BackupRefused, match="途中で切れているか、書き換えられています"):
        restore_backup(other, str(copy), secret=PASSPHRASE)
    assert not other.exists() or _snapshot(other) == {}


def test_chunks_moved_or_dropped_fail_to_open() -> None:
    key = BackupKey.new()
    plain = bytes(range(256)) * (backup_crypto.CHUNK_BYTES * 5 // 2 // 256)  # three chunks
    sealed = io.BytesIO()
    assert (
        backup_crypto.encrypt(key, io.BytesIO(plain), sealed, {})
        == hashlib.sha256(plain).hexdigest()
    )
    raw = sealed.getvalue()
    header_end = len(raw) - (len(plain) + 3 * 16)
    size = backup_crypto.CHUNK_BYTES + 16
    chunks = [raw[header_end + i * size : header_end + (i + 1) * size] for i in range(3)]
    out = io.BytesIO()
    backup_crypto.decrypt(key, io.BytesIO(raw), out)
    assert out.getvalue() == plain
    for tampered in (
        raw[:header_end] + chunks[1] + chunks[0] + chunks[2],
        raw[:header_end] + chunks[0] + chunks[1],
        raw[:header_end] + chunks[0] + chunks[2],
    ):
        with pytest.raises(Damaged):
            backup_crypto.decrypt(key, io.BytesIO(tampered), io.BytesIO())
    with pytest.raises(backup_crypto.WrongSecret):
        backup_crypto.decrypt(BackupKey.new(), io.BytesIO(raw), io.BytesIO())


def test_with_a_keychain_backups_ask_nothing_and_restore_here_without_a_secret(
    memory_keychain: MemoryKeyring, laptop: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    data = laptop.store.data_dir
    _set_up(data)
    [_account] = [a for s, a in memory_keychain.entries if s == backup_keys.KEYCHAIN_SERVICE]
    assert PASSPHRASE not in (backups_dir(data) / backup_keys.KEYS_FILE).read_text()
    backup = take_backup(laptop.store, now=NOW)
    laptop.close()
    capsys.readouterr()
    assert _cli(data, "backups") == 0
    assert "暗号化" in capsys.readouterr().out
    restored = restore_backup(data, backup.path.name)
    assert restored.kept_aside is not None
    backup_keys.forget_backup_key(data)
    assert [s for s, _a in memory_keychain.entries if s == backup_keys.KEYCHAIN_SERVICE] == []
    with pytest.raises(SecretNeeded):
        restore_backup(data, backup.path.name)


def test_a_changed_passphrase_opens_the_next_backups_and_the_code_stays(
    no_keychain: None, laptop: Workspace
) -> None:
    data = laptop.store.data_dir
    code = _set_up(data)
    before = take_backup(laptop.store, passphrase=PASSPHRASE, now=NOW)
    kept = (backups_dir(data) / backup_keys.KEYS_FILE).read_bytes()
    with pytest.raises(backup_keys.BackupKeyError, match="違います"):
        backup_keys.change_passphrase(data, "違う合言葉ですよ", "新しい合言葉です", cost=TEST_COST)
    assert (backups_dir(data) / backup_keys.KEYS_FILE).read_bytes() == kept  # nothing changed
    backup_keys.change_passphrase(data, code, "新しい合言葉です", cost=TEST_COST)
    after = take_backup(laptop.store, passphrase="新しい合言葉です", now=NOW + timedelta(hours=1))
    with pytest.raises(backup_keys.BackupKeyError):
        take_backup(laptop.store, passphrase=PASSPHRASE, now=NOW + timedelta(hours=2))
    other = data.parent / "other"
    assert unlock(other, after.path, "新しい合言葉です") is not None
    assert unlock(other, after.path, code) is not None  # the same recovery code
    with pytest.raises(WrongPassphrase):
        unlock(other, after.path, PASSPHRASE)
    assert unlock(other, before.path, PASSPHRASE) is not None  # made before: as it was made
