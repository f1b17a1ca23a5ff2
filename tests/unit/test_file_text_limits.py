"""PDFs built to be slow or large to read give what can be read in time, never hang the reader:
pages whose drawing is huge (alone or sharing one stream), a deflate bomb, page after page of
nothing; and a sheet of numbers only is still cancelled while it is parsed.

The time bounds here are generous behaviour bounds, not benchmarks: without the limits, the
heavy PDFs take a minute or more (about 1.5 s a page)."""

from __future__ import annotations

import time
import tracemalloc
from itertools import count
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from dxdesk.services.file_text import TEXT_SECONDS, Cancelled, text_of
from dxdesk.services.file_text.limits import BLANK_PAGES, PDF_PAGE_BYTES
from tests.unit.file_samples import blank_runs, raw_pdf, text_stream, xlsx_file

MB = 1024 * 1024
BOUND = 4 * TEXT_SECONDS  # well under the unbounded minute, well over the budget


def _timed(path: Path) -> tuple[str, float]:
    started = time.monotonic()
    text = text_of(path)
    return text, time.monotonic() - started


def test_many_heavy_pages_end_when_the_time_is_up_keeping_what_was_read(tmp_path: Path) -> None:
    # 40 pages share one 1.5 MB stream of blank text runs (each page under the size cap).
    heavy = blank_runs(1.5)
    assert len(heavy) < PDF_PAGE_BYTES
    path = raw_pdf(tmp_path / "heavy.pdf", [text_stream("Shirahama plan"), heavy], [0] + [1] * 40)
    assert path.stat().st_size < 20_000

    text, seconds = _timed(path)
    assert text == "Shirahama plan"
    assert seconds < BOUND


def test_a_page_drawing_too_much_is_skipped_and_the_next_read(tmp_path: Path) -> None:
    heavy = blank_runs(3)
    assert len(heavy) > PDF_PAGE_BYTES
    streams = [heavy, text_stream("Kushimoto minutes")]
    path = raw_pdf(tmp_path / "drawing.pdf", streams, [0] * 12 + [1])

    text, seconds = _timed(path)
    assert text == "Kushimoto minutes"  # not out of time on the heavy pages
    assert seconds < BOUND


def test_a_deflate_bomb_page_is_skipped_and_the_rest_read(tmp_path: Path) -> None:
    bomb = b" " * (100 * MB)  # deflates to about 100 KB; beyond pypdf's 75 MB output cap
    path = raw_pdf(tmp_path / "bomb.pdf", [bomb, text_stream("Tanabe budget")], [0, 1, 0, 1])
    del bomb
    assert path.stat().st_size < 1 * MB

    text, seconds = _timed(path)
    assert text == "Tanabe budget\nTanabe budget"
    assert seconds < BOUND


def test_after_many_pages_with_no_text_the_rest_is_not_read(tmp_path: Path) -> None:
    streams = [b"", text_stream("late text")]
    early = raw_pdf(tmp_path / "early.pdf", streams, [0] * (BLANK_PAGES - 1) + [1])
    late = raw_pdf(tmp_path / "late.pdf", streams, [0] * BLANK_PAGES + [1])
    assert text_of(early) == "late text"
    assert text_of(late) == ""


def test_a_file_out_of_time_gives_what_was_read(tmp_path: Path) -> None:
    path = raw_pdf(tmp_path / "plan.pdf", [text_stream("first page")], [0, 0])
    assert text_of(path, seconds=-1) == ""  # no time at all: nothing read, no exception
    assert text_of(path) == "first page\nfirst page"


def test_a_sheet_of_numbers_only_is_cancelled_while_it_is_parsed(tmp_path: Path) -> None:
    path = xlsx_file(tmp_path / "numbers.xlsx", [[n, n * 2, n * 3] for n in range(5_000)])
    asked = count()
    # The first ask (opening the sheet) lets it read; any later one, within the sheet, stops it.
    with pytest.raises(Cancelled):
        text_of(path, cancel=lambda: next(asked) > 0)


def test_pages_skipped_for_their_size_do_not_stay_in_memory(tmp_path: Path) -> None:
    # Eight pages, each its own 60 MB drawing (under pypdf's output cap): sized one at a time.
    drawing = b" " * (60 * MB)
    path = raw_pdf(tmp_path / "maps.pdf", [drawing] * 8 + [text_stream("legend")], [*range(9)])
    del drawing
    tracemalloc.start()
    try:
        text = text_of(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert text == "legend"
    assert peak < 200 * MB  # one drawing at a time, not eight (480 MB)


def test_a_page_drawing_a_huge_form_is_skipped_and_the_next_read(tmp_path: Path) -> None:
    # The page's own stream is tiny; the form it draws is not.
    streams = [b"/X1 Do\n", blank_runs(3), text_stream("Nachikatsuura map legend")]
    path = raw_pdf(tmp_path / "form.pdf", streams, [0] * 12 + [2], form=1)

    text, seconds = _timed(path)
    assert text == "Nachikatsuura map legend"
    assert seconds < BOUND


def test_a_page_with_no_drawing_at_all_is_passed_over(tmp_path: Path) -> None:
    text_page = raw_pdf(tmp_path / "text.pdf", [text_stream("after the cover")], [0])
    writer = PdfWriter()
    writer.add_blank_page(595, 842)  # a page with no /Contents
    writer.add_page(PdfReader(text_page).pages[0])
    path = tmp_path / "cover.pdf"
    writer.write(path)
    assert text_of(path) == "after the cover"
