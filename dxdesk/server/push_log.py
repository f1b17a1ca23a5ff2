"""The push log: each push's answer, so a replay gets the same answer and applies nothing twice.

A conflict's values are not logged: the logged answer names the conflict's row, which holds them
(tables.PushLog), so a push stores each value it was sent once.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dxdesk.server.auth import Caller
from dxdesk.server.problems import ProblemError
from dxdesk.server.tables import Conflict, Device, PushLog
from dxdesk.wire.protocol import PushResponse


def replay(session: Session, caller: Caller, push_id: str) -> PushResponse | None:
    """The answer logged for ``push_id`` (``replayed``), or None if it is new.

    Called with the sync clock locked, so a push and its replay cannot both apply.
    """
    earlier = session.get(PushLog, push_id)
    if earlier is None:
        return None
    # The same person may resend from a new login (a laptop without a keychain logs in for
    # each sync); another account may not read the answer.
    sender = session.get(Device, earlier.device_id)
    if sender is None or sender.account_id != caller.account_id:
        raise ProblemError(
            409, "push-id-taken", "Push id already used", "この送信 ID は別の端末が使用済みです"
        )
    return _replayed_answer(session, earlier)


def record(
    session: Session, caller: Caller, response: PushResponse, conflict_rows: list[Conflict]
) -> None:
    """Log a push's answer; ``conflict_rows``: one per conflict of the answer, in its order."""
    session.flush()  # gives the conflicts their ids, which the logged answer refers to
    session.add(
        PushLog(
            push_id=response.push_id,
            device_id=caller.device_id,
            response=_logged_answer(response, conflict_rows),
        )
    )


# A conflict's values, which may be a whole record or a long text: stored once, in its row.
CONFLICT_VALUES = ("base", "theirs", "mine")


def _logged_answer(response: PushResponse, rows: list[Conflict]) -> dict[str, Any]:
    """The answer as the push log keeps it for a replay, each conflict's values left out.

    The values are in the conflict's row already; the logged answer names it (``conflict_id``)
    instead of holding them a second time, so a push stores each value it was sent once.
    """
    logged = response.model_dump(mode="json")
    entries = [entry for result in logged["results"] for entry in result["conflicts"]]
    for entry, row in zip(entries, rows, strict=True):
        for key in CONFLICT_VALUES:
            del entry[key]
        entry["conflict_id"] = row.id
    return logged


def _replayed_answer(session: Session, log: PushLog) -> PushResponse:
    """The logged answer again, its conflicts' values taken from their rows.

    A push logged before conflicts were kept once holds its values itself (no ``conflict_id``).
    """
    logged = log.response
    rows = {
        row.id: row
        for row in session.scalars(select(Conflict).where(Conflict.push_id == log.push_id))
    }
    results = []
    for result in logged["results"]:
        conflicts = []
        for entry in result["conflicts"]:
            if "conflict_id" in entry:
                row = rows[entry["conflict_id"]]
                entry = {key: value for key, value in entry.items() if key != "conflict_id"}
                entry.update(base=row.base, theirs=row.theirs, mine=row.mine)
            conflicts.append(entry)
        results.append({**result, "conflicts": conflicts})
    return PushResponse.model_validate({**logged, "results": results, "replayed": True})
