"""The backup key of a data folder: made once with a passphrase, kept in the OS keychain.

``set_up`` makes a random backup key, wraps it under the passphrase and under a new recovery
code (models/backup_crypto.py), writes the wraps (never the key) to ``backups/backup-key.json``
and keeps the key itself in the keychain (service ``KEYCHAIN_SERVICE``, account the data
folder's path). Each encrypted backup carries the same wraps, so it opens on any laptop with the
passphrase or the code. Where there is no keychain, nothing holds the key between backups: each
backup asks the passphrase (``key_for_backup(passphrase=...)``) and unwraps it from the file.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import keyring
from keyring.backends import chainer, fail
from keyring.errors import KeyringError, PasswordDeleteError

from dxdesk.models.backup_crypto import (
    PASSPHRASE,
    PRODUCTION_COST,
    RECOVERY,
    BackupCryptoError,
    BackupKey,
    KdfCost,
    new_recovery_code,
    unwrap_key,
    wrap_key,
)
from dxdesk.models.file_writing import replace_atomically
from dxdesk.models.paths import make_owner_only_dir
from dxdesk.models.store import StoreError

KEYCHAIN_SERVICE = "DX Desk backup key"
KEYS_FILE = "backup-key.json"  # in backups/: the wraps and the key's id, never the key
MIN_PASSPHRASE = 8


class BackupKeyError(StoreError):
    """The backup key cannot be had (message for a person, Japanese)."""


class PassphraseNeeded(BackupKeyError):
    """Encrypted backups are set up, but this laptop holds no key: ask the passphrase."""


class NotSetUp(BackupKeyError):
    """No passphrase chosen yet: encrypted backups cannot be taken."""


NOT_SET_UP_MESSAGE = (
    "バックアップの合言葉がまだ決まっていません。dxdesk backup-passphrase set で決めてください"
    "（ウィンドウでは ファイル → バックアップの合言葉を設定…）"
)
PASSPHRASE_NEEDED_MESSAGE = (
    "この端末にはキーチェーンがないため、バックアップの合言葉を毎回入力してください"
    "（--passphrase-stdin で渡せます）"
)
WRONG_MESSAGE = "合言葉または回復コードが違います。何も変えていません。もう一度入力してください"


@dataclass(frozen=True)
class SetUp:
    key: BackupKey
    recovery_code: str  # shown to the person once, never stored
    in_keychain: bool


def _keys_path(data_dir: Path) -> Path:
    return data_dir / "backups" / KEYS_FILE


def is_set_up(data_dir: Path) -> bool:
    return _keys_path(data_dir).is_file()


def keychain_available() -> bool:
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring):
        return False
    if isinstance(backend, chainer.ChainerBackend):
        return bool(backend.backends)
    return True


def _account(data_dir: Path) -> str:
    return str(data_dir.expanduser().resolve())


def check_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise BackupKeyError(f"合言葉は {MIN_PASSPHRASE} 文字以上にしてください")


def set_up(data_dir: Path, passphrase: str, *, cost: KdfCost = PRODUCTION_COST) -> SetUp:
    """Choose the passphrase (once per data folder): a new backup key, its wraps written, the
    key kept in the keychain when there is one. ``cost`` is lowered by tests only."""
    check_passphrase(passphrase)
    path = _keys_path(data_dir)
    if path.exists():
        raise BackupKeyError("バックアップの合言葉はもう決まっています")
    key = BackupKey.new()
    code = new_recovery_code()
    wraps = [wrap_key(key, passphrase, PASSPHRASE, cost), wrap_key(key, code, RECOVERY, cost)]
    try:
        make_owner_only_dir(path.parent, tighten=True)
        text = json.dumps({"key_id": key.key_id, "wraps": wraps}, indent=1)
        replace_atomically(path, lambda temp: temp.write_text(text, encoding="ascii"))
    except OSError as exc:
        raise BackupKeyError(f"{path} に書けません: {exc.strerror}") from None
    in_keychain = _save(data_dir, key)
    return SetUp(key=key, recovery_code=code, in_keychain=in_keychain)


def change_passphrase(
    data_dir: Path, current: str, passphrase: str, *, cost: KdfCost = PRODUCTION_COST
) -> None:
    """A new passphrase for the same backup key, opened with ``current`` (the passphrase or
    the recovery code): the next backups carry its wrap and the recovery code's, unchanged.
    Backups made before keep the wraps they were made with (the old passphrase, the same
    recovery code). BackupKeyError(WRONG_MESSAGE) for a wrong ``current``; nothing changes."""
    check_passphrase(passphrase)
    wraps = wraps_of(data_dir)
    try:
        key = unwrap_key(wraps, current)
    except BackupCryptoError:
        raise BackupKeyError(WRONG_MESSAGE) from None
    kept = [wrap for wrap in wraps if wrap.get("kind") == RECOVERY]
    path = _keys_path(data_dir)
    text = json.dumps(
        {"key_id": key.key_id, "wraps": [wrap_key(key, passphrase, PASSPHRASE, cost), *kept]},
        indent=1,
    )
    try:
        replace_atomically(path, lambda temp: temp.write_text(text, encoding="ascii"))
    except OSError as exc:
        raise BackupKeyError(f"{path} に書けません: {exc.strerror}") from None
    _save(data_dir, key)


def wraps_of(data_dir: Path) -> list[dict[str, Any]]:
    """The wraps this data folder's encrypted backups carry; NotSetUp before ``set_up``."""
    path = _keys_path(data_dir)
    try:
        content = json.loads(path.read_text(encoding="ascii"))
        wraps = content["wraps"]
        if not isinstance(wraps, list):
            raise TypeError
    except FileNotFoundError:
        raise NotSetUp(NOT_SET_UP_MESSAGE) from None
    except (OSError, ValueError, KeyError, TypeError):
        raise BackupKeyError(f"{path} が読めません（壊れています）") from None
    return wraps


def key_for_backup(data_dir: Path, *, passphrase: str | None = None) -> BackupKey:
    """The key to take a backup with: from the keychain, or unwrapped with ``passphrase``
    (then kept in the keychain if one has come). NotSetUp, PassphraseNeeded, or
    BackupKeyError(WRONG_MESSAGE)."""
    wraps = wraps_of(data_dir)
    saved = saved_key(data_dir)
    if saved is not None:
        return saved
    if passphrase is None:
        raise PassphraseNeeded(PASSPHRASE_NEEDED_MESSAGE)
    try:
        key = unwrap_key(wraps, passphrase)
    except BackupCryptoError:
        raise BackupKeyError(WRONG_MESSAGE) from None
    _save(data_dir, key)
    return key


def saved_key(data_dir: Path) -> BackupKey | None:
    """The key in the keychain, if it is this data folder's current one."""
    if not keychain_available() or not is_set_up(data_dir):
        return None
    try:
        text = keyring.get_password(KEYCHAIN_SERVICE, _account(data_dir))
    except KeyringError:
        return None
    if text is None:
        return None
    try:
        key = BackupKey(base64.b64decode(text, validate=True))
        expected = json.loads(_keys_path(data_dir).read_text(encoding="ascii"))["key_id"]
    except (binascii.Error, ValueError, OSError, KeyError, TypeError):
        return None
    return key if key.key_id == expected else None


def _save(data_dir: Path, key: BackupKey) -> bool:
    if not keychain_available():
        return False
    try:
        keyring.set_password(
            KEYCHAIN_SERVICE, _account(data_dir), base64.b64encode(key.raw).decode("ascii")
        )
    except KeyringError:
        return False
    return True


def forget_backup_key(data_dir: Path) -> None:
    """Remove the keychain's entry of this data folder (a wiped laptop; the wraps in the
    backups folder go with that folder)."""
    if not keychain_available():
        return
    with contextlib.suppress(PasswordDeleteError, KeyringError):  # already gone
        keyring.delete_password(KEYCHAIN_SERVICE, _account(data_dir))


def adopt(data_dir: Path, key: BackupKey, wraps: list[dict[str, Any]]) -> None:
    """Take a restored backup's key and wraps as this data folder's (one with none yet)."""
    path = _keys_path(data_dir)
    try:
        make_owner_only_dir(path.parent, tighten=True)
        text = json.dumps({"key_id": key.key_id, "wraps": wraps}, indent=1)
        replace_atomically(path, lambda temp: temp.write_text(text, encoding="ascii"))
    except OSError as exc:
        raise BackupKeyError(f"{path} に書けません: {exc.strerror}") from None
    _save(data_dir, key)
