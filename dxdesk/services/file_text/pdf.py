"""The text of a PDF's pages (pypdf), as far as the limits go.

A PDF encrypted with a password gives no text; one that opens without a password (only
printing or copying restricted) is read. A page that cannot be read is skipped, the others kept.

Time and memory: pypdf parses a page's drawing whole before it gives the page's text, and that
parse cannot be stopped, so a page whose drawing is larger than :data:`PDF_PAGE_BYTES` decoded
is skipped unread (its size is taken first, decoding with pypdf's caps on decompressed output:
a stream inflating beyond them raises, and the page is skipped; what is decoded to size it is
not kept, so memory holds one page's drawing at a time). The clock (``TextBuffer``'s
time) is asked between pages and every few thousand drawing operations of a page; after
:data:`BLANK_PAGES` pages in a row with no text the rest is not read either.
"""

from __future__ import annotations

import logging
import re
from typing import Any, BinaryIO, Final

from pypdf import PageObject, PasswordType, PdfReader
from pypdf.filters import decode_stream_data
from pypdf.generic import ArrayObject, DictionaryObject, StreamObject

from dxdesk.services.file_text.limits import (
    BLANK_PAGES,
    PDF_PAGE_BYTES,
    PDF_PAGES,
    Cancelled,
    Full,
    TextBuffer,
    Unreadable,
)

log = logging.getLogger(__name__)

OPERATIONS: Final = 2_000  # drawing operations between two checks of the clock
FORMS: Final = 200  # forms looked into when sizing a page


class _Heavy(Exception):
    """The page draws more than PDF_PAGE_BYTES."""


# A form drawn by a content stream: ``/Name Do`` (a scan of the bytes, not a parse: a name
# missed here is still bounded by the clock).
_DRAWS: Final = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s*Do(?![^\s/\[\]()<>{}%])")


def _drawn_forms(holder: Any, names: set[bytes]) -> list[StreamObject]:
    """The forms among ``holder``'s resources that ``names`` name."""
    resources = holder.get("/Resources")
    resources = resources.get_object() if resources is not None else None
    xobjects = resources.get("/XObject") if isinstance(resources, DictionaryObject) else None
    xobjects = xobjects.get_object() if xobjects is not None else None
    if not isinstance(xobjects, DictionaryObject):
        return []
    found = []
    for name in sorted(names):
        reference = xobjects.get("/" + name.decode("latin-1"))
        form = reference.get_object() if reference is not None else None
        if isinstance(form, StreamObject) and form.get("/Subtype") == "/Form":
            found.append(form)
    return found


def _drawing_bytes(page: PageObject) -> int:
    """The decoded size of what ``page`` draws: its content streams and the forms (nested)
    they draw; raises :class:`_Heavy` past :data:`PDF_PAGE_BYTES` or :data:`FORMS`."""
    total = 0
    seen: set[int] = set()

    def draw(holder: Any, streams: list[Any]) -> None:
        nonlocal total
        names: set[bytes] = set()
        for reference in streams:
            stream = reference.get_object() if reference is not None else None
            if not isinstance(stream, StreamObject) or id(stream) in seen:
                continue
            seen.add(id(stream))
            if len(seen) > FORMS:
                raise _Heavy(f"draws more than {FORMS} forms")
            # Decoded here and let go (get_data would keep it on the stream for the reader's
            # life: page after page of skipped drawings would all stay in memory).
            data = decode_stream_data(stream)
            total += len(data)
            if total > PDF_PAGE_BYTES:
                raise _Heavy(f"draws more than {PDF_PAGE_BYTES} bytes")
            names.update(_DRAWS.findall(data))
        for form in _drawn_forms(holder, names):
            draw(form, [form])

    contents = page.get("/Contents")
    contents = contents.get_object() if contents is not None else None
    draw(page, list(contents) if isinstance(contents, ArrayObject) else [contents])
    return total


def pdf_text(file: BinaryIO, out: TextBuffer, *, shown: str = "") -> None:
    """Add the text of the first :data:`PDF_PAGES` pages of ``file`` (a seekable file: pypdf
    would read a path whole) to ``out``."""
    operations = 0

    def tick(*_: object) -> None:  # pypdf calls it before each drawing operation
        nonlocal operations
        operations += 1
        if operations % OPERATIONS == 0:
            out.check()

    reader = PdfReader(file)
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except Exception as exc:  # an unknown cipher, a missing library
            raise Unreadable(f"encrypted ({exc})") from None
        if opened == PasswordType.NOT_DECRYPTED:
            raise Unreadable("encrypted with a password")
    blank = 0
    for number, page in enumerate(reader.pages):
        if number >= PDF_PAGES or blank >= BLANK_PAGES:
            return
        out.check()
        blank += 1
        try:
            _drawing_bytes(page)
            text = page.extract_text(visitor_operand_before=tick)
        except (Cancelled, Full):
            raise
        except Exception as exc:  # one broken or heavy page, not the whole file
            log.info("page %d of %s not read: %s", number + 1, shown, exc)
            continue
        for line in text.splitlines():
            if line.strip():
                blank = 0
            out.add(line)
