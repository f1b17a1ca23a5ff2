"""The text of Word, Excel and PowerPoint files (Office Open XML: a zip of XML parts).

docx: the paragraphs of word/document.xml. pptx: the paragraphs of each slide, in the order of
the presentation. xlsx: the workbook's shared strings (without their furigana) and the inline
strings of its sheets. Each part is checked before it is read (its stated size, its compression
ratio, the file's total; see limits.py), parsed as a stream by defusedxml with no DTD allowed
(no entity tricks), and dropped element by element as it is read, so memory stays small;
cancel and the clock are asked every few thousand elements, not only at each line of text.
Elements are matched by local name: the transitional and the strict namespaces alike.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterator
from typing import IO, Final
from xml.etree.ElementTree import Element

from defusedxml.ElementTree import fromstring, iterparse  # type: ignore[import-untyped]

from dxdesk.services.file_text.limits import (
    PART_BYTES,
    PARTS,
    RATIO,
    RATIO_FROM,
    TOTAL_BYTES,
    TextBuffer,
    Unreadable,
)

DOCX_BODY: Final = "word/document.xml"
XLSX_STRINGS: Final = "xl/sharedStrings.xml"
PPTX_MAIN: Final = "ppt/presentation.xml"
PPTX_RELS: Final = "ppt/_rels/presentation.xml.rels"
_MARKERS: Final = (("docx", DOCX_BODY), ("xlsx", "xl/workbook.xml"), ("pptx", PPTX_MAIN))
_NUMBERED = re.compile(r"(\d+)\.xml$")
ELEMENTS: Final = 4_096  # elements parsed between two checks (cancel, the clock)


def ooxml_format(archive: zipfile.ZipFile) -> str | None:
    names = set(archive.namelist())
    return next((kind for kind, marker in _MARKERS if marker in names), None)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


class _Parts:
    """Opens the parts of one archive, within the limits."""

    def __init__(self, archive: zipfile.ZipFile, out: TextBuffer) -> None:
        self.archive = archive
        self.out = out
        self._left = TOTAL_BYTES
        self._parts = 0

    def names(self, folder: str) -> list[str]:
        """The numbered parts directly in ``folder`` (sheet1.xml, sheet2.xml …) by number."""
        found = [
            name
            for name in self.archive.namelist()
            if name.startswith(folder) and "/" not in name[len(folder) :]
        ]
        return sorted(
            (n for n in found if _NUMBERED.search(n)),
            key=lambda n: int(_NUMBERED.search(n).group(1)),  # type: ignore[union-attr]
        )

    def open(self, name: str) -> IO[bytes]:
        self.out.check()
        info = self.archive.getinfo(name)
        self._parts += 1
        if self._parts > PARTS:
            raise Unreadable(f"more than {PARTS} parts")
        if info.file_size > PART_BYTES or info.file_size > self._left:
            raise Unreadable(f"{name} states {info.file_size} bytes")
        if info.file_size > RATIO_FROM and info.file_size > RATIO * max(1, info.compress_size):
            raise Unreadable(f"{name} compressed {info.file_size // info.compress_size}:1")
        self._left -= info.file_size
        return self.archive.open(info)

    def tree(self, name: str) -> Element:
        """A small part (relationships, the presentation) parsed whole."""
        with self.open(name) as part:
            root: Element = fromstring(part.read(), forbid_dtd=True)
        return root

    def paragraphs(
        self,
        name: str,
        paragraph: str,
        *,
        skip: frozenset[str] = frozenset(),
        breaks: frozenset[str] = frozenset({"tab", "br", "cr"}),
    ) -> None:
        """Each ``paragraph`` element's text (its ``t`` elements, none inside a ``skip`` one)
        as a line of ``out``."""
        texts: list[str] = []
        skipping = 0
        stack: list[Element] = []
        with self.open(name) as part:
            events: Iterator[tuple[str, Element]] = iterparse(
                part, events=("start", "end"), forbid_dtd=True
            )
            for count, (event, element) in enumerate(events):
                if count % ELEMENTS == 0:  # a sheet of numbers adds no lines that would check
                    self.out.check()
                local = _local(element.tag)
                if event == "start":
                    stack.append(element)
                    skipping += local in skip
                    continue
                stack.pop()
                if local in skip:
                    skipping -= 1
                elif skipping:
                    pass
                elif local == "t":
                    texts.append(element.text or "")
                elif local in breaks:
                    texts.append(" ")
                elif local == paragraph:
                    self.out.add("".join(texts))
                    texts = []
                if stack:  # read: drop it, so a long part never stands whole in memory
                    stack[-1].remove(element)


def docx_text(archive: zipfile.ZipFile, out: TextBuffer) -> None:
    _Parts(archive, out).paragraphs(DOCX_BODY, "p")


def xlsx_text(archive: zipfile.ZipFile, out: TextBuffer) -> None:
    parts = _Parts(archive, out)
    phonetic = frozenset({"rPh", "phoneticPr"})  # furigana of Japanese cells
    if XLSX_STRINGS in archive.namelist():
        parts.paragraphs(XLSX_STRINGS, "si", skip=phonetic, breaks=frozenset())
    for sheet in parts.names("xl/worksheets/"):
        parts.paragraphs(sheet, "is", skip=phonetic, breaks=frozenset())


def _slide_order(parts: _Parts) -> list[str]:
    """The slides as the presentation lists them; by number when that cannot be read."""
    numbered = parts.names("ppt/slides/")
    names = set(parts.archive.namelist())
    if PPTX_RELS not in names:
        return numbered
    targets = {
        rel.get("Id"): rel.get("Target", "")
        for rel in parts.tree(PPTX_RELS)
        if _local(rel.tag) == "Relationship"
    }
    ordered = []
    for element in parts.tree(PPTX_MAIN).iter():
        if _local(element.tag) != "sldId":
            continue
        rid = next((v for k, v in element.attrib.items() if _local(k) == "id" and k != "id"), "")
        target = targets.get(rid, "")
        name = target.lstrip("/") if target.startswith("/") else "ppt/" + target
        if name in names and name not in ordered:
            ordered.append(name)
    return ordered or numbered


def pptx_text(archive: zipfile.ZipFile, out: TextBuffer) -> None:
    parts = _Parts(archive, out)
    for slide in _slide_order(parts):
        parts.paragraphs(slide, "p")


OOXML_READERS: Final[dict[str, Callable[[zipfile.ZipFile, TextBuffer], None]]] = {
    "docx": docx_text,
    "xlsx": xlsx_text,
    "pptx": pptx_text,
}
