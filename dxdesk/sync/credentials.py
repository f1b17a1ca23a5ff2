"""The device token and device key in the OS keychain (keyring), and nowhere else.

With no keychain backend, nothing is stored: the app says so and asks for the password at each
sync, which then logs in for that sync only.
"""

from __future__ import annotations

import contextlib

import keyring
from keyring.backends import chainer, fail
from keyring.errors import KeyringError, PasswordDeleteError

from dxdesk.sync.api_client import SyncError

SERVICE = "DX Desk"
# The device key the server gave this laptop at login (sync/account.py), beside its token.
DEVICE_KEY_SERVICE = "DX Desk device key"


class NoKeychain(SyncError):
    pass


NO_KEYCHAIN_MESSAGE = (
    "この端末には資格情報の保管庫（キーチェーン）がないため、ログイン情報を保存できません。"
    "同期のたびにパスワードを入力してください"
)


def keychain_available() -> bool:
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring):
        return False
    if isinstance(backend, chainer.ChainerBackend):
        return bool(backend.backends)
    return True


def _account(server: str, user: str) -> str:
    return f"{user}@{server}"


def save_token(server: str, user: str, token: str) -> None:
    if not keychain_available():
        raise NoKeychain(NO_KEYCHAIN_MESSAGE)
    try:
        keyring.set_password(SERVICE, _account(server, user), token)
    except KeyringError as exc:
        raise NoKeychain(f"キーチェーンに保存できません（{type(exc).__name__}）") from None


def load_token(server: str, user: str) -> str | None:
    if not keychain_available():
        return None
    try:
        return keyring.get_password(SERVICE, _account(server, user))
    except KeyringError:
        return None


def delete_token(server: str, user: str) -> None:
    if not keychain_available():
        return
    with contextlib.suppress(PasswordDeleteError, KeyringError):  # already gone
        keyring.delete_password(SERVICE, _account(server, user))


def save_device_key(server: str, user: str, key: str) -> None:
    """Kept across logins (unlike the token): it lets this laptop's next login through a
    throttle that others' wrong passwords filled."""
    if not keychain_available():
        raise NoKeychain(NO_KEYCHAIN_MESSAGE)
    try:
        keyring.set_password(DEVICE_KEY_SERVICE, _account(server, user), key)
    except KeyringError as exc:
        raise NoKeychain(f"キーチェーンに保存できません（{type(exc).__name__}）") from None


def load_device_key(server: str, user: str) -> str | None:
    if not keychain_available():
        return None
    try:
        return keyring.get_password(DEVICE_KEY_SERVICE, _account(server, user))
    except KeyringError:
        return None


def delete_device_key(server: str, user: str) -> None:
    if not keychain_available():
        return
    with contextlib.suppress(PasswordDeleteError, KeyringError):  # already gone
        keyring.delete_password(DEVICE_KEY_SERVICE, _account(server, user))
