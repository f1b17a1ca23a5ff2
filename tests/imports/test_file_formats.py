"""A file that is not a survey workbook is refused with a message that names what it is.

Every file here is real: made by the rules of its format (ODF packaging, Office Open XML, PDF
by reportlab), not a few magic bytes, so the reader sees what a person's file would show it.
"""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from dxdesk.cli.main import main
from dxdesk.imports.workbook import SurveyFileError, read_workbook
from dxdesk.services.workspace import open_workspace
from tests.imports import survey_files as files

ODF_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
    ' manifest:version="1.3">\n'
    ' <manifest:file-entry manifest:full-path="/" manifest:version="1.3"'
    ' manifest:media-type="{media_type}"/>\n'
    ' <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>\n'
    "</manifest:manifest>\n"
)
ODF_CONTENT = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
    ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
    "<office:body>{body}</office:body></office:document-content>\n"
)
ODS_BODY = (
    '<office:spreadsheet><table:table table:name="回答"><table:table-row>'
    '<table:table-cell office:value-type="string"><text:p>市町村コード</text:p></table:table-cell>'
    "</table:table-row></table:table></office:spreadsheet>"
)
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODT_BODY = "<office:text><text:p>訪問の記録</text:p></office:text>"


def odf_file(path: Path, media_type: str, body: str) -> Path:
    """An OpenDocument package: ``mimetype`` first, stored, without extra fields (ODF 1.3 §3.3)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), media_type, zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", ODF_MANIFEST.format(media_type=media_type))
        archive.writestr("content.xml", ODF_CONTENT.format(body=body))
    return path


def ooxml_file(path: Path, main_part: str, content_type: str, body: str) -> Path:
    """An Office Open XML package: content types, the package relationship, the main part."""
    types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels"'
        ' ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{main_part}" ContentType="{content_type}"/></Types>'
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'relationships/officeDocument" Target="{main_part}"/></Relationships>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr(main_part, body)
    return path


def docx_file(path: Path) -> Path:
    return ooxml_file(
        path,
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>訪問の記録</w:t></w:r></w:p></w:body></w:document>",
    )


def pptx_file(path: Path) -> Path:
    return ooxml_file(
        path,
        "ppt/presentation.xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
        '<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>',
    )


def pdf_file(path: Path) -> Path:
    canvas = Canvas(str(path))
    canvas.drawString(72, 720, "survey")
    canvas.save()
    return path


def random_bytes(path: Path) -> Path:
    # Seeded, and checked not to begin like any format by chance.
    data = random.Random(16).randbytes(4096)
    assert not data.startswith((b"PK", b"%PDF", b"\xd0\xcf", b"\x89PNG", b"\xef\xbb\xbf"))
    path.write_bytes(data)
    return path


def refusal(path: Path) -> str:
    with pytest.raises(SurveyFileError) as caught:
        read_workbook(path)
    return str(caught.value)


def test_an_ods_is_read_as_opendocument_spreadsheet(tmp_path: Path) -> None:
    path = odf_file(
        tmp_path / "回答.ods", "application/vnd.oasis.opendocument.spreadsheet", ODS_BODY
    )
    with zipfile.ZipFile(path) as archive:  # the packaging rules the reader relies on
        first = archive.infolist()[0]
        assert (first.filename, first.compress_type, first.extra) == ("mimetype", 0, b"")
    book = read_workbook(path)
    assert (book.kind, book.sheets[0].name, book.sheets[0].rows) == (
        "ods",
        "回答",
        [("市町村コード",)],
    )


def test_an_ods_named_xlsx_is_still_read_by_its_content(tmp_path: Path) -> None:
    path = odf_file(
        tmp_path / "回答.xlsx", "application/vnd.oasis.opendocument.spreadsheet", ODS_BODY
    )
    assert read_workbook(path).kind == "ods"


def test_an_ods_template_is_named_and_what_to_do_is_said(tmp_path: Path) -> None:
    path = odf_file(
        tmp_path / "回答.ots", "application/vnd.oasis.opendocument.spreadsheet-template", ODS_BODY
    )
    assert refusal(path) == (
        "OpenDocument の表計算のテンプレート (.ots) は読み込めません。"
        "LibreOffice で開き、表計算ファイル（.ods）か .xlsx として保存してから読み込んでください。"
    )


def test_an_odt_is_an_opendocument_text_not_a_spreadsheet(tmp_path: Path) -> None:
    message = refusal(
        odf_file(tmp_path / "報告.odt", "application/vnd.oasis.opendocument.text", ODT_BODY)
    )
    assert "OpenDocument の文書ファイル (.odt)" in message
    assert "表計算のファイルではありません" in message
    assert "Word" not in message and "PowerPoint" not in message


def test_a_docx_is_named_word(tmp_path: Path) -> None:
    message = refusal(docx_file(tmp_path / "報告.docx"))
    assert "Word の文書ファイル (.docx)" in message and "PowerPoint" not in message


def test_a_pptx_is_named_powerpoint(tmp_path: Path) -> None:
    message = refusal(pptx_file(tmp_path / "説明.pptx"))
    assert "PowerPoint のファイル (.pptx)" in message and "Word" not in message


def test_a_pdf_is_named_pdf(tmp_path: Path) -> None:
    message = refusal(pdf_file(tmp_path / "回答.pdf"))
    assert "PDF" in message and "Word" not in message


def test_a_zip_of_other_files_says_zip_and_guesses_nothing(tmp_path: Path) -> None:
    path = tmp_path / "回答一式.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("和歌山市.xlsx", b"x")
        archive.writestr("海南市.xlsx", b"x")
    message = refusal(path)
    assert "ZIP" in message and "展開" in message
    assert "Word" not in message and "OpenDocument" not in message


@pytest.mark.parametrize("name", ["不明.xlsx", "不明.csv", "不明"])
def test_random_bytes_are_unknown_not_guessed(tmp_path: Path, name: str) -> None:
    message = refusal(random_bytes(tmp_path / name))
    assert "形式が分かりません" in message
    for guess in ("Word", "PowerPoint", "文字コード", "OpenDocument", "PDF", "ZIP"):
        assert guess not in message


def test_text_under_a_spreadsheet_name_is_named_text(tmp_path: Path) -> None:
    message = refusal(files.not_a_spreadsheet(tmp_path, kind="text"))
    assert "テキスト" in message and ".csv" in message


def test_a_web_page_saved_as_xls_is_named_html(tmp_path: Path) -> None:
    path = tmp_path / "一覧.xls"
    path.write_text("<html><body><table><tr><td>和歌山市</td></tr></table></body></html>")
    message = refusal(path)
    assert "HTML" in message and ".xlsx" in message


def test_csv_and_xlsx_are_still_read(tmp_path: Path) -> None:
    answers = files.answers_for(["302015"])
    assert read_workbook(files.csv_file(tmp_path, answers, encoding="utf-8")).kind == "csv"
    assert read_workbook(files.ms_forms_xlsx(tmp_path, answers)).kind == "xlsx"


def test_the_command_names_the_ots_in_one_line_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = odf_file(
        tmp_path / "回答.ots", "application/vnd.oasis.opendocument.spreadsheet-template", ODS_BODY
    )
    data = tmp_path / "data"
    code = main(["--data-dir", str(data), "import-survey", str(path), "--fiscal-year", "R7"])
    _, err = capsys.readouterr()
    assert code == 2 and err.count("\n") == 1 and "(.ots) は読み込めません" in err
    workspace = open_workspace(data)
    try:
        assert workspace.assessments.list_records() == []
    finally:
        workspace.close()
