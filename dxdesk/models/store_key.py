"""The key of a data folder's store (issue 23): random, kept in the OS keychain.

The store is encrypted with a random 32-byte key made when the data folder's store is (or when
an old plaintext store is first encrypted). ``KEY_FILE`` in the data folder says where the key
is, never the key itself:

- ``{"key_id": ..., "keychain": ID}``: in the keychain beside the sync token (service
  ``KEYCHAIN_SERVICE``, account ``ID``, a random name, so a data folder that is moved or copied
  keeps its key);
- ``{"key_id": ..., "wraps": [...]}``: where no keychain exists, sealed under a passphrase the
  person chooses (scrypt, models/backup_crypto.py) and asked at each start.

A key found or unlocked is kept in this process's memory until ``forget``; a process asks the
keychain or the person once.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import os
import threading
import uuid
from pathlib import Path
from typing import Any

import keyring
from keyring.errors import KeyringError, PasswordDeleteError

from dxdesk.models.backup_crypto import (
    PASSPHRASE,
    PRODUCTION_COST,
    BackupCryptoError,
    BackupKey,
    KdfCost,
    unwrap_key,
    wrap_key,
)
from dxdesk.models.backup_keys import check_passphrase, keychain_available
from dxdesk.models.file_writing import replace_atomically
from dxdesk.models.paths import OWNER_ONLY_FILE, make_owner_only_dir
from dxdesk.models.store import StoreError

KEYCHAIN_SERVICE = "DX Desk store key"
KEY_FILE = "dxdesk-store-key.json"
# scrypt's cost for a new passphrase; lowered by tests only.
PASSPHRASE_COST: KdfCost = PRODUCTION_COST


class StoreKeyError(StoreError):
    """The store's key cannot be had; the message is one line for the person."""


class PassphraseNeeded(StoreKeyError):
    """No keychain holds the key: ask the passphrase (``choose``: none was chosen yet)."""

    def __init__(self, data_dir: Path, *, choose: bool) -> None:
        self.data_dir = data_dir
        self.choose = choose
        super().__init__(
            "この端末にはキーチェーンがないため、データフォルダの記録を暗号化する合言葉を決めてください"
            if choose
            else "データフォルダの記録を開く合言葉を入力してください"
        )


class WrongPassphrase(StoreKeyError):
    pass


WRONG_MESSAGE = "合言葉が違います。何も変えていません。もう一度入力してください"

_lock = threading.RLock()  # unlock may ask key_for under it
_known: dict[Path, BackupKey] = {}


def _folder(data_dir: Path) -> Path:
    return data_dir.expanduser().resolve()


def key_file(data_dir: Path) -> Path:
    return data_dir / KEY_FILE


def has_key(data_dir: Path) -> bool:
    """Whether this data folder's store has a key (it is, or is being, encrypted)."""
    return key_file(data_dir).is_file()


def _read(data_dir: Path) -> dict[str, Any]:
    path = key_file(data_dir)
    try:
        content = json.loads(path.read_text(encoding="ascii"))
        if not isinstance(content, dict) or not isinstance(content.get("key_id"), str):
            raise TypeError
    except OSError as exc:
        raise StoreKeyError(f"{path} を読めません: {exc.strerror}") from None
    except (ValueError, TypeError):
        raise StoreKeyError(f"{path} が読めません（壊れています）") from None
    return content


def _write_new(data_dir: Path, content: dict[str, Any]) -> bool:
    """Give the data folder its key file, unless another start did meanwhile (two first
    starts at once: the window and a command); False then, and theirs is the key."""
    path = key_file(data_dir)
    text = json.dumps(content, indent=1)
    temp = path.with_name(f".{path.name}-{uuid.uuid4().hex}")
    try:
        with temp.open("x", encoding="ascii") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        temp.chmod(OWNER_ONLY_FILE)
        try:
            temp.hardlink_to(path)  # never replaces: a key another start made stays
        except FileExistsError:
            return False
        except OSError:
            if path.exists():
                return False
            temp.replace(path)  # no hard links here: the same, less strictly
        return True
    except OSError as exc:
        raise StoreKeyError(f"{path} に書けません: {exc.strerror}") from None
    finally:
        temp.unlink(missing_ok=True)


NO_PASSPHRASE_MESSAGE = (
    "この端末の記録の鍵はキーチェーンにあり、合言葉はありません（変えるものがありません）"
)


def has_passphrase(data_dir: Path) -> bool:
    """Whether the folder's key is sealed under a passphrase (no keychain holds it)."""
    return has_key(data_dir) and "wraps" in _read(_folder(data_dir))


def key_for(data_dir: Path, *, create: bool = False) -> bytes:
    """The store's key: from this process's memory, else the keychain. With ``create``, a data
    folder with no key yet gets a new one, kept in the keychain. PassphraseNeeded where no
    keychain holds it (``unlock`` then), StoreKeyError when the keychain has lost it."""
    folder = _folder(data_dir)
    with _lock:
        known = _known.get(folder)
        if known is not None:
            return known.raw
        if not has_key(folder):
            if not create:
                raise StoreKeyError(f"データフォルダ {folder} に記録の鍵がありません")
            return _new_in_keychain(folder).raw
        content = _read(folder)
        if "wraps" in content:
            raise PassphraseNeeded(folder, choose=False)
        key = _from_keychain(folder, content)
        _known[folder] = key
        return key.raw


def fetch_ahead(data_dir: Path) -> threading.Thread | None:
    """Ask the keychain for an existing store's key on a thread of its own (about 0.1 s over
    D-Bus), while the window's libraries load; ``key_for`` then finds it in memory, or waits
    for the answer under the same lock. Nothing is made, nothing is said: the opening asks
    again and says what is wrong."""

    def fetch() -> None:
        with contextlib.suppress(StoreKeyError, OSError):
            key_for(data_dir)

    if not has_key(data_dir):
        return None  # a new data folder: its key is made at opening
    thread = threading.Thread(target=fetch, name="dxdesk-store-key", daemon=True)
    thread.start()
    return thread


def _new_in_keychain(folder: Path) -> BackupKey:
    if not keychain_available():
        raise PassphraseNeeded(folder, choose=True)
    key = BackupKey.new()
    name = str(uuid.uuid4())
    try:
        keyring.set_password(KEYCHAIN_SERVICE, name, base64.b64encode(key.raw).decode("ascii"))
    except KeyringError:
        raise PassphraseNeeded(folder, choose=True) from None
    if not _write_new(folder, {"key_id": key.key_id, "keychain": name}):
        with contextlib.suppress(PasswordDeleteError, KeyringError):
            keyring.delete_password(KEYCHAIN_SERVICE, name)
        key = _from_keychain(folder, _read(folder))  # the key the other start made
    _known[folder] = key
    return key


class KeyLost(StoreKeyError):
    """The keychain answers, and holds no key for this folder (another laptop's keychain, a
    reset one): the records cannot be opened here; a restore makes a new key."""


class KeychainUnavailable(StoreKeyError):
    """The keychain does not answer (locked, or no session): try again once it does."""


def _from_keychain(folder: Path, content: dict[str, Any]) -> BackupKey:
    lost = KeyLost(
        "データフォルダの記録の鍵がこの端末のキーチェーンにありません。記録には手を付けていません。"
        "バックアップ（.dxbackup）を合言葉で復元できます: dxdesk restore FILE"
    )
    unavailable = KeychainUnavailable(
        "キーチェーンを開けないため、データフォルダの記録の鍵を読めません（ロックされているか、"
        "使えない状態です）。記録には手を付けていません。キーチェーンを開いてからもう一度開いてください"
    )
    name = content.get("keychain")
    if not isinstance(name, str):
        raise lost
    if not keychain_available():
        raise unavailable
    try:
        text = keyring.get_password(KEYCHAIN_SERVICE, name)
    except KeyringError:
        raise unavailable from None
    if text is None:
        raise lost
    try:
        key = BackupKey(base64.b64decode(text, validate=True))
    except (binascii.Error, ValueError):
        raise lost from None
    if key.key_id != content["key_id"]:
        raise lost
    return key


def unlock(data_dir: Path, passphrase: str) -> bytes:
    """The key from the passphrase (asked after PassphraseNeeded): unsealed when one was
    chosen (WrongPassphrase when it differs), else a new key sealed under this one."""
    folder = _folder(data_dir)
    with _lock:
        if folder in _known:
            return _known[folder].raw
        if not has_key(folder):
            check_passphrase(passphrase)
            try:
                make_owner_only_dir(folder)
            except OSError as exc:
                raise StoreKeyError(
                    f"データフォルダ {folder} を作れません: {exc.strerror}"
                ) from None
            key = BackupKey.new()
            wrap = wrap_key(key, passphrase, PASSPHRASE, PASSPHRASE_COST)
            if not _write_new(folder, {"key_id": key.key_id, "wraps": [wrap]}):
                raise StoreKeyError(
                    "ほかの起動が同時に合言葉を決めました。何も変えていません。もう一度開いてください"
                )
        else:
            content = _read(folder)
            wraps = content.get("wraps")
            if not isinstance(wraps, list):
                return key_for(folder)
            try:
                key = unwrap_key(wraps, passphrase)
            except BackupCryptoError:
                raise WrongPassphrase(WRONG_MESSAGE) from None
            if key.key_id != content["key_id"]:
                raise StoreKeyError(f"{key_file(folder)} が読めません（壊れています）")
        _known[folder] = key
        return key.raw


def change_passphrase(
    data_dir: Path, current: str, passphrase: str, *, cost: KdfCost | None = None
) -> None:
    """Seal the same key under a new passphrase (a folder without a keychain), opened with
    ``current``; WrongPassphrase when it is not the one, and nothing changes. The store is
    not touched: its key stays the same."""
    folder = _folder(data_dir)
    check_passphrase(passphrase)
    with _lock:
        content = _read(folder)
        wraps = content.get("wraps")
        if not isinstance(wraps, list):
            raise StoreKeyError(NO_PASSPHRASE_MESSAGE)
        try:
            key = unwrap_key(wraps, current)
        except BackupCryptoError:
            raise WrongPassphrase("今の合言葉が違います。何も変えていません") from None
        wrap = wrap_key(key, passphrase, PASSPHRASE, cost or PASSPHRASE_COST)
        text = json.dumps({"key_id": key.key_id, "wraps": [wrap]}, indent=1)
        try:
            replace_atomically(key_file(folder), lambda temp: temp.write_text(text, "ascii"))
        except OSError as exc:
            raise StoreKeyError(f"{key_file(folder)} に書けません: {exc.strerror}") from None
        _known[folder] = key


def forget(data_dir: Path) -> None:
    """Forget the key: this process's copy and the keychain's entry (a wiped laptop; the key
    file goes with the data folder's other files)."""
    folder = _folder(data_dir)
    with _lock:
        _known.pop(folder, None)
        if not has_key(folder) or not keychain_available():
            return
        with contextlib.suppress(StoreKeyError):
            name = _read(folder).get("keychain")
            if isinstance(name, str):
                with contextlib.suppress(PasswordDeleteError, KeyringError):
                    keyring.delete_password(KEYCHAIN_SERVICE, name)


def set_aside_lost(data_dir: Path, stamp: str) -> Path:
    """A key file whose key the keychain lost, renamed aside (kept: the keychain may hold it
    again, with the store put aside beside it), so that a restore makes a new key."""
    folder = _folder(data_dir)
    with _lock:
        _known.pop(folder, None)
        aside = folder / f"dxdesk-store-key-before-restore-{stamp}.json"
        key_file(folder).replace(aside)
        return aside


def discard(data_dir: Path) -> None:
    """Undo a key just made for a store that was not made after all (a refused restore on a
    new data folder): nothing of it is left."""
    forget(data_dir)
    key_file(data_dir).unlink(missing_ok=True)


def forget_in_memory(data_dir: Path) -> None:
    """This process no longer holds the key (tests of a new start)."""
    with _lock:
        _known.pop(_folder(data_dir), None)
