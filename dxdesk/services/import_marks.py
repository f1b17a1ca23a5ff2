"""What each imported spreadsheet row said (models/tables.ImportMark), read and kept inside the
import's own session and transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from dxdesk.models.base import utc_now
from dxdesk.models.tables import ImportMark


def mark_of(session: Session, record_id: str) -> dict[str, Any] | None:
    """The JSON values the record's row held when it was last imported here, if it was."""
    mark = session.get(ImportMark, record_id)
    return None if mark is None else dict(mark.sheet_values)


def keep_marks(session: Session, marks: Sequence[tuple[str, str, dict[str, Any]]]) -> None:
    """Remember what each (kind, record id)'s row holds now (JSON values), replacing older
    marks: one statement for the whole import (the laptop's store is always SQLite)."""
    if not marks:
        return
    now = utc_now()
    rows = [
        {"record_id": record_id, "kind": kind, "sheet_values": values, "imported_at": now}
        for kind, record_id, values in marks
    ]
    statement = insert(ImportMark)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[ImportMark.record_id],
            set_={
                "kind": statement.excluded.kind,
                "sheet_values": statement.excluded.sheet_values,
                "imported_at": statement.excluded.imported_at,
            },
        ),
        rows,
    )
