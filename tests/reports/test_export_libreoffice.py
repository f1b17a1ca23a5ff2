"""The Excel export opened in LibreOffice: it loads without a complaint, and printed (here: to
PDF) every sheet comes out on A4 landscape, one page wide (the assessment two, 年度 and the
municipality on each), its header row on every page, the IDs left off, long text wrapped in its
column, the type big enough to read, the Japanese text there. Needs LibreOffice
(tests/soffice.py) and poppler (pdf_tools.py)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from statistics import median

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from dxdesk.imports.workbook import read_workbook
from dxdesk.reports.xlsx_columns import Table, is_machine
from dxdesk.reports.xlsx_export import (
    ENGAGEMENTS_SHEET,
    build_tables,
    export_xlsx,
)
from dxdesk.reports.xlsx_sheet import HEADER_WIDTH, LINE_HEIGHT
from dxdesk.services.workspace import open_workspace
from tests.child_process import run
from tests.reports.pdf_tools import page_texts, pdf_text, require_poppler, squash
from tests.soffice import convert

A4_LANDSCAPE = (841.89, 595.3)  # points
VISITS = 40
TITLE = "窓口BPRの相談（第{}回）"
SUMMARY = "書かない窓口の検討を始める。担当課と手順を洗い出した。\n" * 4
# One paragraph, far wider than its column: it must wrap inside it, not run over the next ones.
LONG_NOTE = "次回までに庁内で論点を整理し、申請書の様式と添付書類の一覧を見直していただく。" * 2
# The smallest print scale accepted for the visits, every column filled as a busy office would.
# LibreOffice with Calibri's metrics (Carlito, as Excel) prints them at 60%; without it, with a
# wider stand-in font, at about 50%. The export before this layout printed them at 27–33%.
READABLE_SCALE = 0.45


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
                    "type": "national_scheme" if n % 4 == 0 else "theme_consultation",
                    "mode": "対面",
                    "title": TITLE.format(n),
                    "start_time": "13:30",
                    "end_time": "15:00",
                    "place": "本庁舎3階 会議室",
                    "scheme": "informatization_advisor" if n % 4 == 0 else None,
                    "municipal_attendees": ["松本 智子", "谷口 彩", "西川 真理子"],
                    "advisor_attendees": ["清水 アドバイザー"],
                    "themes": ["窓口BPR・庁内BPR", "DX人材育成・確保"],
                    "summary": SUMMARY,
                    "notes": LONG_NOTE,
                }
            )
        ws.contacts.add({"municipality": "302015", "name": "山本 健一", "kana": "やまもと"})
        ws.assessments.add(
            {"municipality": "302031", "fiscal_year": "R6", "scores": {"0-1": 3, "D8": 3}}
        )
        path = base / "記録.xlsx"
        export_xlsx(ws, path)
        headers = [_printed(table) for table in build_tables(ws)]
    finally:
        ws.close()
    yield path, headers


def _printed(table: Table) -> list[str]:
    """The headers on paper: every one but the trailing machine columns."""
    assert table.printed_columns is not None
    return table.headers[: table.printed_columns]


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
    """A page's first printed line under ``headers``: some of them, in order, beginning with one
    of the first three (a header wrapped onto two lines prints its parts on other lines)."""
    parts = [re.escape(squash(h)) for h in headers]
    first = "|".join(parts[:3])
    return re.compile(f"(?:{first})" + "".join(f"(?:{p})?" for p in parts[1:]))


def _sheet_of_pages(sheets: list[list[str]], pages: list[str]) -> list[int]:
    """Each page's sheet (an index into ``sheets``), found by the header row it starts with;
    fails on a page that starts with anything else."""
    found: list[int] = []
    sheet = 0
    for page in pages:
        line = squash(page.strip().splitlines()[0])
        if not _header_line(sheets[sheet]).fullmatch(line):
            sheet += 1  # the next sheet begins
            assert sheet < len(sheets), f"a page starts with {line!r}"
            assert _header_line(sheets[sheet]).fullmatch(line), (sheets[sheet], line)
        found.append(sheet)
    return found


def test_each_page_starts_with_its_sheets_header_row(
    exported: tuple[Path, list[list[str]]], printed: Path
) -> None:
    """A page holding columns beyond the first page's, without the title columns, would start
    with other headers; and the header row is there again on every page of a sheet that runs
    on."""
    _, sheets = exported
    pages = page_texts(printed)
    found = _sheet_of_pages(sheets, pages)
    assert sorted(set(found)) == list(range(len(sheets)))  # every sheet printed, in order
    assert found.count(0) >= 2  # the visits run over pages, each under the header row
    assert len(pages) <= 4 * len(sheets)  # sane: a few pages for 40 visits, not hundreds
    # The assessment's one row on two pages: its items split between them, the score totals on
    # the second, and the municipality, 年度 and the header row on both.
    assessments = next(i for i, headers in enumerate(sheets) if "満点" in headers)
    first, second = (squash(pages[i]) for i, s in enumerate(found) if s == assessments)
    assert "橋本市" in first and "橋本市" in second and "R6" in first and "R6" in second
    assert "0-1" in first and "0-1" not in second
    assert "D8" in second and "合計" in second and "合計" not in first


def test_ids_stay_in_the_file_but_off_the_paper(
    exported: tuple[Path, list[list[str]]], printed: Path
) -> None:
    path, sheets = exported
    text = pdf_text(printed)
    book = load_workbook(path)
    ids = []
    for sheet, printed_headers in zip(book, sheets, strict=True):
        headers = [cell.value for cell in sheet[1]]
        assert headers[-1] == "ID"  # in the file, after the printed columns
        for column, header in enumerate(headers[len(printed_headers) :], start=1):
            assert is_machine(str(header))
            letter = get_column_letter(len(printed_headers) + column)
            ids += [c.value for c in sheet[letter][1:] if c.value]
    assert len(ids) > VISITS
    assert not re.search(r"(?<![A-Za-z])ID(?![A-Za-z])", text)  # no ID header printed
    squashed = squash(text)
    assert not [value for value in ids if str(value) in squashed]


def _words(pdf: Path, page: int) -> list[tuple[float, float, float, float, str]]:
    """Page ``page`` (1-based)'s words as (xMin, yMin, xMax, yMax, text), from pdftotext."""
    args = ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"]
    done = run(args, capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == 0, done.stderr
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<'
    return [
        (float(a), float(b), float(c), float(d), html.unescape(word))
        for a, b, c, d, word in re.findall(pattern, done.stdout)
    ]


def test_the_visits_print_big_enough_to_read_their_long_text_wrapped_in_its_column(
    exported: tuple[Path, list[list[str]]], printed: Path
) -> None:
    """Measured on paper: the words' height on the visits' first page against a sheet printed
    at full size (連絡先, one contact); and the long メモ stays between its column's edges."""
    _, sheets = exported
    found = _sheet_of_pages(sheets, page_texts(printed))
    visits = _words(printed, found.index(0) + 1)
    contacts = _words(printed, found.index(3) + 1)
    scale = median(w[3] - w[1] for w in visits) / median(w[3] - w[1] for w in contacts)
    assert scale >= READABLE_SCALE
    header_y = min(w[1] for w in visits)
    notes = next(w for w in visits if w[4] == "メモ" and w[1] - header_y < 5)
    summary = next(w for w in visits if w[4] == "概要" and w[1] - header_y < 5)
    column = notes[0] - summary[0]  # the 概要 column's width on paper, as wide as メモ's
    row_top = min(w[1] for w in visits if w[4].startswith("次回までに"))
    lines = [w for w in visits if w[0] >= notes[0] - 1 and row_top - 1 <= w[1] < row_top + 80]
    assert len({round(w[1]) for w in lines}) >= 3  # wrapped onto lines of its own
    assert max(w[2] for w in lines) <= notes[0] + column  # and within its column
    assert squash("".join(w[4] for w in lines)).startswith(LONG_NOTE[:40])


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
    original = load_workbook(path)
    assert [s.rows[0] for s in saved.sheets] == [
        tuple(c.value for c in sheet[1]) for sheet in original
    ]
    assert [s.rows[0][: len(h)] for s, h in zip(saved.sheets, headers, strict=True)] == [
        tuple(h) for h in headers
    ]
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
    header = sheets[0].index("市町村コード") + 1
    assert sheet.column_dimensions[get_column_letter(header)].width <= HEADER_WIDTH + 1
    assert sheet.cell(1, header).alignment.wrap_text
    assert (sheet.row_dimensions[1].height or 0) >= 2 * LINE_HEIGHT
