"""Merged cells of a workbook: where they are, and spreading a range's value over its cells.

A secretariat merges a municipality's cell over the rows of its consultations; Excel, calamine
and openpyxl keep the value in the range's top-left cell only and leave the others empty. Ranges
here are 0-based and inclusive: (first_row, first_col, last_row, last_col).

Where they come from: calamine reports them for .xlsx and .xls (sheet-absolute, like the rows it
gives with ``skip_empty_area=False``); the openpyxl read-only fallback has none, so they are read
from the ``<mergeCell ref="A2:A4"/>`` elements of the sheet's own XML part (found through the
workbook's relationships, parsed with defusedxml); calamine has none for .ods, where LibreOffice
writes ``table:number-rows-spanned`` / ``number-columns-spanned`` on the range's first cell.

Bounds: a sheet is refused with more than ``MAX_MERGED`` ranges (counted in the XML before any
parser builds them, for .xlsx and .ods): a real sheet has a few hundred at most, and ignoring the
rest would silently leave cells blank that the person sees filled. Filling costs at most the cells
that exist plus one step per range (ranges are clipped to the rows read; a range that runs into a
cell an earlier range filled stops there: Excel never writes overlapping ranges).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Sequence
from itertools import islice
from typing import Any

from defusedxml.ElementTree import fromstring  # type: ignore[import-untyped]
from openpyxl.utils.cell import range_boundaries

from dxdesk.domain.errors import DomainError

MAX_MERGED = 10_000
Range = tuple[int, int, int, int]

_XLSX_MERGE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell[\s/>]")
_XLSX_REF = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?mergeCell\s[^>]*?\bref\s*=\s*["\']([^"\']*)["\']')
_ODS_TABLE = re.compile(rb"<table:table[\s>]")
_ODS_ROW = re.compile(rb"<table:table-row[\s>/]")
_ODS_ROWS_REPEATED = re.compile(rb'^[^>]*table:number-rows-repeated="(\d+)"')
_ODS_CELL = re.compile(rb"<table:(?:covered-)?table-cell(?:\s[^>]*)?/?>")
_ODS_COLUMNS_REPEATED = re.compile(rb'table:number-columns-repeated="(\d+)"')
_ODS_ROWS_SPANNED = re.compile(rb'table:number-rows-spanned="(\d+)"')
_ODS_COLUMNS_SPANNED = re.compile(rb'table:number-columns-spanned="(\d+)"')
_OFFICE_DOCUMENT = "/officeDocument"


class TooManyMerged(DomainError):
    """More merged ranges than a sheet can sensibly have; the reader words the refusal."""


def too_many(count: int) -> bool:
    return count > MAX_MERGED


def count_xlsx_merges(part_xml: bytes) -> int:
    """The part's mergeCell elements, counted up to one past ``MAX_MERGED``."""
    if b"mergeCell" not in part_xml:  # a plain search, far cheaper than the pattern
        return 0
    return sum(1 for _ in islice(_XLSX_MERGE.finditer(part_xml), MAX_MERGED + 1))


def xlsx_merges(part_xml: bytes) -> tuple[Range, ...]:
    """The ranges of one worksheet part's ``<mergeCell ref=…>`` elements (a bad ref is skipped:
    Excel would repair the file by dropping it)."""
    if too_many(count_xlsx_merges(part_xml)):
        raise TooManyMerged
    found = []
    for ref in _XLSX_REF.findall(part_xml):
        try:
            min_col, min_row, max_col, max_row = range_boundaries(ref.decode("ascii"))
        except (ValueError, TypeError, UnicodeDecodeError):
            continue
        if None in (min_col, min_row, max_col, max_row):
            continue  # a whole row or column ("A:A") is no mergeCell Excel writes
        found.append((min_row - 1, min_col - 1, max_row - 1, max_col - 1))
    return tuple(found)


def xlsx_sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each sheet's name -> the zip path of its XML part, from the package's relationships (the
    workbook part and its sheets may live at any path those name)."""
    names = set(archive.namelist())
    workbook = _target("", _relationships(archive, "_rels/.rels", names), _OFFICE_DOCUMENT)
    if workbook is None or workbook not in names:
        return {}
    folder, base = posixpath.split(workbook)
    rels = _relationships(archive, posixpath.join(folder, "_rels", base + ".rels"), names)
    targets = {rid: _resolve(folder, target) for rid, (_kind, target) in rels.items()}
    parts = {}
    for element in fromstring(archive.read(workbook)).iter():
        if _local(element.tag) != "sheet":
            continue
        rid = next((v for k, v in element.attrib.items() if _local(k) == "id"), None)
        name = element.attrib.get("name")
        if name is not None and rid in targets:
            parts[name] = targets[rid]
    return parts


def _relationships(
    archive: zipfile.ZipFile, path: str, names: set[str]
) -> dict[str, tuple[str, str]]:
    if path not in names:
        return {}
    found = {}
    for element in fromstring(archive.read(path)).iter():
        if _local(element.tag) == "Relationship":
            rid, kind, target = (element.attrib.get(k) for k in ("Id", "Type", "Target"))
            if rid and kind and target:
                found[rid] = (kind, target)
    return found


def _target(folder: str, rels: dict[str, tuple[str, str]], kind_suffix: str) -> str | None:
    for kind, target in rels.values():
        if kind.endswith(kind_suffix):
            return _resolve(folder, target)
    return None


def _resolve(folder: str, target: str) -> str:
    if target.startswith("/"):
        return posixpath.normpath(target[1:])
    return posixpath.normpath(posixpath.join(folder, target))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def ods_merges(content_xml: bytes) -> list[tuple[Range, ...]]:
    """Each table's spanned cells, in document order (calamine's sheet order), from content.xml
    (already checked: no DOCTYPE, extent bounded). Positions count repeated rows and cells."""
    if b"-spanned=" not in content_xml:  # most sheets: a plain search, far cheaper than parsing
        return [()] * len(_ODS_TABLE.findall(content_xml))
    tables = []
    total = 0
    for table in _ODS_TABLE.split(content_xml)[1:]:
        found: list[Range] = []
        row = 0
        for chunk in _ODS_ROW.split(table)[1:]:
            match = _ODS_ROWS_REPEATED.match(chunk)
            repeat = int(match.group(1)) if match else 1
            if b"-spanned=" not in chunk:
                row += repeat
                continue
            column = 0
            for tag in _ODS_CELL.findall(chunk):
                wide = _ODS_COLUMNS_REPEATED.search(tag)
                columns = int(wide.group(1)) if wide else 1
                down, across = _ODS_ROWS_SPANNED.search(tag), _ODS_COLUMNS_SPANNED.search(tag)
                rows_spanned = int(down.group(1)) if down else 1
                columns_spanned = int(across.group(1)) if across else 1
                if rows_spanned > 1 or columns_spanned > 1:
                    # LibreOffice never repeats a spanned cell; a file that does is bounded here
                    for first in range(row, row + min(repeat, MAX_MERGED + 1)):
                        for left in range(column, column + min(columns, MAX_MERGED + 1)):
                            found.append(
                                (first, left, first + rows_spanned - 1, left + columns_spanned - 1)
                            )
                            total += 1
                            if too_many(total):
                                raise TooManyMerged
                column += columns
            row += repeat
        tables.append(tuple(found))
    return tables


def filled_rows(rows: Sequence[tuple[Any, ...]], merged: Sequence[Range]) -> list[tuple[Any, ...]]:
    """``rows`` with every existing cell of each range holding the range's top-left value."""
    result = list(rows)
    edited: dict[int, list[Any]] = {}
    claimed: dict[int, bytearray] = {}
    for first_row, first_col, last_row, last_col in sorted(merged):
        if first_row >= len(rows) or first_col < 0 or first_row < 0:
            continue
        top = rows[first_row]
        value = top[first_col] if first_col < len(top) else None
        for r in range(first_row, min(last_row, len(rows) - 1) + 1):
            width = len(rows[r])
            right = min(last_col, width - 1)
            if right < first_col:
                continue
            taken = claimed.setdefault(r, bytearray(width))
            if taken.find(1, first_col, right + 1) != -1:
                break  # overlaps an earlier range: Excel never writes that, stop this one
            taken[first_col : right + 1] = b"\x01" * (right + 1 - first_col)
            cells = edited.setdefault(r, list(rows[r]))
            cells[first_col : right + 1] = [value] * (right + 1 - first_col)
    for r, cells in edited.items():
        result[r] = tuple(cells)
    return result
