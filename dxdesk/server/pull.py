"""Serving a pull: pages in revision order, scoped to the caller's assignments.

The cursor is opaque to the client: base64 of the last revision it holds, the scopes (codes, and
"*" for prefecture-wide records) it holds complete, and a backfill under way. It carries no
authority: every page is filtered by the caller's assignments as they are now, so a forged
cursor only re-sends what the caller may read anyway.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import ColumnElement, false, or_, select, true
from sqlalchemy.orm import Session

from dxdesk.server.auth import Caller, scope_codes
from dxdesk.server.problems import ProblemError
from dxdesk.server.tables import Account, Assignment, Record, SyncClock
from dxdesk.server.write_scope import remember_device_scope
from dxdesk.wire.protocol import PulledRecord, PullRequest, PullResponse

PREFECTURE = "*"


@dataclass(frozen=True)
class Backfill:
    codes: frozenset[str]
    upto: int  # revisions up to here come from the backfill, later ones from the stream
    after: int  # the last revision of the backfill already sent


@dataclass(frozen=True)
class Cursor:
    pos: int
    scope: frozenset[str]
    backfill: Backfill | None = None

    def encode(self) -> str:
        data: dict[str, Any] = {"v": 1, "pos": self.pos, "scope": sorted(self.scope)}
        if self.backfill is not None:
            data["bf"] = [sorted(self.backfill.codes), self.backfill.upto, self.backfill.after]
        raw = json.dumps(data, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _bad_cursor() -> ProblemError:
    return ProblemError(
        400,
        "invalid-cursor",
        "Invalid cursor",
        "同期位置が読めません。最初から同期し直してください",
    )


def decode_cursor(text: str | None) -> Cursor:
    if not text:
        return Cursor(pos=0, scope=frozenset())
    try:
        data = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
        pos, scope = data["pos"], data["scope"]
        backfill = None
        if "bf" in data:
            codes, upto, after = data["bf"]
            backfill = Backfill(frozenset(_strings(codes)), _revision(upto), _revision(after))
        return Cursor(_revision(pos), frozenset(_strings(scope)), backfill)
    except (ValueError, KeyError, TypeError, binascii.Error, RecursionError):
        raise _bad_cursor() from None


def _revision(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**63:
        raise ValueError(value)
    return value


def _strings(value: object) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(value)
    return value


def _in_scope(column: Any, codes: frozenset[str]) -> ColumnElement[bool]:
    conditions: list[ColumnElement[bool]] = []
    municipalities = sorted(codes - {PREFECTURE})
    if municipalities:
        conditions.append(column.in_(municipalities))
    if PREFECTURE in codes:
        conditions.append(column.is_(None))
    return or_(*conditions) if conditions else false()


def pull(session: Session, caller: Caller, request: PullRequest) -> PullResponse:
    cursor = decode_cursor(request.cursor)
    # Read before any record: every revision up to it is committed, so this pull sees them all.
    committed = session.scalar(select(SyncClock.value)) or 0
    assigned = scope_codes(session, caller)
    current = assigned | {PREFECTURE}
    backfill = cursor.backfill
    # A municipality unassigned halfway through its backfill is evicted too: the device may
    # already hold some of its records.
    held = cursor.scope | (backfill.codes if backfill is not None else frozenset())
    evicted = sorted(held - current)
    scope = cursor.scope & current
    if backfill is not None:
        backfill = (
            replace(backfill, codes=backfill.codes & current) if backfill.codes & current else None
        )
    pos = cursor.pos
    if backfill is None and (new := current - scope):
        if not scope:
            # A first pull: everything already committed comes as backfill, without tombstones.
            pos = max(pos, committed)
        backfill = Backfill(frozenset(new), upto=pos, after=0)
    backfilled: list[str] = []
    if backfill is not None:
        # Everything at once (a coordinator's first pull): no scope test, so the rev index
        # alone serves the page instead of an OR of indexes and a sort.
        everything = caller.sees_everything and backfill.codes >= current
        in_backfill = true() if everything else _in_scope(Record.scope_code, backfill.codes)
        rows = list(
            session.scalars(
                select(Record)
                .where(
                    in_backfill,
                    Record.rev > backfill.after,
                    Record.rev <= backfill.upto,
                    Record.deleted.is_(False),
                    Record.incomplete.is_(False),
                )
                .order_by(Record.rev)
                .limit(request.limit)
            )
        )
        if len(rows) < request.limit:
            scope |= backfill.codes
            backfilled = sorted(backfill.codes - {PREFECTURE})
            next_cursor = Cursor(pos, scope)
        else:
            next_cursor = Cursor(pos, scope, replace(backfill, after=rows[-1].rev))
        more = True  # the stream after the backfill may hold more
    else:
        sees_all = caller.sees_everything and scope >= current
        # An attachment whose bytes are not all in yet is left out; it takes a new revision
        # when they are (attachment_files.py). Its tombstone always goes.
        query = select(Record).where(
            Record.rev > pos, or_(Record.incomplete.is_(False), Record.deleted.is_(True))
        )
        if not sees_all:
            query = query.where(
                or_(
                    _in_scope(Record.scope_code, scope),
                    _in_scope(Record.previous_scope_code, scope - {PREFECTURE}),
                )
            )
        rows = list(session.scalars(query.order_by(Record.rev).limit(request.limit)))
        next_cursor = Cursor(rows[-1].rev if rows else pos, scope)
        more = len(rows) == request.limit
    # Backfill rows are all in scope; a stream row outside it moved away from this device.
    records = [
        _pulled(row, in_scope=backfill is not None or _holds(scope, row.scope_code)) for row in rows
    ]
    # What this device holds once it stores this page, and up to which revision: after an
    # unassignment, its pushes may still change those records for a while (write_scope.py).
    # Never beyond what the server had committed: a cursor's position is the client's word,
    # and a forged one would otherwise extend the grace to records that came in later.
    held_rev = min(next_cursor.pos, committed)
    holds = dict.fromkeys(next_cursor.scope, held_rev)
    if next_cursor.backfill is not None:
        holds |= dict.fromkeys(
            next_cursor.backfill.codes, min(next_cursor.backfill.after, committed)
        )
    holds.pop(PREFECTURE, None)
    remember_device_scope(session, caller, holds, after_restore=request.after_restore)
    return PullResponse(
        records=records,
        cursor=next_cursor.encode(),
        more=more,
        scope=sorted(assigned),
        evicted=evicted,
        backfilled=backfilled,
        advisors=advisors_of(session, assigned),
    )


def advisors_of(session: Session, codes: frozenset[str]) -> dict[str, list[str]]:
    """The enabled accounts assigned to each of ``codes``, by name, sorted; a municipality no
    one is assigned to is there with an empty list, so the laptop clears what it last had.

    Sent with every page: a few dozen rows at most, and an assignment made or ended with no
    record changing reaches the laptop at its next sync all the same.
    """
    advisors: dict[str, list[str]] = {code: [] for code in sorted(codes)}
    rows = session.execute(
        select(Assignment.code, Account.name)
        .join(Account, Account.id == Assignment.account_id)
        .where(Assignment.code.in_(sorted(codes)), Account.disabled.is_(False))
    )
    for code, name in rows:
        advisors[code].append(name)
    # Sorted here, not by the database, whose collation may order names otherwise.
    return {code: sorted(names) for code, names in advisors.items()}


def _holds(scope: frozenset[str], scope_code: str | None) -> bool:
    return (PREFECTURE if scope_code is None else scope_code) in scope


def _pulled(row: Record, *, in_scope: bool) -> PulledRecord:
    gone = not in_scope
    return PulledRecord(
        kind=row.kind,
        id=row.id,
        rev=row.rev,
        deleted=row.deleted,
        gone=gone,
        municipality=None if gone else row.scope_code,
        fields={} if gone or row.deleted else row.fields,
        updated_by=row.updated_by,
        updated_at=row.updated_at,
    )
