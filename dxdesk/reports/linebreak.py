"""Japanese line breaking (kinsoku) for report paragraphs.

reportlab's CJK wrap hangs a closing mark past the right edge (over a cell border or the
margin) and moves only one, so "。」" could still start a line with "」". :func:`break_lines`
pushes characters down instead: no line starts with a closing mark or ends with an opening one,
and no line is ever wider than its width.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.textsplit import ALL_CANNOT_END, ALL_CANNOT_START
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import FragLine

from dxdesk.reports.glyphs import Glyph, glyphs, runs

# No line starts with these (closing marks, stops, small kana, ...) nor ends with the openers.
NO_LINE_START: Final = frozenset(
    ALL_CANNOT_START + "！？‼⁇⁈⁉：；，．〕〉》」』】〙〗〟’”｠»ゝゞヽヾ〜～"
)
NO_LINE_END: Final = frozenset(ALL_CANNOT_END + "（〔［｛〈《「『【〘〖〝‘“｟«([{")


_widths: dict[tuple[str, float], dict[str, float]] = {}


def _glyph_widths(units: Sequence[Glyph], size: float) -> list[float]:
    widths: list[float] = []
    for unit in units:
        known = _widths.setdefault((unit.font, size), {})
        if unit.code not in known:
            known[unit.code] = pdfmetrics.stringWidth(unit.code, unit.font, size)
        widths.append(known[unit.code])
    return widths


def _can_break(units: Sequence[Glyph], i: int) -> bool:
    """May a line end between ``units[i - 1]`` and ``units[i]``?"""
    before, after = units[i - 1].text[0], units[i].text[0]
    if after in NO_LINE_START or before in NO_LINE_END:
        return False
    # Latin words and numbers stay whole; spaces and the edges of Japanese text are breaks.
    return not (before.isascii() and after.isascii() and not before.isspace() and after != " ")


def break_lines(
    text: str, font: str, size: float, widths: Sequence[float]
) -> list[tuple[float, str]]:
    """Lines of ``text`` as (unused width, line); the n-th line fits ``widths[n]`` (or the last).

    See :func:`break_glyph_lines`.
    """
    return [
        (extra, "".join(unit.text for unit in line))
        for extra, line in break_glyph_lines(text, font, size, widths)
    ]


def break_glyph_lines(
    text: str, font: str, size: float, widths: Sequence[float]
) -> list[tuple[float, list[Glyph]]]:
    """Lines of ``text`` as (unused width, the glyphs that print the line).

    Kept line breaks stay; a line that would start with a closing mark or end with an opening
    one gives up characters to the next line, so no line is ever wider than its width. Widths
    are those of the glyphs that print each character (see glyphs.py: a character IPAexGothic
    lacks is measured in the fallback font), and a character never parts from its variation
    selector.
    """
    lines: list[tuple[float, list[Glyph]]] = []
    for segment in text.split("\n"):
        units = glyphs(segment, font)
        w = _glyph_widths(units, size)
        start, n = 0, len(units)
        while True:
            limit = widths[min(len(lines), len(widths) - 1)]
            end, used = start, 0.0
            while end < n and used + w[end] <= limit + 1e-6:
                used += w[end]
                end += 1
            if end == start and end < n:
                end += 1  # a character wider than the line still has to go somewhere
            elif end < n:
                pull = end
                while pull > start + 1 and not _can_break(units, pull):
                    pull -= 1
                if _can_break(units, pull):
                    end = pull  # otherwise nothing fits the rules: cut where the width ends
            kept = end
            while kept > start and units[kept - 1].text == " ":
                kept -= 1
            lines.append((limit - sum(w[start:kept]), units[start:kept]))
            start = end
            while start < n and units[start].text == " ":
                start += 1
            if start >= n:
                break
    return lines


class JapaneseParagraph(Paragraph):  # type: ignore[misc]
    """A paragraph of plain text (no markup), broken by Japanese rules; line breaks stay."""

    def __init__(self, text: str, style: ParagraphStyle) -> None:
        self.plain = plain_text(text)
        self.printed_lines: list[str] = []
        super().__init__(escape(" ".join(self.plain.split())), style)

    def breakLinesCJK(self, maxWidths: Any) -> Any:
        if not self.frags:
            return super().breakLinesCJK(maxWidths)
        widths = list(maxWidths) if isinstance(maxWidths, list | tuple) else [maxWidths]
        frag = self.frags[0]
        size = frag.fontSize
        lines = break_glyph_lines(self.plain, frag.fontName, size, widths)
        extras = [extra for extra, _units in lines]
        self.printed_lines = ["".join(unit.text for unit in units) for _extra, units in lines]
        drawn = [runs(units) for _extra, units in lines]
        plain = zip(drawn, self.printed_lines, strict=True)
        if all(not parts or parts == [(frag.fontName, line)] for parts, line in plain):
            return frag.clone(
                kind=0,
                lines=[
                    (extra, [line]) for extra, line in zip(extras, self.printed_lines, strict=True)
                ],
                ascent=size,
                descent=-0.2 * size,
            )
        # Some line needs another font (the fallback, or an alias of a variation glyph): each
        # line becomes one fragment per font, as reportlab's own mixed-font lines are.
        return frag.clone(
            kind=1,
            lines=[
                FragLine(
                    kind=1,
                    extraSpace=extra,
                    wordCount=1,
                    words=[frag.clone(fontName=name, text=code) for name, code in parts],
                    fontSize=size,
                    ascent=size,
                    descent=-0.2 * size,
                    maxWidth=widths[min(index, len(widths) - 1)],
                    currentWidth=widths[min(index, len(widths) - 1)] - extra,
                    lineBreak=index < len(lines) - 1,
                )
                for index, (extra, parts) in enumerate(zip(extras, drawn, strict=True))
            ],
            ascent=size,
            descent=-0.2 * size,
        )

    breakLines = breakLinesCJK

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        if not self.frags:
            return []
        self.wrap(availWidth, availHeight)
        lines = self.printed_lines
        fit = int((availHeight + 1e-6) // self.style.leading)
        if fit >= len(lines):
            return [self]
        if fit < 2:  # a lone first line at the foot of a page reads badly: move it all
            return []
        return [
            JapaneseParagraph("\n".join(lines[:fit]), self.style),
            JapaneseParagraph("\n".join(lines[fit:]), self.style),
        ]


def plain_text(text: str) -> str:
    """Text as a paragraph prints it: one kind of line break, tabs as spaces, no controls."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    return "".join(c for c in text if c == "\n" or c >= " ")
