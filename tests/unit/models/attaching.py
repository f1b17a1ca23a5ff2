"""Attach a real file to a record for the tests of search, reports and export."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

from dxdesk.models.file_store import file_store_of
from dxdesk.models.tables import AttachmentRow
from dxdesk.services.workspace import Workspace


def attach(ws: Workspace, parent_kind: str, parent_id: str, path: Path) -> str:
    """Attach ``path`` to the record; returns the attachment's id."""
    facade = getattr(ws, "attachments", None)
    if facade is not None:
        [record] = facade.attach(parent_kind, parent_id, [path])
        return str(record["id"])
    # Until the attachments facade is in: the same row and bytes it writes.
    parent = ws.records(parent_kind).get(parent_id)
    stored = file_store_of(ws.store).add_file(path)
    now = datetime.now(UTC)
    attachment_id = str(uuid.uuid4())
    with ws.store.transaction() as session:
        session.add(
            AttachmentRow(
                id=attachment_id,
                parent_kind=parent_kind,
                parent=parent_id,
                municipality=parent.get("municipality"),
                name=path.name,
                media_type="",
                size=stored.size,
                sha256=stored.sha256,
                deleted=False,
                created_at=now,
                updated_at=now,
                updated_by="テスト",
            )
        )
    return attachment_id
