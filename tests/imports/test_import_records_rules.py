"""The rules that keep a re-import from losing or doubling what a person has: row counters are
not identities, corrected keys update, spacing does not split a person in two, left-out rows
keep their neighbours' ids, and a record never imported here keeps what it holds."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import delete

from dxdesk.domain.roster import load_roster
from dxdesk.imports.records_import import apply_records, plan_records
from dxdesk.models.tables import ImportMark
from dxdesk.services.workspace import Workspace, open_workspace

ROSTER = load_roster()
WAKAYAMA, KAINAN = ROSTER[0], ROSTER[1]
VISIT_HEADER = ["No.", "市町村名", "相談日", "件名", "相談内容"]


def _book(path: Path, rows: Sequence[Sequence[Any]], title: str = "記録") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


@pytest.fixture
def ws(tmp_path: Path) -> Any:
    workspace = open_workspace(tmp_path / "data")
    yield workspace
    workspace.close()


def _import(ws: Workspace, kind: str, path: Path, **options: Any) -> int:
    plan = plan_records(ws, kind, path, **options)
    assert plan.problems == [], plan.problems
    return apply_records(ws, plan)


def test_a_no_column_counts_rows_and_a_row_inserted_above_changes_no_other_record(
    ws: Workspace, tmp_path: Path
) -> None:
    first = [
        [1, WAKAYAMA.name, "R6.4.8", "体制", "最初"],
        [2, KAINAN.name, "R6.4.9", "RPA", "二番目"],
    ]
    path = _book(tmp_path / "相談.xlsx", [VISIT_HEADER, *first])
    _import(ws, "visit", path)
    inserted = [[1, KAINAN.name, "R6.4.1", "新しい相談", "前に足した"]]
    renumbered = [[n + 2, *row[1:]] for n, row in enumerate(first)]
    plan = plan_records(ws, "visit", _book(path, [VISIT_HEADER, *inserted, *renumbered]))

    assert [(c.row, c.action) for c in plan.changes] == [
        (2, "create"),
        (3, "unchanged"),
        (4, "unchanged"),
    ]
    assert "A" not in plan.columns  # the counter is no field


def test_a_corrected_title_or_date_is_an_update_of_the_record_not_a_new_one(
    ws: Workspace, tmp_path: Path
) -> None:
    path = _book(
        tmp_path / "相談.xlsx",
        [VISIT_HEADER, [1, WAKAYAMA.name, "R6.4.8", "体制づっくり", "最初"]],
    )
    _import(ws, "visit", path)
    (visit,) = ws.records("visit").list_records()

    _book(path, [VISIT_HEADER, [1, WAKAYAMA.name, "R6.4.8", "体制づくり", "最初"]])
    plan = plan_records(ws, "visit", path)
    assert [(c.record_id, c.action, c.changed) for c in plan.changes] == [
        (visit["id"], "update", ("title",))
    ]
    apply_records(ws, plan)
    _book(path, [VISIT_HEADER, [1, WAKAYAMA.name, "R6.4.10", "体制づくり", "最初"]])
    _import(ws, "visit", path)

    (visit,) = ws.records("visit").list_records()
    assert (visit["title"], visit["date"]) == ("体制づくり", "2024-04-10")
    assert plan_records(ws, "visit", path).count("unchanged") == 1


def test_names_that_differ_in_spaces_or_width_are_one_contact(
    ws: Workspace, tmp_path: Path
) -> None:
    header = ["市町村", "氏名", "役職"]
    path = _book(tmp_path / "連絡先.xlsx", [header, [KAINAN.name, "山本　太郎", "課長"]])
    _import(ws, "contact", path)
    plan = plan_records(ws, "contact", _book(path, [header, [KAINAN.name, "山本 太郎", "課長"]]))
    assert [c.action for c in plan.changes] == ["update"]  # the name as now written, same person


def test_a_row_left_out_keeps_its_place_so_equal_keys_do_not_swap(
    ws: Workspace, tmp_path: Path
) -> None:
    header = ["市町村名", "相談日", "相談内容"]
    rows = [[WAKAYAMA.name, "R6.4.8", "午前の相談"], [WAKAYAMA.name, "R6.4.8", "午後の相談"]]
    path = _book(tmp_path / "相談.xlsx", [header, *rows])
    _import(ws, "visit", path, skip_rows={2})

    plan = plan_records(ws, "visit", path)

    assert [(c.row, c.action) for c in plan.changes] == [(2, "create"), (3, "unchanged")]


def test_a_record_never_imported_here_keeps_what_it_holds_and_the_plan_says_so(
    ws: Workspace, tmp_path: Path
) -> None:
    header = ["市町村名", "相談日", "件名", "相談内容", "メモ"]
    path = _book(
        tmp_path / "相談.xlsx", [header, [KAINAN.name, "R6.4.8", "体制", "ファイル", None]]
    )
    _import(ws, "visit", path)
    (visit,) = ws.records("visit").list_records()
    ws.records("visit").update(visit["id"], {"summary": "アプリで書いた"})
    with ws.store.transaction() as session:  # as on another laptop: its import left no marks
        session.execute(delete(ImportMark))
    _book(path, [header, [KAINAN.name, "R6.4.8", "体制", "ファイル", "ファイルのメモ"]])

    plan = plan_records(ws, "visit", path)
    assert [(c.action, c.changed, c.kept) for c in plan.changes] == [
        ("update", ("notes",), ("summary",))
    ]
    apply_records(ws, plan)

    (visit,) = ws.records("visit").list_records()
    assert (visit["summary"], visit["notes"]) == ("アプリで書いた", "ファイルのメモ")


def test_a_formula_without_its_saved_value_is_an_error_of_its_cell(
    ws: Workspace, tmp_path: Path
) -> None:
    path = _book(
        tmp_path / "相談.xlsx",
        [["市町村名", "相談日", "件名"], [KAINAN.name, "R6.4.8", '=CONCATENATE("体","制")']],
    )
    plan = plan_records(ws, "visit", path)
    assert [(p.row, p.column) for p in plan.problems] == [(2, "C")]
    assert "計算式の結果が保存されていません" in plan.problems[0].message


def test_a_cell_merged_across_columns_fills_only_its_own_column(
    ws: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "相談.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["市町村名", "相談日", "相談内容", "対応者", "メモ"])
    sheet.append([KAINAN.name, "R6.4.8", "体制の相談、資料の確認", None, None])
    sheet.append([None, "R6.4.9", "次の相談", None, None])
    sheet.merge_cells("C2:E2")  # a long text spread over the cells beside it
    sheet.merge_cells("A2:A3")  # the municipality over its consultations
    book.save(path)

    plan = plan_records(ws, "visit", path)

    values = [c.values for c in plan.changes]
    assert [v["municipality"] for v in values] == [KAINAN.code, KAINAN.code]
    assert "advisor_attendees" not in values[0] and "notes" not in values[0]


def test_status_or_due_alone_in_a_visit_sheet_make_no_follow_up(
    ws: Workspace, tmp_path: Path
) -> None:
    path = _book(
        tmp_path / "相談.xlsx",
        [
            ["市町村名", "相談日", "対応状況", "宿題の期限"],
            [KAINAN.name, "R6.4.8", "完了", None],
            [KAINAN.name, "R6.4.9", None, "R6.5.1"],
        ],
    )
    plan = plan_records(ws, "visit", path)
    assert "C" not in plan.columns  # 対応状況 is not the follow-up's, in a visit's sheet
    assert [(p.row, p.column) for p in plan.problems] == [(3, "D")]
    assert "フォローアップを作れません" in plan.problems[0].message


def test_what_the_write_would_refuse_is_an_error_of_its_row_in_the_plan(
    ws: Workspace, tmp_path: Path
) -> None:
    path = _book(
        tmp_path / "相談.xlsx",
        [
            ["市町村名", "相談日", "開始", "終了"],
            [KAINAN.name, "R6.4.8", "15:00", "14:00"],
            [KAINAN.name, "R6.4.9", "10:00", "11:00"],
        ],
    )
    plan = plan_records(ws, "visit", path)
    assert [(p.row, p.column) for p in plan.problems] == [(2, "D")]
    assert apply_records(ws, plan_records(ws, "visit", path, skip_rows={2})) == 1


def test_a_new_follow_up_of_a_visit_deleted_here_is_left_out_with_it(
    ws: Workspace, tmp_path: Path
) -> None:
    header = ["市町村名", "相談日", "件名", "宿題"]
    path = _book(tmp_path / "相談.xlsx", [header, [KAINAN.name, "R6.4.8", "体制", None]])
    _import(ws, "visit", path)
    (visit,) = ws.records("visit").list_records()
    ws.records("visit").delete(visit["id"])
    _book(path, [header, [KAINAN.name, "R6.4.8", "体制", "資料を送る"]])

    plan = plan_records(ws, "visit", path)

    assert plan.problems == [] and [(c.action, c.children) for c in plan.changes] == [
        ("deleted", ())
    ]
    assert apply_records(ws, plan) == 0


def test_other_sheets_with_the_same_header_are_named_and_can_be_chosen(
    ws: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "相談.xlsx"
    book = openpyxl.Workbook()
    for title, day in (("R5年度", "R5.6.1"), ("R6年度", "R6.6.1")):
        sheet = book.create_sheet(title)
        sheet.append(["市町村名", "相談日", "件名"])
        sheet.append([KAINAN.name, day, title])
    book.save(path)

    plan = plan_records(ws, "visit", path)
    assert (plan.sheet, plan.other_sheets) == ("R5年度", ["R6年度"])
    plan = plan_records(ws, "visit", path, sheet="R6年度")
    assert [c.values["title"] for c in plan.changes] == ["R6年度"]
