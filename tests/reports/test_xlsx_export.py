from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from dxdesk.cli import main as cli
from dxdesk.domain.catalog import load_catalog
from dxdesk.domain.support_levels import format_level
from dxdesk.models.store import StoreError
from dxdesk.reports.xlsx_calendar import CADENCES_SHEET, EVENTS_SHEET, PLANS_SHEET
from dxdesk.reports.xlsx_export import (
    ARTICLES_SHEET,
    ASSESSMENTS_SHEET,
    ATTACHMENTS_SHEET,
    CELL_TEXT_LIMIT,
    CONTACTS_SHEET,
    ENGAGEMENTS_SHEET,
    FOLLOW_UPS_SHEET,
    INTERVIEWS_SHEET,
    MAX_WIDTH,
    export_xlsx,
)
from dxdesk.services.workspace import Workspace, open_workspace

WAKAYAMA, KAINAN, HASHIMOTO = "302015", "302023", "302031"
SHEETS = [ENGAGEMENTS_SHEET, INTERVIEWS_SHEET, FOLLOW_UPS_SHEET, CONTACTS_SHEET]
SHEETS += [ASSESSMENTS_SHEET, ARTICLES_SHEET]  # (their rows: test_xlsx_export_people.py)
SHEETS += [EVENTS_SHEET, CADENCES_SHEET, PLANS_SHEET]  # (their rows: test_xlsx_calendar.py)
SHEETS += [ATTACHMENTS_SHEET]  # (its rows: tests/unit/test_export_attachments.py)
LONG_SUMMARY = "書かない窓口の検討を始める。" * 8


def _seed(ws: Workspace) -> dict[str, Any]:
    visit = ws.engagements.add(
        {
            "municipality": WAKAYAMA,
            "date": "2025-06-12",
            "type": "visit",
            "mode": "対面",
            "title": "窓口BPRの相談",
            "municipal_attendees": ["山本 健一", "中村 花子"],
            "themes": ["窓口BPR・庁内BPR", "DX人材育成・確保"],
            "summary": LONG_SUMMARY,
            "notes": "第1段落\n\n第2段落",
        }
    )
    chat = ws.engagements.add(
        {"municipality": KAINAN, "date": "2025-07-01", "type": "chat", "mode": "online"}
    )
    gone = ws.engagements.add({"municipality": HASHIMOTO, "date": "2025-05-01", "title": "消す"})
    ws.interviews.add({"engagement": visit["id"], "interviewee": "山本 健一", "role": "課長"})
    ws.interviews.add({"engagement": gone["id"], "interviewee": "消える相手"})
    follow_up = ws.follow_ups.add(
        {
            "engagement": visit["id"],
            "description": "手順書を送る",
            "due": "2025-06-30",
            "status": "in_progress",
        }
    )
    ws.follow_ups.add({"municipality": KAINAN, "description": "研修日程", "status": "done"})
    dropped = ws.follow_ups.add({"municipality": KAINAN, "description": "消すフォロー"})
    assessment = ws.assessments.add(
        {
            "municipality": HASHIMOTO,
            "fiscal_year": "R6",
            "method": "survey",
            "assessed_on": "2024-09-10",
            "assessor": "田中",
            "scores": {"0-1": 3, "3-4": 2, "D8": 3},
            "level": 3,
            "level_reason": "面談で確認した",
        }
    )
    removed = ws.assessments.add({"municipality": KAINAN, "fiscal_year": "R5", "assessor": "消"})
    ws.engagements.delete(gone["id"])  # takes its interview along
    ws.follow_ups.delete(dropped["id"])
    ws.assessments.delete(removed["id"])
    return {"visit": visit, "chat": chat, "follow_up": follow_up, "assessment": assessment}


@pytest.fixture
def seeded(workspace: Workspace) -> dict[str, Any]:
    return _seed(workspace)


def _export(ws: Workspace, path: Path) -> tuple[dict[str, int], Any]:
    counts = export_xlsx(ws, path)
    return counts, load_workbook(path)


def _headers(sheet: Worksheet) -> list[str]:
    return [c.value for c in sheet[1]]


def _rows(sheet: Worksheet) -> list[dict[str, Any]]:
    headers = _headers(sheet)
    return [dict(zip(headers, row, strict=True)) for row in sheet.iter_rows(2, values_only=True)]


def test_sheets_headers_and_counts(
    workspace: Workspace, seeded: dict[str, Any], tmp_path: Path
) -> None:
    counts, wb = _export(workspace, tmp_path / "out.xlsx")
    assert wb.sheetnames == SHEETS
    assert counts == {ENGAGEMENTS_SHEET: 2, INTERVIEWS_SHEET: 1, FOLLOW_UPS_SHEET: 2} | {
        ASSESSMENTS_SHEET: 1,
        ATTACHMENTS_SHEET: 0,
    } | dict.fromkeys(
        [CONTACTS_SHEET, ARTICLES_SHEET, EVENTS_SHEET, CADENCES_SHEET, PLANS_SHEET], 0
    )
    assert {name: wb[name].max_row - 1 for name in SHEETS} == counts
    engagement_headers = ["日付", "市町村コード", "市町村名", "種別", "形式", "件名"]
    assert _headers(wb[ENGAGEMENTS_SHEET])[:6] == engagement_headers
    interview_headers = ["相談日", "市町村コード", "市町村名", "相談件名", "相手"]
    assert _headers(wb[INTERVIEWS_SHEET])[:5] == interview_headers
    assert "期限" in _headers(wb[FOLLOW_UPS_SHEET])
    assert "状態" in _headers(wb[FOLLOW_UPS_SHEET])
    headers = _headers(wb[ASSESSMENTS_SHEET])
    items = [f"{item.code} {item.short}" for item in load_catalog().items]
    assert len(items) == 26
    assert headers[7 : 7 + 26] == items
    for name in ("合計", "得点率", "提案分類", "支援分類（確定）", "判断理由"):
        assert name in headers[7 + 26 :]


def test_rows_carry_names_labels_and_dates(
    workspace: Workspace, seeded: dict[str, Any], tmp_path: Path
) -> None:
    _, wb = _export(workspace, tmp_path / "out.xlsx")
    engagements = _rows(wb[ENGAGEMENTS_SHEET])
    visit = next(r for r in engagements if r["ID"] == seeded["visit"]["id"])
    assert (visit["市町村コード"], visit["市町村名"]) == (WAKAYAMA, "和歌山市")
    assert (visit["種別"], visit["形式"]) == ("訪問", "対面")
    assert visit["テーマ"] == "窓口BPR・庁内BPR、DX人材育成・確保"
    assert visit["出席者（市町村）"] == "山本 健一、中村 花子"
    chat = next(r for r in engagements if r["ID"] == seeded["chat"]["id"])
    assert (chat["種別"], chat["形式"], chat["市町村名"]) == (
        "チャット相談",
        "オンライン",
        "海南市",
    )

    sheet = wb[ENGAGEMENTS_SHEET]
    date_cell = sheet.cell(row=1 + 1 + engagements.index(visit), column=1)
    assert date_cell.is_date
    assert date_cell.value.date() == date(2025, 6, 12)
    assert date_cell.number_format == "yyyy-mm-dd"

    (note,) = _rows(wb[INTERVIEWS_SHEET])
    assert (note["市町村名"], note["相談件名"], note["相手"]) == (
        "和歌山市",
        "窓口BPRの相談",
        "山本 健一",
    )
    assert note["相談日"].date() == date(2025, 6, 12)

    follow_ups = {r["内容"]: r for r in _rows(wb[FOLLOW_UPS_SHEET])}
    sent = follow_ups["手順書を送る"]
    assert (sent["状態"], sent["市町村名"], sent["相談件名"]) == (
        "対応中",
        "和歌山市",
        "窓口BPRの相談",
    )
    assert sent["期限"].date() == date(2025, 6, 30)
    done = follow_ups["研修日程"]
    assert (done["状態"], done["期限"], done["相談日"]) == ("完了", None, None)
    statuses = {r["状態"] for r in follow_ups.values()}
    assert not statuses & {"open", "in_progress", "done", "dropped"}


def test_assessment_scores_sit_in_their_item_columns(
    workspace: Workspace, seeded: dict[str, Any], tmp_path: Path
) -> None:
    _, wb = _export(workspace, tmp_path / "out.xlsx")
    sheet = wb[ASSESSMENTS_SHEET]
    headers = _headers(sheet)
    column = {h.split(" ", 1)[0]: i + 1 for i, h in enumerate(headers) if h}
    scores = {code: sheet.cell(row=2, column=column[code]).value for code in load_catalog().codes}
    assert scores == dict.fromkeys(load_catalog().codes) | {"0-1": 3, "3-4": 2, "D8": 3}
    (row,) = _rows(sheet)
    expected = seeded["assessment"]
    assert (row["年度"], row["市町村名"], row["方法"]) == ("R6 (2024)", "橋本市", "調査票")
    assert row["実施日"].date() == date(2024, 9, 10)
    assert (row["合計"], row["満点"]) == (8, 78)
    assert row["得点率"] == pytest.approx(8 / 78, abs=1e-12)  # exact, not the stored 4 places
    assert row["得点率"] == pytest.approx(expected["ratio"], abs=1e-4)
    assert sheet.cell(row=2, column=headers.index("得点率") + 1).number_format == "0%"
    assert row["提案分類"] == format_level(expected["suggested_level"])
    assert row["支援分類（確定）"] == "3 協働"
    assert row["判断理由"] == "面談で確認した"


def test_layout_frozen_header_filter_widths_and_wrapping(
    workspace: Workspace, seeded: dict[str, Any], tmp_path: Path
) -> None:
    _, wb = _export(workspace, tmp_path / "out.xlsx")
    for name in SHEETS:
        sheet = wb[name]
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}" + str(
            sheet.max_row
        )
        assert sheet.cell(1, 1).font.bold
        widths = [sheet.column_dimensions[c[0].column_letter].width for c in sheet.iter_cols()]
        assert all(0 < w <= MAX_WIDTH for w in widths)
    sheet = wb[ENGAGEMENTS_SHEET]
    headers = _headers(sheet)
    ids = [r["ID"] for r in _rows(sheet)]
    row = 2 + ids.index(seeded["visit"]["id"])
    summary = sheet.cell(row=row, column=headers.index("概要") + 1)
    notes = sheet.cell(row=row, column=headers.index("メモ") + 1)
    title = sheet.cell(row=row, column=headers.index("件名") + 1)
    assert (summary.value, notes.value) == (LONG_SUMMARY, "第1段落\n\n第2段落")
    assert summary.alignment.wrap_text and notes.alignment.wrap_text
    assert not title.alignment.wrap_text
    assert sheet.column_dimensions[summary.column_letter].width == MAX_WIDTH
    assert sheet.column_dimensions["A"].width >= len("yyyy-mm-dd")


def test_every_sheet_prints_landscape_on_a4_fitted_to_width_with_its_header_repeated(
    workspace: Workspace, seeded: dict[str, Any], tmp_path: Path
) -> None:
    _, wb = _export(workspace, tmp_path / "out.xlsx")
    for name in SHEETS:
        sheet = wb[name]
        setup = sheet.page_setup
        assert (setup.orientation, str(setup.paperSize)) == ("landscape", sheet.PAPERSIZE_A4), name
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, name
        # As many pages down as it takes, one page across: no column split from its row; but
        # the 26 assessment items print on two, 年度 and the municipality on each.
        across = 2 if name == ASSESSMENTS_SHEET else 1
        assert (setup.fitToWidth, setup.fitToHeight) == (across, 0), name
        assert sheet.print_title_rows == "$1:$1", name
        assert sheet.print_title_cols == ("$A:$C" if across > 1 else None), name
        assert sheet.print_options.gridLines, name
        # The IDs (and a file's SHA-256) are in the sheet but not on paper.
        headers = _headers(sheet)
        printed = next(i for i, h in enumerate(headers) if h.endswith("ID") or h == "SHA-256")
        assert headers[-1] == "ID"
        last = sheet.cell(1, printed).column_letter
        assert sheet.print_area == f"'{name}'!$A$1:${last}${sheet.max_row}", name


def test_deleted_records_are_not_exported(
    workspace: Workspace, seeded: dict[str, Any], tmp_path: Path
) -> None:
    _, wb = _export(workspace, tmp_path / "out.xlsx")
    text = "\n".join(
        str(value)
        for name in SHEETS
        for row in wb[name].iter_rows(values_only=True)
        for value in row
    )
    for word in ("消す", "消える相手", "消すフォロー", "R5 (2023)"):
        assert word not in text
    assert {r["市町村名"] for r in _rows(wb[ENGAGEMENTS_SHEET])} == {"和歌山市", "海南市"}


def test_an_empty_workspace_gives_headers_only(workspace: Workspace, tmp_path: Path) -> None:
    counts, wb = _export(workspace, tmp_path / "empty.xlsx")
    assert counts == dict.fromkeys(SHEETS, 0)
    for name in SHEETS:
        sheet = wb[name]
        assert sheet.max_row == 1
        assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}1"


def test_text_stays_text_even_when_it_looks_like_a_formula(
    workspace: Workspace, tmp_path: Path
) -> None:
    workspace.engagements.add(
        {
            "municipality": WAKAYAMA,
            "date": "2025-04-01",
            "title": '=HYPERLINK("http://example.com")',
            "summary": "改ページ\x0cあり",
            "notes": "長" * (CELL_TEXT_LIMIT + 10),
        }
    )
    _, wb = _export(workspace, tmp_path / "out.xlsx")
    (row,) = _rows(wb[ENGAGEMENTS_SHEET])
    assert row["件名"] == '=HYPERLINK("http://example.com")'
    assert wb[ENGAGEMENTS_SHEET].cell(row=2, column=6).data_type == "s"
    assert row["概要"] == "改ページあり"
    assert len(row["メモ"]) == CELL_TEXT_LIMIT
    assert row["メモ"].endswith("以下省略）")


def test_the_file_is_replaced_whole_and_no_temp_file_is_left(
    workspace: Workspace, seeded: dict[str, Any], tmp_path: Path
) -> None:
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"old")
    export_xlsx(workspace, target)
    assert load_workbook(target).sheetnames == SHEETS
    assert [p.name for p in tmp_path.iterdir() if p.name != "data"] == ["out.xlsx"]


@pytest.mark.parametrize("where", ["missing/out.xlsx", "."])
def test_an_unwritable_path_is_a_store_error(
    workspace: Workspace, tmp_path: Path, where: str
) -> None:
    target = tmp_path / where
    with pytest.raises(StoreError, match="書き込めません"):
        export_xlsx(workspace, target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


# -- the command line ------------------------------------------------------------------------


@pytest.fixture
def run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """``dxdesk.cli.main.main`` on a data folder of this test's own."""

    def call(*args: str) -> tuple[int, str, str]:
        try:
            status = cli.main(["--data-dir", str(tmp_path / "data"), *args])
        except SystemExit as exc:  # argparse's own exits
            status = int(exc.code or 0)
        out, err = capsys.readouterr()
        return status, out, err

    return call


def test_cli_export_round_trip(run: Callable[..., tuple[int, str, str]], tmp_path: Path) -> None:
    ws = open_workspace(tmp_path / "data")
    try:
        _seed(ws)
    finally:
        ws.close()
    target = tmp_path / "書き出し.xlsx"
    status, out, err = run("export", "xlsx", "-o", str(target))
    assert status == 0, err
    assert out.count("\n") == 1
    assert str(target) in out
    assert (
        "相談記録 2 件、ヒアリング 1 件、フォローアップ 2 件、連絡先 0 件、アセスメント 1 件" in out
    )
    assert load_workbook(target).sheetnames == SHEETS


def test_cli_export_to_an_unwritable_path_exits_2_in_one_line(
    run: Callable[..., tuple[int, str, str]], tmp_path: Path
) -> None:
    status, out, err = run("export", "xlsx", "--output", str(tmp_path / "nowhere" / "x.xlsx"))
    assert (status, out) == (2, "")
    assert err.count("\n") == 1
    assert "書き込めません" in err


@pytest.mark.parametrize("args", [["export"], ["export", "xlsx"], ["export", "csv", "-o", "x"]])
def test_cli_export_usage_errors_exit_2(
    run: Callable[..., tuple[int, str, str]], args: list[str]
) -> None:
    status, _, err = run(*args)
    assert status == 2
    assert err.count("\n") == 1
