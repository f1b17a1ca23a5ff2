"""``dxdesk import-records`` for each kind: visits with the interview note and follow-up their
rows carry, follow-ups alone, articles with their people."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from dxdesk.domain.roster import load_roster
from dxdesk.imports.records_import import plan_records
from dxdesk.services.workspace import open_workspace
from tests.cli_run import run_cli

ROSTER = load_roster()
WAKAYAMA, KAINAN = ROSTER[0], ROSTER[1]


def _book(path: Path, rows: Sequence[Sequence[Any]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def _records(data: Path, kind: str) -> list[dict[str, Any]]:
    ws = open_workspace(data)
    try:
        return ws.records(kind).list_records()
    finally:
        ws.close()


def test_a_visit_row_brings_its_interview_note_and_follow_up(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    path = _book(
        tmp_path / "相談.xlsx",
        [
            ["市町村", "日付", "件名", "ヒアリング相手", "ヒアリング内容", "宿題", "フォロー期限"],
            [
                WAKAYAMA.name,
                "R6.4.8",
                "体制",
                "企画課長",
                "庁内の体制を聞いた",
                "計画案を送る",
                "R6.4.30",
            ],
            [KAINAN.name, "R6.4.9", "RPA", None, None, None, None],
        ],
    )

    code, out, _ = run_cli(capsys, "--data-dir", str(data), "import-records", "visit", str(path))

    assert code == 0 and "ほかにヒアリング・フォローアップ 2 件" in out, out
    ws = open_workspace(data)
    try:
        assert plan_records(ws, "visit", path).child_counts() == {
            "interview": {"unchanged": 1},
            "followup": {"unchanged": 1},
        }
    finally:
        ws.close()
    visit = next(v for v in _records(data, "visit") if v["title"] == "体制")
    (note,) = _records(data, "interview")
    assert (note["engagement"], note["interviewee"], note["notes"]) == (
        visit["id"],
        "企画課長",
        "庁内の体制を聞いた",
    )
    (follow_up,) = _records(data, "followup")
    assert (follow_up["engagement"], follow_up["due"], follow_up["municipality"]) == (
        visit["id"],
        "2024-04-30",
        WAKAYAMA.code,
    )

    code, out, _ = run_cli(
        capsys, "--data-dir", str(data), "import-records", "visit", str(path), "--json"
    )
    result = json.loads(out)
    assert code == 0 and result["unchanged"] == 2
    assert [c["action"] for r in result["changes"] for c in r["children"]] == ["unchanged"] * 2
    assert len(_records(data, "interview")) == 1 and len(_records(data, "followup")) == 1


def test_follow_ups_alone_take_states_by_their_labels(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    path = _book(
        tmp_path / "フォロー.xlsx",
        [
            ["市町村", "内容", "担当", "期限", "対応状況"],
            [KAINAN.code, "研修資料を送る", "山田", "令和6年5月1日", "完了"],
            [WAKAYAMA.name, "見積を確認", None, None, "対応中"],
            [WAKAYAMA.name, None, "佐藤", None, "未着手"],
        ],
    )

    code, out, _ = run_cli(capsys, "--data-dir", str(data), "import-records", "followup", str(path))

    assert code == 1 and "4 行目 B 列: 内容が空欄です" in out
    code, out, _ = run_cli(
        capsys,
        *("--data-dir", str(data), "import-records", "followup", str(path), "--exclude-error-rows"),
    )
    assert code == 0
    items = {f["description"]: f for f in _records(data, "followup")}
    assert items["研修資料を送る"]["status"] == "done"
    assert items["研修資料を送る"]["due"] == "2024-05-01"
    assert items["見積を確認"]["status"] == "in_progress"
    assert items["見積を確認"]["engagement"] is None


def test_articles_come_in_with_their_people_as_the_export_writes_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "source"
    ws = open_workspace(source)
    try:
        ws.records("article").add(
            {
                "title": "RPA の進め方",
                "category": "know_who",
                "fiscal_year": 2024,
                "body": "小さく始める",
                "people": [
                    {"name": "田中 一郎", "organisation": "海南市", "role": "係長", "contact": ""},
                    {"name": "佐藤", "organisation": "", "role": "", "contact": "073-000-0000"},
                ],
                "tags": ["RPA", "業務改善"],
            }
        )
    finally:
        ws.close()
    exported = tmp_path / "全件.xlsx"
    assert run_cli(capsys, "--data-dir", str(source), "export", "xlsx", "-o", str(exported))[0] == 0
    book = openpyxl.load_workbook(exported)
    for name in book.sheetnames:  # a secretariat's own sheet: the articles and no ID column
        if name != "ナレッジ":
            del book[name]
    sheet = book["ナレッジ"]
    sheet.delete_cols(sheet.max_column)
    book.save(exported)
    data = tmp_path / "data"

    code, out, _ = run_cli(
        capsys, "--data-dir", str(data), "import-records", "article", str(exported)
    )

    assert code == 0 and "県全体 1 件" in out, out
    (article,) = _records(data, "article")
    assert (article["title"], article["category"], article["fiscal_year"]) == (
        "RPA の進め方",
        "know_who",
        2024,
    )
    assert [(p["name"], p["organisation"], p["role"], p["contact"]) for p in article["people"]] == [
        ("田中 一郎", "海南市", "係長", ""),
        ("佐藤", "", "", "073-000-0000"),
    ]
    assert article["tags"] == ["RPA", "業務改善"]
