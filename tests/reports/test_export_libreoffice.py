"""The Excel export opened in LibreOffice: it loads without a complaint, and printed (here: to
PDF) every sheet comes out on A4 landscape, one page wide, its header row on every page, the
Japanese text there. Needs LibreOffice (tests/soffice.py) and poppler (pdf_tools.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from dxdesk.imports.workbook import read_workbook
from dxdesk.reports.xlsx_export import ENGAGEMENTS_SHEET, build_tables, export_xlsx
from dxdesk.reports.xlsx_sheet import HEADER_WIDTH, LINE_HEIGHT
from dxdesk.services.workspace import open_workspace
from tests.child_process import run
from tests.reports.pdf_tools import page_texts, require_poppler, squash
from tests.soffice import convert

A4_LANDSCAPE = (841.89, 595.3)  # points
VISITS = 40
TITLE = "窓口BPRの相談（第{}回）"
SUMMARY = "書かない窓口の検討を始める。担当課と手順を洗い出した。\n" * 4


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list[list[str]]]]:
    """A workspace's export (enough visits, with wrapped text, for the sheet to run over
    pages) and each sheet's header row, first sheet first."""
    base = tmp_path_factory.mktemp("libreoffice")
    ws = open_workspace(base / "data")
    try:
        for n in range(1, VISITS + 1):
            ws.engagements.add(
                {
                    "municipality": "302015" if n % 2 else "302023",
                    "date": f"2025-06-{n % 28 + 1:02d}",
                    "type": "visit",
                    "mode": "対面",
                    "title": TITLE.format(n),
                    "themes": ["窓口BPR・庁内BPR"],
                    "summary": SUMMARY,
                }
            )
        ws.contacts.add({"municipality": "302015", "name": "山本 健一", "kana": "やまもと"})
        ws.assessments.add(
            {"municipality": "302031", "fiscal_year": "R6", "scores": {"0-1": 3, "D8": 3}}
        )
        path = base / "記録.xlsx"
        export_xlsx(ws, path)
        headers = [table.headers for table in build_tables(ws)]
    finally:
        ws.close()
    yield path, headers


@pytest.fixture(scope="module")
def printed(
    exported: tuple[Path, list[list[str]]], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    require_poppler()
    converted = convert(exported[0], "pdf", tmp_path_factory.mktemp("soffice-pdf"))
    assert converted.complaints == []
    return converted.path


def _page_sizes(pdf: Path) -> list[tuple[float, float]]:
    info = run(["pdfinfo", "-f", "1", "-l", "9999", str(pdf)], capture_output=True, text=True)
    assert info.returncode == 0, info.stderr
    found = re.findall(r"^Page +\d+ size: +([\d.]+) x ([\d.]+) pts", info.stdout, re.MULTILINE)
    return [(float(width), float(height)) for width, height in found]


def test_every_page_is_a4_landscape(printed: Path) -> None:
    sizes = _page_sizes(printed)
    assert len(sizes) == len(page_texts(printed))
    for width, height in sizes:
        assert abs(width - A4_LANDSCAPE[0]) < 1 and abs(height - A4_LANDSCAPE[1]) < 1


def _header_line(headers: list[str]) -> re.Pattern[str]:
    """A page's first printed line under ``headers``: the first and the last header with, in
    order, the ones between (a header wrapped onto two lines prints its parts on other lines)."""
    parts = [re.escape(squash(h)) for h in headers]
    return re.compile(parts[0] + "".join(f"(?:{p})?" for p in parts[1:-1]) + parts[-1])


def test_each_page_starts_with_its_sheets_whole_header_row(
    exported: tuple[Path, list[list[str]]], printed: Path
) -> None:
    """One page wide: a page holding the columns beyond the first page's would start with
    other headers; and the header row again on every page of a sheet that runs on."""
    _, sheets = exported
    pages = page_texts(printed)
    sheet = 0
    pages_of = [0] * len(sheets)
    for page in pages:
        line = squash(page.strip().splitlines()[0])
        if not _header_line(sheets[sheet]).fullmatch(line):
            sheet += 1  # the next sheet begins
            assert sheet < len(sheets), f"a page starts with {line!r}"
            assert _header_line(sheets[sheet]).fullmatch(line), (sheets[sheet], line)
        pages_of[sheet] += 1
    assert sheet == len(sheets) - 1  # every sheet printed, in order
    assert pages_of[0] >= 2  # the visits run over pages, each under the header row
    assert len(pages) <= 3 * len(sheets)  # sane: a few pages for 40 visits, not hundreds


def test_japanese_text_is_printed(printed: Path) -> None:
    text = squash("".join(page_texts(printed)))
    for n in (1, VISITS):
        assert squash(TITLE.format(n)) in text
    assert "山本健一" in text


def test_libreoffice_opens_it_without_a_complaint(
    exported: tuple[Path, list[list[str]]], tmp_path: Path
) -> None:
    path, headers = exported
    converted = convert(path, "ods", tmp_path)
    assert converted.complaints == []
    saved = read_workbook(converted.path)  # what LibreOffice made of it, read back
    assert saved.kind == "ods"
    assert [s.rows[0] for s in saved.sheets] == [tuple(h) for h in headers]
    original = load_workbook(path)
    assert [len(s.rows) for s in saved.sheets] == [sheet.max_row for sheet in original]


def test_wrapped_text_gets_the_rows_height_neither_program_gives_it(
    exported: tuple[Path, list[list[str]]],
) -> None:
    """LibreOffice keeps a row at one line on opening the file, printing its wrapped text over
    the rows below; a header longer than its column wraps instead of widening it."""
    path, sheets = exported
    sheet = load_workbook(path)[ENGAGEMENTS_SHEET]
    summary_rows = [row for row in range(2, sheet.max_row + 1) if sheet.cell(row, 1).value]
    assert all((sheet.row_dimensions[r].height or 0) >= 4 * LINE_HEIGHT for r in summary_rows)
    header = sheets[0].index("出席者（アドバイザー）") + 1
    assert sheet.column_dimensions[get_column_letter(header)].width <= HEADER_WIDTH + 1
    assert sheet.cell(1, header).alignment.wrap_text
    assert (sheet.row_dimensions[1].height or 0) >= 2 * LINE_HEIGHT
