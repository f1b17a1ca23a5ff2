"""Cell values of an .xlsx, .xls or .ods read by python-calamine (Rust), as openpyxl gives them.

calamine reads a sheet about ten times faster than openpyxl, but it builds each sheet as one dense
grid from its top-left to its bottom-right cell before handing back a value: two cells at A1 and
XFD1048576 ask for 512 GiB, and a failed allocation in Rust aborts the whole app (no exception).
So a sheet goes to calamine only when its extent, read from the cell references in its XML, is
known and small (``MAX_CELLS``); otherwise the caller reads it with openpyxl, which streams rows
and stops at the row limit. The zip-level defences (size, unpacked size, CRCs, DOCTYPE, claimed
dimension) run before either reader.

Values are made the same as openpyxl's: an empty cell is None (calamine gives ""), a whole number
below 2**53 is an int (calamine gives every number as a float; Excel writes whole numbers without
a point, which openpyxl reads as int), a date-formatted cell is a datetime (calamine gives a date
when the time is midnight); str, bool, float, time and timedelta pass through.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any, NamedTuple

from python_calamine import CalamineWorkbook, SheetTypeEnum

from dxdesk.imports.merged_cells import TooManyMerged, too_many

MAX_CELLS = 4_000_000  # of the dense grid: about 128 MB inside calamine
_EXACT_INTS = 2**53
# Every cell and row element, prefixed or not; every attribute named r; and the references as
# Excel, openpyxl and Forms write them (r first, double quotes). Counted equal, each element has
# exactly one r and it is plain: calamine places the cell there and nowhere else (a second r, a
# character reference or an unplaced cell makes the counts differ, and openpyxl reads the file).
_ELEMENT = re.compile(rb"<(?:[^\s<>/:=\"']+:)?(?:c|row)[\s>/]")
_ATTRIBUTE_R = re.compile(rb"\sr\s*=")
_ROW = re.compile(rb'<(?:c|row) r="[A-Z]{0,3}([0-9]{1,9})"')
_COLUMN = re.compile(rb'<c r="([A-Z]{1,3})[0-9]')


def sheet_extent(sheet_xml: bytes) -> tuple[int, int] | None:
    """(rows, columns) the sheet's cells reach, or None when some row or cell is not placed by
    exactly one plain reference (calamine would place it otherwise than this reads)."""
    elements = len(_ELEMENT.findall(sheet_xml))
    if not elements:
        return 0, 0  # no cell in this part (a theme may have r= of its own): nothing to place
    rows = _ROW.findall(sheet_xml)
    if len(rows) != elements or len(_ATTRIBUTE_R.findall(sheet_xml)) != elements:
        return None
    widest = max(set(_COLUMN.findall(sheet_xml)), key=lambda s: (len(s), s), default=b"")
    columns = 0
    for letter in widest:
        columns = columns * 26 + letter - 64
    return max(map(int, rows), default=0), columns


def fits(part_xml: bytes) -> bool:
    """True when calamine may read this XML part as a sheet: every cell placed by one plain
    reference, the grid within MAX_CELLS."""
    extent = sheet_extent(part_xml)
    return extent is not None and extent[0] * max(extent[1], 1) <= MAX_CELLS


def small_enough(archive: zipfile.ZipFile) -> bool:
    """``fits`` for every XML part (a sheet may live at any path the workbook's relationships
    name)."""
    return all(fits(archive.read(n)) for n in archive.namelist() if n.endswith(".xml"))


class GridTooBig(Exception):
    """A sheet (.xls) whose cells lie so far apart that its grid would pass MAX_CELLS."""


class SheetValues(NamedTuple):
    name: str
    rows: list[tuple[Any, ...]]  # row 1 first, every row as wide as the widest
    # 0-based inclusive (first_row, first_col, last_row, last_col), sheet-absolute as the rows
    # are; None where calamine does not read them (.ods)
    merged: tuple[tuple[int, int, int, int], ...] | None


def read_values(data: bytes, max_rows: int, suffix: str = "") -> list[SheetValues]:
    """Each worksheet's name, rows and merged ranges, at most ``max_rows`` rows of each made
    Python values (the caller refuses a sheet that has that many). For an .xlsx the caller has
    counted the merged ranges in the XML first; for an .xls, imports/xls_extent.py has counted
    them, and every sheet's extent, in the BIFF records before calamine opens the file.

    With a ``suffix`` (".xls", ".ods") calamine reads that format only, from a private copy of
    the bytes: from a file-like it tries every format and, on failure, says only "Cannot detect
    file format", which hides the PasswordError of a protected .xls."""
    if not suffix:
        with CalamineWorkbook.from_filelike(io.BytesIO(data)) as book:
            return _sheets(book, max_rows)
    with tempfile.TemporaryDirectory(prefix="dxdesk-sheet-") as folder:
        copy = Path(folder) / f"book{suffix}"
        copy.write_bytes(data)
        with CalamineWorkbook.from_path(str(copy)) as book:
            return _sheets(book, max_rows)


def _sheets(book: CalamineWorkbook, max_rows: int) -> list[SheetValues]:
    names = [m.name for m in book.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
    found = []
    for name in names:
        sheet = book.get_sheet_by_name(name)
        end = sheet.end  # a second line behind xls_extent: Python rows are ~80 bytes a cell
        if end is not None and (end[0] + 1) * (end[1] + 1) > MAX_CELLS:
            raise GridTooBig
        rows = _python_rows(sheet.to_python(skip_empty_area=False, nrows=max_rows))
        ranges = sheet.merged_cell_ranges
        if ranges is not None and too_many(len(ranges)):
            raise TooManyMerged
        merged = None if ranges is None else tuple((a, b, c, d) for (a, b), (c, d) in ranges)
        found.append(SheetValues(name, rows, merged))
    return found


def _python_rows(rows: Iterable[list[Any]]) -> list[tuple[Any, ...]]:
    return [tuple(map(_value, row)) for row in rows]


def _value(value: Any) -> Any:
    kind = type(value)
    if kind is str:
        return value or None
    if kind is float:
        if value.is_integer() and -_EXACT_INTS < value < _EXACT_INTS:
            return int(value)
        return value
    if kind is date:
        return datetime(value.year, value.month, value.day)
    return value
