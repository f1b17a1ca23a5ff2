"""The internal visit document lists the files attached to the visit, its interview notes and
its follow-ups, by name with their size; the edition handed to the municipality names none of
them. Read back with poppler."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete

from dxdesk.models.tables import AttachmentUpload
from dxdesk.reports.visit import load_visit, write_visit_report
from dxdesk.services.workspace import Workspace
from tests.reports.pdf_tools import pdf_text, require_poppler, squash, text_lines
from tests.reports.test_visit_report import MADE_AT, add_visit, mark_all_synced
from tests.unit.file_samples import pdf_file
from tests.unit.models.attaching import attach


@pytest.fixture
def poppler() -> None:
    require_poppler()


def _files(ws: Workspace, visit: str, folder: Path) -> dict[str, str]:
    """Three files on the visit, one on its interview, one on its second follow-up."""
    folder.mkdir()
    plan = pdf_file(folder / "和歌山市 窓口BPR計画案.pdf", ["計画案"])
    photo = folder / "ホワイトボード.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + bytes(2000))
    flow = folder / "業務フロー_転入.xlsx"
    flow.write_bytes(bytes(range(256)) * 6000)  # 1,536,000 bytes
    memo = folder / "ヒアリングメモ.txt"
    memo.write_text("メモ", encoding="utf-8")
    cases = folder / "先行事例.txt"
    cases.write_bytes(b"x" * 500)
    [note] = ws.interviews.list_records(engagement=visit)
    second = ws.follow_ups.list_records(engagement=visit)[1]
    for path in (plan, photo, flow):
        attach(ws, "visit", visit, path)
    attach(ws, "interview", note["id"], memo)
    attach(ws, "followup", second["id"], cases)
    return {
        "plan": plan.name,
        "photo": photo.name,
        "flow": flow.name,
        "memo": memo.name,
        "cases": cases.name,
    }


@pytest.mark.usefixtures("poppler")
def test_the_internal_document_lists_each_file_with_its_size_and_parent(
    workspace: Workspace, tmp_path: Path
) -> None:
    visit = add_visit(workspace)
    names = _files(workspace, visit, tmp_path / "files")
    report = load_visit(workspace, visit)
    assert [(label, a["name"]) for label, a in report.attachments] == [
        ("相談記録", names["plan"]),
        ("相談記録", names["photo"]),
        ("相談記録", names["flow"]),
        ("ヒアリング：田中（情報政策課長）", names["memo"]),
        ("フォローアップ No.2", names["cases"]),
    ]
    pdf = write_visit_report(
        workspace, visit, tmp_path / "内部用.pdf", internal=True, made_at=MADE_AT
    )
    text = squash(pdf_text(pdf))
    assert "添付ファイル" in text
    # Row by row, in order: number, name, size, what it is attached to.
    rows = squash(text[text.index("添付ファイル") :])
    expected = [
        ("1", names["plan"], None, "相談記録"),
        ("2", names["photo"], "2KB", "相談記録"),
        ("3", names["flow"], "1.5MB", "相談記録"),
        ("4", names["memo"], "6バイト", "ヒアリング：田中（情報政策課長）"),
        ("5", names["cases"], "500バイト", "フォローアップNo.2"),
    ]
    at = 0
    for number, name, size, parent in expected:
        for cell in (number, name, size, parent):
            if cell is None:
                continue
            found = rows.find(squash(cell), at)
            assert found >= 0, (cell, rows[at:])
            at = found + len(squash(cell))
    # Names with spaces and underscores print whole, each on its line or lines.
    assert any("窓口BPR計画案.pdf" in line for line in text_lines(pdf))


@pytest.mark.usefixtures("poppler")
def test_the_edition_for_the_municipality_names_no_file(
    workspace: Workspace, tmp_path: Path
) -> None:
    visit = add_visit(workspace)
    names = _files(workspace, visit, tmp_path / "files")
    pdf = write_visit_report(workspace, visit, tmp_path / "配布用.pdf", made_at=MADE_AT)
    text = squash(pdf_text(pdf))
    assert "添付" not in text
    for name in names.values():
        assert squash(name) not in text


@pytest.mark.usefixtures("poppler")
def test_no_file_says_so_and_a_file_not_sent_yet_is_unsynced(
    workspace: Workspace, tmp_path: Path
) -> None:
    visit = add_visit(workspace)
    mark_all_synced(workspace)
    bare = write_visit_report(workspace, visit, tmp_path / "a.pdf", internal=True, made_at=MADE_AT)
    text = squash(pdf_text(bare))
    assert "添付ファイル（記載なし）" in text
    assert "同期済み" in text

    attach(workspace, "visit", visit, pdf_file(tmp_path / "資料.pdf", ["資料"]))
    assert load_visit(workspace, visit).unsynced  # the new attachment has not gone up
    mark_all_synced(workspace)  # its record went up, its bytes not yet
    assert load_visit(workspace, visit).unsynced
    with workspace.store.transaction() as session:
        session.execute(delete(AttachmentUpload))  # the server confirmed the bytes
    assert not load_visit(workspace, visit).unsynced
