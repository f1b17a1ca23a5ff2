"""The login rate limit: atomic, and costing an attacker more than the advisor.

A password is checked only after a row was written for it: one short transaction takes the
login lock, counts the rows of every bucket the attempt falls in and, if each is under its
limit, writes the row, pending, and commits, all before the (slow) password check. A wrong
password then makes the row a failure; a right one deletes it. So, however many attempts
arrive at once, no more than a bucket's limit of passwords are checked in a window: 40 parallel
guesses get 5 checks and 35 × 429.

Only failures refuse a login. An attempt whose bucket is full only with the failures and the
checks still in flight waits for those checks to end (``Settings.login_settle_wait``, taking
the lock again every fraction of a second, not holding it): it goes on if they turn out right,
and gets the 429 for the window only if they were failures. So twelve laptops of one account,
or thirty accounts behind one office address, logging in at once all get in: slowed down, not
locked out. If the checks in flight outlast the wait, the 429 says to try again in 5 seconds.

A row left pending for longer than any check takes (``Settings.login_pending_timeout``, a
minute: the server stopped during the check) counts as a failure, in the limit and for the
operator. Counting it for nothing would let a check that took that long be followed by one
more than the limit; counting it as a failure costs at most the attempts of a crash.

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

import math
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlalchemy import ColumnElement, and_, delete, false, func, or_, select, text, update
from sqlalchemy.orm import Session

from dxdesk.server.problems import ProblemError
from dxdesk.server.settings import Settings
from dxdesk.server.tables import LoginFailure
from dxdesk.sql_common import utc_now

# The first pause of an attempt waiting for checks in flight, doubling up to the longest.
FIRST_PAUSE_S = 0.05
LONGEST_PAUSE_S = 0.5
# Retry-After when the checks in flight outlast the wait: they end in moments, not a window.
CHECKS_IN_FLIGHT_RETRY_AFTER_S = 5

T = TypeVar("T")


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


def _failed(settings: Settings, now: datetime) -> ColumnElement[bool]:
    """Rows that are failures: a wrong password, or a check that never ended."""
    return or_(
        LoginFailure.pending == false(), LoginFailure.at <= now - settings.login_pending_timeout
    )


def _wait(settings: Settings, failure_times: Iterable[datetime], limit: int, now: datetime) -> int:
    """Seconds until a bucket holding these failures has room again; 0 if it has now.

    The oldest of its last ``limit`` failures leaving the window frees a slot.
    """
    last = sorted(failure_times, reverse=True)[:limit]
    if len(last) < limit:
        return 0
    free_at = last[-1] + settings.login_window
    return max(1, math.ceil((free_at - now).total_seconds()))


def _failure_times(
    session: Session, settings: Settings, bucket: Bucket, now: datetime
) -> list[datetime]:
    """The last ``bucket.limit`` failures within the window, newest first."""
    return list(
        session.scalars(
            select(LoginFailure.at)
            .where(
                bucket.condition,
                _failed(settings, now),
                LoginFailure.at > now - settings.login_window,
            )
            .order_by(LoginFailure.at.desc())
            .limit(bucket.limit)
        )
    )


def _in_flight(session: Session, settings: Settings, bucket: Bucket, now: datetime) -> int:
    count = session.scalar(
        select(func.count())
        .select_from(LoginFailure)
        .where(bucket.condition, ~_failed(settings, now))
    )
    return count or 0


def too_many_attempts(wait: int) -> ProblemError:
    return ProblemError(
        429,
        "too-many-attempts",
        "Too many login attempts",
        f"ログインの失敗が続いたため、{wait} 秒後にもう一度お試しください",
        headers={"Retry-After": str(wait)},
        retry_after=wait,
    )


def checks_in_flight() -> ProblemError:
    """The 429 of an attempt that waited as long as it may for the checks in flight to end."""
    wait = CHECKS_IN_FLIGHT_RETRY_AFTER_S
    return ProblemError(
        429,
        "too-many-attempts",
        "Too many login attempts",
        f"ほかのログインを確認中のため、{wait} 秒後にもう一度お試しください",
        headers={"Retry-After": str(wait)},
        retry_after=wait,
    )


class ChecksInFlight(Exception):
    """A bucket has room only if checks still running turn out right: try again once they end."""


def reserve(
    session: Session, settings: Settings, *, user: str, address: str, device_id: str | None
) -> int:
    """Write the pending row a password check will leave as a failure unless it is right.

    Raises the 429 problem when a bucket is full of failures, and ChecksInFlight when one is
    full with the checks in flight (then end the transaction, which frees the lock, and call
    again: ``waiting_for_checks_in_flight``). Commit before checking the password.
    """
    _lock(session)
    now = utc_now()
    waits = []
    in_flight = False
    for bucket in _buckets(settings, user=user, address=address, device_id=device_id):
        times = _failure_times(session, settings, bucket, now)
        if wait := _wait(settings, times, bucket.limit, now):
            waits.append(wait)
        elif not in_flight:
            in_flight = len(times) + _in_flight(session, settings, bucket, now) >= bucket.limit
    if waits:
        raise too_many_attempts(max(waits))  # every full bucket must have room again
    if in_flight:
        raise ChecksInFlight
    failure = LoginFailure(
        account_name=user, address=address, device_id=device_id, at=now, pending=True
    )
    session.add(failure)
    session.flush()
    return failure.id


def waiting_for_checks_in_flight(settings: Settings, begin: Callable[[], T]) -> T:
    """``begin()``, a transaction that calls ``reserve``, again while checks in flight fill a
    bucket, for up to ``Settings.login_settle_wait``; then the short 429.

    Slows a login down instead of locking it out. Waiting holds a worker thread, asleep, but
    only while checks of its bucket are in flight: once they are failures, the 429 is at once.
    """
    deadline = time.monotonic() + settings.login_settle_wait.total_seconds()
    pause = FIRST_PAUSE_S
    while True:
        try:
            return begin()
        except ChecksInFlight:
            left = deadline - time.monotonic()
            if left <= 0:
                raise checks_in_flight() from None
            time.sleep(min(pause, left))
            pause = min(2 * pause, LONGEST_PAUSE_S)


def failed(session: Session, *, failure_id: int) -> None:
    """A wrong password: its row is now a failure (if still there: see ``forget``)."""
    session.execute(update(LoginFailure).where(LoginFailure.id == failure_id).values(pending=False))


def forget(session: Session, *, failure_id: int) -> None:
    """A right password refused all the same (a disabled account): no guess, so no failure.

    Its row only: the bucket's failures stay, since no one logged in.
    """
    session.execute(delete(LoginFailure).where(LoginFailure.id == failure_id))


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
    attacker elsewhere. Only failures: other checks in flight there stay counted until they end.
    """
    now = utc_now()
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
            | (passed & _failed(settings, now))
            | (LoginFailure.at < now - settings.login_window)
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
    by_bucket: dict[tuple[str | None, str | None, str | None], list[datetime]] = defaultdict(list)
    for user, address, device_id, at in session.execute(
        select(
            LoginFailure.account_name, LoginFailure.address, LoginFailure.device_id, LoginFailure.at
        ).where(LoginFailure.at > now - settings.login_window, _failed(settings, now))
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
        if wait := _wait(settings, times, limit, now):
            found.append(Throttle(name, where, device, wait))
    return found


@dataclass(frozen=True)
class RecentFailures:
    count: int
    last_at: datetime | None


def recent_failures(session: Session, settings: Settings) -> dict[str, RecentFailures]:
    """Failed logins within the window, by the user name tried (known or not); not the checks
    in flight."""
    now = utc_now()
    rows = session.execute(
        select(LoginFailure.account_name, func.count(), func.max(LoginFailure.at))
        .where(LoginFailure.at > now - settings.login_window, _failed(settings, now))
        .group_by(LoginFailure.account_name)
    )
    return {name: RecentFailures(count, last) for name, count, last in rows}
