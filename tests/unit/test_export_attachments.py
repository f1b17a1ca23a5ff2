"""``dxdesk export xlsx`` lists the attached files in a sheet of their own, 「添付ファイル」: name,
size, what each is attached to, municipality (県全体 for an article's), who added it and when,
its SHA-256; deleted ones are not listed, and the bytes are not in the workbook."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from dxdesk.cli import main as cli
from dxdesk.reports.xlsx_export import ATTACHMENTS_SHEET
from dxdesk.services.workspace import Workspace, open_workspace
from tests.unit.file_samples import pdf_file
from tests.unit.models.attaching import attach

WAKAYAMA = "302015"
HEADERS = [
    "ファイル名",
    "サイズ（バイト）",
    "種類",
    "添付先の種類",
    "添付先の件名",
    "市町村コード",
    "市町村名",
    "追加した人",
    "追加日時",
    "SHA-256",
    "添付先ID",
    "ID",
]


def _seed(ws: Workspace, folder: Path) -> dict[str, Any]:
    folder.mkdir()
    visit = ws.engagements.add(
        {"municipality": WAKAYAMA, "date": "2025-06-12", "title": "窓口BPRの相談"}
    )
    followup = ws.follow_ups.add(
        {"engagement": visit["id"], "description": "手続き一覧の様式を送る"}
    )
    article = ws.articles.add({"title": "書かない窓口の進め方", "category": "know_how"})
    plan = pdf_file(folder / "和歌山市 計画案.pdf", ["計画案"])
    sheet = folder / "手続き一覧.csv"
    sheet.write_text("手続き,件数\n転入届,120\n", encoding="utf-8")
    slides = folder / "研修資料.pdf"
    slides.write_bytes(plan.read_bytes())  # the same bytes under another name
    gone = folder / "消す.txt"
    gone.write_text("消す", encoding="utf-8")
    ids = {
        "plan": attach(ws, "visit", visit["id"], plan),
        "sheet": attach(ws, "followup", followup["id"], sheet),
        "slides": attach(ws, "article", article["id"], slides),
    }
    ws.attachments.delete(attach(ws, "visit", visit["id"], gone))
    return {
        "ids": ids,
        "visit": visit["id"],
        "followup": followup["id"],
        "article": article["id"],
        "sha": {
            "plan": hashlib.sha256(plan.read_bytes()).hexdigest(),
            "sheet": hashlib.sha256(sheet.read_bytes()).hexdigest(),
        },
        "sizes": {"plan": plan.stat().st_size, "sheet": sheet.stat().st_size},
    }


def test_the_export_lists_every_live_attachment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = open_workspace(tmp_path / "data")
    try:
        seeded = _seed(ws, tmp_path / "files")
        author = ws.attachments.get(seeded["ids"]["plan"])["updated_by"]
    finally:
        ws.close()
    target = tmp_path / "書き出し.xlsx"
    before = datetime.now().replace(second=0, microsecond=0)
    assert (
        cli.main(["--data-dir", str(tmp_path / "data"), "export", "xlsx", "-o", str(target)]) == 0
    )
    assert "添付ファイル 3 件" in capsys.readouterr().out

    book = load_workbook(target)
    sheet = book[ATTACHMENTS_SHEET]
    assert [c.value for c in sheet[1]] == HEADERS
    rows = [dict(zip(HEADERS, r, strict=True)) for r in sheet.iter_rows(2, values_only=True)]
    by_name = {row["ファイル名"]: row for row in rows}
    assert sorted(by_name) == ["和歌山市 計画案.pdf", "手続き一覧.csv", "研修資料.pdf"]

    plan = by_name["和歌山市 計画案.pdf"]
    assert plan["サイズ（バイト）"] == seeded["sizes"]["plan"]
    assert plan["種類"] == "application/pdf"
    assert (plan["添付先の種類"], plan["添付先の件名"]) == ("相談記録", "窓口BPRの相談")
    assert (plan["市町村コード"], plan["市町村名"]) == (WAKAYAMA, "和歌山市")
    assert plan["追加した人"] == author
    assert isinstance(plan["追加日時"], datetime)  # an Excel date and time, local
    assert before - timedelta(minutes=1) <= plan["追加日時"] <= datetime.now()
    assert plan["SHA-256"] == seeded["sha"]["plan"]
    assert (plan["添付先ID"], plan["ID"]) == (seeded["visit"], seeded["ids"]["plan"])

    listed = by_name["手続き一覧.csv"]
    assert (listed["添付先の種類"], listed["添付先の件名"]) == (
        "フォローアップ",
        "手続き一覧の様式を送る",
    )
    assert listed["SHA-256"] == seeded["sha"]["sheet"]
    assert listed["サイズ（バイト）"] == seeded["sizes"]["sheet"]

    shared = by_name["研修資料.pdf"]  # an article's file: every advisor has it
    assert (shared["添付先の種類"], shared["添付先の件名"]) == ("ナレッジ", "書かない窓口の進め方")
    assert (shared["市町村コード"], shared["市町村名"]) == (None, "県全体")
    assert shared["SHA-256"] == seeded["sha"]["plan"]  # the same bytes, listed under each name

    assert sheet.cell(2, 2).number_format == "#,##0"
    assert sheet.cell(2, 9).number_format == "yyyy-mm-dd hh:mm"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:L4"
