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

# No line starts with these (closing marks, stops, small kana, ...) nor ends with the openers.
NO_LINE_START: Final = frozenset(
    ALL_CANNOT_START + "！？‼⁇⁈⁉：；，．〕〉》」』】〙〗〟’”｠»ゝゞヽヾ〜～"
)
NO_LINE_END: Final = frozenset(ALL_CANNOT_END + "（〔［｛〈《「『【〘〖〝‘“｟«([{")


_widths: dict[tuple[str, float], dict[str, float]] = {}


def _char_widths(text: str, font: str, size: float) -> list[float]:
    known = _widths.setdefault((font, size), {})
    for c in set(text).difference(known):
        known[c] = pdfmetrics.stringWidth(c, font, size)
    return [known[c] for c in text]


def _can_break(text: str, i: int) -> bool:
    """May a line end between ``text[i - 1]`` and ``text[i]``?"""
    before, after = text[i - 1], text[i]
    if after in NO_LINE_START or before in NO_LINE_END:
        return False
    # Latin words and numbers stay whole; spaces and the edges of Japanese text are breaks.
    return not (before.isascii() and after.isascii() and not before.isspace() and after != " ")


def break_lines(
    text: str, font: str, size: float, widths: Sequence[float]
) -> list[tuple[float, str]]:
    """Lines of ``text`` as (unused width, line); the n-th line fits ``widths[n]`` (or the last).

    Kept line breaks stay; a line that would start with a closing mark or end with an opening
    one gives up characters to the next line, so no line is ever wider than its width.
    """
    lines: list[tuple[float, str]] = []
    for segment in text.split("\n"):
        w = _char_widths(segment, font, size)
        start, n = 0, len(segment)
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
                while pull > start + 1 and not _can_break(segment, pull):
                    pull -= 1
                if _can_break(segment, pull):
                    end = pull  # otherwise nothing fits the rules: cut where the width ends
            line = segment[start:end].rstrip(" ")
            lines.append((limit - sum(w[start : start + len(line)]), line))
            start = end
            while start < n and segment[start] == " ":
                start += 1
            if start >= n:
                break
    return lines


class JapaneseParagraph(Paragraph):  # type: ignore[misc]
    """A paragraph of plain text (no markup), broken by Japanese rules; line breaks stay."""

    def __init__(self, text: str, style: ParagraphStyle) -> None:
        self.plain = plain_text(text)
        super().__init__(escape(" ".join(self.plain.split())), style)

    def breakLinesCJK(self, maxWidths: Any) -> Any:
        if not self.frags:
            return super().breakLinesCJK(maxWidths)
        widths = list(maxWidths) if isinstance(maxWidths, list | tuple) else [maxWidths]
        frag = self.frags[0]
        lines = break_lines(self.plain, frag.fontName, frag.fontSize, widths)
        return frag.clone(
            kind=0,
            lines=[(extra, [line]) for extra, line in lines],
            ascent=frag.fontSize,
            descent=-0.2 * frag.fontSize,
        )

    breakLines = breakLinesCJK

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        if not self.frags:
            return []
        self.wrap(availWidth, availHeight)
        lines = [words[0] for _extra, words in self.blPara.lines]
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
