"""Where a device may write: its municipalities, and a bounded grace after an unassignment.

A laptop learns of an unassignment only at its next pull and pushes before it pulls; the grace
lets the changes it made while the municipality was its own still go up (docs/sync-protocol.md,
Eviction). What a device held is remembered at each pull (``remember_device_scope``) and read
at each push (``write_scope``).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from dxdesk.server.auth import Caller, scope_codes
from dxdesk.server.tables import AuditEntry, Device, DeviceScope
from dxdesk.sql_common import utc_now

# An update that changes one of these may move a record to another municipality.
MOVING_FIELDS = frozenset({"municipality", "engagement"})


class Access(enum.Enum):
    """What a device may do to a record of one municipality."""

    ASSIGNED = "assigned"  # read and write
    GRACE = "grace"  # change what it held, read nothing: unassigned since its last pull
    ENDED = "ended"  # it held the record, but the grace after the unassignment is over
    NONE = "none"  # never its own: the record does not exist for it


@dataclass(frozen=True)
class Hold:
    """An unassigned municipality a device still held at its last pull."""

    held_rev: int  # records that came into it up to this revision were sent to the device
    until: datetime | None  # the end of the grace (None: none was given)


@dataclass(frozen=True)
class WriteScope:
    """Where one push may write: the caller's municipalities, and a bounded grace for the rest.

    A laptop learns of an unassignment only at its next pull and pushes before it pulls, so
    until that pull (or a restored backup's catch-up pull, which comes before its push) it may
    send changes to the records it held, until the deadline set at the unassignment; never a
    new record there (``assigned`` alone decides where records are made), never a move out.
    """

    assigned: frozenset[str]
    held: Mapping[str, Hold]
    now: datetime
    # The device rows of this laptop: its logins, which share its name (auth.login keeps the
    # holds of the previous one).
    laptop: frozenset[str] = frozenset()

    def access(
        self, scope_code: str | None, scope_rev: int, pushed_here: Callable[[], bool] = bool
    ) -> Access:
        """``pushed_here``: whether this laptop brought the record into its municipality
        (asked only of a record that came in after its last pull)."""
        if scope_code is None or scope_code in self.assigned:
            return Access.ASSIGNED
        hold = self.held.get(scope_code)
        if hold is None or (scope_rev > hold.held_rev and not pushed_here()):
            return Access.NONE
        if hold.until is None or hold.until <= self.now:
            return Access.ENDED
        return Access.GRACE

    def in_grace(self, code: str) -> bool:
        hold = self.held.get(code)
        return hold is not None and hold.until is not None and hold.until > self.now


def write_scope(session: Session, caller: Caller) -> WriteScope:
    assigned = scope_codes(session, caller)
    rows = session.execute(
        select(DeviceScope.code, DeviceScope.held_rev, DeviceScope.grace_until).where(
            DeviceScope.device_id == caller.device_id
        )
    )
    held = {code: Hold(rev, until) for code, rev, until in rows if code not in assigned}
    if not held:
        return WriteScope(assigned, held, utc_now())
    name = select(Device.name).where(Device.id == caller.device_id).scalar_subquery()
    laptop = session.scalars(
        select(Device.id).where(Device.account_id == caller.account_id, Device.name == name)
    )
    return WriteScope(assigned, held, utc_now(), frozenset(laptop))


def pushed_by_laptop(session: Session, scope: WriteScope, record_id: str) -> bool:
    """Whether this laptop made the record, restored it or moved it, by any of its logins.

    Such a record is the laptop's own even if it came in after its last pull (a pull that failed
    after the push): the laptop has it, and may change it within the grace like what it held.
    The audit says so, written in the push's transaction (audit.py), and never pruned.
    """
    if not scope.laptop:
        return False
    entries = session.execute(
        select(AuditEntry.action, AuditEntry.fields).where(
            AuditEntry.record_id == record_id,
            AuditEntry.device_id.in_(scope.laptop),
            AuditEntry.action.in_(("create", "restore", "update")),
        )
    )
    return any(
        action != "update" or not MOVING_FIELDS.isdisjoint(fields) for action, fields in entries
    )


def remember_device_scope(
    session: Session, caller: Caller, held: Mapping[str, int], *, after_restore: bool = False
) -> None:
    """What the device holds once it stores a pull's page: code -> held up to that revision.

    Called by a pull, which names only municipalities assigned when it read the assignments. One
    it no longer names is let go, and with it its grace: the device now knows of the unassignment,
    so what it types there afterwards is refused. Except ``after_restore``: a restored backup's
    catch-up pulls before it pushes the backup's edits, so it keeps a grace still running
    (docs/sync-protocol.md, Eviction). That is a courtesy, not a bound: a laptop that never pulls
    keeps the grace until its deadline anyway; the deadline, held records only, no creates and
    no reads are what bound it. Neither pull reads anything there: pulls are filtered by the
    assignments.

    A pull never writes a grace: ``assign`` and ``unassign`` do. It moves ``held_rev`` on only
    where no grace is set, in the statement itself, so a pull that read the assignments before
    an unassignment committed (and so still names the municipality) cannot undo the grace that
    unassignment gave (PostgreSQL re-reads the row under its lock; SQLite runs one writer at a
    time).
    """
    rows: dict[str, int] = {}
    for code, rev in session.execute(
        select(DeviceScope.code, DeviceScope.held_rev).where(
            DeviceScope.device_id == caller.device_id
        )
    ):
        rows[code] = rev
    gone = set(rows) - set(held)
    if gone:
        let_go = delete(DeviceScope).where(
            DeviceScope.device_id == caller.device_id, DeviceScope.code.in_(gone)
        )
        if after_restore:
            let_go = let_go.where(
                or_(DeviceScope.grace_until.is_(None), DeviceScope.grace_until <= utc_now())
            )
        session.execute(let_go)
    moved_on: dict[int, list[str]] = {}
    for code, rev in held.items():
        if code not in rows:
            # An unassignment that committed meanwhile found no row, so gave no grace here: the
            # row is written without one, and a push meets it as ended.
            session.add(DeviceScope(device_id=caller.device_id, code=code, held_rev=rev))
        elif rows[code] != rev:
            moved_on.setdefault(rev, []).append(code)
    # One statement per revision (at most two: the stream's and a backfill's), not one per
    # municipality, which for a coordinator is every one; a quiet office's pull writes nothing.
    for rev, codes in moved_on.items():
        session.execute(
            update(DeviceScope)
            .where(
                DeviceScope.device_id == caller.device_id,
                DeviceScope.code.in_(codes),
                DeviceScope.grace_until.is_(None),
            )
            .values(held_rev=rev)
        )
