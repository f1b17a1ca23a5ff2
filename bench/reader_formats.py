"""The spreadsheet reader against openpyxl: one 2,000 × 100 table saved as .xlsx, .ods, .xls, CSV.

- **File**: 2,000 rows under a header of 100 columns, the columns cycling through what a records
  or survey sheet holds: a municipality's name, a whole number, a share (float), a date, a free
  text and a blank cell. Saved as .xlsx by openpyxl, as .xls by xlwt (BIFF8), as .ods built as
  LibreOffice saves it (``tests.imports.test_workbook_formats.ods_file``: dated cells with
  office:date-value, the million-row empty tail) and as UTF-8 CSV (dates as 2024-04-01 text).
- **Baseline**, same run, same table: openpyxl read-only iterating every cell's value of the
  .xlsx (what the reader used before python-calamine, and still the fallback).
- **Measured**: python-calamine alone over the .xlsx's cells; ``read_workbook`` (the app's reader:
  the zip and XML checks, calamine's values made openpyxl's, merged ranges) on each format.

Median of ``repeat`` runs each; no target (the survey import's 3 s in ``bench.survey_import``
covers the reader on a real export).
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import openpyxl
import xlwt

from bench.report import Context, Row, run_alone
from bench.survey_import import _calamine_cells, _openpyxl_cells
from bench.timing import median_call
from dxdesk.imports.workbook import read_workbook
from tests.imports.test_workbook_formats import LIBREOFFICE_TAIL, ods_file, ods_rows

ROWS = 2_000
COLUMNS = 100
NAMES = ("和歌山市", "海南市", "橋本市", "有田市", "御坊市", "田辺市", "新宮市")


def table() -> list[tuple[object, ...]]:
    header = tuple(f"項目{c + 1}" for c in range(COLUMNS))
    start = datetime(2024, 4, 1)
    rows: list[tuple[object, ...]] = [header]
    for r in range(ROWS):
        kinds: list[object] = [
            NAMES[r % len(NAMES)],
            r * 7 % 1000,
            (r % 97) / 4,
            start + timedelta(days=r % 365),
            f"相談 {r} の記録",
            None,
        ]
        rows.append(tuple(kinds[c % len(kinds)] for c in range(COLUMNS)))
    return rows


def write_files(folder: Path, rows: list[tuple[object, ...]]) -> dict[str, Path]:
    xlsx = folder / "table.xlsx"
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("記録")
    for row in rows:
        sheet.append(row)
    book.save(xlsx)
    xls = folder / "table.xls"
    old = xlwt.Workbook(encoding="utf-8")
    page = old.add_sheet("記録")
    dated = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, datetime):
                page.write(r, c, value, dated)
            elif value is not None:
                page.write(r, c, value)
    old.save(str(xls))
    ods = ods_file(folder / "table.ods", ods_rows(rows) + LIBREOFFICE_TAIL)
    text = folder / "table.csv"
    with text.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        for row in rows:
            writer.writerow([v.date().isoformat() if isinstance(v, datetime) else v for v in row])
    return {"xlsx": xlsx, "ods": ods, "xls": xls, "csv": text}


def _timed(work: Callable[[], object], repeat: int) -> tuple[float, list[float]]:
    return median_call(work, repeat, warm=True)  # once untimed: imports and the file cache


def _runs(times: list[float]) -> str:
    return "runs " + ", ".join(f"{t * 1000:.0f}" for t in times) + " ms"


def reader_formats(ctx: Context) -> list[Row]:
    rows = table()
    with tempfile.TemporaryDirectory(prefix="dxdesk-bench-reader-") as tmp:
        files = write_files(Path(tmp), rows)
        sizes = {kind: path.stat().st_size / 1e6 for kind, path in files.items()}
        read = read_workbook(files["xlsx"]).sheets[0].rows
        for kind in ("ods", "xls"):  # the same values whatever the format
            if read_workbook(files[kind]).sheets[0].rows != read:
                raise RuntimeError(f"the {kind} table reads otherwise than the xlsx")
        baseline, base_runs = _timed(lambda: _openpyxl_cells(files["xlsx"]), ctx.repeat)
        calamine, calamine_runs = _timed(lambda: _calamine_cells(files["xlsx"]), ctx.repeat)
        figures = {
            kind: _timed(lambda p=path: read_workbook(p), ctx.repeat)  # type: ignore[misc]
            for kind, path in files.items()
        }
    shape = f"{ROWS:,} rows × {COLUMNS} columns"
    result = [
        Row(
            f"reader baseline: openpyxl read-only, .xlsx {shape}",
            baseline,
            baseline_s=baseline,
            detail=f"{sizes['xlsx']:.1f} MB; every cell's value; {_runs(base_runs)}",
        ),
        Row(
            f"reader: python-calamine alone, .xlsx {shape}",
            calamine,
            baseline_s=baseline,
            detail=f"the same cells as Python values; {_runs(calamine_runs)}",
        ),
    ]
    notes = {
        "xlsx": "zip and XML checks, calamine's values made openpyxl's",
        "ods": "zip checks, content.xml's extent and spans, calamine",
        "xls": "calamine (BIFF8, written by xlwt)",
        "csv": "UTF-8, Python's csv module",
    }
    for kind, (seconds, times) in figures.items():
        result.append(
            Row(
                f"reader: read_workbook, .{kind} {shape}",
                seconds,
                baseline_s=baseline,
                detail=f"{sizes[kind]:.1f} MB; {notes[kind]}; {_runs(times)}",
            )
        )
    return result


if __name__ == "__main__":
    run_alone(reader_formats, prog="python -m bench.reader_formats", repeat=3)
