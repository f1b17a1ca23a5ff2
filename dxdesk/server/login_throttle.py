"""The login rate limit: atomic, and costing an attacker more than the advisor.

A password is checked only after a failure row was written for it: one short transaction takes
the login lock, counts the recent failures of every bucket the attempt falls in and, if each is
under its limit, writes the row and commits, all before the (slow) password check. A right
password then deletes the row. So, however many attempts arrive at once, no more than a bucket's
limit of passwords are checked in a window: 40 parallel guesses get 5 checks and 35 × 429.

The buckets, each counting failures within ``Settings.login_window``:

- with a valid device key (a secret the server gave that laptop at a successful login, kept in
  its keychain, stored here only hashed): that device alone (``max_failures_per_device``). What
  others do throttles nothing of it, and its own guesses (a stolen key) are still bounded.
- without one: the account from this address (``max_failures_per_account_and_address``), this
  address for any account (``max_failures_per_address``) and the account from every address
  (``max_failures_per_account``, higher: guesses spread over many addresses).

So an attacker locks out only himself, at his address; an advisor's laptop that logged in before
gets in with the right password even while the account is throttled for everyone else.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, delete, func, select, text
from sqlalchemy.orm import Session

from dxdesk.server.problems import ProblemError
from dxdesk.server.settings import Settings
from dxdesk.server.tables import Account, Device, LoginFailure
from dxdesk.sql_common import utc_now

DEVICE_KEY_PREFIX = "dxk_"


def new_device_key() -> str:
    return DEVICE_KEY_PREFIX + secrets.token_urlsafe(32)  # 256 random bits


def device_key_hash(key: str) -> str:
    # 256 random bits: a fast hash is enough, as for a token.
    return hashlib.sha256(key.encode()).hexdigest()


def known_device(session: Session, *, user: str, device_key: str | None) -> str | None:
    """The id of ``user``'s device that holds ``device_key``, unless revoked; else None."""
    if not device_key:
        return None
    return session.scalar(
        select(Device.id)
        .join(Account, Device.account_id == Account.id)
        .where(
            Device.login_key_hash == device_key_hash(device_key),
            Account.name == user,
            Device.revoked_at.is_(None),
        )
    )


@dataclass(frozen=True)
class Bucket:
    condition: ColumnElement[bool]
    limit: int


def _buckets(settings: Settings, *, user: str, address: str, device_id: str | None) -> list[Bucket]:
    if device_id is not None:
        return [Bucket(LoginFailure.device_id == device_id, settings.max_failures_per_device)]
    unkeyed = LoginFailure.device_id.is_(None)
    return [
        Bucket(
            and_(unkeyed, LoginFailure.account_name == user, LoginFailure.address == address),
            settings.max_failures_per_account_and_address,
        ),
        Bucket(and_(unkeyed, LoginFailure.address == address), settings.max_failures_per_address),
        Bucket(and_(unkeyed, LoginFailure.account_name == user), settings.max_failures_per_account),
    ]


def _lock(session: Session) -> None:
    """One gate at a time counts and writes, so two cannot both see room for one more.

    SQLite: every transaction here begins IMMEDIATE (sql_common.py), which already serialises
    writers. PostgreSQL: this mode conflicts with itself and with writes, not with reads; it
    is held for a few statements, never during a password check.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("LOCK TABLE login_failure IN SHARE ROW EXCLUSIVE MODE"))


def _wait(session: Session, bucket: Bucket, now: datetime, window: timedelta) -> int | None:
    """Seconds until ``bucket`` has room again, or None when it has room now."""
    times = list(
        session.scalars(
            select(LoginFailure.at)
            .where(bucket.condition, LoginFailure.at > now - window)
            .order_by(LoginFailure.at.desc())
            .limit(bucket.limit)
        )
    )
    if len(times) < bucket.limit:
        return None
    # The oldest of the last ``limit`` failures leaving the window frees a slot.
    return max(1, math.ceil((times[-1] + window - now).total_seconds()))


def too_many_attempts(wait: int) -> ProblemError:
    return ProblemError(
        429,
        "too-many-attempts",
        "Too many login attempts",
        f"ログインの失敗が続いたため、{wait} 秒後にもう一度お試しください",
        headers={"Retry-After": str(wait)},
        retry_after=wait,
    )


def reserve(
    session: Session, settings: Settings, *, user: str, address: str, device_id: str | None
) -> int:
    """Write the failure row a password check will leave unless the password is right.

    Raises the 429 problem when a bucket is full. Commit before checking the password.
    """
    _lock(session)
    now = utc_now()
    buckets = _buckets(settings, user=user, address=address, device_id=device_id)
    waits = [w for b in buckets if (w := _wait(session, b, now, settings.login_window))]
    if waits:
        raise too_many_attempts(max(waits))  # every full bucket must have room again
    failure = LoginFailure(account_name=user, address=address, device_id=device_id, at=now)
    session.add(failure)
    session.flush()
    return failure.id


def succeeded(
    session: Session,
    settings: Settings,
    *,
    failure_id: int,
    user: str,
    address: str,
    device_id: str | None,
) -> None:
    """A right password: forget its row, the failures of the bucket it came through, old rows.

    Only that bucket: an advisor's login from their laptop or office frees no guesses for an
    attacker elsewhere.
    """
    if device_id is not None:
        passed: ColumnElement[bool] = LoginFailure.device_id == device_id
    else:
        passed = and_(
            LoginFailure.device_id.is_(None),
            LoginFailure.account_name == user,
            LoginFailure.address == address,
        )
    session.execute(
        delete(LoginFailure).where(
            (LoginFailure.id == failure_id)
            | passed
            | (LoginFailure.at < utc_now() - settings.login_window)
        )
    )


@dataclass(frozen=True)
class Throttle:
    """Who waits now, and for how long.

    ``address`` and ``device_id`` None with an account: the account from every address (for
    laptops without a device key). ``account`` None: an address, for every account.
    """

    account: str | None
    address: str | None
    device_id: str | None
    retry_after: int


def throttles(session: Session, settings: Settings) -> list[Throttle]:
    """Every full bucket now, for the operator (``dxdesk-server user list``).

    Read in Python: the rows within one window are few, each bucket holding at most its limit.
    """
    now = utc_now()
    window = settings.login_window
    by_bucket: dict[tuple[str | None, str | None, str | None], list[datetime]] = defaultdict(list)
    for user, address, device_id, at in session.execute(
        select(
            LoginFailure.account_name, LoginFailure.address, LoginFailure.device_id, LoginFailure.at
        ).where(LoginFailure.at > now - window)
    ):
        if device_id is not None:
            by_bucket[user, None, device_id].append(at)
        else:
            by_bucket[user, address, None].append(at)
            by_bucket[user, None, None].append(at)
            by_bucket[None, address, None].append(at)
    found = []
    for (name, where, device), times in sorted(by_bucket.items(), key=lambda i: str(i[0])):
        if device is not None:
            limit = settings.max_failures_per_device
        elif name is None:
            limit = settings.max_failures_per_address
        elif where is None:
            limit = settings.max_failures_per_account
        else:
            limit = settings.max_failures_per_account_and_address
        if len(times) >= limit:
            # As _wait: the oldest of the last ``limit`` failures leaving the window frees one.
            free_at = sorted(times)[-limit] + window
            wait = max(1, math.ceil((free_at - now).total_seconds()))
            found.append(Throttle(name, where, device, wait))
    return found


@dataclass(frozen=True)
class RecentFailures:
    count: int
    last_at: datetime | None


def recent_failures(session: Session, settings: Settings) -> dict[str, RecentFailures]:
    """Failed logins within the window, by the user name tried (known or not)."""
    rows = session.execute(
        select(LoginFailure.account_name, func.count(), func.max(LoginFailure.at))
        .where(LoginFailure.at > utc_now() - settings.login_window)
        .group_by(LoginFailure.account_name)
    )
    return {name: RecentFailures(count, last) for name, count, last in rows}
