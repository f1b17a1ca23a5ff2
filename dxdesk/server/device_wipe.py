"""A laptop revoked as lost is told to wipe itself at its next contact (``revoke --wipe``).

The device row keeps when the operator asked (``wipe_requested_at``) and when the server first
answered the laptop with the order (``wipe_delivered_at``). The order goes to whoever shows the
device's secret: its token on any request, or its device key at a login (before the password is
checked: a thief may not know it, and the key alone proves the laptop). Every contact is answered
again, since the laptop may have lost an answer; the first delivery time stays.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dxdesk.server.audit import audit
from dxdesk.server.problems import ProblemError
from dxdesk.server.tables import Account, Device
from dxdesk.sql_common import utc_now
from dxdesk.wire.wipe import WIPE_CODE, wipe_proof


class UnknownDevice(Exception):
    pass


class AlreadyTold(Exception):
    """The laptop was told to wipe itself already: too late to withdraw."""

    def __init__(self, delivered_at: datetime) -> None:
        self.delivered_at = delivered_at
        super().__init__(delivered_at.isoformat())


@dataclass(frozen=True)
class WipeState:
    requested_at: datetime
    delivered_at: datetime | None


@dataclass(frozen=True)
class WipeRequested:
    device_id: str
    name: str
    # The laptop's later logins (rows whose login showed this row's device key, and theirs):
    # revoked and marked too, since the laptop now shows their secrets, not this row's.
    later_logins: tuple[str, ...] = ()


def request_wipe(session: Session, *, device_id: str, operator: str) -> WipeRequested:
    """Revoke the device (if not already) and mark it to be wiped, with the laptop's later
    logins (its key proved them the same laptop); asking again changes nothing."""
    device = session.get(Device, device_id.strip().lower())
    if device is None:
        raise UnknownDevice(device_id)
    now = utc_now()
    later: list[str] = []
    chain, seen = [device], {device.id}
    while chain:
        row = chain.pop()
        if row.revoked_at is None:
            row.revoked_at = now
        if row.wipe_requested_at is None:
            row.wipe_requested_at = now
        audit(session, account=operator, action="revoke_wipe", device_id=row.id)
        if row is not device:
            later.append(row.id)
        for successor in session.scalars(select(Device).where(Device.previous_id == row.id)):
            if successor.id not in seen:
                seen.add(successor.id)
                chain.append(successor)
    return WipeRequested(device.id, device.name, tuple(later))


def cancel_wipe(session: Session, *, device_id: str, operator: str) -> list[str]:
    """Withdraw the wipe asked of the device and of the laptop's later logins (a laptop found
    again), before any was told; they stay revoked. Returns the rows withdrawn; AlreadyTold
    when one was told (nothing changes then)."""
    device = session.get(Device, device_id.strip().lower())
    if device is None:
        raise UnknownDevice(device_id)
    chain, rows = [device], []
    while chain:
        row = chain.pop()
        rows.append(row)
        chain += [
            later
            for later in session.scalars(select(Device).where(Device.previous_id == row.id))
            if later not in rows
        ]
    marked = [row for row in rows if row.wipe_requested_at is not None]
    for row in marked:
        if row.wipe_delivered_at is not None:
            raise AlreadyTold(row.wipe_delivered_at)
    for row in marked:
        row.wipe_requested_at = None
        audit(session, account=operator, action="cancel_wipe", device_id=row.id)
    return [row.id for row in marked]


def wipe_states(session: Session, device_ids: Collection[str]) -> dict[str, WipeState]:
    """The devices among ``device_ids`` marked to be wiped, with their delivery."""
    rows = session.execute(
        select(Device.id, Device.wipe_requested_at, Device.wipe_delivered_at).where(
            Device.id.in_(device_ids), Device.wipe_requested_at.is_not(None)
        )
    )
    return {
        device_id: WipeState(requested, delivered)
        for device_id, requested, delivered in rows
        if requested is not None
    }


def order_for(session: Session, device: Device, *, account: str, secret: str) -> ProblemError:
    """The wipe order for ``device``, whose ``secret`` came with the request; the delivery is
    committed here, since the problem raised next undoes the request's transaction."""
    if device.wipe_delivered_at is None:
        device.wipe_delivered_at = utc_now()
    audit(session, account=account, action="wipe_delivered", device_id=device.id)
    session.commit()
    return ProblemError(
        401,
        WIPE_CODE,
        "Device wipe",
        "この端末は紛失のため登録を取り消されました。端末内のデータを消去します",
        headers={"WWW-Authenticate": "Bearer"},
        device_id=device.id,
        proof=wipe_proof(secret, device.id),
    )


def check_login_key(session: Session, *, user: str, device_key: str, key_hash: str) -> None:
    """Raise the wipe order when ``device_key`` (its hash ``key_hash``) is the key of
    ``user``'s device marked to be wiped (a revoked row keeps its key hash: auth.py)."""
    device = session.scalar(
        select(Device)
        .join(Account, Device.account_id == Account.id)
        .where(
            Device.login_key_hash == key_hash,
            Account.name == user,
            Device.wipe_requested_at.is_not(None),
        )
    )
    if device is not None:
        raise order_for(session, device, account=user, secret=device_key)
