"""Real files to extract text from, made by the tests: a PDF in the reports' Japanese font
(reportlab), an xlsx (openpyxl), and docx and pptx as minimal valid Office Open XML zips."""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen.canvas import Canvas

from dxdesk.reports.document import register_fonts

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
OFFICE_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def pdf_file(path: Path, pages: Sequence[str], *, user_password: str | None = None) -> Path:
    """A PDF with one page per item of ``pages`` (lines split on newlines)."""
    font = register_fonts()
    encrypt = None
    if user_password is not None:
        encrypt = StandardEncryption(user_password, ownerPassword="owner", strength=128)
    canvas = Canvas(str(path), pagesize=A4, encrypt=encrypt)
    for page in pages:
        canvas.setFont(font, 12)
        for number, line in enumerate(page.split("\n")):
            canvas.drawString(72, 760 - 18 * number, line)
        canvas.showPage()
    canvas.save()
    return path


def _zip(path: Path, parts: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return path


def _types(overrides: dict[str, str]) -> str:
    items = "".join(
        f'<Override PartName="/{name}" ContentType="{kind}"/>' for name, kind in overrides.items()
    )
    return (
        f'{XML}<Types xmlns="{CT}">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f"{items}</Types>"
    )


def _root_rels(target: str) -> str:
    return (
        f'{XML}<Relationships xmlns="{PKG_RELS}">'
        f'<Relationship Id="rId1" Type="{OFFICE_DOC}" Target="{target}"/></Relationships>'
    )


def docx_body(paragraphs: Sequence[str]) -> str:
    body = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'
        for text in paragraphs
    )
    return f'{XML}<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'


def docx_file(path: Path, paragraphs: Sequence[str], *, body: str | None = None) -> Path:
    """A Word document of ``paragraphs`` (or of the given document.xml ``body``)."""
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    return _zip(
        path,
        {
            "[Content_Types].xml": _types({"word/document.xml": main}),
            "_rels/.rels": _root_rels("word/document.xml"),
            "word/document.xml": body if body is not None else docx_body(paragraphs),
        },
    )


def pptx_file(path: Path, slides: Sequence[Sequence[str]]) -> Path:
    """A presentation whose slides are shown in the order given, though their part names run
    the other way (slide1.xml is the last), as after slides are moved in PowerPoint."""
    count = len(slides)
    parts: dict[str, str] = {}
    ids, rels = [], []
    for shown, paragraphs in enumerate(slides):
        number = count - shown  # the first slide shown is the highest numbered part
        text = "".join(f"<a:p><a:r><a:t>{escape(p)}</a:t></a:r></a:p>" for p in paragraphs)
        parts[f"ppt/slides/slide{number}.xml"] = (
            f'{XML}<p:sld xmlns:a="{A}" xmlns:p="{P}"><p:cSld><p:spTree><p:sp><p:txBody>'
            f"<a:bodyPr/>{text}</p:txBody></p:sp></p:spTree></p:cSld></p:sld>"
        )
        ids.append(f'<p:sldId id="{256 + shown}" r:id="rId{shown + 2}"/>')
        rels.append(
            f'<Relationship Id="rId{shown + 2}" Type="{R}/slide" '
            f'Target="slides/slide{number}.xml"/>'
        )
    slide = "application/vnd.openxmlformats-officedocument.presentationml.slide+xml"
    main = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
    overrides = {"ppt/presentation.xml": main} | dict.fromkeys(parts, slide)
    return _zip(
        path,
        {
            "[Content_Types].xml": _types(overrides),
            "_rels/.rels": _root_rels("ppt/presentation.xml"),
            "ppt/presentation.xml": (
                f'{XML}<p:presentation xmlns:p="{P}" xmlns:r="{R}">'
                f"<p:sldIdLst>{''.join(ids)}</p:sldIdLst></p:presentation>"
            ),
            "ppt/_rels/presentation.xml.rels": (
                f'{XML}<Relationships xmlns="{PKG_RELS}">{"".join(rels)}</Relationships>'
            ),
            **parts,
        },
    )


def xlsx_file(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    """A workbook of ``rows`` on one sheet (openpyxl writes its text as shared strings)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path
