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

import io
import logging
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, Final

from dxdesk.domain.records import MAX_FILE_BYTES
from dxdesk.models.file_writing import FileCorrupt
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

__all__ = [
    "TEXT_LIMIT",
    "TEXT_SECONDS",
    "Cancelled",
    "file_format",
    "format_of",
    "text_of",
    "text_of_file",
]

log = logging.getLogger(__name__)

PDF_MAGIC: Final = b"%PDF-"
ZIP_MAGIC: Final = b"PK\x03\x04"
SNIFF_BYTES: Final = 1024  # a PDF's header may follow some junk, within the first kilobyte


def file_format(path: Path) -> str | None:
    """ "pdf", "docx", "xlsx" or "pptx" by what the file holds; None for anything else."""
    with path.open("rb") as file:
        return format_of(file)


def format_of(file: BinaryIO) -> str | None:
    """:func:`file_format` of an open, seekable file (read from its start)."""
    file.seek(0)
    head = file.read(SNIFF_BYTES)
    if PDF_MAGIC in head:
        return "pdf"
    if head.startswith(ZIP_MAGIC):
        with zipfile.ZipFile(file) as archive:
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
        file = path.open("rb")
    except OSError as exc:
        log.warning("no text from %s: %s: %s", path.name, type(exc).__name__, exc)
        return ""
    with file:
        return text_of_file(file, shown=path.name, cancel=cancel, seconds=seconds)


def text_of_file(
    file: BinaryIO,
    *,
    shown: str,
    cancel: Callable[[], bool] | None = None,
    seconds: float = TEXT_SECONDS,
) -> str:
    """:func:`text_of` an open, seekable file (an attachment decrypted as it is read, never a
    plaintext copy on disk); ``shown`` names it in the log. Raises Cancelled, and FileCorrupt
    when the stored file's decryption finds it damaged (not a text of "")."""
    try:
        if file.seek(0, io.SEEK_END) > MAX_FILE_BYTES:
            raise Unreadable(f"larger than {MAX_FILE_BYTES} bytes")
        kind = format_of(file)
        if kind is None:
            return ""
        out = TextBuffer(cancel, seconds=seconds)
        file.seek(0)
        try:
            if kind == "pdf":
                pdf_text(file, out, shown=shown)
            else:
                with zipfile.ZipFile(file) as archive:
                    OOXML_READERS[kind](archive, out)
        except OutOfTime:
            log.info("text of %s: stopped after %s s", shown, seconds)
        except Full:
            pass  # TEXT_LIMIT characters are enough to find it by
        return out.text()
    except (Cancelled, FileCorrupt):
        raise
    except RecursionError:
        log.warning("no text from %s: nested too deeply", shown)
    except Exception as exc:  # outside files break parsers in every way
        log.warning("no text from %s: %s: %s", shown, type(exc).__name__, exc)
    return ""
