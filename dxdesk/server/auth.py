"""Passwords, per-device tokens and the login rate limit."""

from __future__ import annotations

import hashlib
import math
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from dxdesk.server.audit import audit
from dxdesk.server.problems import ProblemError
from dxdesk.server.settings import Settings
from dxdesk.server.tables import (
    Account,
    Assignment,
    Device,
    DeviceScope,
    LoginFailure,
    Municipality,
)
from dxdesk.sql_common import utc_now

_hasher = PasswordHasher()
# Verified against when the account does not exist, so both cases take as long.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))
TOKEN_PREFIX = "dxd_"
MIN_PASSWORD_LENGTH = 10


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)  # 256 random bits


def token_hash(token: str) -> str:
    # A token is 256 random bits: a fast hash is enough, unlike for a password.
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Caller:
    account_id: int
    user: str
    role: str
    device_id: str

    @property
    def sees_everything(self) -> bool:
        return self.role in ("coordinator", "admin")


@dataclass(frozen=True)
class IssuedToken:
    token: str
    device_id: str
    expires_at: datetime
    user: str
    role: str


class BadCredentials(Exception):
    """Wrong name or password; the caller records it in its own transaction and answers 401."""

    def __init__(self, user: str, address: str) -> None:
        super().__init__("ユーザー名かパスワードが違います")
        self.user = user
        self.address = address

    def problem(self) -> ProblemError:
        return _unauthorized(str(self))


def record_login_failure(session: Session, failure: BadCredentials) -> None:
    session.add(LoginFailure(account_name=failure.user, address=failure.address))
    audit(session, account=failure.user, action="login_failed", detail=failure.address)


def _unauthorized(detail: str) -> ProblemError:
    return ProblemError(
        401, "unauthorized", "Unauthorized", detail, headers={"WWW-Authenticate": "Bearer"}
    )


def _retry_after(
    session: Session, settings: Settings, *, by_account: bool, value: str
) -> int | None:
    """Seconds to wait when ``value`` has failed too often within the window, else None."""
    now = utc_now()
    since = now - settings.login_window
    if by_account:
        column, limit = LoginFailure.account_name, settings.max_failures_per_account
    else:
        column, limit = LoginFailure.address, settings.max_failures_per_address
    times = list(
        session.scalars(
            select(LoginFailure.at)
            .where(column == value, LoginFailure.at > since)
            .order_by(LoginFailure.at.desc())
            .limit(limit)
        )
    )
    if len(times) < limit:
        return None
    # The attempt that frees a slot: the oldest of the last ``limit`` failures leaves the window.
    free_at = times[-1] + settings.login_window
    return max(1, math.ceil((free_at - now).total_seconds()))


def login(
    session: Session,
    settings: Settings,
    *,
    user: str,
    password: str,
    device_name: str,
    address: str,
) -> IssuedToken:
    for by_account, value in ((True, user), (False, address)):
        wait = _retry_after(session, settings, by_account=by_account, value=value)
        if wait is not None:
            raise ProblemError(
                429,
                "too-many-attempts",
                "Too many login attempts",
                f"ログインの失敗が続いたため、{wait} 秒後にもう一度お試しください",
                headers={"Retry-After": str(wait)},
                retry_after=wait,
            )
    account = session.scalar(select(Account).where(Account.name == user))
    matches = password_matches(account.password_hash if account else _DUMMY_HASH, password)
    if account is None or not matches:
        raise BadCredentials(user, address)
    if account.disabled:
        raise ProblemError(
            403, "account-disabled", "Account disabled", "このアカウントは無効にされています"
        )
    session.execute(
        delete(LoginFailure).where(
            (LoginFailure.account_name == user)
            | (LoginFailure.at < utc_now() - settings.login_window)
        )
    )
    token = new_token()
    device = Device(
        id=str(uuid.uuid4()),
        account_id=account.id,
        name=device_name,
        token_hash=token_hash(token),
        expires_at=utc_now() + settings.token_lifetime,
        last_seen_at=utc_now(),
        revoked_at=None,
    )
    held = _previous_device_scope(session, account.id, device_name)
    session.add(device)
    session.flush()  # the scope rows below point at the device
    session.add_all(DeviceScope(device_id=device.id, code=code) for code in held)
    audit(session, account=user, device_id=device.id, action="login", detail=device_name)
    return IssuedToken(token, device.id, device.expires_at, account.name, account.role)


def _previous_device_scope(session: Session, account_id: int, name: str) -> list[str]:
    """What the previous login of this laptop (same account, same device name) held.

    A laptop that logs in again (without a keychain it does so at every sync) keeps it, so
    edits made before an unassignment still go up on its next push.
    """
    previous = session.scalar(
        select(Device.id)
        .where(Device.account_id == account_id, Device.name == name)
        .order_by(Device.created_at.desc())
        .limit(1)
    )
    if previous is None:
        return []
    return list(session.scalars(select(DeviceScope.code).where(DeviceScope.device_id == previous)))


def authenticate(session: Session, token: str) -> Caller:
    """The caller behind a bearer token; refused at once when revoked, expired or disabled."""
    row = session.execute(
        select(Device, Account)
        .join(Account, Device.account_id == Account.id)
        .where(Device.token_hash == token_hash(token))
    ).first()
    if row is None:
        raise _unauthorized("ログインし直してください（端末の登録が見つかりません）")
    device, account = row
    if device.revoked_at is not None:
        raise _unauthorized("この端末の登録は取り消されています。ログインし直してください")
    if device.expires_at <= utc_now():
        raise _unauthorized("ログインの有効期限が切れました。ログインし直してください")
    if account.disabled:
        raise ProblemError(
            403, "account-disabled", "Account disabled", "このアカウントは無効にされています"
        )
    return Caller(account.id, account.name, account.role, device.id)


def logout(session: Session, caller: Caller) -> None:
    device = session.get(Device, caller.device_id)
    if device is not None and device.revoked_at is None:
        device.revoked_at = utc_now()
        audit(session, account=caller.user, device_id=caller.device_id, action="logout")


def writable_codes(session: Session, caller: Caller) -> frozenset[str]:
    """Assigned now, or still held by this device until its next pull tells it otherwise."""
    held = session.scalars(
        select(DeviceScope.code).where(DeviceScope.device_id == caller.device_id)
    )
    return scope_codes(session, caller) | frozenset(held)


def remember_device_scope(session: Session, caller: Caller, codes: frozenset[str]) -> None:
    held = set(
        session.scalars(select(DeviceScope.code).where(DeviceScope.device_id == caller.device_id))
    )
    if held == codes:
        return  # the common case: a pull writes nothing
    session.execute(
        delete(DeviceScope).where(
            DeviceScope.device_id == caller.device_id, DeviceScope.code.not_in(codes)
        )
    )
    for code in codes - held:
        session.add(DeviceScope(device_id=caller.device_id, code=code))


def scope_codes(session: Session, caller: Caller) -> frozenset[str]:
    """Municipality codes the caller may read and write."""
    if caller.sees_everything:
        return frozenset(session.scalars(select(Municipality.code)))
    return frozenset(
        session.scalars(select(Assignment.code).where(Assignment.account_id == caller.account_id))
    )
