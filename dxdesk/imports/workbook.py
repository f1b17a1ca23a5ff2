"""Reading a survey file into plain rows of cell values, refusing what is broken or hostile.

Every refusal is a ``SurveyFileError`` whose message a non-engineer can act on. Nothing here
writes anything. Formats: .xlsx/.xlsm, .xls, .ods, and CSV in UTF-8, UTF-8 with BOM or cp932.
An .ods zip gets the xlsx zip's checks, its content.xml is refused when encrypted (the manifest's
encryption-data), when a formula has no saved value, or when its repeated rows and cells would make
calamine's dense grid too big; it and an .xls are read by python-calamine into the same values,
the .xls once its BIFF records are measured (imports/xls_extent.py: its grids, merged ranges and
password, before calamine builds anything). A workbook's
zip is checked before any XML is parsed (size, unpacked size, CRCs, DOCTYPE, claimed rows); its
cached values are then read by python-calamine when every sheet's extent is known and small
(imports/calamine_sheets.py says why), else by openpyxl read-only (defusedxml guards its XML
parsing). openpyxl reads the formulas again, only in a workbook that has some, to find those saved
without a value. Merged ranges come with each sheet (imports/merged_cells.py: where from, and
the bound); ``with_merged_filled`` spreads their values for a reader that wants them.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

import openpyxl
from openpyxl.utils import get_column_letter

from dxdesk.domain.errors import DomainError
from dxdesk.imports.calamine_sheets import MAX_CELLS, GridTooBig, fits, read_values
from dxdesk.imports.formats import BROKEN_ZIP, identify
from dxdesk.imports.merged_cells import (
    MAX_MERGED,
    Range,
    TooManyMerged,
    count_xlsx_merges,
    filled_rows,
    ods_merges,
    too_many,
    xlsx_merges,
    xlsx_sheet_parts,
)
from dxdesk.imports.xls_extent import XlsBroken, XlsProtected, check_xls

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
MAX_UNPACKED_BYTES = 400 * 1024 * 1024  # a real 20 MB workbook unpacks to far less
CSV_ENCODINGS = ("utf-8-sig", "cp932")
UNSAFE_XML = (
    "安全でない書式（XML のエンティティ定義）を含むため読み込みません。"
    "Excel で開いて新しいブックに貼り付け、保存し直してください"
)
_Row = TypeVar("_Row")
_DIMENSION = re.compile(rb'<dimension ref="[A-Z]+\d+:[A-Z]+(\d+)"')
PROTECTED = (
    "パスワードで保護されたファイルは読めません。{app} でパスワードを外して"
    "保存し直してから取り込んでください"
)
TOO_MANY_MERGED = (
    f"結合されたセルが多すぎます（{MAX_MERGED:,} か所まで）。"
    "表計算ソフトで結合を解除して保存し直してから取り込んでください"
)
GRID_TOO_BIG = (
    "表が大きすぎます（離れた位置にセルがあり、読む範囲が広すぎます）。"
    "回答や記録の表だけを新しいブックに貼り付けて保存し直してください"
)
_ODS_TABLE = re.compile(rb"<table:table[\s>]")
_ODS_ROW = re.compile(rb"<table:table-row[\s>/]")
_ODS_ROWS_REPEATED = re.compile(rb'^[^>]*table:number-rows-repeated="(\d+)"')
_ODS_CELL = re.compile(rb"<table:(?:covered-)?table-cell(?:\s[^>]*)?/?>")
_ODS_COLUMNS_REPEATED = re.compile(rb'table:number-columns-repeated="(\d+)"')
_ODS_UNCACHED = re.compile(rb"<table:table-cell(?=\s)(?![^>]*office:value-type)[^>]*table:formula=")


class SurveyFileError(DomainError):
    """The file cannot be read as a survey; the message says why and what to do."""


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: list[tuple[Any, ...]]  # row 1 first; a cell is None, str, int, float, datetime…
    # (row, column), 1-based, of formulas whose value was never calculated and saved
    uncached_formulas: frozenset[tuple[int, int]] = field(default_factory=frozenset)
    # merged ranges, 0-based inclusive: (first_row, first_col, last_row, last_col)
    merged: tuple[Range, ...] = ()


def with_merged_filled(sheet: Sheet) -> Sheet:
    """A copy whose every cell inside a merged range holds the range's top-left value
    (a secretariat merges a municipality's cell over its consultations' rows). Only cells that
    were read are filled: a range reaching past the last row or column adds none."""
    if not sheet.merged:
        return sheet
    return replace(sheet, rows=filled_rows(sheet.rows, sheet.merged))


@dataclass(frozen=True)
class Workbook:
    sheets: list[Sheet]
    sha256: str
    kind: str  # "xlsx", "xls", "ods" or "csv"


def column_letter(index: int) -> str:
    """The letter Excel shows for the column of 0-based ``index`` ("C" for 2)."""
    return str(get_column_letter(index + 1))


def read_workbook(path: Path) -> Workbook:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise SurveyFileError(f"ファイル {path} が見つかりません") from None
    except OSError as exc:
        raise SurveyFileError(f"ファイル {path} を開けません（{exc.strerror}）") from None
    if path.is_dir():
        raise SurveyFileError(f"{path} はフォルダです（取り込むファイルを指定してください）")
    if size > MAX_BYTES:
        raise SurveyFileError(
            f"ファイルが大きすぎます（{size / 1024 / 1024:.1f} MB）。"
            "20 MB までのファイルにしてください"
        )
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    found = identify(data, path.suffix)
    if found.kind == "xlsx":
        return Workbook(_read_xlsx(data), digest, "xlsx")
    if found.kind == "ods":
        return Workbook(_read_ods(data), digest, "ods")
    if found.kind == "xls":
        _check_xls(data)
        return Workbook(_read_calamine(data, "Excel", ".xls"), digest, "xls")
    if found.kind == "csv":
        return Workbook([_read_csv(data, path.stem)], digest, "csv")
    raise SurveyFileError(found.refusal)


def _open_zip(data: bytes) -> tuple[zipfile.ZipFile, set[str]]:
    """The package, once its size, unpacked size and CRCs are known to be sane."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except (zipfile.BadZipFile, EOFError, ValueError):
        raise SurveyFileError(BROKEN_ZIP) from None
    if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
        raise SurveyFileError(
            "展開すると大きすぎるファイルです（圧縮爆弾の疑い）。回答だけのファイルにしてください"
        )
    try:
        broken = archive.testzip()
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError):
        broken = "?"
    if broken is not None:
        raise SurveyFileError("ファイルが壊れています（中身の一部が読めません）")
    return archive, names


def _read_ods(data: bytes) -> list[Sheet]:
    archive, names = _open_zip(data)
    with archive:
        if "META-INF/manifest.xml" in names:
            manifest = archive.read("META-INF/manifest.xml")
            if b"encryption-data" in manifest:  # ODF 1.3 part 2, 4.8: the parts are encrypted
                raise SurveyFileError(PROTECTED.format(app="LibreOffice"))
        if "content.xml" not in names:
            raise SurveyFileError("ファイルが壊れています（表の中身がありません）")
        for name in names:
            if name.endswith(".xml") and b"<!DOCTYPE" in archive.read(name)[:4096]:
                raise SurveyFileError(UNSAFE_XML)  # LibreOffice never writes one
        content = archive.read("content.xml")
    _check_ods_extent(content)
    if _ODS_UNCACHED.search(content):
        raise SurveyFileError(
            "計算式の結果が保存されていないセルがあります。LibreOffice で開いて保存し直してから"
            "取り込んでください"
        )
    try:
        spans = ods_merges(content)
    except TooManyMerged:
        raise SurveyFileError(TOO_MANY_MERGED) from None
    sheets = _read_calamine(data, "LibreOffice", ".ods")
    if len(spans) != len(sheets):  # calamine lists every table: a mismatch is no sheet of ours
        return sheets
    return [replace(sheet, merged=merged) for sheet, merged in zip(sheets, spans, strict=True)]


def _check_ods_extent(content: bytes) -> None:
    """Refuse what calamine would make a huge dense grid of: each table is built as rows up to
    its last row with a value times its widest such row, every repeat spelled out (the empty
    rows LibreOffice ends every table with cost nothing)."""
    for table in _ODS_TABLE.split(content)[1:]:
        rows = pending = width = 0
        for chunk in _ODS_ROW.split(table)[1:]:
            match = _ODS_ROWS_REPEATED.match(chunk)
            repeat = int(match.group(1)) if match else 1
            tags = _ODS_CELL.findall(chunk)
            valued = b"<text:" in chunk or any(
                b"office:value-type" in tag or b"table:formula" in tag for tag in tags
            )
            if not valued:
                pending += repeat  # counts only if a row with a value comes after it
                continue
            rows, pending = rows + pending + repeat, 0
            repeats = (_ODS_COLUMNS_REPEATED.search(tag) for tag in tags)
            width = max(width, sum(int(m.group(1)) if m else 1 for m in repeats))
            if rows > MAX_ROWS:
                raise SurveyFileError(f"シートの行が多すぎます。{MAX_ROWS:,} 行までにしてください")
            if rows * max(width, 1) > MAX_CELLS:
                raise SurveyFileError(
                    "表が大きすぎます（繰り返しのセルが多すぎます）。回答だけのファイルにしてください"
                )


def _read_calamine(data: bytes, app: str, suffix: str) -> list[Sheet]:
    try:
        values = read_values(data, max_rows=MAX_ROWS + 1, suffix=suffix)
        return [Sheet(v.name, list(_limited_rows(v.rows)), merged=v.merged or ()) for v in values]
    except SurveyFileError:
        raise
    except TooManyMerged:
        raise SurveyFileError(TOO_MANY_MERGED) from None
    except GridTooBig:
        raise SurveyFileError(GRID_TOO_BIG) from None
    except Exception as exc:
        if "password" in str(exc).lower():
            raise SurveyFileError(PROTECTED.format(app=app)) from None
        raise SurveyFileError(_parse_failure(exc)) from None
    except BaseException as exc:  # a panic in calamine's Rust comes up as pyo3's PanicException
        if type(exc).__name__ != "PanicException":
            raise
        raise SurveyFileError(_parse_failure(exc)) from None


def _check_xls(data: bytes) -> None:
    """Refuse before calamine builds it what it would build too big (xls_extent.py says why)."""
    try:
        check_xls(data)
    except TooManyMerged:
        raise SurveyFileError(TOO_MANY_MERGED) from None
    except GridTooBig:
        raise SurveyFileError(GRID_TOO_BIG) from None
    except XlsProtected:
        raise SurveyFileError(PROTECTED.format(app="Excel")) from None
    except XlsBroken as exc:
        raise SurveyFileError(_parse_failure(exc)) from None


def _read_xlsx(data: bytes) -> list[Sheet]:
    archive, names = _open_zip(data)
    fast, has_formulas = True, False
    with archive:
        for name in names:
            if not name.endswith((".xml", ".rels")):
                continue
            body = archive.read(name)  # each part unpacked once, for every check below
            if b"<!DOCTYPE" in body[:4096]:  # Excel never writes one: an entity trick
                raise SurveyFileError(UNSAFE_XML)
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                _check_dimension(body[:4096])
                has_formulas = has_formulas or _has_formula(body)
            if too_many(count_xlsx_merges(body)):  # before calamine or openpyxl builds them
                raise SurveyFileError(TOO_MANY_MERGED)
            fast = fast and (name.endswith(".rels") or fits(body))
    try:
        sheets = _load_values_fast(data) if fast else _load_values(data)
        if has_formulas:
            sheets = _mark_uncached(data, sheets)
    except SurveyFileError:
        raise
    except TooManyMerged:
        raise SurveyFileError(TOO_MANY_MERGED) from None
    except Exception as exc:  # hostile input can make the XML parser raise anything
        raise SurveyFileError(_parse_failure(exc)) from None
    except BaseException as exc:  # a panic in calamine's Rust comes up as pyo3's PanicException
        if type(exc).__name__ != "PanicException":
            raise
        raise SurveyFileError(_parse_failure(exc)) from None
    return sheets


def _has_formula(sheet_xml: bytes) -> bool:
    return b"<f>" in sheet_xml or b"<f " in sheet_xml


def _check_dimension(head: bytes) -> None:
    match = _DIMENSION.search(head)
    if match and int(match.group(1)) > MAX_ROWS:
        raise SurveyFileError(
            f"シートが {int(match.group(1)):,} 行あると書かれています。"
            f"{MAX_ROWS:,} 行までのファイルにしてください"
        )


def _parse_failure(exc: BaseException) -> str:
    cause: BaseException | None = exc
    while cause is not None:  # openpyxl wraps the XML parser's error in a ValueError
        kind = type(cause).__name__
        if "Entities" in kind or "DTD" in kind or "ExternalReference" in kind:
            return UNSAFE_XML
        cause = cause.__cause__ or cause.__context__
    return f"ファイルを読めません（壊れているか、対応していない形式です: {type(exc).__name__}）"


def _load_values(data: bytes) -> list[Sheet]:
    """openpyxl read-only, which has no merged cells: they are read from each sheet's part."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = xlsx_sheet_parts(archive)
        names = set(archive.namelist())
        merged = {
            title: xlsx_merges(archive.read(part)) for title, part in parts.items() if part in names
        }
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return [
            Sheet(
                ws.title,
                list(_limited_rows(ws.iter_rows(values_only=True))),
                merged=merged.get(ws.title, ()),
            )
            for ws in book
        ]
    finally:
        book.close()


def _load_values_fast(data: bytes) -> list[Sheet]:
    values = read_values(data, max_rows=MAX_ROWS + 1)
    return [Sheet(v.name, list(_limited_rows(v.rows)), merged=v.merged or ()) for v in values]


def _limited_rows(rows: Iterable[_Row]) -> Iterator[_Row]:
    for count, row in enumerate(rows, start=1):
        if count > MAX_ROWS:
            raise SurveyFileError(f"シートの行が多すぎます。{MAX_ROWS:,} 行までにしてください")
        yield row


def _mark_uncached(data: bytes, sheets: list[Sheet]) -> list[Sheet]:
    """Find formulas saved without their value (made by a program, never opened in Excel)."""
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        marked = []
        for ws, sheet in zip(book, sheets, strict=True):
            missing = set()
            for r, row in enumerate(_limited_rows(ws.iter_rows(values_only=True)), start=1):
                for c, value in enumerate(row, start=1):
                    if isinstance(value, str) and value.startswith("="):
                        cached = sheet.rows[r - 1][c - 1] if c <= len(sheet.rows[r - 1]) else None
                        if cached is None:
                            missing.add((r, c))
            marked.append(replace(sheet, uncached_formulas=frozenset(missing)))
        return marked
    finally:
        book.close()


def _read_csv(data: bytes, name: str) -> Sheet:
    for encoding in CSV_ENCODINGS:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SurveyFileError(
            "CSV の文字コードが分かりません。UTF-8 か Shift_JIS（cp932）で保存してください"
        )
    if "\x00" in text:
        raise SurveyFileError("表計算のファイルではありません（文字でないデータを含みます）")
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = [tuple(cell if cell != "" else None for cell in row) for row in _limited_rows(reader)]
    return Sheet(name, rows)
