"""One table on one worksheet, laid out to be read on screen and printed (reports/xlsx_export.py
and reports/survey_workbook.py write their sheets with it).

On screen: a shaded header row with a filter, frozen under it; columns as wide as their values
up to a cap; longer text wrapped. On paper (Excel or LibreOffice): A4 landscape, one page wide
(or, for a table too wide to read that way, a few with its title columns on each) and as many
down as it takes, the header row on every page, the machine columns (IDs) left off. Every
column's width is paid for in type size on paper, so a long header wraps rather than widening
its column, text wraps at a width (long text at a larger one), and the rows holding wrapped
text are given their height, which neither Excel nor LibreOffice works out on opening the file.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from math import ceil
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from dxdesk.models.file_writing import replace_atomically
from dxdesk.models.store import StoreError
from dxdesk.reports.formula_text import looks_like_formula
from dxdesk.reports.xlsx_columns import Table, Value

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
RATIO_FORMAT = "0%"  # Excel rounds half away from zero, as domain.percent does
# Every column's width is paid for in type size on paper: a page of A4 landscape holds about 150
# units at 100% (Excel, Calibri 11; fewer where LibreOffice lacks Calibri or Carlito).
# The widest a column gets: long text (概要, メモ, 本文…: Table.long_text) wraps at 13
# full-width characters, any other text (件名, lists of names or themes) at 6.
MAX_WIDTH = 28
SHORT_WIDTH = 15
MIN_WIDTH = 8
# The most a header widens its column: three full-width characters and the filter button.
# The 26 assessment items as wide as their names printed the sheet at a fifth of its type size.
HEADER_WIDTH = 9
# The widest a sheet prints on one page and stays readable: 11-point text at about 60%.
READABLE_WIDTH = 230
LINE_HEIGHT = 16  # points: a line of 11-point Japanese text (Excel's default row is 15)
MAX_ROW_HEIGHT = 409  # points: the tallest row Excel allows
CELL_TEXT_LIMIT = 32_767  # the most characters an Excel cell holds
TRUNCATED_MARK = "…（Excel のセルに入りきらないため以下省略）"

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_HEADER_ALIGN = Alignment(wrap_text=True, vertical="center")
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")  # beside a wrapped cell, a value stays on its row's first line


def write_sheet(sheet: Worksheet, table: Table) -> None:
    """``table`` on ``sheet``: a shaded header row with a filter, frozen under it; a text that
    looks like a formula kept as text; dates and number formats; columns fitted to their values
    (a long header wraps rather than widening its column); A4 landscape."""
    sheet.title = table.name
    # Room for the filter button; a longer header wraps onto a taller header row.
    widths = [min(HEADER_WIDTH, _display_width(h) + 3) for h in table.headers]
    caps = [_cap(table, index) for index in range(len(table.headers))]
    for column, header in enumerate(table.headers, start=1):
        cell = sheet.cell(row=1, column=column, value=header)
        cell.font, cell.fill, cell.alignment = _HEADER_FONT, _HEADER_FILL, _HEADER_ALIGN
    wrapped: dict[int, list[tuple[int, str]]] = {}  # row -> (column index, text) that wraps
    for row_number, row in enumerate(table.rows, start=2):
        for index, raw in enumerate(row):
            value = _cell_value(raw)
            if value is None or value == "":
                continue
            cell = sheet.cell(row=row_number, column=index + 1, value=value)
            cell.alignment = _TOP
            if isinstance(value, str):
                if looks_like_formula(value):
                    cell.data_type = "s"  # a note, not a formula to run
                    cell.quotePrefix = True  # and still text once edited or saved as CSV
                if "\n" in value or _display_width(value) > caps[index]:
                    cell.alignment = _WRAP
                    wrapped.setdefault(row_number, []).append((index, value))
            elif isinstance(value, datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(value, date):
                cell.number_format = DATE_FORMAT
            elif index in table.number_formats:
                cell.number_format = table.number_formats[index]
            widths[index] = max(widths[index], _value_width(value, index in table.number_formats))
    sheet.freeze_panes = "A2"
    last_column = get_column_letter(len(table.headers))
    sheet.auto_filter.ref = f"A1:{last_column}{len(table.rows) + 1}"
    fitted = [min(cap, max(MIN_WIDTH, width + 1)) for cap, width in zip(caps, widths, strict=True)]
    _page_setup(sheet, table, fitted)
    for index, width in enumerate(fitted, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    header_lines = max(
        (_lines(header, width - 2) for header, width in zip(table.headers, fitted, strict=True)),
        default=1,
    )
    if header_lines > 1:
        sheet.row_dimensions[1].height = LINE_HEIGHT * header_lines
    for row_number, cells in wrapped.items():
        lines = max(_lines(text, fitted[index]) for index, text in cells)
        if lines > 1:
            sheet.row_dimensions[row_number].height = min(MAX_ROW_HEIGHT, LINE_HEIGHT * lines)


def _cap(table: Table, index: int) -> int:
    """The widest column ``index`` gets: text wider than that wraps."""
    if table.long_text is None or index in table.long_text:
        return MAX_WIDTH
    return SHORT_WIDTH


def _lines(text: str, width: float) -> int:
    """How many lines ``text`` takes wrapped in a column ``width`` units wide: full-width text
    wraps at any character, so its width is what counts (a little short of the column's, for
    the cell's padding)."""
    room = max(1.0, width - 1)
    return sum(max(1, ceil(_display_width(line) / room)) for line in text.split("\n"))


def _page_setup(sheet: Worksheet, table: Table, widths: Sequence[float]) -> None:
    """A4 landscape, as many pages down as it takes, the header on each page; the machine
    columns (xlsx_columns.is_machine) left off. One page across, unless that would shrink the
    type below READABLE_WIDTH and the table names its title columns: then as many pages across
    as keep it readable, the title columns repeated on each."""
    printed = table.printed_columns or len(table.headers)
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = pages_across(widths[:printed], table.title_columns)
    sheet.page_setup.fitToHeight = 0  # 0: no limit
    sheet.print_title_rows = "1:1"
    if sheet.page_setup.fitToWidth > 1:
        sheet.print_title_cols = f"A:{get_column_letter(table.title_columns)}"
        sheet.page_setup.pageOrder = "overThenDown"  # a row's second half on the next page
    if printed < len(table.headers):
        sheet.print_area = f"A1:{get_column_letter(printed)}{len(table.rows) + 1}"
    sheet.print_options.gridLines = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4  # inches
    sheet.page_margins.top = sheet.page_margins.bottom = 0.5


def pages_across(widths: Sequence[float], title_columns: int) -> int:
    """How many pages wide a sheet of columns ``widths`` prints: one if it fits at a readable
    size, else (when it has title columns, repeated on each page) as many as keep it readable."""
    total = sum(widths)
    if total <= READABLE_WIDTH or title_columns <= 0:
        return 1
    titles = sum(widths[:title_columns])
    return ceil((total - titles) / (READABLE_WIDTH - titles))


def _cell_value(value: Value) -> Value:
    if not isinstance(value, str):
        return value
    text: str = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters Excel refuses
    if len(text) > CELL_TEXT_LIMIT:
        text = text[: CELL_TEXT_LIMIT - len(TRUNCATED_MARK)] + TRUNCATED_MARK
    return text


def _value_width(value: Any, formatted: bool) -> int:
    if isinstance(value, str):
        return max(_display_width(line) for line in value.split("\n"))
    if isinstance(value, datetime):
        return len(DATETIME_FORMAT)
    if isinstance(value, date):
        return len(DATE_FORMAT)
    if formatted and isinstance(value, int):
        return len(f"{value:,}")  # a size in bytes, with its thousands separators
    return len("100%" if formatted else str(value))


def _display_width(text: str) -> int:
    """Width in Excel's character units: full-width characters count twice."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def save_atomically(wb: Workbook, path: Path) -> None:
    """Save whole or not at all (models/file_writing.py); a file error in words."""
    try:
        replace_atomically(path, wb.save)
    except OSError as exc:
        raise StoreError(f"{path} に書き込めません（{exc.strerror or exc}）") from None
