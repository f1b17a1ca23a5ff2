"""The store encrypted at rest (issue 23): nothing readable without the key, an old plaintext
store encrypted in place at first opening, whole at any kill, and the key where it belongs."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from dxdesk.domain.progress import Cancelled
from dxdesk.models import store_cipher, store_key
from dxdesk.models.paths import DATABASE_NAME
from dxdesk.models.store import StoreError, StoreUnreadable, needs_encrypting, open_store
from dxdesk.models.store_encrypting import ENCRYPTING_PREFIX, PLAINTEXT_PREFIX
from dxdesk.services.workspace import open_workspace
from tests.conftest import STORE_PASSPHRASE
from tests.store_files import decrypted_bytes

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
WORD = "暗号化確認用の合言葉ソラマメ"
PHONE = "0739-55-8124"


def _every_file(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def _holding(folder: Path, needle: str) -> list[str]:
    return [p.name for p in _every_file(folder) if needle.encode() in p.read_bytes()]


def test_typed_words_are_in_no_file_of_the_data_folder(tmp_path: Path) -> None:
    data = tmp_path / "data"
    ws = open_workspace(data)
    try:
        ws.engagements.add(
            {"municipality": "302015", "date": "2025-06-12", "title": "訪問", "notes": WORD}
        )
        ws.contacts.add({"municipality": "302015", "name": "森 誠", "phone": PHONE})
        # Read while the app has them open: the -wal holds the newest pages.
        assert (data / (DATABASE_NAME + "-wal")).exists()
        assert _holding(data, WORD) == [] and _holding(data, PHONE) == []
        # Decrypted with the key, the same pages give them back: the search above could find.
        found = b"".join(
            decrypted_bytes(p, ws.store.key)
            for p in data.glob(DATABASE_NAME + "*")
            if not p.name.endswith("-shm")
        )
        assert WORD.encode() in found and PHONE.encode() in found
    finally:
        ws.close()
    assert _holding(data, WORD) == [] and _holding(data, PHONE) == []
    key_text = (data / store_key.KEY_FILE).read_text()
    assert ws.store.key.hex() not in key_text and "wraps" not in key_text


def test_the_store_opens_only_with_its_key(tmp_path: Path) -> None:
    data = tmp_path / "data"
    open_store(data).close()
    with pytest.raises(store_cipher.DatabaseError, match="not a database"):
        connection = store_cipher.connect(data / DATABASE_NAME, os.urandom(32))
        connection.execute("SELECT count(*) FROM sqlite_master").fetchall()
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(data / DATABASE_NAME).execute("SELECT * FROM sqlite_master").fetchall()
    # Its key file taken away, the folder's store is refused whole, not replaced by a new one.
    before = (data / DATABASE_NAME).read_bytes()
    (data / store_key.KEY_FILE).unlink()
    store_key.forget_in_memory(data)
    with pytest.raises(StoreUnreadable):
        open_store(data)
    assert (data / DATABASE_NAME).read_bytes() == before


def test_a_key_the_keychain_lost_says_so_in_one_line_and_changes_nothing(
    tmp_path: Path, real_keychain: None
) -> None:
    data = tmp_path / "data"
    open_store(data).close()
    store_key.forget(data)  # the keychain's entry goes (another account, a reset keychain)
    before = (data / DATABASE_NAME).read_bytes()
    with pytest.raises(store_key.StoreKeyError, match="キーチェーンにありません") as refused:
        open_store(data)
    assert "\n" not in str(refused.value)
    assert (data / DATABASE_NAME).read_bytes() == before


def test_a_moved_data_folder_keeps_its_key_and_two_folders_have_two(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    open_store(first).close()
    open_store(second).close()
    assert open_store(first).key != open_store(second).key
    moved = tmp_path / "moved"
    first.rename(moved)
    store = open_store(moved)
    try:
        assert store.meta("device_id")
    finally:
        store.close()


def test_without_a_keychain_a_chosen_passphrase_opens_it(tmp_path: Path, no_keychain: None) -> None:
    data = tmp_path / "data"
    with pytest.raises(store_key.PassphraseNeeded) as needed:
        open_store(data)
    assert needed.value.choose and not (data / DATABASE_NAME).exists()
    with pytest.raises(StoreError, match="8 文字以上"):
        store_key.unlock(data, "短い")
    store_key.unlock(data, STORE_PASSPHRASE)
    store = open_store(data)
    key = store.key
    store.close()
    assert key.hex() not in (data / store_key.KEY_FILE).read_text()
    store_key.forget_in_memory(data)  # the next start
    with pytest.raises(store_key.PassphraseNeeded) as asked:
        open_store(data)
    assert not asked.value.choose
    with pytest.raises(store_key.WrongPassphrase):
        store_key.unlock(data, "ちがう合言葉です")
    assert store_key.unlock(data, STORE_PASSPHRASE) == key
    open_store(data).close()


# ---- an old plaintext store ------------------------------------------------------------------


def _plaintext_store(data: Path, filler_mb: int = 0) -> dict[str, int]:
    """An old version's plaintext store (a fixture), with ``filler_mb`` of rows besides; the
    rows of a few tables, counted."""
    data.mkdir(parents=True, exist_ok=True)
    path = data / DATABASE_NAME
    shutil.copyfile(FIXTURES / "store-0010.sqlite3", path)
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("CREATE TABLE filler (x TEXT)")
        row = (WORD + "x" * 980,)
        db.executemany("INSERT INTO filler VALUES (?)", [row] * (filler_mb * 1000))
        db.execute("INSERT INTO store_meta (key, value) VALUES ('plain_word', ?)", (WORD,))
    db.close()
    return _counts(path, None)


def _counts(path: Path, key: bytes | None) -> dict[str, int]:
    connection = store_cipher.connect(path, key)
    try:
        return {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("engagement", "contact", "store_meta", "filler")
        }
    finally:
        connection.close()


def test_an_old_plaintext_store_is_encrypted_at_its_first_opening(tmp_path: Path) -> None:
    data = tmp_path / "data"
    counts = _plaintext_store(data, filler_mb=2)
    assert counts["engagement"] > 0 and needs_encrypting(data)
    heard: list[tuple[int, int]] = []
    store = open_store(data, progress=lambda done, total: heard.append((done, total)))
    try:
        assert not store_cipher.is_plaintext(store.path) and not needs_encrypting(data)
        assert _counts(store.path, store.key) == counts
        assert store.meta("plain_word") == WORD
    finally:
        store.close()
    assert heard[0][0] == 0 and heard[-1][0] == heard[-1][1] > 0
    assert _holding(data, WORD) == []
    assert not list(data.glob(".dxdesk-*"))


def test_encrypting_cancelled_leaves_the_plaintext_store_as_it_was(tmp_path: Path) -> None:
    data = tmp_path / "data"
    counts = _plaintext_store(data, filler_mb=4)

    def cancel_halfway(done: int, total: int) -> None:
        if done > 0:
            raise Cancelled

    with pytest.raises(Cancelled):
        open_store(data, progress=cancel_halfway)
    assert store_cipher.is_plaintext(data / DATABASE_NAME)
    assert _counts(data / DATABASE_NAME, None) == counts
    assert not list(data.glob(".dxdesk-*"))
    open_store(data).close()  # the next start encrypts it


_OPEN_IN_CHILD = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    import dxdesk.models.store_encrypting as encrypting
    from dxdesk.models.store import open_store

    stop_at = sys.argv[2]
    if stop_at == "after-link":  # the plaintext's second name made, the rename not yet
        real = encrypting._second_name
        def second(path, stamp):
            real(path, stamp)
            os._exit(9)
        encrypting._second_name = second
    elif stop_at == "after-rename":  # the encrypted store in place, the plaintext not shredded
        encrypting._sync_folder = lambda folder: os._exit(9)
    print("go", flush=True)
    open_store(Path(sys.argv[1])).close()
    """
)


def _child(data: Path, stop_at: str = "-") -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", _OPEN_IN_CHILD, str(data), stop_at],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline() == "go\n"
    return child


def _whole_after(data: Path, counts: dict[str, int]) -> str:
    """The store left by a killed encryption is whole (plaintext or encrypted), and the next
    opening gives every row back with no plaintext left beside it; which one it was."""
    path = data / DATABASE_NAME
    plaintext = store_cipher.is_plaintext(path)
    found = _counts(path, None if plaintext else store_key.key_for(data))
    assert found == counts, "the store left behind lost rows"
    store = open_store(data)
    try:
        assert _counts(store.path, store.key) == counts
    finally:
        store.close()
    assert not list(data.glob(ENCRYPTING_PREFIX + "*")) and not list(
        data.glob(PLAINTEXT_PREFIX + "*")
    )
    assert _holding(data, WORD) == []
    return "plaintext" if plaintext else "encrypted"


@pytest.mark.parametrize("stop_at", ["after-link", "after-rename"])
def test_a_kill_at_the_rename_leaves_one_whole_store(tmp_path: Path, stop_at: str) -> None:
    data = tmp_path / "data"
    counts = _plaintext_store(data, filler_mb=1)
    child = _child(data, stop_at)
    _out, err = child.communicate(timeout=120)
    assert child.returncode == 9, err
    left = [p.name for p in data.glob(PLAINTEXT_PREFIX + "*")]
    assert len(left) == 1  # the plaintext's second name, which the next start must handle
    expected = "plaintext" if stop_at == "after-link" else "encrypted"
    assert _whole_after(data, counts) == expected


def test_a_kill_at_random_points_of_the_encryption_loses_nothing(tmp_path: Path) -> None:
    """SIGKILL at random moments of a real encryption (a 12 MB store) in a child process:
    each leaves one whole store, and the next opening has every row."""
    template = tmp_path / "template"
    counts = _plaintext_store(template, filler_mb=12)
    timing = tmp_path / "timing"
    shutil.copytree(template, timing)
    started = time.monotonic()
    child = _child(timing)
    _out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    duration = time.monotonic() - started
    rng = random.Random(23)
    outcomes = []
    for attempt in range(8):
        data = tmp_path / f"data-{attempt}"
        shutil.copytree(template, data, copy_function=shutil.copyfile)
        store_key.forget_in_memory(data)
        delay = rng.uniform(0.0, duration * 0.8)
        child = _child(data)
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=60)
        outcomes.append(_whole_after(data, counts))
    print(json.dumps({"seconds": round(duration, 2), "outcomes": outcomes}))


def test_old_plaintext_copies_in_the_data_folder_are_encrypted_and_still_restore(
    tmp_path: Path,
) -> None:
    from dxdesk.models.backups import list_backups, restore_backup

    data = tmp_path / "data"
    counts = _plaintext_store(data)
    (data / "backups").mkdir()
    generation = data / "backups" / "dxdesk-20261201-090000.sqlite3"
    aside = data / "dxdesk-before-restore-20261130-090000.sqlite3"
    shutil.copyfile(data / DATABASE_NAME, generation)
    shutil.copyfile(data / DATABASE_NAME, aside)
    open_store(data).close()
    assert _holding(data, WORD) == []
    assert not store_cipher.is_plaintext(generation) and not store_cipher.is_plaintext(aside)
    assert [b.path for b in list_backups(data)] == [generation]
    restore_backup(data, generation.name)
    store = open_store(data)
    try:
        restored = _counts(store.path, store.key)
    finally:
        store.close()
    # The backup was taken before the store's first opening by this version: as it was then.
    assert {k: v for k, v in restored.items() if k != "store_meta"} == {
        k: v for k, v in counts.items() if k != "store_meta"
    }
    assert _holding(data, WORD) == []


def test_the_key_fetched_ahead_is_the_one_the_opening_uses(
    tmp_path: Path, real_keychain: None
) -> None:
    import keyring

    data = tmp_path / "data"
    open_store(data).close()
    store_key.forget_in_memory(data)  # a new start
    fetching = store_key.fetch_ahead(data)
    assert fetching is not None
    fetching.join(timeout=30)
    name = json.loads((data / store_key.KEY_FILE).read_text())["keychain"]
    keyring.delete_password(store_key.KEYCHAIN_SERVICE, name)  # asked once, before this
    open_store(data).close()
    assert store_key.fetch_ahead(tmp_path / "new") is None  # nothing to fetch: no key yet


def test_a_restore_between_a_stopped_encryption_and_the_next_opening_keeps_its_aside_copy(
    tmp_path: Path,
) -> None:
    """Killed after the plaintext's second name was made, then restored before any opening:
    the store put aside by the restore is the same file as that second name, and the next
    opening must not overwrite it with zeros."""
    from dxdesk.models.backups import restore_backup

    data = tmp_path / "data"
    counts = _plaintext_store(data)
    (data / "backups").mkdir()
    backup = data / "backups" / "dxdesk-20261201-090000.sqlite3"
    shutil.copyfile(data / DATABASE_NAME, backup)
    child = _child(data, "after-link")
    _out, err = child.communicate(timeout=120)
    assert child.returncode == 9, err
    restored = restore_backup(data, backup.name)
    assert restored.kept_aside is not None
    open_store(data).close()  # encrypts the kept-aside store too, as an old copy
    kept = restored.kept_aside
    key = None if store_cipher.is_plaintext(kept) else store_key.key_for(data)
    assert _counts(kept, key) == counts  # the kept-aside store, whole


def test_a_folder_whose_key_the_keychain_lost_restores_a_backup_with_its_passphrase(
    tmp_path: Path, real_keychain: None
) -> None:
    from dxdesk.models import backup_keys
    from dxdesk.models.backup_crypto import KdfCost
    from dxdesk.models.backups import (
        BackupRefused,
        WrongPassphrase,
        restore_backup,
        take_backup,
    )

    data = tmp_path / "data"
    ws = open_workspace(data)
    try:
        ws.engagements.add({"municipality": "302015", "date": "2025-06-12", "notes": WORD})
        backup_keys.set_up(data, "バックアップの合言葉", cost=KdfCost(n=2**10))
        backup = take_backup(ws.store, passphrase="バックアップの合言葉").path
    finally:
        ws.close()
    store_key.forget(data)  # the keychain lost it (a reset keychain)
    backup_keys.forget_backup_key(data)
    with pytest.raises(store_key.KeyLost):
        open_store(data)
    key_text = (data / store_key.KEY_FILE).read_text()
    with pytest.raises(WrongPassphrase):
        restore_backup(data, backup.name, secret="違う合言葉です")
    cut = tmp_path / "cut.dxbackup"
    cut.write_bytes(backup.read_bytes()[:-100])  # refused once decrypting, after the key moved
    with pytest.raises(BackupRefused):
        restore_backup(data, str(cut), secret="バックアップの合言葉")
    assert (data / store_key.KEY_FILE).read_text() == key_text  # refused: as it was
    assert not list(data.glob("dxdesk-store-key-before-restore-*.json"))
    restored = restore_backup(data, backup.name, secret="バックアップの合言葉")
    assert restored.kept_aside is not None
    assert list(data.glob("dxdesk-store-key-before-restore-*.json"))  # the lost key's file, kept
    ws = open_workspace(data)
    try:
        assert [r["notes"] for r in ws.engagements.list_records()] == [WORD]
    finally:
        ws.close()
