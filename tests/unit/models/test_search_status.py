"""A search hit on a consultation that is planned (予定) or was cancelled (中止), or on a file
attached to one, says so (``status``); a held one, and every other kind of hit, says nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dxdesk.services.search import search
from dxdesk.services.workspace import Workspace, open_workspace
from tests.unit.models.attaching import attach

SHIRAHAMA = "304018"
WORD = "書かない窓口"


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = open_workspace(tmp_path / "data")
    yield workspace
    workspace.close()


def _visit(ws: Workspace, status: str) -> str:
    payload = {
        "municipality": SHIRAHAMA,
        "date": "2026-05-12",
        "status": status,
        "title": f"{WORD}の相談（{status}）",
    }
    return str(ws.engagements.add(payload)["id"])


def test_hits_on_consultations_not_held_name_their_status(ws: Workspace, tmp_path: Path) -> None:
    held, planned, cancelled = (_visit(ws, s) for s in ("held", "planned", "cancelled"))
    ws.follow_ups.add({"engagement": planned, "description": f"{WORD}の資料を送る"})
    memo = tmp_path / f"{WORD}_説明メモ.txt"
    memo.write_text("説明の段取り", encoding="utf-8")
    on_planned = attach(ws, "visit", planned, memo)

    found = {hit.id: hit for hit in search(ws.store, WORD)}
    assert found[held].status is None
    assert found[planned].status == "planned"
    assert found[cancelled].status == "cancelled"
    assert found[on_planned].status == "planned"  # the file of a planned consultation
    follow_up = next(hit for hit in found.values() if hit.kind == "followup")
    assert follow_up.status is None  # only consultations (and their files) carry one
    assert found[planned].as_json()["status"] == "planned"
    assert "status" not in found[held].as_json()

    ws.engagements.update(planned, {"status": "held"})  # held now: the hits say nothing
    found = {hit.id: hit for hit in search(ws.store, WORD)}
    assert found[planned].status is None and found[on_planned].status is None
