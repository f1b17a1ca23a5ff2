"""人脈 (know-who) counts only held consultations: the attendees of a planned (予定) or
cancelled (中止) one did not attend, so they are credited with none of its themes, and an
interview note under one is no source of who knows what."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dxdesk.services.know_who import know_who
from dxdesk.services.workspace import Workspace, open_workspace

SHIRAHAMA = "304018"


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = open_workspace(tmp_path)
    yield workspace
    workspace.close()


def _visit(ws: Workspace, status: str, theme: str, date: str) -> str:
    payload = {
        "municipality": SHIRAHAMA,
        "date": date,
        "status": status,
        "title": f"{theme}の相談",
        "themes": [theme],
        "municipal_attendees": ["森 誠"],
    }
    return str(ws.engagements.add(payload)["id"])


def test_only_held_consultations_count_as_attended(ws: Workspace) -> None:
    ws.contacts.add({"municipality": SHIRAHAMA, "name": "森 誠", "title": "主査"})
    held = _visit(ws, "held", "業務効率化", "2026-03-10")
    planned = _visit(ws, "planned", "オープンデータ", "2026-05-10")
    cancelled = _visit(ws, "cancelled", "DX人材育成・確保", "2026-04-10")
    for visit, name in ((held, "田中"), (planned, "浜口"), (cancelled, "山本")):
        ws.interviews.add({"engagement": visit, "interviewee": name, "role": "係長"})

    people = {p.name: p for p in know_who(ws.store)}
    assert set(people) == {"森 誠", "田中"}  # no note of a meeting that did not take place
    assert people["森 誠"].themes == ["業務効率化"]
    assert people["田中"].themes == ["業務効率化"]
    assert know_who(ws.store, theme="オープンデータ") == []
    assert know_who(ws.store, theme="DX人材育成・確保") == []

    ws.engagements.update(planned, {"status": "held"})  # once held, it counts
    people = {p.name: p for p in know_who(ws.store)}
    assert set(people) == {"森 誠", "田中", "浜口"}
    assert set(people["森 誠"].themes) == {"業務効率化", "オープンデータ"}
