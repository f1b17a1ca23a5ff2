"""Merged cells come with every sheet the reader gives, in every format, and fill on request.

A secretariat's sheet of past consultations: a title merged across the top, a municipality
merged over its three consultations, and a horizontal merge inside the data. Each file is real:
written by openpyxl (.xlsx), xlwt (.xls) or built as an OpenDocument package by its rules (.ods,
as LibreOffice writes spans: the attribute on the first cell, covered cells for the rest).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlwt

from dxdesk.imports.merged_cells import MAX_MERGED, filled_rows
from dxdesk.imports.workbook import (
    GRID_TOO_BIG,
    TOO_MANY_MERGED,
    Sheet,
    SurveyFileError,
    _load_values,
    read_workbook,
    with_merged_filled,
)
from tests.imports.test_workbook_formats import ods_cell, ods_file

TITLE = "相談記録（令和6年度）"
RAW: list[tuple[object, ...]] = [  # as the file holds it: a merged range's value in its first cell
    (TITLE, None, None, None),
    (None, None, None, None),
    ("市町村名", "相談日", "内容", "対応者"),
    ("和歌山市", "R6.4.1", "DX計画の相談", "山田"),
    (None, "R6.5.1", "RPA の導入", "山田"),
    (None, "R6.6.1", "研修の依頼", "佐藤"),
    ("海南市", "R6.4.10", "合同研修", None),
    ("有田市", "R6.7.1", "相談", "佐藤"),
]
# A1:D1 (the title), A4:A6 (a municipality over its consultations), C7:D7 (across the data)
MERGED = ((0, 0, 0, 3), (3, 0, 5, 0), (6, 2, 6, 3))
FILLED = [
    (TITLE, TITLE, TITLE, TITLE),
    *RAW[1:4],
    ("和歌山市", "R6.5.1", "RPA の導入", "山田"),
    ("和歌山市", "R6.6.1", "研修の依頼", "佐藤"),
    ("海南市", "R6.4.10", "合同研修", "合同研修"),
    RAW[7],
]


def xlsx_bytes(second_sheet: bool = False) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "相談"
    for row in RAW:
        sheet.append(row)
    for first_row, first_col, last_row, last_col in MERGED:
        sheet.merge_cells(
            start_row=first_row + 1,
            start_column=first_col + 1,
            end_row=last_row + 1,
            end_column=last_col + 1,
        )
    if second_sheet:  # its ranges must not be taken for the first sheet's, nor the reverse
        other = book.create_sheet("連絡先")
        other.append(("氏名", None))
        other.append(("山田", "090-0000-0000"))
        other.merge_cells("A1:B1")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xls_file(path: Path) -> Path:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("相談")
    starts = {(r1, c1): (r2, c2) for r1, c1, r2, c2 in MERGED}
    covered = {
        (r, c) for r1, c1, r2, c2 in MERGED for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)
    }
    for r, row in enumerate(RAW):
        for c, value in enumerate(row):
            if (r, c) in starts:
                last_row, last_col = starts[(r, c)]
                sheet.write_merge(r, last_row, c, last_col, value)
            elif value is not None and (r, c) not in covered:
                sheet.write(r, c, value)
    book.save(str(path))
    return path


def ods_content_rows() -> str:
    """RAW as LibreOffice saves it: spans on the first cell, covered cells under them."""
    starts = {(r1, c1): (r2 - r1 + 1, c2 - c1 + 1) for r1, c1, r2, c2 in MERGED}
    covered = {
        (r, c) for r1, c1, r2, c2 in MERGED for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)
    }
    rows = []
    for r, row in enumerate(RAW):
        cells = []
        for c, value in enumerate(row):
            if (r, c) in starts:
                down, across = starts[(r, c)]
                spans = (
                    f'<table:table-cell table:number-columns-spanned="{across}" '
                    f'table:number-rows-spanned="{down}"'
                )
                cells.append(ods_cell(value).replace("<table:table-cell", spans, 1))
            elif (r, c) in covered:
                cells.append("<table:covered-table-cell/>")
            else:
                cells.append(ods_cell(value))
        rows.append(f"<table:table-row>{''.join(cells)}</table:table-row>")
    return "".join(rows)


def only_sheet(path: Path) -> Sheet:
    (sheet,) = read_workbook(path).sheets
    return sheet


def assert_merged_and_filled(sheet: Sheet) -> None:
    assert sorted(sheet.merged) == sorted(MERGED)
    assert sheet.rows == RAW  # the survey reader's rows are as before: nothing spread
    filled = with_merged_filled(sheet)
    assert filled.rows == FILLED
    assert (filled.name, filled.merged) == (sheet.name, sheet.merged)


def test_xlsx_merged_cells_through_calamine(tmp_path: Path) -> None:
    path = tmp_path / "相談記録.xlsx"
    path.write_bytes(xlsx_bytes())
    assert_merged_and_filled(only_sheet(path))


def test_xlsx_merged_cells_through_the_openpyxl_fallback_are_the_same(tmp_path: Path) -> None:
    data = xlsx_bytes(second_sheet=True)
    path = tmp_path / "相談記録.xlsx"
    path.write_bytes(data)
    fast = read_workbook(path).sheets
    slow = _load_values(data)  # what a sheet too big for calamine is read by
    assert [(s.name, s.rows, sorted(s.merged)) for s in slow] == [
        (s.name, s.rows, sorted(s.merged)) for s in fast
    ]
    assert_merged_and_filled(slow[0])
    assert slow[1].merged == ((0, 0, 0, 1),)
    assert with_merged_filled(slow[1]).rows == [("氏名", "氏名"), ("山田", "090-0000-0000")]


def test_ods_spans_are_merged_cells(tmp_path: Path) -> None:
    path = ods_file(tmp_path / "相談記録.ods", ods_content_rows())
    assert_merged_and_filled(only_sheet(path))


def test_xls_merged_cells(tmp_path: Path) -> None:
    assert_merged_and_filled(only_sheet(xls_file(tmp_path / "相談記録.xls")))


def test_csv_has_no_merged_cells(tmp_path: Path) -> None:
    path = tmp_path / "相談記録.csv"
    path.write_text("市町村名,内容\n和歌山市,相談\n,研修\n", encoding="utf-8")
    sheet = only_sheet(path)
    assert sheet.merged == ()
    assert with_merged_filled(sheet) is sheet


def test_an_xlsx_with_too_many_merged_ranges_is_refused_before_they_are_built(
    tmp_path: Path,
) -> None:
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes()))
    path = tmp_path / "結合だらけ.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                many = "".join(f'<mergeCell ref="F{n}:G{n}"/>' for n in range(1, MAX_MERGED + 2))
                body = re.sub(
                    rb"<mergeCells .*?</mergeCells>",
                    f'<mergeCells count="{MAX_MERGED + 1}">{many}</mergeCells>'.encode(),
                    body,
                )
            out.writestr(info, body)
    with pytest.raises(SurveyFileError) as caught:
        read_workbook(path)
    assert str(caught.value) == TOO_MANY_MERGED
    assert "10,000" in TOO_MANY_MERGED and "結合を解除" in TOO_MANY_MERGED


def test_an_ods_whose_repeated_spans_are_too_many_is_refused(tmp_path: Path) -> None:
    hostile = (
        '<table:table-row table:number-rows-repeated="1000000">'
        '<table:table-cell table:number-columns-repeated="1000" table:number-rows-spanned="2"/>'
        "</table:table-row>"
    )
    path = ods_file(tmp_path / "結合だらけ.ods", ods_content_rows() + hostile)
    with pytest.raises(SurveyFileError) as caught:
        read_workbook(path)
    assert str(caught.value) == TOO_MANY_MERGED


def test_filling_touches_only_cells_that_were_read_and_never_overlaps() -> None:
    rows: list[tuple[object, ...]] = [("a", "b"), (None, "c")]
    # past the last row and column; then a range over a cell an earlier one filled, then a
    # range whose top-left lies outside the rows read
    merged = ((0, 0, 99, 99), (1, 1, 1, 1), (5, 0, 9, 1))
    assert filled_rows(rows, merged) == [("a", "a"), ("a", "a")]
    assert filled_rows(rows, ((0, 1, 1, 1),)) == [("a", "b"), (None, "b")]
    assert rows == [("a", "b"), (None, "c")]  # the sheet's own rows are left alone


def test_a_sheet_that_starts_below_and_right_of_a1_keeps_its_ranges_in_place(
    tmp_path: Path,
) -> None:
    # C3 is the first cell: calamine gives ranges and rows from A1 in .xlsx, .xls and .ods alike
    expected: list[tuple[object, ...]] = [
        (None,) * 4,
        (None,) * 4,
        (None, None, "市町村名", "件数"),
    ]
    expected += [(None, None, "和歌山市", 1), (None, None, "和歌山市", 2)]
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["C3"], sheet["D3"], sheet["C4"], sheet["D4"], sheet["D5"] = (
        "市町村名",
        "件数",
        "和歌山市",
        1,
        2,
    )
    sheet.merge_cells("C4:C5")
    book.save(tmp_path / "ずれ.xlsx")
    old = xlwt.Workbook(encoding="utf-8")
    page = old.add_sheet("Sheet")
    page.write(2, 2, "市町村名")
    page.write(2, 3, "件数")
    page.write_merge(3, 4, 2, 2, "和歌山市")
    page.write(3, 3, 1)
    page.write(4, 3, 2)
    old.save(str(tmp_path / "ずれ.xls"))
    blank = '<table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row>'
    two = '<table:table-cell table:number-columns-repeated="2"/>'
    ods_file(
        tmp_path / "ずれ.ods",
        blank
        + f"<table:table-row>{two}{ods_cell('市町村名')}{ods_cell('件数')}</table:table-row>"
        + f"<table:table-row>{two}"
        + ods_cell("和歌山市").replace(
            "<table:table-cell", '<table:table-cell table:number-rows-spanned="2"', 1
        )
        + f"{ods_cell(1)}</table:table-row>"
        + f"<table:table-row>{two}<table:covered-table-cell/>{ods_cell(2)}</table:table-row>",
    )
    for suffix in ("xlsx", "xls", "ods"):
        read = only_sheet(tmp_path / f"ずれ.{suffix}")
        assert read.merged == ((3, 2, 4, 2),), suffix
        assert with_merged_filled(read).rows == expected, suffix


def test_an_xls_whose_cells_lie_far_apart_is_refused_before_its_grid_is_made_python(
    tmp_path: Path,
) -> None:
    # two cells: calamine's grid from A1 to IV16000 is 4,096,000 cells, over MAX_CELLS
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Sheet")
    sheet.write(0, 0, "市町村名")
    sheet.write(15_999, 255, "x")
    book.save(str(tmp_path / "離れたセル.xls"))
    with pytest.raises(SurveyFileError) as caught:
        read_workbook(tmp_path / "離れたセル.xls")
    assert str(caught.value) == GRID_TOO_BIG
