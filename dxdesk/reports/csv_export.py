"""One kind of record as a CSV file: ``dxdesk export csv KIND -o FILE``.

The columns are those of the kind's sheet in the workbook (reports/xlsx_export.py builds the
table once for both), so the two exports never disagree. The file is UTF-8 with a BOM, which
Excel needs to read Japanese from a double-clicked CSV, with CRLF line ends (RFC 4180); text
that a spreadsheet would take for a formula goes behind an apostrophe (reports/formula_text.py);
dates are ISO (2025-06-12), times to the minute, a ratio as a whole percent as the app shows it.
Written all or nothing: a temporary file beside it replaces it once complete.
"""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

from dxdesk.domain.errors import DomainError
from dxdesk.domain.percent import format_percent
from dxdesk.models.file_writing import replace_atomically
from dxdesk.models.store import StoreError
from dxdesk.reports.formula_text import csv_text
from dxdesk.reports.xlsx_columns import Table, Value
from dxdesk.reports.xlsx_export import KIND_SHEETS, RATIO_FORMAT, build_tables
from dxdesk.services.workspace import Workspace

ENCODING = "utf-8-sig"  # UTF-8 with a BOM


class UnknownKind(DomainError):
    pass


def kind_table(workspace: Workspace, kind: str) -> Table:
    """The sheet of ``kind`` as the workbook has it; an unknown kind in words."""
    sheet = KIND_SHEETS.get(kind)
    if sheet is None:
        raise UnknownKind(
            f"{kind} という種類は CSV に書き出せません（使えるもの: {', '.join(KIND_SHEETS)}）"
        )
    return next(table for table in build_tables(workspace) if table.name == sheet)


def export_csv(workspace: Workspace, kind: str, path: Path) -> int:
    """Write the records of ``kind`` to ``path``, all or nothing; returns the rows written.

    Raises ``UnknownKind`` for a kind that has no sheet and ``StoreError`` (a message for the
    person) when the file cannot be written.
    """
    table = kind_table(workspace, kind)
    path = Path(path)

    def write(temp: Path) -> None:
        with temp.open("w", encoding=ENCODING, newline="") as stream:
            writer = csv.writer(stream, lineterminator="\r\n")
            writer.writerow(csv_text(header) for header in table.headers)
            for row in table.rows:
                writer.writerow(
                    _cell(value, table.number_formats.get(index)) for index, value in enumerate(row)
                )

    try:
        replace_atomically(path, write)
    except OSError as exc:
        raise StoreError(f"{path} に書き込めません（{exc.strerror or exc}）") from None
    return len(table.rows)


def _cell(value: Value, number_format: str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and number_format == RATIO_FORMAT:
        return format_percent(value)
    if isinstance(value, str):
        return csv_text(value)
    return str(value)
