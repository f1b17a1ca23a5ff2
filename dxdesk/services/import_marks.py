"""What each imported spreadsheet row said (models/tables.ImportMark), read and kept inside the
import's own session and transaction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from dxdesk.models.base import utc_now
from dxdesk.models.tables import ImportMark


def mark_of(session: Session, record_id: str) -> dict[str, Any] | None:
    """The JSON values the record's row held when it was last imported here, if it was."""
    mark = session.get(ImportMark, record_id)
    return None if mark is None else dict(mark.sheet_values)


def keep_mark(session: Session, kind: str, record_id: str, values: Mapping[str, Any]) -> None:
    """Remember what the record's row holds now (JSON values), replacing an older mark."""
    mark = session.get(ImportMark, record_id)
    if mark is None:
        session.add(ImportMark(record_id=record_id, kind=kind, sheet_values=dict(values)))
    else:
        mark.kind, mark.sheet_values, mark.imported_at = kind, dict(values), utc_now()
