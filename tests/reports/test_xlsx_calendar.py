"""The workbook's calendar: a consultation's status, times, place and scheme; the 合同の場,
定例の間隔 and 年度計画 sheets; read back with openpyxl."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from dxdesk.reports.xlsx_calendar import CADENCES_SHEET, EVENTS_SHEET, PLANS_SHEET
from dxdesk.reports.xlsx_export import ENGAGEMENTS_SHEET, FOLLOW_UPS_SHEET, export_xlsx
from dxdesk.services.workspace import Workspace

WAKAYAMA, KAINAN, HASHIMOTO = "302015", "302023", "302031"


def _rows(sheet: Worksheet) -> list[dict[str, Any]]:
    headers = [str(cell.value) for cell in sheet[1]]
    return [dict(zip(headers, row, strict=True)) for row in sheet.iter_rows(2, values_only=True)]


def test_calendar_fields_and_kinds(workspace: Workspace, tmp_path: Path) -> None:
    workspace.engagements.add(
        {
            "municipality": WAKAYAMA,
            "date": "2025-12-08",
            "type": "national_scheme",
            "scheme": "management_finance",
            "status": "planned",
            "start_time": "10:00",
            "end_time": "11:30",
            "place": "和歌山市役所 会議室",
        }
    )
    event = workspace.events.add(
        {
            "date": "2025-07-15",
            "type": "regional_consultation",
            "title": "地域別よろず相談（海草・第1回）",
            "status": "held",
            "start_time": "14:00",
            "end_time": "16:00",
            "region": "海草",
            "place": "海草振興局 会議室",
            "attendance": {WAKAYAMA: 3, KAINAN: 2},
        }
    )
    workspace.follow_ups.add(
        {"municipality": KAINAN, "event": event["id"], "description": "事例を送る"}
    )
    workspace.cadences.add({"municipality": HASHIMOTO, "months": 1, "note": "R6"})
    newer = workspace.cadences.add({"municipality": HASHIMOTO, "months": 2, "note": "R7から"})
    workspace.programme_plans.add(
        {"fiscal_year": "R7", "targets": {"scheme.management_finance": 5, "top_seminar": 1}}
    )
    path = tmp_path / "記録.xlsx"
    counts = export_xlsx(workspace, path)
    assert (counts[EVENTS_SHEET], counts[CADENCES_SHEET], counts[PLANS_SHEET]) == (1, 2, 1)
    book = load_workbook(path)

    (consultation,) = _rows(book[ENGAGEMENTS_SHEET])
    assert (consultation["種別"], consultation["国の制度"]) == (
        "国のアドバイザー制度",
        "経営・財務マネジメント強化事業",
    )
    assert (consultation["状態"], consultation["開始"], consultation["終了"]) == (
        "予定",
        "10:00",
        "11:30",
    )
    assert consultation["場所"] == "和歌山市役所 会議室"

    (session,) = _rows(book[EVENTS_SHEET])
    assert session["日付"].date() == date(2025, 7, 15)
    assert (session["種別"], session["状態"], session["開始"], session["終了"]) == (
        "地域別よろず相談",
        "実施",
        "14:00",
        "16:00",
    )
    assert (session["場所"], session["振興局"], session["形式"]) == (
        "海草振興局 会議室",
        "海草",
        "対面",
    )
    assert session["参加市町村"] == "和歌山市、海南市"  # attendance made them participants
    assert session["参加人数"] == "和歌山市 3名、海南市 2名"
    assert (session["参加市町村数"], session["参加人数（計）"]) == (2, 5)

    (follow_up,) = _rows(book[FOLLOW_UPS_SHEET])
    assert (follow_up["合同の場"], follow_up["合同の場ID"]) == (event["title"], event["id"])

    cadences = _rows(book[CADENCES_SHEET])
    assert [
        (c["市町村名"], c["間隔（か月）"], c["現在の設定"])
        for c in cadences
        if c["ID"] == newer["id"]
    ] == [("橋本市", 2, "〇")]
    assert sorted(c["現在の設定"] or "" for c in cadences) == ["", "〇"]  # the older one: not

    (plan,) = _rows(book[PLANS_SHEET])
    assert plan["年度"] == "R7 (2025)"
    assert plan["国の制度: 経営・財務マネジメント強化事業"] == 5
    assert plan["トップセミナー"] == 1
    assert plan["地域別よろず相談（振興局ごと）"] is None  # not set: blank, not 0
    assert plan["現在の設定"] == "〇"
