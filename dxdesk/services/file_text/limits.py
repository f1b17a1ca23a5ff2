"""How much of an outside file is read for its text, and the buffer that keeps to it.

``Cancelled`` (the domain's) is raised when whoever asked no longer wants the text. A file is
read for at most :data:`TEXT_SECONDS`: past that, :class:`OutOfTime` ends it, and what was read
(perhaps "") is its text, kept like any other, so a file built to be slow is read once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Final

from dxdesk.domain.progress import Cancelled

# Characters kept of one file: about a hundred pages of Japanese, enough to find a file by.
TEXT_LIMIT: Final = 200_000
PDF_PAGES: Final = 500  # pages read of a PDF
# Time to read one file (checked between pages, parts, lines and every few thousand elements
# or drawing operations): a 14 KB PDF of heavy pages took 70 s before this.
TEXT_SECONDS: Final = 5.0
# A PDF page whose drawing (its content streams and the forms it draws, decoded) is larger is
# not read: pypdf parses a page whole before giving its text (about a second per megabyte),
# and pages that large are drawings and maps, not text.
PDF_PAGE_BYTES: Final = 2 * 1024 * 1024
BLANK_PAGES: Final = 50  # pages in a row with no text: the rest of the PDF is not read
# An Office file is a zip: a part (an XML file in it) is read only when its stated size is at
# most PART_BYTES and, past RATIO_FROM bytes, at most RATIO times its compressed size (a zip
# bomb states sizes like these or breaks off: zipfile never returns more than the stated size
# and checks it; Apache POI refuses the same ratio); at most TOTAL_BYTES of parts are read
# from one file, and PARTS parts.
PART_BYTES: Final = 32 * 1024 * 1024
RATIO_FROM: Final = 1024 * 1024
RATIO: Final = 100
TOTAL_BYTES: Final = 64 * 1024 * 1024
PARTS: Final = 2_000


__all__ = ["Cancelled", "Full", "OutOfTime", "TextBuffer", "Unreadable"]


class Unreadable(Exception):
    """The file is not read (too large, a bomb, encrypted): it gets no text."""


class Full(Exception):
    """TEXT_LIMIT characters are in: the rest of the file is not read."""


class OutOfTime(Full):
    """The file's time is up: what was read is its text, as when it is full."""


class TextBuffer:
    """Lines of text up to :data:`TEXT_LIMIT` characters, read within ``seconds``; asks
    ``cancel`` and the clock at each line (and at each :meth:`check`)."""

    def __init__(
        self, cancel: Callable[[], bool] | None = None, *, seconds: float = TEXT_SECONDS
    ) -> None:
        self._cancel = cancel
        self._until = time.monotonic() + seconds
        self._lines: list[str] = []
        self._size = 0

    def check(self) -> None:
        """Raises :class:`Cancelled` when no longer wanted, :class:`OutOfTime` past the time."""
        if self._cancel is not None and self._cancel():
            raise Cancelled
        if time.monotonic() > self._until:
            raise OutOfTime

    def add(self, line: str) -> None:
        """Keep ``line`` (blank ones are dropped); raises :class:`Full` past the limit."""
        self.check()
        line = line.strip()
        if not line:
            return
        room = TEXT_LIMIT - self._size
        self._lines.append(line[:room])
        self._size += min(len(line), room) + 1
        if self._size >= TEXT_LIMIT:
            raise Full

    def text(self) -> str:
        return "\n".join(self._lines)
