"""A file's size as a person reads it: 「820 バイト」「36 KB」「2.4 MB」 (KB rounded up, as
Windows' Explorer shows them), one rule for the window's lists and the reports alike.

``size_amount`` gives the number and its unit, for the window to translate around them;
``file_size_text`` the Japanese text, for what is not translated (a report).
"""

from __future__ import annotations

from typing import Final, Literal

KIB: Final = 1024
MIB: Final = 1024 * 1024

Unit = Literal["バイト", "KB", "MB"]


def size_amount(size: int) -> tuple[str, Unit]:
    """The number as shown (「36」「1,024」「2.4」) and its unit."""
    if size < KIB:
        return str(size), "バイト"
    if size < MIB:
        return f"{-(-size // KIB):,}", "KB"
    return f"{size / MIB:,.1f}", "MB"


def file_size_text(size: int) -> str:
    number, unit = size_amount(size)
    return f"{number} {unit}"
