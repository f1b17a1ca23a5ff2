"""Which record a row of a past-records sheet is: edited rows update, equal keys stay apart,
an exported workbook comes back onto its own records, and excluded rows are left out."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from dxdesk.domain.roster import load_roster
from dxdesk.imports.records_import import StalePlan, apply_records, plan_records
from dxdesk.imports.workbook import SurveyFileError
from dxdesk.services.assignment import set_assignment
from dxdesk.services.workspace import open_workspace
from tests.cli_run import run_cli

ROSTER = load_roster()
WAKAYAMA, KAINAN = ROSTER[0], ROSTER[1]


def _book(path: Path, rows: Sequence[Sequence[Any]], merge: str = "") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "相談の記録"
    for row in rows:
        sheet.append(list(row))
    if merge:
        sheet.merge_cells(merge)
    book.save(path)
    return path


def _visits(data: Path) -> list[dict[str, Any]]:
    ws = open_workspace(data)
    try:
        return sorted(ws.records("visit").list_records(), key=lambda v: (v["date"], v["title"]))
    finally:
        ws.close()


HEADER = ["No.", "市町村名", "相談日", "件名", "相談内容", "対応者"]


def test_a_secretariat_sheet_with_merged_cells_comes_in_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue's sheet: a title row, the municipality merged over its consultations' rows,
    和暦 dates, municipalities by name and a 対応者 column; a second import changes nothing."""
    data = tmp_path / "data"
    rows: list[list[Any]] = [
        ["令和6年度 よろず相談 実施記録"],
        [],
        ["市町村名", "相談日", "件名", "相談内容", "対応者"],
        [WAKAYAMA.name, "令和6年4月8日", "体制づくり", "推進体制の相談", "山田"],
        [None, "R6.5.13", "RPA", "帳票の自動化", "山田、佐藤"],
        [None, "令和6年6月3日", "研修", None, "佐藤"],
        [KAINAN.name, "R6.4.22", "キックオフ", "計画の相談", "鈴木"],
    ]
    book = _book(tmp_path / "実施記録.xlsx", rows, merge="A4:A6")

    code, out, _ = run_cli(capsys, "--data-dir", str(data), "import-records", "visit", str(book))
    assert code == 0, out
    visits = _visits(data)
    assert [(v["municipality"], v["date"], v["title"]) for v in visits] == [
        (WAKAYAMA.code, "2024-04-08", "体制づくり"),
        (KAINAN.code, "2024-04-22", "キックオフ"),
        (WAKAYAMA.code, "2024-05-13", "RPA"),
        (WAKAYAMA.code, "2024-06-03", "研修"),
    ]
    assert visits[2]["advisor_attendees"] == ["山田", "佐藤"]

    code, out, _ = run_cli(capsys, "--data-dir", str(data), "import-records", "visit", str(book))
    assert code == 0 and "新規 0 件、更新 0 件、変更なし 4 件" in out
    assert len(_visits(data)) == 4


def test_a_row_edited_in_the_file_is_an_update_of_the_same_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    path = tmp_path / "相談.xlsx"
    header = ["市町村名", "相談日", "件名", "相談内容", "対応者"]
    _book(path, [header, [WAKAYAMA.name, "R6.4.8", "体制", "最初の相談", "山田"]])
    assert run_cli(capsys, "--data-dir", str(data), "import-records", "visit", str(path))[0] == 0
    ws = open_workspace(data)
    try:  # typed in the app after the import: a blank cell in the file must not clear it
        only = ws.records("visit").list_records()[0]
        ws.records("visit").update(only["id"], {"notes": "アプリで書いたメモ"})
    finally:
        ws.close()

    _book(path, [header, [WAKAYAMA.name, "R6.4.8", "体制", "内容を書き足した", "山田、佐藤"]])
    code, out, _ = run_cli(
        capsys, "--data-dir", str(data), "import-records", "visit", str(path), "--json"
    )

    result = json.loads(out)
    assert code == 0 and (result["created"], result["updated"]) == (0, 1)
    assert result["changes"][0]["changed"] == ["summary", "advisor_attendees"]
    (visit,) = _visits(data)
    assert visit["id"] == only["id"] and visit["summary"] == "内容を書き足した"
    assert visit["notes"] == "アプリで書いたメモ"


def test_two_rows_with_the_same_key_are_two_records_and_stay_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    path = _book(
        tmp_path / "相談.xlsx",
        [
            ["市町村名", "相談日", "相談内容"],
            [WAKAYAMA.name, "R6.4.8", "午前の相談"],
            [WAKAYAMA.name, "R6.4.8", "午後の相談"],
        ],
    )
    assert run_cli(capsys, "--data-dir", str(data), "import-records", "visit", str(path))[0] == 0
    code, out, _ = run_cli(capsys, "--data-dir", str(data), "import-records", "visit", str(path))
    assert code == 0 and "変更なし 2 件" in out
    assert sorted(v["summary"] for v in _visits(data)) == ["午前の相談", "午後の相談"]


def test_an_exported_workbook_comes_back_onto_its_own_records(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    ws = open_workspace(data)
    try:
        visit = ws.records("visit").add(
            {"municipality": KAINAN.code, "date": "2024-07-01", "title": "書き出し"}
        )
    finally:
        ws.close()
    exported = tmp_path / "全件.xlsx"
    assert run_cli(capsys, "--data-dir", str(data), "export", "xlsx", "-o", str(exported))[0] == 0

    code, out, _ = run_cli(
        capsys, "--data-dir", str(data), "import-records", "visit", str(exported)
    )

    assert code == 0 and "新規 0 件、更新 0 件、変更なし 1 件" in out, out
    assert [v["id"] for v in _visits(data)] == [visit["id"]]


def test_rows_with_errors_can_be_left_out_by_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    path = _book(
        tmp_path / "相談.xlsx",
        [
            HEADER,
            [1, WAKAYAMA.name, "R6.4.8", "体制", None, None],
            [2, "架空村", "R6.4.9", "誤り", None, None],
            [3, KAINAN.name, "R6.4.31", "誤った日付", None, None],
            [4, KAINAN.name, "R6.5.1", "連休明け", None, None],
        ],
    )
    code, out, _ = run_cli(capsys, "--data-dir", str(data), "import-records", "visit", str(path))
    assert code == 1 and "3 行目 B 列" in out and "4 行目 C 列" in out
    assert _visits(data) == []

    code, out, _ = run_cli(
        capsys,
        *("--data-dir", str(data), "import-records", "visit", str(path), "--exclude-rows", "3-4"),
    )

    assert code == 0 and "除いた行: 3、4" in out and "新規 2 件" in out
    assert [v["title"] for v in _visits(data)] == ["体制", "連休明け"]


def test_a_close_header_is_guessed_and_marked(tmp_path: Path) -> None:
    path = _book(
        tmp_path / "相談.xlsx",
        [
            ["団体名（市町村）", "相談日（実施日）", "件名", "備考欄"],
            [KAINAN.name, "R6.4.8", "体制", "メモ"],
        ],
    )
    ws = open_workspace(tmp_path / "data")
    try:
        plan = plan_records(ws, "visit", path)
        assert plan.problems == []
        marks = {c.letter: (c.field, c.guessed) for c in plan.layout.columns}
        assert marks == {
            "A": ("municipality", True),
            "B": ("date", True),
            "C": ("title", False),
            "D": ("notes", True),
        }
        plan = plan_records(ws, "visit", path, overrides={3: None})  # the person's choice wins
        assert plan.layout.fields == {0: "municipality", 1: "date", 2: "title"}
        assert apply_records(ws, plan) == 1
    finally:
        ws.close()


def test_a_missing_required_column_is_an_error_of_the_header_row(tmp_path: Path) -> None:
    path = _book(tmp_path / "相談.xlsx", [["市町村名", "件名"], [KAINAN.name, "体制"]])
    ws = open_workspace(tmp_path / "data")
    try:
        plan = plan_records(ws, "visit", path)
        assert [p.row for p in plan.problems] == [1]
        assert plan.problems[0].message.startswith("日付の列がありません")
        assert plan.changes == [] and plan.problem_rows() == []
        plan = plan_records(ws, "visit", path, overrides={"件名": "date"})
        assert [p.column for p in plan.problems] == ["B"]  # 体制 is no date
    finally:
        ws.close()


def test_a_re_import_keeps_what_was_typed_in_the_app_and_takes_what_the_file_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    path = tmp_path / "相談.xlsx"
    header = ["市町村名", "相談日", "件名", "相談内容", "対応者"]
    _book(path, [header, [WAKAYAMA.name, "R6.4.8", "体制", "最初の相談", "山田"]])
    assert run_cli(capsys, "--data-dir", str(data), "import-records", "visit", str(path))[0] == 0
    ws = open_workspace(data)
    try:
        only = ws.records("visit").list_records()[0]
        ws.records("visit").update(only["id"], {"summary": "アプリで直した内容"})
    finally:
        ws.close()

    code, out, _ = run_cli(capsys, "--data-dir", str(data), "import-records", "visit", str(path))
    assert code == 0 and "変更なし 1 件" in out  # the file did not change: the edit stands
    assert _visits(data)[0]["summary"] == "アプリで直した内容"

    _book(path, [header, [WAKAYAMA.name, "R6.4.8", "体制", "最初の相談", "山田、佐藤"]])
    code, out, _ = run_cli(capsys, "--data-dir", str(data), "import-records", "visit", str(path))
    assert code == 0 and "更新: 2 行目（出席者（アドバイザー））" in out
    (visit,) = _visits(data)
    assert visit["summary"] == "アプリで直した内容"
    assert visit["advisor_attendees"] == ["山田", "佐藤"]


def test_a_sheet_without_a_header_says_what_header_it_needs(tmp_path: Path) -> None:
    path = _book(tmp_path / "メモ.xlsx", [["覚え書き"], ["和歌山市に行った"]])
    ws = open_workspace(tmp_path / "data")
    try:
        with pytest.raises(SurveyFileError, match="「市町村」「日付」「件名」など") as raised:
            plan_records(ws, "visit", path)
        assert "--column" not in str(raised.value)  # the wizard's person has no command line
    finally:
        ws.close()


def test_a_plan_the_store_moved_past_is_refused_whole_and_a_new_plan_tells_the_truth(
    tmp_path: Path,
) -> None:
    path = _book(
        tmp_path / "相談.xlsx",
        [
            ["市町村名", "相談日", "件名"],
            [WAKAYAMA.name, "R6.4.8", "体制"],
            [KAINAN.name, "R6.4.9", "RPA"],
        ],
    )
    ws = open_workspace(tmp_path / "data")
    try:
        stale = plan_records(ws, "visit", path)
        apply_records(ws, plan_records(ws, "visit", path))  # e.g. the same file, by another way
        with pytest.raises(StalePlan):
            apply_records(ws, stale)
        assert len(ws.records("visit").list_records()) == 2
        assert plan_records(ws, "visit", path).count("unchanged") == 2

        planned = plan_records(
            ws,
            "visit",
            _book(path, [["市町村名", "相談日", "件名"], [KAINAN.name, "R6.6.1", "新"]]),
        )
        with ws.store.transaction() as session:  # the assignment narrowed since the plan
            set_assignment(session, [WAKAYAMA.code])
        with pytest.raises(StalePlan):
            apply_records(ws, planned)
        assert len(ws.records("visit").list_records()) == 2
    finally:
        ws.close()
