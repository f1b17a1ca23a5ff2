"""One table on one worksheet, laid out to be read on screen and printed (reports/xlsx_export.py
and reports/survey_workbook.py write their sheets with it).

On screen: a shaded header row with a filter, frozen under it; columns as wide as their values;
long text wrapped. On paper (Excel or LibreOffice): A4 landscape, one page wide and as many
down as it takes, the header row on every page. Every column's width is paid for in type size
on paper, so a long header wraps rather than widening its column, and the rows holding wrapped
text are given their height, which neither Excel nor LibreOffice works out on opening the file.
"""

from __future__ import annotations

import unicodedata
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
MAX_WIDTH = 50
MIN_WIDTH = 8
# The most a header widens its column: about six full-width characters and the filter button.
# The 26 assessment items as wide as their names printed the sheet at a fifth of its type size.
HEADER_WIDTH = 15
LINE_HEIGHT = 16  # points: a line of 11-point Japanese text (Excel's default row is 15)
MAX_ROW_HEIGHT = 409  # points: the tallest row Excel allows
CELL_TEXT_LIMIT = 32_767  # the most characters an Excel cell holds
TRUNCATED_MARK = "…（Excel のセルに入りきらないため以下省略）"

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_HEADER_ALIGN = Alignment(wrap_text=True, vertical="center")
_WRAP = Alignment(wrap_text=True, vertical="top")


def write_sheet(sheet: Worksheet, table: Table) -> None:
    """``table`` on ``sheet``: a shaded header row with a filter, frozen under it; a text that
    looks like a formula kept as text; dates and number formats; columns fitted to their values
    (a long header wraps rather than widening its column); A4 landscape."""
    sheet.title = table.name
    # Room for the filter button; a longer header wraps onto a taller header row.
    widths = [min(HEADER_WIDTH, _display_width(h) + 3) for h in table.headers]
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
            if isinstance(value, str):
                if looks_like_formula(value):
                    cell.data_type = "s"  # a note, not a formula to run
                    cell.quotePrefix = True  # and still text once edited or saved as CSV
                if "\n" in value or _display_width(value) > MAX_WIDTH:
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
    _page_setup(sheet)
    last_column = get_column_letter(len(table.headers))
    sheet.auto_filter.ref = f"A1:{last_column}{len(table.rows) + 1}"
    fitted = [min(MAX_WIDTH, max(MIN_WIDTH, width + 1)) for width in widths]
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


def _lines(text: str, width: float) -> int:
    """How many lines ``text`` takes wrapped in a column ``width`` units wide: full-width text
    wraps at any character, so its width is what counts (a little short of the column's, for
    the cell's padding)."""
    room = max(1.0, width - 1)
    return sum(max(1, ceil(_display_width(line) / room)) for line in text.split("\n"))


def _page_setup(sheet: Worksheet) -> None:
    """A4 landscape, as many pages down as it takes but one across, the header on each page."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # 0: no limit
    sheet.print_title_rows = "1:1"
    sheet.print_options.gridLines = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4  # inches
    sheet.page_margins.top = sheet.page_margins.bottom = 0.5


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
