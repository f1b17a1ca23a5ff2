"""The demo's files: each of three municipalities' latest visit carries a draft plan (a PDF set
in the bundled font, so its Japanese reads back as Japanese) and a whiteboard photo, and a word
inside the plan finds the visit."""

from __future__ import annotations

from pathlib import Path

from dxdesk.reports.demo_files import DEMO_FILE_MUNICIPALITIES, seed_demo_with_files
from dxdesk.services.search import search
from dxdesk.services.workspace import open_workspace
from tests.reports.pdf_tools import pdf_text


def test_the_demo_attaches_a_plan_and_a_photo_to_recent_visits(tmp_path: Path) -> None:
    ws = open_workspace(tmp_path / "data")
    try:
        counts = seed_demo_with_files(ws)
        assert counts["attachment"] == 2 * len(DEMO_FILE_MUNICIPALITIES)
        for code in DEMO_FILE_MUNICIPALITIES:
            visits = ws.engagements.list_records(municipality=code)
            latest = max(visits, key=lambda visit: visit["date"])
            files = ws.attachments.list_for("visit", latest["id"])
            names = sorted(f["name"] for f in files)
            municipality = ws.municipalities.get(code)["name"]
            assert names == sorted([f"{municipality} DX推進計画（案）.pdf", "ホワイトボード.jpg"])
            plan = next(f for f in files if f["name"].endswith(".pdf"))
            copy = ws.attachments.private_copy(plan["id"])
            assert "書かない窓口の導入" in pdf_text(copy)
        hits = [hit for hit in search(ws.store, "定型業務の自動化") if hit.kind == "attachment"]
        assert {hit.municipality for hit in hits} == set(DEMO_FILE_MUNICIPALITIES)
        assert all(hit.parent_kind == "visit" and hit.parent_id for hit in hits)
    finally:
        ws.close()
