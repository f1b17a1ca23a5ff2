"""The workbook's 連絡先 and ナレッジ sheets (reports/xlsx_export.py): names, labels, the
article's people as readable text, and the same print setup as every other sheet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from dxdesk.reports.xlsx_export import ARTICLES_SHEET, CONTACTS_SHEET, export_xlsx
from dxdesk.services.workspace import Workspace

WAKAYAMA, KAINAN = "302015", "302023"


def _rows(sheet: Worksheet) -> list[dict[str, Any]]:
    headers = [c.value for c in sheet[1]]
    return [dict(zip(headers, row, strict=True)) for row in sheet.iter_rows(2, values_only=True)]


def seed_people(ws: Workspace) -> dict[str, Any]:
    """Two contacts (one deleted after), an article with two people and one untitled draft."""
    mori = ws.contacts.add(
        {
            "municipality": KAINAN,
            "name": "森 誠",
            "kana": "もり まこと",
            "department": "企画課",
            "title": "主査",
            "email": "mori@example.jp",
            "phone": "+81 73-000-0000",
            "notes": "午前中は不在",
        }
    )
    ando = ws.contacts.add({"municipality": KAINAN, "name": "安藤 一", "kana": "あんどう"})
    gone = ws.contacts.add({"municipality": WAKAYAMA, "name": "消える人"})
    ws.contacts.delete(gone["id"])
    article = ws.articles.add(
        {
            "title": "=窓口BPRの進め方",
            "category": "know_who",
            "body": "まず現状の手順を書き出す。",
            "fiscal_year": "R6",
            "municipality": WAKAYAMA,
            "people": [
                {"name": "山本 健一", "organisation": "和歌山市", "role": "課長"},
                {"name": "佐藤", "contact": "内線 1234"},
            ],
            "themes": ["窓口BPR・庁内BPR"],
            "tags": ["手順書", "窓口"],
        }
    )
    draft = ws.articles.add({"body": "書きかけ"})
    return {"mori": mori, "ando": ando, "article": article, "draft": draft}


def test_contacts_sheet_lists_them_by_municipality_and_reading(
    workspace: Workspace, tmp_path: Path
) -> None:
    seeded = seed_people(workspace)
    counts = export_xlsx(workspace, tmp_path / "out.xlsx")
    assert counts[CONTACTS_SHEET] == 2
    rows = _rows(load_workbook(tmp_path / "out.xlsx")[CONTACTS_SHEET])
    assert [r["氏名"] for r in rows] == ["安藤 一", "森 誠"]  # あんどう before もり
    mori = rows[1]
    assert mori == {
        "市町村コード": KAINAN,
        "市町村名": "海南市",
        "氏名": "森 誠",
        "よみ": "もり まこと",
        "所属": "企画課",
        "役職": "主査",
        "メール": "mori@example.jp",
        "電話": "+81 73-000-0000",
        "メモ": "午前中は不在",
        "ID": seeded["mori"]["id"],
    }


def test_articles_sheet_has_its_people_as_readable_text(
    workspace: Workspace, tmp_path: Path
) -> None:
    seeded = seed_people(workspace)
    export_xlsx(workspace, tmp_path / "out.xlsx")
    sheet = load_workbook(tmp_path / "out.xlsx")[ARTICLES_SHEET]
    rows = {r["ID"]: r for r in _rows(sheet)}
    assert set(rows) == {seeded["article"]["id"], seeded["draft"]["id"]}
    article = rows[seeded["article"]["id"]]
    assert (article["題名"], article["区分"], article["年度"]) == (
        "=窓口BPRの進め方",
        "ノウフー",
        "R6 (2024)",
    )
    assert (article["市町村コード"], article["市町村名"]) == (WAKAYAMA, "和歌山市")
    assert article["詳しい人"] == "山本 健一（和歌山市・課長）\n佐藤　内線 1234"
    assert (article["テーマ"], article["タグ"]) == ("窓口BPR・庁内BPR", "手順書、窓口")
    assert article["本文"] == "まず現状の手順を書き出す。"
    title_cell = sheet.cell(row=2 + list(rows).index(seeded["article"]["id"]), column=1)
    assert title_cell.data_type == "s"  # the formula-looking title stays text
    draft = rows[seeded["draft"]["id"]]
    assert (draft["題名"], draft["年度"], draft["市町村名"], draft["詳しい人"]) == (
        None,
        None,
        None,
        None,
    )
    assert draft["本文"] == "書きかけ"
    people = sheet.cell(row=2 + list(rows).index(seeded["article"]["id"]), column=6)
    assert people.alignment.wrap_text  # one person a line


def test_new_sheets_print_as_the_others(workspace: Workspace, tmp_path: Path) -> None:
    seed_people(workspace)
    export_xlsx(workspace, tmp_path / "out.xlsx")
    wb = load_workbook(tmp_path / "out.xlsx")
    for name in (CONTACTS_SHEET, ARTICLES_SHEET):
        sheet = wb[name]
        setup = sheet.page_setup
        assert (setup.orientation, str(setup.paperSize)) == ("landscape", sheet.PAPERSIZE_A4)
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == "$1:$1"
        assert sheet.freeze_panes == "A2"
