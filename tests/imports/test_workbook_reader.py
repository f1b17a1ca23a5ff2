"""The survey reader's two ways into an .xlsx: python-calamine when the sheets' extent is known
and small, openpyxl otherwise. Both give the same Python values, and a hostile sheet (cells far
apart, a dimension that lies, more rows than allowed) is refused or read safely, never read by
calamine into a grid that would abort the app."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

import openpyxl
import pytest

from dxdesk.imports import workbook
from dxdesk.imports.calamine_sheets import MAX_CELLS, sheet_extent, small_enough
from dxdesk.imports.workbook import MAX_ROWS, SurveyFileError, read_workbook
from tests.imports import survey_files

EVERY_TYPE = (
    7,
    2.0,  # Excel writes a whole number without a point: openpyxl reads an int
    2.5,
    -3,
    10**15,
    1e20,  # written "1E+20": a float for openpyxl
    "回答",
    " 前後に空白 ",
    True,
    False,
    datetime(2024, 5, 7, 9, 30, 15),
    datetime(2024, 5, 7),
    date(2024, 6, 1),
    time(9, 30),
    timedelta(hours=30),
    None,
    0,
    "0012",
)


def _bytes(book: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rewrite_sheet(data: bytes, change: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = body.decode()
                for old, new in change.items():
                    assert old in text, old
                    text = text.replace(old, new)
                body = text.encode()
            target.writestr(info.filename, body, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _archive(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


def test_calamine_gives_the_values_openpyxl_gives_for_every_cell_type() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["見出し", *(f"列{n}" for n in range(len(EVERY_TYPE)))])
    sheet.append(["値", *EVERY_TYPE])
    sheet["B4"] = 45000
    sheet["B4"].number_format = "yyyy/m/d"  # a date typed as a number, shown as a date
    sheet["C4"] = 45000.5
    sheet["C4"].number_format = "yyyy/m/d h:mm"
    sheet["D4"] = 0.25
    sheet["D4"].number_format = "h:mm"
    book.create_sheet("メモ").append(["二枚目", 1])
    data = _bytes(book)
    assert small_enough(_archive(data))

    fast = workbook._load_values_fast(data)
    slow = workbook._load_values(data)

    assert [(s.name, s.rows) for s in fast] == [(s.name, s.rows) for s in slow]
    values = fast[0].rows[1][1:]
    assert [type(v) for v in values] == [type(v) for v in slow[0].rows[1][1:]]
    assert values[:6] == (7, 2, 2.5, -3, 10**15, 1e20)
    assert type(values[1]) is int and type(values[5]) is float
    assert values[11] == datetime(2024, 5, 7) and type(values[12]) is datetime  # not a date
    assert values[13] == time(9, 30)
    assert fast[0].rows[3][1:4] == (datetime(2023, 3, 15), datetime(2023, 3, 15, 12), time(6))
    assert fast[0].rows[2] == (None,) * len(fast[0].rows[2])  # the empty row stays, as None


def test_the_existing_answer_files_read_the_same_through_both_readers(tmp_path: Path) -> None:
    answers = survey_files.answers_for(["302015", "302023", "302031"])
    paths = [
        survey_files.ms_forms_xlsx(tmp_path, answers),
        survey_files.google_forms_xlsx(tmp_path, answers),
        survey_files.plain_sheet_xlsx(tmp_path, answers),
        survey_files.formulas_without_cached_values(tmp_path, answers)[0],
        survey_files.bad_answers(tmp_path, answers)[0],
    ]
    for path in paths:
        data = path.read_bytes()
        assert small_enough(_archive(data)), path.name
        fast = workbook._load_values_fast(data)
        assert [s.rows for s in fast] == [s.rows for s in workbook._load_values(data)], path.name


def test_cells_far_apart_go_to_openpyxl_and_are_read_safely(tmp_path: Path) -> None:
    # Two cells, A1 and XFD1048576, under a dimension claiming A1:B2: calamine would allocate
    # a 16,384 × 1,048,576 grid (512 GiB) and abort the process.
    book = openpyxl.Workbook()
    book.active["A1"] = "a"
    book.active["B2"] = "b"
    data = _rewrite_sheet(
        _bytes(book), {'<row r="2"': '<row r="1048576"', 'r="B2"': 'r="XFD1048576"'}
    )
    assert sheet_extent(_archive(data).read("xl/worksheets/sheet1.xml")) == (1048576, 16384)
    assert not small_enough(_archive(data))
    path = tmp_path / "far.xlsx"
    path.write_bytes(data)

    rows = read_workbook(path).sheets[0].rows  # in this process: nothing aborted

    assert rows == [("a", None), (None, None)]  # openpyxl keeps to the stated dimension


def test_a_cell_with_a_second_reference_far_away_never_reaches_calamine(tmp_path: Path) -> None:
    # calamine takes the second r and would allocate the 512 GiB grid; XML forbids the
    # duplicate, so openpyxl's parser refuses the file.
    book = openpyxl.Workbook()
    book.active["A1"] = "a"
    book.active["B2"] = "b"
    data = _rewrite_sheet(_bytes(book), {'<c r="B2"': '<c r="B2" r="XFD1048576"'})
    assert sheet_extent(_archive(data).read("xl/worksheets/sheet1.xml")) is None
    assert not small_enough(_archive(data))
    path = tmp_path / "twice.xlsx"
    path.write_bytes(data)

    with pytest.raises(SurveyFileError, match="ファイルを読めません"):
        read_workbook(path)


def test_a_cell_without_its_reference_goes_to_openpyxl(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["市町村コード", "市町村名"])
    book.active.append(["302015", "和歌山市"])
    data = _rewrite_sheet(_bytes(book), {'<c r="B2"': "<c"})
    assert sheet_extent(_archive(data).read("xl/worksheets/sheet1.xml")) is None
    path = tmp_path / "unplaced.xlsx"
    path.write_bytes(data)

    rows = read_workbook(path).sheets[0].rows

    assert rows == [("市町村コード", "市町村名"), ("302015", "和歌山市")]


def test_a_sheet_whose_dimension_lies_and_holds_too_many_rows_is_refused(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active["A1"] = 1
    head, tail = (
        _bytes(book),
        "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(2, MAX_ROWS + 2)),
    )
    data = _rewrite_sheet(head, {"</row></sheetData>": "</row>" + tail + "</sheetData>"})
    assert b'<dimension ref="A1:A1"' in _archive(data).read("xl/worksheets/sheet1.xml")
    assert small_enough(_archive(data))  # narrow: within MAX_CELLS, so calamine reads it
    assert MAX_ROWS + 1 <= MAX_CELLS
    path = tmp_path / "lying.xlsx"
    path.write_bytes(data)

    with pytest.raises(SurveyFileError, match=f"{MAX_ROWS:,} 行まで"):
        read_workbook(path)
