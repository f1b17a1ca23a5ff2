"""What every printable report shares: A4, the bundled Japanese font, header and footer.

A report builds a story with :func:`para`, :func:`paras` and :func:`table` and hands it to
:func:`build_pdf`, which frames each page with title, municipality, "n / N", when it was made
and whether the data had unsynced changes. Line breaking is ours: reportlab's CJK wrap hangs a
closing mark past the right edge (over a cell border or the margin) and moves only one, so
"。」" could still start a line with "」"; :func:`break_lines` pushes characters down instead.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache, lru_cache, partial
from pathlib import Path
from typing import Any, Final

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, LongTable, PageTemplate, Spacer
from reportlab.platypus import TableStyle as _TableStyle

from dxdesk.domain.errors import DomainError
from dxdesk.domain.fiscal_year import format_date_ja
from dxdesk.reports.glyphs import FONT as FONT
from dxdesk.reports.glyphs import draw_string, glyphs, runs
from dxdesk.reports.glyphs import register_fonts as register_fonts
from dxdesk.reports.linebreak import JapaneseParagraph, plain_text

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN: Final = 20 * mm
CONTENT_WIDTH: Final = PAGE_WIDTH - 2 * MARGIN
SYNCED: Final = "同期済み"
UNSYNCED: Final = "未同期の変更あり"
CONFIDENTIAL: Final = "取扱注意"
STAMP_RED: Final = colors.HexColor("#c8102e")


class ReportError(DomainError):
    """The report cannot be written as asked; the message is one line for a person."""


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_head: ParagraphStyle


@cache
def styles() -> Styles:
    font = register_fonts()

    def style(name: str, size: float, before: float = 0, after: float = 0, **extra: Any) -> Any:
        settings = {"fontName": font, "bulletFontName": font, "leading": size * 1.6, **extra}
        space = {"spaceBefore": before * mm, "spaceAfter": after * mm}
        return ParagraphStyle(name, fontSize=size, wordWrap="CJK", **space, **settings)

    navy, grey = colors.HexColor("#1f3a5f"), colors.HexColor("#555555")
    return Styles(
        title=style("title", 16, 0, 5, alignment=1),
        heading=style("heading", 12, 5, 2, textColor=navy, keepWithNext=1),
        subheading=style("subheading", 10.5, 3, 1, keepWithNext=1),
        body=style("body", 10),
        small=style("small", 8.5, textColor=grey),
        cell=style("cell", 9, leading=13.5),
        cell_head=style("cell_head", 9, leading=13.5),
    )


# Lines already broken, by (text, style, widths): a batch of reports repeats each question's
# text, headings and choice labels in every report. Bounded: emptied when it grows past this.
_BROKEN_LIMIT: Final = 4096
_broken: dict[tuple[str, ParagraphStyle, tuple[float, ...]], tuple[Any, list[str]]] = {}


class _Paragraph(JapaneseParagraph):
    """A JapaneseParagraph that reuses the lines of the same text broken in the same style and
    widths (reportlab only reads them once made; they are never changed)."""

    def breakLinesCJK(self, maxWidths: Any) -> Any:
        if not self.frags:
            return super().breakLinesCJK(maxWidths)
        widths = tuple(maxWidths) if isinstance(maxWidths, list | tuple) else (maxWidths,)
        key = (self.plain, self.style, widths)
        known = _broken.get(key)
        if known is None:
            if len(_broken) >= _BROKEN_LIMIT:
                _broken.clear()
            known = _broken[key] = (super().breakLinesCJK(maxWidths), self.printed_lines)
        self.printed_lines = list(known[1])
        return known[0]

    breakLines = breakLinesCJK


def para(text: str, style: ParagraphStyle) -> JapaneseParagraph:
    """One paragraph of plain text: ``& < >`` print as themselves, line breaks are kept."""
    return _Paragraph(text, style)


def paras(text: str, style: ParagraphStyle) -> list[Any]:
    """Long text as one paragraph per line (blank lines as space), to flow across pages."""
    story: list[Any] = []
    for line in plain_text(text).split("\n"):
        if line.strip():
            story.append(_Paragraph(line, style))
        else:
            story.append(Spacer(1, style.leading * 0.6))
    while story and isinstance(story[-1], Spacer):
        story.pop()
    return story


# -- tables ------------------------------------------------------------------------------

GRID: Final = colors.HexColor("#8a8a8a")
SHADE: Final = colors.HexColor("#e8edf3")


def table(
    header: Sequence[str] | None,
    rows: Sequence[Sequence[Any]],
    col_widths: Sequence[float],
    *,
    label_column: bool = False,
) -> LongTable:
    """A ruled table; a string cell that fits its column on one line is drawn as it is, a
    longer one becomes a paragraph. The header repeats on every page; a row too tall for the
    rest of a page splits inside; ``label_column`` shades column one."""
    s = styles()
    # Padding 4 pt each side (below): what a paragraph in the cell has to break its lines in.
    room = [float(w) - 8 for w in col_widths]

    def cell(value: Any, style: ParagraphStyle, column: int) -> Any:
        if not isinstance(value, str):
            return value
        if fits_one_line(value, style.fontName, style.fontSize, room[column]):
            return value
        return para(value, style)

    data = [[cell(v, s.cell_head, i) for i, v in enumerate(header)]] if header is not None else []
    data += [
        [cell(v, s.cell_head if label_column and i == 0 else s.cell, i) for i, v in enumerate(row)]
        for row in rows
    ]
    everywhere = ((0, 0), (-1, -1))
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", *everywhere, FONT),  # else the default Helvetica is named in the file
        # A string cell is set as a one-line paragraph of the cell style would be: the same
        # size, and a leading that gives the row the same height and the text the same baseline.
        ("FONTSIZE", *everywhere, s.cell.fontSize),
        ("LEADING", *everywhere, s.cell.leading),
        ("GRID", *everywhere, 0.5, GRID),
        ("VALIGN", *everywhere, "TOP"),
        *[(f"{side}PADDING", *everywhere, 4) for side in ("LEFT", "RIGHT", "BOTTOM")],
        ("TOPPADDING", *everywhere, 3),
    ]
    if header is not None:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), SHADE))
    if label_column:
        commands.append(("BACKGROUND", (0, 0), (0, -1), SHADE))
    return LongTable(
        data,
        colWidths=list(col_widths),
        repeatRows=1 if header is not None else 0,
        splitByRow=1,
        splitInRow=1,
        style=_TableStyle(commands),
        hAlign="LEFT",
    )


@lru_cache(maxsize=8192)
def fits_one_line(text: str, font: str, size: float, width: float) -> bool:
    """Does ``text`` print as one line of ``width`` in ``font`` with no other font's glyph?
    Then a table draws it as a plain string, exactly where a paragraph would set it, without
    the paragraph's markup parsing and line breaking (the tables hold thousands of cells)."""
    if not text or "\n" in text or text != text.strip() or plain_text(text) != text:
        return False
    if runs(glyphs(text, font)) != [(font, text)]:
        return False  # a fallback glyph or a variation alias: the paragraph draws those
    return bool(pdfmetrics.stringWidth(text, font, size) <= width + 1e-6)


# -- the page and the file ---------------------------------------------------------------


@dataclass(frozen=True)
class PageLayout:
    """An A4 page's orientation and where its furniture goes (distances from the edges)."""

    size: tuple[float, float]
    header: float  # the header's baseline, from the top
    top_rule: float  # the rule under it, from the top
    bottom_rule: float  # the rule over the footer, from the bottom
    footer: float  # the footer's baseline, from the bottom
    frame_bottom: float  # the story's frame, from the bottom
    frame_top: float  # and from the top

    @property
    def content_width(self) -> float:
        return float(self.size[0] - 2 * MARGIN)


PORTRAIT: Final = PageLayout(A4, 15 * mm, 18 * mm, 15 * mm, 11 * mm, 20 * mm, 24 * mm)
# Landscape (tables with a column per municipality, long lists): the furniture sits closer to
# the edges, as the short page needs its height for the story.
LANDSCAPE: Final = PageLayout(landscape(A4), 13 * mm, 16 * mm, 13 * mm, 9 * mm, 17 * mm, 19 * mm)


class _FramedCanvas(Canvas):  # type: ignore[misc]
    """Holds pages back until the end, so each footer can say "n / N"."""

    def __init__(
        self,
        *args: Any,
        furniture: tuple[str, str, bool],
        layout: PageLayout = PORTRAIT,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._header, self._footer, self._confidential = furniture
        self._layout = layout
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, page in enumerate(self._pages, start=1):
            self.__dict__.update(page)
            self._draw_furniture(number, total)
            super().showPage()
        super().save()

    def _draw_furniture(self, number: int, total: int) -> None:
        layout = self._layout
        width, top = layout.size
        right = width - MARGIN
        self.saveState()
        self.setFillColor(colors.HexColor("#444444"))
        self.setFont(FONT, 8.5)
        # A header or footer may name a person or place in a character only the fallback has.
        draw_string(self, MARGIN, top - layout.header, self._header, FONT, 8.5)
        draw_string(self, MARGIN, layout.footer, self._footer, FONT, 8.5)
        self.setFont(FONT, 8.5)
        self.drawRightString(right, layout.footer, f"{number} / {total}")
        self.setStrokeColor(GRID)
        self.setLineWidth(0.5)
        self.line(MARGIN, top - layout.top_rule, right, top - layout.top_rule)
        self.line(MARGIN, layout.bottom_rule, right, layout.bottom_rule)
        if self._confidential:
            stamp_width, stamp_height = 27 * mm, 9 * mm
            self.setStrokeColor(STAMP_RED)
            self.setFillColor(STAMP_RED)
            self.setLineWidth(1.4)
            self.rect(right - stamp_width, top - 8 * mm - stamp_height, stamp_width, stamp_height)
            self.setFont(FONT, 13)
            self.drawCentredString(
                right - stamp_width / 2, top - 8 * mm - stamp_height + 2.6 * mm, CONFIDENTIAL
            )
        self.restoreState()


def build_pdf(
    path: Path,
    story: Sequence[Any],
    *,
    title: str,
    municipality: str,
    made_at: datetime,
    unsynced: bool | None,
    confidential: bool = False,
    page: PageLayout = PORTRAIT,
) -> Path:
    """Write ``story`` as an A4 PDF at ``path`` (whole or not at all) and return the path.
    ``unsynced`` None leaves the sync state out of the footer (a copy to hand out);
    ``municipality`` is the header's subject after the title; ``page``: PORTRAIT or LANDSCAPE
    (then the story's widths are ``LANDSCAPE.content_width``)."""
    register_fonts()
    path = Path(path).expanduser().resolve()
    if not path.parent.is_dir():
        raise ReportError(f"出力先のフォルダ {path.parent} がありません")
    made = f"{format_date_ja(made_at.date())} {made_at:%H:%M}"
    state = "" if unsynced is None else f"　{UNSYNCED if unsynced else SYNCED}"
    furniture = (f"{title}　{municipality}", f"作成 {made}{state}", confidential)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".pdf", dir=path.parent)
    except OSError as exc:
        raise ReportError(f"{path.parent} に書き込めません: {exc.strerror}") from None
    os.close(fd)
    try:
        doc = BaseDocTemplate(
            tmp_name,
            pagesize=page.size,
            title=title,
            subject=municipality,
            author="DX Desk",
            creator="DX Desk",
            lang="ja-JP",
            initialFontName=FONT,  # else every page names an unembedded Helvetica
        )
        # Frame padding 0: a table as wide as CONTENT_WIDTH fits between the margins exactly.
        height = page.size[1] - page.frame_bottom - page.frame_top
        frame = Frame(MARGIN, page.frame_bottom, page.content_width, height, 0, 0, 0, 0)
        doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
        canvas = partial(_FramedCanvas, furniture=furniture, layout=page)
        doc.build(list(story), canvasmaker=canvas)
        Path(tmp_name).replace(path)
    except BaseException as exc:
        Path(tmp_name).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise ReportError(f"{path} を書けません: {exc.strerror}") from None
        raise
    return path
