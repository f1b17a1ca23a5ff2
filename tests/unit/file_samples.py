"""Real files to extract text from, made by the tests: a PDF in the reports' Japanese font
(reportlab), an xlsx (openpyxl), docx and pptx as minimal valid Office Open XML zips, and PDFs
written by hand (pages sharing a heavy content stream, a deflate bomb)."""

from __future__ import annotations

import zipfile
import zlib
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


def raw_pdf(
    path: Path, streams: Sequence[bytes], pages: Sequence[int], *, form: int | None = None
) -> Path:
    """A PDF written by hand, as a hostile one may be: ``streams`` are content streams (stored
    deflated), and page n draws ``streams[pages[n]]`` (pages may share one) in Helvetica; with
    ``form``, ``streams[form]`` is a form every page may draw as /X1 (``/X1 Do``)."""
    first_page = 4 + len(streams)
    kids = " ".join(f"{first_page + n} 0 R" for n in range(len(pages)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for stream in streams:
        packed = zlib.compress(stream, 9)
        kind = ""
        if form is not None and stream is streams[form]:
            kind = "/Type /XObject /Subtype /Form /BBox [0 0 595 842] "
            kind += "/Resources << /Font << /F1 3 0 R >> >> "
        head = f"<< {kind}/Length {len(packed)} /Filter /FlateDecode >>\nstream\n".encode()
        objects.append(head + packed + b"\nendstream")
    xobjects = "" if form is None else f"/XObject << /X1 {4 + form} 0 R >> "
    for shown in pages:
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {4 + shown} 0 R "
            f"/Resources << /Font << /F1 3 0 R >> {xobjects}>> >>".encode()
        )
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
    return path


def text_stream(*lines: str) -> bytes:
    """A content stream that shows ``lines`` (ASCII) one under another."""
    return b"".join(
        f"BT /F1 12 Tf 72 {760 - 18 * n} Td ({line}) Tj ET\n".encode()
        for n, line in enumerate(lines)
    )


def blank_runs(megabytes: float) -> bytes:
    """A content stream of tiny blank text runs: slow to parse, no text to show for it."""
    run = b"BT /F1 12 Tf 10 10 Td ( ) Tj ET\n"
    return run * int(megabytes * 1024 * 1024 / len(run))
