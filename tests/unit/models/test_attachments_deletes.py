"""Deleting attachments: undone as records are, and going with their parent (a visit takes its
notes' and follow-ups' files too), undo bringing them all back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from dxdesk.models.tables import AttachmentRow
from dxdesk.services.workspace import Workspace


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.fixture
def visit(workspace: Workspace, visit_payload: dict[str, object]) -> dict[str, Any]:
    return workspace.engagements.add(visit_payload)


def test_delete_and_undo_like_a_record(
    workspace: Workspace, visit: dict[str, Any], tmp_path: Path
) -> None:
    (made,) = workspace.attachments.attach("visit", visit["id"], [write(tmp_path / "a.pdf", b"x")])
    removed = workspace.attachments.delete(made["id"])
    assert removed == [("attachment", made["id"])]
    assert workspace.attachments.list_for("visit", visit["id"]) == []
    assert workspace.files.has(made["sha256"])  # the bytes stay while a delete can be undone
    workspace.attachments.restore(removed)
    assert [r["id"] for r in workspace.attachments.list_for("visit", visit["id"])] == [made["id"]]


def test_a_deleted_visit_takes_its_files_and_its_notes_and_follow_ups_files_and_undo_brings_them(
    workspace: Workspace, visit: dict[str, Any], tmp_path: Path
) -> None:
    note = workspace.interviews.add({"engagement": visit["id"], "interviewee": "山本"})
    item = workspace.follow_ups.add({"engagement": visit["id"], "description": "確認"})
    other = workspace.engagements.add({"municipality": "302015", "date": "2025-06-13"})
    source = write(tmp_path / "a.pdf", b"x")
    for kind, record_id in (
        ("visit", visit["id"]),
        ("interview", note["id"]),
        ("followup", item["id"]),
        ("visit", other["id"]),
    ):
        workspace.attachments.attach(kind, record_id, [source])
    removed = workspace.engagements.delete(visit["id"])
    assert sorted(kind for kind, _id in removed) == [
        "attachment",
        "attachment",
        "attachment",
        "followup",
        "interview",
        "visit",
    ]
    with workspace.store.session() as session:
        live = session.scalars(select(AttachmentRow).where(AttachmentRow.deleted.is_(False)))
        assert [row.parent for row in live] == [other["id"]]
    workspace.engagements.restore(removed)
    for kind, record_id in (
        ("visit", visit["id"]),
        ("interview", note["id"]),
        ("followup", item["id"]),
    ):
        assert len(workspace.attachments.list_for(kind, record_id)) == 1


@pytest.mark.parametrize("kind", ["interview", "followup", "article", "event"])
def test_each_parent_takes_its_files_when_deleted(
    workspace: Workspace, visit: dict[str, Any], tmp_path: Path, kind: str
) -> None:
    payloads: dict[str, dict[str, object]] = {
        "interview": {"engagement": visit["id"], "interviewee": "山本"},
        "followup": {"engagement": visit["id"], "description": "確認"},
        "article": {"title": "窓口BPR"},
        "event": {"date": "2025-07-01", "title": "合同研修"},
    }
    facade = workspace.records(kind)
    parent = facade.add(payloads[kind])
    workspace.attachments.attach(kind, parent["id"], [write(tmp_path / "a.pdf", b"x")])
    removed = facade.delete(parent["id"])
    assert [k for k, _id in removed] == [kind, "attachment"]
    assert workspace.attachments.list_for(kind, parent["id"]) == []
    facade.restore(removed)
    assert len(workspace.attachments.list_for(kind, parent["id"])) == 1
