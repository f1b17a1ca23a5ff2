"""Attach a real file to a record for the tests of search, reports and export."""

from __future__ import annotations

from pathlib import Path

from dxdesk.services.workspace import Workspace


def attach(ws: Workspace, parent_kind: str, parent_id: str, path: Path) -> str:
    """Attach ``path`` to the record as the window and ``dxdesk attach`` do; returns its id."""
    [record] = ws.attachments.attach(parent_kind, parent_id, [path])
    return str(record["id"])
