"""What each imported spreadsheet row said (models/tables.ImportMark), read and kept inside the
import's own session and transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from dxdesk.models.base import utc_now
from dxdesk.models.tables import ImportMark


def marks_of_kind(session: Session, kind: str) -> dict[str, tuple[str, dict[str, Any]]]:
    """Record id -> (source, the JSON values its row held) when it was last imported here, for
    every record of ``kind`` an import wrote on this laptop (one query, oldest first)."""
    rows = session.scalars(
        select(ImportMark).where(ImportMark.kind == kind).order_by(ImportMark.imported_at)
    )
    return {row.record_id: (row.source, dict(row.sheet_values)) for row in rows}


def keep_marks(
    session: Session, source: str, marks: Sequence[tuple[str, str, dict[str, Any]]]
) -> None:
    """Remember what each (kind, record id)'s row of ``source`` holds now (JSON values),
    replacing older marks: one statement for the whole import (the laptop's store is SQLite)."""
    if not marks:
        return
    now = utc_now()
    rows = [
        {
            "record_id": record_id,
            "kind": kind,
            "source": source,
            "sheet_values": values,
            "imported_at": now,
        }
        for kind, record_id, values in marks
    ]
    statement = insert(ImportMark)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[ImportMark.record_id],
            set_={
                "kind": statement.excluded.kind,
                "source": statement.excluded.source,
                "sheet_values": statement.excluded.sheet_values,
                "imported_at": statement.excluded.imported_at,
            },
        ),
        rows,
    )
