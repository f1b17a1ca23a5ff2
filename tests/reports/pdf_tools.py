"""Read PDFs back with poppler's command-line tools (pdftotext, pdffonts, pdfinfo, pdftoppm).

Tests that need them skip when poppler-utils is missing, unless DXDESK_REQUIRE_POPPLER is set
(as in CI), where a missing tool fails the test instead of hiding it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Literal

import pytest

from tests.child_process import run

TOOLS = ("pdftotext", "pdffonts", "pdfinfo", "pdftoppm")


def require_poppler() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if not missing:
        return
    message = (
        f"poppler-utils is not installed (missing {', '.join(missing)}); "
        "install it (apt-get install poppler-utils) to check the PDFs"
    )
    if os.environ.get("DXDESK_REQUIRE_POPPLER"):
        pytest.fail(message + " — DXDESK_REQUIRE_POPPLER is set")
    pytest.skip(message)


def _run(*args: str | Path) -> str:
    done = run([str(a) for a in args], capture_output=True, text=True, encoding="utf-8")
    if done.returncode != 0:
        raise AssertionError(f"{args[0]} failed ({done.returncode}): {done.stderr.strip()}")
    return done.stdout


def pdf_text(path: Path, mode: Literal["raw", "layout", "reading"] = "raw") -> str:
    """The text of every page, pages ended by a form feed.

    ``raw`` keeps the order things were drawn (a table row's cells stay together), ``layout``
    keeps the columns where they stand, ``reading`` is pdftotext's default reading order.
    """
    flags = {"raw": ["-raw"], "layout": ["-layout"], "reading": []}[mode]
    return _run("pdftotext", "-enc", "UTF-8", *flags, path, "-")


def page_texts(path: Path, mode: Literal["raw", "layout", "reading"] = "raw") -> list[str]:
    pages = pdf_text(path, mode).split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def text_lines(path: Path, mode: Literal["raw", "layout", "reading"] = "raw") -> list[str]:
    return [line.strip() for line in pdf_text(path, mode).splitlines() if line.strip()]


def squash(text: str) -> str:
    """Text with all whitespace removed: wrapping and layout put breaks anywhere in Japanese."""
    return "".join(text.split())


def page_count(path: Path) -> int:
    for line in _run("pdfinfo", path).splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise AssertionError(f"pdfinfo gave no page count for {path}")


def pdf_fonts(path: Path) -> list[dict[str, str]]:
    """pdffonts' table as rows of {column: value} (name, type, encoding, emb, sub, uni, ...)."""
    lines = _run("pdffonts", path).splitlines()
    header, rule, rows = lines[0], lines[1], lines[2:]
    spans: list[tuple[int, int | None]] = []
    start = 0
    for dashes in rule.split(" "):
        if dashes:
            spans.append((start, start + len(dashes)))
        start += len(dashes) + 1
    spans[-1] = (spans[-1][0], None)  # the last column ("object ID") runs to the line's end
    names = [header[a:b].strip() for a, b in spans]
    return [
        {name: row[a:b].strip() for name, (a, b) in zip(names, spans, strict=True)} for row in rows
    ]


def first_page_png(path: Path, out_prefix: Path, *, dpi: int = 60) -> Path:
    _run("pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", path, out_prefix)
    return next(out_prefix.parent.glob(out_prefix.name + "*.png"))
