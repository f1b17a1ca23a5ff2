"""Passwords, per-device tokens, and login through its rate limit (login_throttle.py)."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from dxdesk.server import device_wipe, login_throttle
from dxdesk.server.audit import audit
from dxdesk.server.problems import ProblemError
from dxdesk.server.settings import Settings
from dxdesk.server.tables import (
    Account,
    Assignment,
    Device,
    DeviceScope,
    Municipality,
)
from dxdesk.sql_common import utc_now

_hasher = PasswordHasher()
# Verified against when the account does not exist, so both cases take as long.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))
TOKEN_PREFIX = "dxd_"
DEVICE_KEY_PREFIX = "dxk_"
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


def new_device_key() -> str:
    """The secret a laptop sends back at its next logins (login_throttle.py)."""
    return DEVICE_KEY_PREFIX + secrets.token_urlsafe(32)  # 256 random bits


def secret_hash(secret: str) -> str:
    """What the server keeps of a token or a device key."""
    # 256 random bits: a fast hash is enough, unlike for a password.
    return hashlib.sha256(secret.encode()).hexdigest()


def known_device(session: Session, *, user: str, device_key: str | None) -> str | None:
    """The id of ``user``'s device that holds ``device_key``, unless revoked; else None."""
    if not device_key:
        return None
    return session.scalar(
        select(Device.id)
        .join(Account, Device.account_id == Account.id)
        .where(
            Device.login_key_hash == secret_hash(device_key),
            Account.name == user,
            Device.revoked_at.is_(None),
        )
    )


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
    device_key: str


class BadCredentials(Exception):
    """Wrong name or password: 401, the same answer for both."""

    def __init__(self) -> None:
        super().__init__("ユーザー名かパスワードが違います")

    def problem(self) -> ProblemError:
        return _unauthorized(str(self))


def _unauthorized(detail: str) -> ProblemError:
    return ProblemError(
        401, "unauthorized", "Unauthorized", detail, headers={"WWW-Authenticate": "Bearer"}
    )


@dataclass(frozen=True)
class LoginAttempt:
    """A login let through the throttle; its failure row stays unless the password is right."""

    user: str
    address: str
    failure_id: int
    password_hash: str  # the account's, or a dummy one so an unknown name takes as long
    account_id: int | None
    known_device_id: str | None  # the device whose valid key came with the attempt
    # The key as shown: valid (known_device_id), a revoked row's (this laptop's earlier login:
    # a new key then, the rows linked), or nobody's.
    device_key: str | None


def begin_login(
    session: Session, settings: Settings, *, user: str, address: str, device_key: str | None
) -> LoginAttempt:
    """Let one attempt through the throttle, or raise its 429; commit before the password check.

    Separate from the check so that the check (argon2, slow) holds no lock.
    """
    if device_key:  # a laptop revoked as lost is told so before anything else
        device_wipe.check_login_key(
            session, user=user, device_key=device_key, key_hash=secret_hash(device_key)
        )
    known = known_device(session, user=user, device_key=device_key)
    failure_id = login_throttle.reserve(
        session, settings, user=user, address=address, device_id=known
    )
    account = session.scalar(select(Account).where(Account.name == user))
    return LoginAttempt(
        user=user,
        address=address,
        failure_id=failure_id,
        password_hash=account.password_hash if account else _DUMMY_HASH,
        account_id=account.id if account else None,
        known_device_id=known,
        device_key=device_key or None,
    )


def check_password(attempt: LoginAttempt, password: str) -> None:
    """Raises BadCredentials unless right; outside any transaction."""
    if not password_matches(attempt.password_hash, password) or attempt.account_id is None:
        raise BadCredentials


def record_login_failure(session: Session, attempt: LoginAttempt) -> None:
    """Its failure row is already written (begin_login); the audit says who and from where."""
    audit(
        session,
        account=attempt.user,
        device_id=attempt.known_device_id,
        action="login_failed",
        detail=attempt.address,
    )


def login(
    session: Session, settings: Settings, *, attempt: LoginAttempt, device_name: str
) -> IssuedToken:
    """A new device token (and the laptop's device key) for an attempt whose password was right.

    A disabled account's 403 commits ``session`` before it is raised (see below).
    """
    # Locked (PostgreSQL; SQLite's write transaction already serialises) so that logins of one
    # account, a laptop's own at once among them, move its device key one after the other.
    # NO KEY: rows that refer to the account (a device, an assignment) are still written.
    account = session.get(Account, attempt.account_id, with_for_update={"key_share": True})
    if account is None:  # removed since begin_login
        raise BadCredentials().problem()
    if account.disabled:
        # The right password is no guess: its throttle row goes, so its owner, who may not know
        # yet, is neither counted nor throttled; the audit shows the operator it is still in use.
        # Committed here because the 403 undoes the transaction it is raised in.
        login_throttle.forget(session, failure_id=attempt.failure_id)
        audit(
            session,
            account=account.name,
            device_id=attempt.known_device_id,
            action="login_disabled",
            detail=attempt.address,
        )
        session.commit()
        raise ProblemError(
            403, "account-disabled", "Account disabled", "このアカウントは無効にされています"
        )
    login_throttle.succeeded(
        session,
        settings,
        failure_id=attempt.failure_id,
        user=attempt.user,
        address=attempt.address,
        device_id=attempt.known_device_id,
    )
    device_key, previous = _take_device_key(session, attempt, account.id)
    token = new_token()
    device = Device(
        id=str(uuid.uuid4()),
        account_id=account.id,
        name=device_name,
        token_hash=secret_hash(token),
        expires_at=utc_now() + settings.token_lifetime,
        last_seen_at=utc_now(),
        revoked_at=None,
        login_key_hash=secret_hash(device_key),
        previous_id=previous,
    )
    held = _previous_device_scope(session, account.id, device_name)
    session.add(device)
    session.flush()  # the scope rows below point at the device
    session.add_all(
        DeviceScope(
            device_id=device.id, code=row.code, held_rev=row.held_rev, grace_until=row.grace_until
        )
        for row in held
    )
    audit(session, account=account.name, device_id=device.id, action="login", detail=device_name)
    return IssuedToken(token, device.id, device.expires_at, account.name, account.role, device_key)


def _take_device_key(
    session: Session, attempt: LoginAttempt, account_id: int
) -> tuple[str, str | None]:
    """The key this login answers: the laptop's own, taken off the device row holding it now
    (it moves to this login's row, which revocation ends), or a new one; and the row that held
    the key shown, this laptop's previous login (None: no key, or another account's).

    Read again, under the account's lock: another login of the same laptop may have moved the
    key to its own row since begin_login, and the device holding it may have been revoked.
    """
    if attempt.device_key is None:
        return new_device_key(), None
    holder = session.scalar(
        select(Device).where(Device.login_key_hash == secret_hash(attempt.device_key))
    )
    if holder is None or holder.account_id != account_id:
        return new_device_key(), None
    if holder.revoked_at is not None:
        # Ended (a plain revoke): a new key, but the same laptop, which a wipe asked of the
        # revoked row must still reach.
        return new_device_key(), holder.id
    holder.login_key_hash = None
    session.flush()  # the key hash is unique
    return attempt.device_key, holder.id


def _previous_device_scope(session: Session, account_id: int, name: str) -> list[DeviceScope]:
    """What the previous login of this laptop (same account, same device name) held.

    A laptop that logs in again (without a keychain it does so at every sync) keeps it, so
    edits made before an unassignment still go up on its next push: the same records, until the
    same deadline. A new login never starts a grace again.
    """
    previous = session.scalar(
        select(Device.id)
        .where(Device.account_id == account_id, Device.name == name)
        .order_by(Device.created_at.desc())
        .limit(1)
    )
    if previous is None:
        return []
    return list(session.scalars(select(DeviceScope).where(DeviceScope.device_id == previous)))


def authenticate(session: Session, token: str) -> Caller:
    """The caller behind a bearer token; refused at once when revoked, expired or disabled."""
    row = session.execute(
        select(Device, Account)
        .join(Account, Device.account_id == Account.id)
        .where(Device.token_hash == secret_hash(token))
    ).first()
    if row is None:
        raise _unauthorized("ログインし直してください（端末の登録が見つかりません）")
    device, account = row
    if device.revoked_at is not None:
        if device.wipe_requested_at is not None:
            raise device_wipe.order_for(session, device, account=account.name, secret=token)
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


def scope_codes(session: Session, caller: Caller) -> frozenset[str]:
    """Municipality codes the caller may read and write."""
    if caller.sees_everything:
        return frozenset(session.scalars(select(Municipality.code)))
    return frozenset(
        session.scalars(select(Assignment.code).where(Assignment.account_id == caller.account_id))
    )
