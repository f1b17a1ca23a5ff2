"""What the operator does from the command line: accounts, assignments, devices.

Keyword-only functions on a session, each audited under the operator's login name.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from dxdesk.domain.errors import DomainError
from dxdesk.domain.roster import find_municipality, load_roster
from dxdesk.server import login_throttle
from dxdesk.server.audit import audit
from dxdesk.server.auth import MIN_PASSWORD_LENGTH, hash_password
from dxdesk.server.settings import DEFAULT_UNASSIGNED_GRACE, Settings
from dxdesk.server.tables import Account, Assignment, Device, DeviceScope, Municipality
from dxdesk.sql_common import utc_now
from dxdesk.wire.protocol import ROLES


class AdminError(Exception):
    """The operator asked for something that cannot be done; the message says why."""


@dataclass(frozen=True)
class AccountSummary:
    name: str
    role: str
    disabled: bool
    codes: tuple[str, ...]
    active_devices: int
    # Within the login window: failed logins under this name, and who waits now.
    failed_logins: int = 0
    last_failed_login: datetime | None = None
    throttles: tuple[login_throttle.Throttle, ...] = ()


@dataclass(frozen=True)
class LoginTrouble:
    """Failed logins under names no account has, and the addresses throttled for every name."""

    unknown_name_failures: int
    throttled_addresses: tuple[login_throttle.Throttle, ...]


@dataclass(frozen=True)
class DeviceSummary:
    id: str
    name: str
    created_at: datetime
    last_seen_at: datetime | None
    expires_at: datetime
    revoked_at: datetime | None
    # Unassigned municipalities it may still send changes for (to what it held), and until when.
    grace: tuple[tuple[str, datetime], ...] = ()


def operator_name() -> str:
    try:
        return f"operator:{getpass.getuser()}"
    except (KeyError, OSError):
        return "operator"


def _account(session: Session, name: str) -> Account:
    account = session.scalar(select(Account).where(Account.name == name))
    if account is None:
        raise AdminError(f"ユーザー {name} はいません")
    return account


def add_user(session: Session, *, name: str, role: str, password: str) -> None:
    name = name.strip()
    if not name or len(name) > 100:
        raise AdminError("ユーザー名は 1〜100 文字で指定してください")
    if role not in ROLES:
        raise AdminError(f"役割は {' / '.join(ROLES)} のどれかです")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AdminError(f"パスワードは {MIN_PASSWORD_LENGTH} 文字以上にしてください")
    if session.scalar(select(Account.id).where(Account.name == name)) is not None:
        raise AdminError(f"ユーザー {name} はすでにいます")
    session.add(Account(name=name, role=role, password_hash=hash_password(password)))
    audit(session, account=operator_name(), action="user_add", detail=f"{name} {role}")


def set_password(session: Session, *, name: str, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AdminError(f"パスワードは {MIN_PASSWORD_LENGTH} 文字以上にしてください")
    _account(session, name).password_hash = hash_password(password)
    audit(session, account=operator_name(), action="user_password", detail=name)


def disable_user(session: Session, *, name: str) -> None:
    _account(session, name).disabled = True
    audit(session, account=operator_name(), action="user_disable", detail=name)


def list_users(session: Session, settings: Settings) -> list[AccountSummary]:
    now = utc_now()
    failures = login_throttle.recent_failures(session, settings)
    throttles = login_throttle.throttles(session, settings)
    summaries = []
    for account in session.scalars(select(Account).order_by(Account.name)):
        codes = tuple(
            session.scalars(
                select(Assignment.code)
                .where(Assignment.account_id == account.id)
                .order_by(Assignment.code)
            )
        )
        devices = session.scalar(
            select(func.count())
            .select_from(Device)
            .where(
                Device.account_id == account.id,
                Device.revoked_at.is_(None),
                Device.expires_at > now,
            )
        )
        failed = failures.get(account.name)
        summaries.append(
            AccountSummary(
                account.name,
                account.role,
                account.disabled,
                codes,
                devices or 0,
                failed.count if failed else 0,
                failed.last_at if failed else None,
                tuple(t for t in throttles if t.account == account.name),
            )
        )
    return summaries


def login_trouble(session: Session, settings: Settings) -> LoginTrouble:
    names = set(session.scalars(select(Account.name)))
    failures = login_throttle.recent_failures(session, settings)
    return LoginTrouble(
        sum(f.count for name, f in failures.items() if name not in names),
        tuple(t for t in login_throttle.throttles(session, settings) if t.account is None),
    )


def _codes(session: Session, codes: Iterable[str]) -> list[str]:
    """Codes of 6 digits, of 5 (no check digit), or names such as 和歌山市 or みなべ."""
    known = set(session.scalars(select(Municipality.code)))
    roster = load_roster()
    clean = []
    for raw in codes:
        try:
            found = find_municipality(roster, raw)
        except DomainError as exc:
            raise AdminError(str(exc)) from None
        if found.code not in known:
            raise AdminError(
                f"{found.name}（{found.code}）がデータベースにありません（init を実行してください）"
            )
        clean.append(found.code)
    return clean


def assign(session: Session, *, name: str, codes: Sequence[str]) -> list[str]:
    """Assign municipalities; returns the codes that were new."""
    account = _account(session, name)
    have = set(session.scalars(select(Assignment.code).where(Assignment.account_id == account.id)))
    added = [code for code in dict.fromkeys(_codes(session, codes)) if code not in have]
    for code in added:
        session.add(Assignment(account_id=account.id, code=code))
    if added:  # its own again: no grace running out
        session.execute(
            update(DeviceScope)
            .where(DeviceScope.device_id.in_(_device_ids(account)), DeviceScope.code.in_(added))
            .values(grace_until=None)
        )
    audit(session, account=operator_name(), action="assign", detail=f"{name} {' '.join(added)}")
    return added


def _device_ids(account: Account) -> Select[str]:
    return select(Device.id).where(Device.account_id == account.id)


def unassign(
    session: Session,
    *,
    name: str,
    codes: Sequence[str],
    grace: timedelta = DEFAULT_UNASSIGNED_GRACE,
) -> list[str]:
    """Take municipalities off an account; returns the codes that were assigned.

    Its laptops that held them at their last pull may send changes to those records for
    ``grace`` more (write_scope.WriteScope), however often they log in again; none after it.
    """
    account = _account(session, name)
    clean = _codes(session, codes)
    removed = list(
        session.scalars(
            select(Assignment.code).where(
                Assignment.account_id == account.id, Assignment.code.in_(clean)
            )
        )
    )
    session.execute(
        delete(Assignment).where(Assignment.account_id == account.id, Assignment.code.in_(clean))
    )
    detail = f"{name} {' '.join(removed)}"
    if removed:
        until = utc_now() + grace
        session.execute(
            update(DeviceScope)
            .where(
                DeviceScope.device_id.in_(_device_ids(account)),
                DeviceScope.code.in_(removed),
                DeviceScope.grace_until.is_(None),
            )
            .values(grace_until=until)
        )
        days = grace.total_seconds() / 86400
        detail += f"（猶予 {days:g} 日、{until:%Y-%m-%d %H:%M} UTC まで）"
    audit(session, account=operator_name(), action="unassign", detail=detail)
    return removed


def list_devices(session: Session, *, name: str) -> list[DeviceSummary]:
    account = _account(session, name)
    now = utc_now()
    grace: dict[str, list[tuple[str, datetime]]] = {}
    for device_id, code, until in session.execute(
        select(DeviceScope.device_id, DeviceScope.code, DeviceScope.grace_until)
        .where(
            DeviceScope.device_id.in_(_device_ids(account)),
            DeviceScope.grace_until > now,
        )
        .order_by(DeviceScope.code)
    ):
        if until is not None:  # as the query asks; for the type checker
            grace.setdefault(device_id, []).append((code, until))
    return [
        DeviceSummary(
            d.id,
            d.name,
            d.created_at,
            d.last_seen_at,
            d.expires_at,
            d.revoked_at,
            tuple(grace.get(d.id, ())),
        )
        for d in session.scalars(
            select(Device).where(Device.account_id == account.id).order_by(Device.created_at)
        )
    ]


def revoke_device(session: Session, *, device_id: str) -> None:
    device = session.get(Device, device_id.strip().lower())
    if device is None:
        raise AdminError(f"端末 {device_id} はありません")
    if device.revoked_at is None:
        device.revoked_at = utc_now()
    audit(session, account=operator_name(), action="revoke", device_id=device.id)
