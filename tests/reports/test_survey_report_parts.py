"""The parts that keep the 30 survey reports fast, held to drawing what they drew before: a
short table cell drawn as a plain string lands where its paragraph did, a paragraph's lines
reused only for the same text and width, the year's figures gathered once, landscape pages
from build_pdf, and reportlab's C accelerator in use."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageChops
from reportlab.lib.units import mm

from dxdesk.domain.survey_stats import Distribution
from dxdesk.reports.document import (
    CONTENT_WIDTH,
    LANDSCAPE,
    build_pdf,
    fits_one_line,
    para,
    styles,
    table,
)
from dxdesk.reports.glyphs import FONT
from dxdesk.reports.linebreak import break_lines
from dxdesk.reports.survey_data import survey_year
from dxdesk.services.workspace import Workspace, open_workspace
from tests.child_process import run
from tests.reports.pdf_tools import first_page_png, pdf_text, require_poppler, squash
from tests.reports.survey_answers import FISCAL_YEAR, MINABE, QUESTIONS, add_survey

MADE_AT = datetime(2024, 7, 1, 9, 30).astimezone()
LONG = "住民向けのスマホ教室を公民館で月に一度開いています。" * 3


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    workspace = open_workspace(tmp_path_factory.mktemp("parts") / "data")
    add_survey(workspace)
    yield workspace
    workspace.close()


def _pdf(path: Path, story: list[Any], **page: Any) -> Path:
    return build_pdf(
        path, story, title="表", municipality="和歌山市", made_at=MADE_AT, unsynced=None, **page
    )


def test_a_cell_fits_one_line_only_when_short_plain_and_in_the_main_font() -> None:
    size, room = 9, 26 * mm - 8
    assert fits_one_line("12（40%）", FONT, size, room)
    assert fits_one_line("専任の部署", FONT, size, room)
    assert not fits_one_line(LONG, FONT, size, room)  # it wraps: a paragraph breaks it
    assert not fits_one_line("一行目\n二行目", FONT, size, 500)
    assert not fits_one_line(" 前に空白", FONT, size, 500)  # a paragraph would trim it
    assert not fits_one_line("𠮷田", FONT, size, 500)  # 𠮷: only the fallback font has it
    assert not fits_one_line("", FONT, size, 500)


def test_a_short_cell_is_a_string_and_lands_where_its_paragraph_did(tmp_path: Path) -> None:
    require_poppler()
    s = styles()
    rows = [["県全体", "12（40%）"], ["𠮷田町", LONG]]
    plain = table(["区分", "値"], rows, [35 * mm, CONTENT_WIDTH - 35 * mm])
    cells = plain._cellvalues  # what reportlab draws
    assert cells[1] == ["県全体", "12（40%）"]
    assert not isinstance(cells[2][0], str) and not isinstance(cells[2][1], str)
    # The same table with every cell a paragraph, as table() made them before.
    header: list[Any] = [para(v, s.cell_head) for v in ["区分", "値"]]
    as_paragraphs = [[para(v, s.cell) for v in row] for row in rows]
    drawn = table(header, as_paragraphs, [35 * mm, CONTENT_WIDTH - 35 * mm])
    first = first_page_png(_pdf(tmp_path / "plain.pdf", [plain]), tmp_path / "plain", dpi=100)
    second = first_page_png(_pdf(tmp_path / "para.pdf", [drawn]), tmp_path / "para", dpi=100)
    with Image.open(first) as a, Image.open(second) as b:
        assert ImageChops.difference(a.convert("L"), b.convert("L")).getbbox() is None
    text = squash(pdf_text(tmp_path / "plain.pdf"))
    assert "県全体12（40%）" in text and "𠮷田町" in text


def test_lines_are_reused_only_for_the_same_text_style_and_width() -> None:
    s = styles()
    narrow, wide = 120.0, 300.0
    first = para(LONG, s.body)
    first.wrap(narrow, 1000)
    again = para(LONG, s.body)
    again.wrap(narrow, 1000)
    other = para(LONG, s.body)
    other.wrap(wide, 1000)
    small = para(LONG, s.small)
    small.wrap(narrow, 1000)

    def expected(size: float, width: float) -> list[str]:
        return [line for _extra, line in break_lines(LONG, FONT, size, [width])]

    assert first.printed_lines == again.printed_lines == expected(s.body.fontSize, narrow)
    assert other.printed_lines == expected(s.body.fontSize, wide)
    assert small.printed_lines == expected(s.small.fontSize, narrow)
    assert len(other.printed_lines) < len(first.printed_lines)
    assert len(small.printed_lines) < len(first.printed_lines)


def test_the_years_figures_are_gathered_once_and_per_region(ws: Workspace) -> None:
    year = survey_year(ws, FISCAL_YEAR)
    read = year.response_of(MINABE)
    assert read is not None
    choice = read.definition.by_code[str(QUESTIONS[1]["code"])]
    prefecture = year.figures_of(choice, read.definition)
    region = year.figures_of(choice, read.definition, read.region)
    assert isinstance(prefecture, Distribution) and isinstance(region, Distribution)
    assert year.figures_of(choice, read.definition) is prefecture  # not gathered again
    assert (prefecture.respondents, region.respondents) == (4, 1)  # 日高 holds Minabe only
    assert {t.value: t.count for t in region.tallies} == {"a": 0, "b": 0, "c": 1}


def test_build_pdf_lays_out_a_landscape_page_with_the_same_furniture(tmp_path: Path) -> None:
    require_poppler()
    wide = table(
        ["市町村", "回答"], [["和歌山市", "あり"]], [30 * mm, LANDSCAPE.content_width - 30 * mm]
    )
    path = _pdf(tmp_path / "wide.pdf", [wide], page=LANDSCAPE)
    info = run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert "841.89 x 595.276 pts (A4)" in info  # on its side
    text = squash(pdf_text(path))
    assert "表和歌山市" in text and "1/1" in text and "和歌山市あり" in text


def test_reportlab_runs_its_c_accelerator() -> None:
    # rl_accel is a dependency: without it reportlab's pure-Python fallbacks make the 30
    # survey reports about a third slower.
    from reportlab.lib import rl_accel

    assert rl_accel.fp_str.__module__ == "_rl_accel"
