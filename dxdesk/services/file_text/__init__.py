"""The text of an attached file, for search: PDF, and Word, Excel and PowerPoint (docx, xlsx, pptx).

These files come from outside (a municipality's 計画案, a colleague's slides), so reading them is
bounded and never trusted: the format is told by the content, not the name; a file too large,
an encrypted PDF, a zip bomb, an XML entity trick or plain damage gives no text (logged), never
an exception; pages, parts and characters are capped (:data:`TEXT_LIMIT`). Reading may be
cancelled between pages and parts (:class:`Cancelled`, the only exception that leaves). A file
is read for at most :data:`TEXT_SECONDS`; what was read by then is its text.

A package and not ``dxdesk.imports``: ``services.attachment_text`` calls it, and the sync (a layer
below imports) calls that after downloads.
"""

from __future__ import annotations

import logging
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Final

from dxdesk.domain.records import MAX_FILE_BYTES
from dxdesk.services.file_text.limits import (
    TEXT_LIMIT,
    TEXT_SECONDS,
    Cancelled,
    Full,
    OutOfTime,
    TextBuffer,
    Unreadable,
)
from dxdesk.services.file_text.ooxml import OOXML_READERS, ooxml_format
from dxdesk.services.file_text.pdf import pdf_text

__all__ = ["TEXT_LIMIT", "TEXT_SECONDS", "Cancelled", "file_format", "text_of"]

log = logging.getLogger(__name__)

PDF_MAGIC: Final = b"%PDF-"
ZIP_MAGIC: Final = b"PK\x03\x04"
SNIFF_BYTES: Final = 1024  # a PDF's header may follow some junk, within the first kilobyte


def file_format(path: Path) -> str | None:
    """ "pdf", "docx", "xlsx" or "pptx" by what the file holds; None for anything else."""
    with path.open("rb") as file:
        head = file.read(SNIFF_BYTES)
    if PDF_MAGIC in head:
        return "pdf"
    if head.startswith(ZIP_MAGIC):
        with zipfile.ZipFile(path) as archive:
            return ooxml_format(archive)
    return None


def text_of(
    path: Path, *, cancel: Callable[[], bool] | None = None, seconds: float = TEXT_SECONDS
) -> str:
    """The file's text, "" when it has none we can read (a photo, an encrypted or broken file);
    what was read in ``seconds`` when the file takes longer.

    Raises only :class:`Cancelled` (when ``cancel`` says so between pages or parts).
    """
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise Unreadable(f"larger than {MAX_FILE_BYTES} bytes")
        kind = file_format(path)
        if kind is None:
            return ""
        out = TextBuffer(cancel, seconds=seconds)
        try:
            if kind == "pdf":
                pdf_text(path, out)
            else:
                with zipfile.ZipFile(path) as archive:
                    OOXML_READERS[kind](archive, out)
        except OutOfTime:
            log.info("text of %s: stopped after %s s", path.name, seconds)
        except Full:
            pass  # TEXT_LIMIT characters are enough to find it by
        return out.text()
    except Cancelled:
        raise
    except RecursionError:
        log.warning("no text from %s: nested too deeply", path.name)
    except Exception as exc:  # outside files break parsers in every way
        log.warning("no text from %s: %s: %s", path.name, type(exc).__name__, exc)
    return ""
