"""The survey reader takes .ods and .xls as it takes .xlsx: the same values, the same defences.

Every file is real: the .ods is an OpenDocument package built by its rules (stored mimetype,
manifest, content.xml with a table), the .xlsx is written by openpyxl, the .xls by xlwt.
"""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
import xlwt

from dxdesk.imports.workbook import UNSAFE_XML, SurveyFileError, read_workbook
from tests.imports import survey_files as files

ODS = "application/vnd.oasis.opendocument.spreadsheet"
MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
    ' manifest:version="1.3">'
    f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODS}"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">'
    "{encryption}</manifest:file-entry></manifest:manifest>\n"
)
CONTENT = (
    '<?xml version="1.0" encoding="UTF-8"?>\n{doctype}'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
    ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
    '<office:body><office:spreadsheet><table:table table:name="回答">{rows}</table:table>'
    "</office:spreadsheet></office:body></office:document-content>\n"
)
# An answer sheet: header, then two municipalities (text code, count, share, date, blank cell).
TABLE: list[tuple[object, ...]] = [
    ("市町村コード", "市町村名", "職員数", "割合", "回答日", "備考"),
    ("302015", "和歌山市", 12, 0.25, datetime(2025, 4, 1), "なし"),
    ("302023", "海南市", 3, 1.5, datetime(2025, 5, 20), None),
]
LIBREOFFICE_TAIL = (  # how LibreOffice ends every table: a million empty rows, in one element
    '<table:table-row table:number-rows-repeated="1048573">'
    '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
)


def ods_cell(value: object) -> str:
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, datetime):
        day = value.date().isoformat()
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{day}">'
            f"<text:p>{day}</text:p></table:table-cell>"
        )
    if isinstance(value, int | float):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    return (
        f'<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>'
    )


def ods_rows(table: list[tuple[object, ...]]) -> str:
    rows = ("".join(map(ods_cell, row)) for row in table)
    return "".join(f"<table:table-row>{cells}</table:table-row>" for cells in rows)


def ods_file(path: Path, rows: str, *, encryption: str = "", doctype: str = "") -> Path:
    """An OpenDocument spreadsheet: ``mimetype`` first and stored (ODF 1.3 part 2, 3.3)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ODS, zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", MANIFEST.format(encryption=encryption))
        archive.writestr("content.xml", CONTENT.format(doctype=doctype, rows=rows))
    return path


def xlsx_file(path: Path, table: list[tuple[object, ...]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "回答"
    for row in table:
        sheet.append(row)
    book.save(path)
    return path


def xls_file(path: Path, table: list[tuple[object, ...]]) -> Path:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("回答")
    dated = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    for r, row in enumerate(table):
        for c, value in enumerate(row):
            if isinstance(value, datetime):
                sheet.write(r, c, value, dated)
            elif value is not None:
                sheet.write(r, c, value)
    book.save(str(path))
    return path


def refusal(path: Path) -> str:
    with pytest.raises(SurveyFileError) as caught:
        read_workbook(path)
    return str(caught.value)


def test_an_ods_answer_sheet_reads_the_same_as_the_xlsx(tmp_path: Path) -> None:
    ods = read_workbook(ods_file(tmp_path / "回答.ods", ods_rows(TABLE) + LIBREOFFICE_TAIL))
    xlsx = read_workbook(xlsx_file(tmp_path / "回答.xlsx", TABLE))
    assert (ods.kind, xlsx.kind) == ("ods", "xlsx")
    assert [(s.name, s.rows) for s in ods.sheets] == [(s.name, s.rows) for s in xlsx.sheets]
    assert ods.sheets[0].rows == TABLE


def test_an_xls_answer_sheet_reads_the_same_as_the_xlsx(tmp_path: Path) -> None:
    xls = read_workbook(xls_file(tmp_path / "回答.xls", TABLE))
    xlsx = read_workbook(xlsx_file(tmp_path / "回答.xlsx", TABLE))
    assert xls.kind == "xls"
    assert [(s.name, s.rows) for s in xls.sheets] == [(s.name, s.rows) for s in xlsx.sheets]


def test_an_encrypted_ods_is_refused_with_what_to_do(tmp_path: Path) -> None:
    encryption = (
        '<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="AA==">'
        '<manifest:algorithm manifest:algorithm-name="Blowfish CFB"'
        ' manifest:initialisation-vector="AA=="/></manifest:encryption-data>'
    )
    path = ods_file(tmp_path / "鍵付き.ods", ods_rows(TABLE), encryption=encryption)
    message = refusal(path)
    assert "パスワード" in message and "LibreOffice" in message


def test_an_ods_with_an_entity_definition_is_refused(tmp_path: Path) -> None:
    doctype = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    assert refusal(ods_file(tmp_path / "罠.ods", ods_rows(TABLE), doctype=doctype)) == UNSAFE_XML


def test_an_ods_whose_repeats_would_make_a_huge_grid_is_refused_at_once(tmp_path: Path) -> None:
    bomb = (  # a few bytes that calamine would spell out as 17 billion cells
        '<table:table-row table:number-rows-repeated="1048576">'
        '<table:table-cell table:number-columns-repeated="16384"'
        ' office:value-type="float" office:value="1"/></table:table-row>'
    )
    assert "多すぎます" in refusal(ods_file(tmp_path / "爆弾.ods", bomb))
    empty_then_value = (  # empty rows count when a value comes after them
        '<table:table-row table:number-rows-repeated="1000000"><table:table-cell/>'
        "</table:table-row>" + ods_rows(TABLE[:1])
    )
    assert "多すぎます" in refusal(ods_file(tmp_path / "遠い.ods", empty_then_value))


def test_an_ods_formula_without_a_saved_value_is_refused(tmp_path: Path) -> None:
    rows = ods_rows(TABLE) + (
        '<table:table-row><table:table-cell table:formula="of:=[.C2]+[.C3]"/></table:table-row>'
    )
    assert "計算式" in refusal(ods_file(tmp_path / "式.ods", rows))


def test_a_truncated_ods_is_refused_as_broken(tmp_path: Path) -> None:
    path = ods_file(tmp_path / "途中.ods", ods_rows(TABLE))
    path.write_bytes(path.read_bytes()[:-40])
    assert "壊れて" in refusal(path)


def test_a_password_protected_xls_is_refused_with_what_to_do(tmp_path: Path) -> None:
    path = xls_file(tmp_path / "鍵付き.xls", TABLE)
    data = bytearray(path.read_bytes())
    # Excel marks an encrypted .xls by a FILEPASS record (0x002F) right after the first BOF;
    # turn the record that follows BOF into one (the bytes after it are then unreadable).
    bof = data.index(bytes.fromhex("0908100000060500"))
    after = bof + 4 + 16
    data[after : after + 2] = (0x2F).to_bytes(2, "little")
    path.write_bytes(bytes(data))
    message = refusal(path)
    assert "パスワード" in message and "Excel" in message


def test_a_broken_xls_is_refused(tmp_path: Path) -> None:
    path = xls_file(tmp_path / "壊れ.xls", TABLE)
    data = bytearray(path.read_bytes())
    data[512 + 30 : 512 + 800] = bytes(770)  # the Workbook stream, past its BOF record
    path.write_bytes(bytes(data))
    message = refusal(path)
    assert message.startswith("ファイルを読めません（壊れているか")


def test_the_template_layout_as_xls_reads_the_same_as_as_xlsx(tmp_path: Path) -> None:
    xls = read_workbook(files.old_xls(tmp_path))  # the answer template's layout, by xlwt
    rows = xls.sheets[0].rows
    xlsx = read_workbook(xlsx_file(tmp_path / "回答.xlsx", rows))
    assert xls.kind == "xls" and len(rows) > 1 and rows[0][0] is not None
    assert xls.sheets[0].rows == xlsx.sheets[0].rows
