"""Which municipalities this device's account may write: the assignment the server last gave.

It is the municipality table's ``assigned`` flag. A new data folder has every municipality
assigned (the app works before, or without, any login); login and every pull set the flags to
the account's scope (a coordinator's is every municipality). A record of a municipality outside
it would only be refused at the next sync and surface days later as a conflict, so the facades
refuse it when it is made, naming the account's municipalities.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from dxdesk.models.tables import MunicipalityRow


def set_assignment(session: Session, codes: Iterable[str]) -> None:
    """Make exactly ``codes`` the assigned municipalities (the server's scope)."""
    session.execute(update(MunicipalityRow).values(assigned=MunicipalityRow.code.in_(list(codes))))


def not_assigned_message(session: Session, code: str) -> str | None:
    """Why a record of ``code`` may not be written here, or None when it may."""
    row = session.get(MunicipalityRow, code)
    if row is None or row.assigned:
        return None  # an unknown code is the roster check's to report
    assigned = session.scalars(
        select(MunicipalityRow)
        .where(MunicipalityRow.assigned.is_(True))
        .order_by(MunicipalityRow.code)
    )
    listed = "、".join(f"{m.name} ({m.code})" for m in assigned) or "なし"
    return f"{row.name} ({row.code}) は担当ではありません。担当: {listed}"
