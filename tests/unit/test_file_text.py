"""The text of attached files: real PDF, docx, xlsx and pptx files made here, Japanese included;
files from outside that must give no text (encrypted, broken, not a document) without raising."""

from __future__ import annotations

import logging
import zipfile
from pathlib import Path

import pytest

from dxdesk.services.file_text import TEXT_LIMIT, Cancelled, file_format, text_of
from tests.unit.file_samples import docx_file, pdf_file, pptx_file, xlsx_file

PLAN = "和歌山市　窓口BPR計画案"


def test_a_pdf_gives_the_japanese_text_of_every_page(tmp_path: Path) -> None:
    pdf = pdf_file(tmp_path / "plan", [f"{PLAN}\n書かない窓口を導入する", "二頁目　電子申請の拡充"])
    assert file_format(pdf) == "pdf"  # by content: the stored file has no extension
    text = text_of(pdf)
    squashed = "".join(text.split())
    for words in ("和歌山市窓口BPR計画案", "書かない窓口を導入する", "二頁目電子申請の拡充"):
        assert words in squashed
    assert squashed.index("計画案") < squashed.index("二頁目")


def test_a_pdf_locked_with_a_password_gives_no_text(tmp_path: Path) -> None:
    pdf = pdf_file(tmp_path / "locked.pdf", [PLAN], user_password="secret")
    assert text_of(pdf) == ""


def test_a_pdf_only_restricted_by_its_owner_is_read(tmp_path: Path) -> None:
    # Opens without a password (printing or copying restricted): the text is the reader's.
    pdf = pdf_file(tmp_path / "restricted.pdf", [PLAN], user_password="")
    assert "計画案" in text_of(pdf)


def test_a_docx_gives_its_paragraphs(tmp_path: Path) -> None:
    docx = docx_file(tmp_path / "memo", ["業務フロー図の説明", "", "住民票の写し & 証明書 <交付>"])
    assert file_format(docx) == "docx"
    assert text_of(docx) == "業務フロー図の説明\n住民票の写し & 証明書 <交付>"


def test_a_pptx_gives_its_slides_in_the_order_shown(tmp_path: Path) -> None:
    pptx = pptx_file(
        tmp_path / "slides", [["表紙　DX推進研修"], ["一、現状"], ["二、課題", "三、方針"]]
    )
    assert file_format(pptx) == "pptx"
    assert text_of(pptx) == "表紙　DX推進研修\n一、現状\n二、課題\n三、方針"


def test_an_xlsx_gives_its_strings(tmp_path: Path) -> None:
    xlsx = xlsx_file(tmp_path / "book", [["手続き名", "件数"], ["転入届", 120], ["印鑑登録", 35]])
    assert file_format(xlsx) == "xlsx"
    text = text_of(xlsx).split("\n")
    assert {"手続き名", "件数", "転入届", "印鑑登録"} <= set(text)
    assert "120" not in text  # numbers are not text to search


def test_an_xlsx_gives_inline_strings_and_leaves_out_furigana(tmp_path: Path) -> None:
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    shared = (
        f'<sst xmlns="{main}"><si><r><t>窓口</t></r><r><t>改革</t></r>'
        '<rPh sb="0" eb="2"><t>マドグチ</t></rPh><phoneticPr fontId="1"/></si></sst>'
    )
    sheet = (
        f'<worksheet xmlns="{main}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c>'
        '<c r="B1" t="inlineStr"><is><t>庁内説明会</t></is></c>'
        '<c r="C1"><v>42</v></c></row></sheetData></worksheet>'
    )
    path = tmp_path / "inline.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", f'<workbook xmlns="{main}"/>')
        archive.writestr("xl/sharedStrings.xml", shared)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    assert text_of(path) == "窓口改革\n庁内説明会"


def test_the_text_of_a_long_file_is_capped(tmp_path: Path) -> None:
    # 400 paragraphs of 1,000 kanji each, varied as real text is (compressed about 2:1).
    lines = [
        "".join(chr(0x4E00 + (n * 7919 + i * 104729) % 20000) for i in range(1000))
        for n in range(400)
    ]
    text = text_of(docx_file(tmp_path / "long.docx", lines))
    assert TEXT_LIMIT - 1000 <= len(text) <= TEXT_LIMIT
    assert text.startswith(lines[0] + "\n" + lines[1])


def test_a_cancel_stops_the_reading(tmp_path: Path) -> None:
    docx = docx_file(tmp_path / "memo.docx", ["一", "二"])
    with pytest.raises(Cancelled):
        text_of(docx, cancel=lambda: True)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(200)),
        ("notes.txt", "ただのテキスト".encode()),
        ("empty.zip", b"PK\x05\x06" + bytes(18)),
    ],
)
def test_what_is_not_a_document_gives_no_text(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert file_format(path) is None
    assert text_of(path) == ""


def _broken_docx(tmp_path: Path) -> Path:
    return docx_file(tmp_path / "broken.docx", [], body="<w:document><w:body><w:p>")


def _truncated_pdf(tmp_path: Path) -> Path:
    whole = pdf_file(tmp_path / "whole.pdf", [PLAN]).read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(whole[: len(whole) // 3])
    return path


def _garbage_pdf(tmp_path: Path) -> Path:
    path = tmp_path / "garbage.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    return path


def _cut_zip(tmp_path: Path) -> Path:
    whole = docx_file(tmp_path / "whole.docx", [PLAN] * 50).read_bytes()
    path = tmp_path / "cut.docx"
    path.write_bytes(whole[: len(whole) // 2])
    return path


@pytest.mark.parametrize("make", [_broken_docx, _truncated_pdf, _garbage_pdf, _cut_zip])
def test_a_broken_file_gives_no_text_and_is_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, make: object
) -> None:
    assert callable(make)
    path = make(tmp_path)
    with caplog.at_level(logging.INFO, logger="dxdesk.services.file_text"):
        text = text_of(path)
    assert text == ""
    assert any(path.name in record.getMessage() for record in caplog.records)
