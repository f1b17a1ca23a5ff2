"""The text of a PDF's pages (pypdf), as far as the limits go.

A PDF encrypted with a password gives no text; one that opens without a password (only
printing or copying restricted) is read. A page that cannot be read is skipped, the others kept.
"""

from __future__ import annotations

import logging
from pathlib import Path

from pypdf import PasswordType, PdfReader

from dxdesk.services.file_text.limits import PDF_PAGES, Cancelled, Full, TextBuffer, Unreadable

log = logging.getLogger(__name__)


def pdf_text(path: Path, out: TextBuffer) -> None:
    """Add the text of the first :data:`PDF_PAGES` pages of ``path`` to ``out``."""
    with path.open("rb") as file:  # a file, not a path: pypdf would read a path whole
        reader = PdfReader(file)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception as exc:  # an unknown cipher, a missing library
                raise Unreadable(f"encrypted ({exc})") from None
            if opened == PasswordType.NOT_DECRYPTED:
                raise Unreadable("encrypted with a password")
        for number, page in enumerate(reader.pages):
            if number >= PDF_PAGES:
                return
            out.check()
            try:
                text = page.extract_text()
            except (Cancelled, Full):
                raise
            except Exception as exc:  # one broken page, not the whole file
                log.info("page %d of %s unreadable: %s", number + 1, path.name, exc)
                continue
            for line in text.splitlines():
                out.add(line)
