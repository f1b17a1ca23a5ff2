"""Files built to hurt a reader give no text and no exception: zip bombs (a part too large, a
ratio too high, a size that lies) and XML entity tricks (billion laughs, an external file)."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import pytest

from dxdesk.services.file_text import text_of
from dxdesk.services.file_text.limits import PART_BYTES, RATIO, RATIO_FROM
from tests.unit.file_samples import W, docx_body, docx_file

MB = 1024 * 1024


def _bomb(path: Path, megabytes: int) -> Path:
    """A docx whose document.xml is a valid document padded with ``megabytes`` MB of spaces."""
    head, tail = docx_body(["計画案"]).split("<w:body>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as part:
            part.write((head + "<w:body>").encode())
            for _ in range(megabytes):
                part.write(b" " * MB)
            part.write(tail.encode())
    return path


def test_a_part_stated_larger_than_the_limit_is_not_read(tmp_path: Path) -> None:
    path = _bomb(tmp_path / "big.docx", PART_BYTES // MB + 1)
    info = zipfile.ZipFile(path).getinfo("word/document.xml")
    assert info.file_size > PART_BYTES
    assert text_of(path) == ""


def test_a_part_compressed_beyond_the_ratio_is_not_read(tmp_path: Path) -> None:
    path = _bomb(tmp_path / "ratio.docx", 4)
    info = zipfile.ZipFile(path).getinfo("word/document.xml")
    assert RATIO_FROM < info.file_size < PART_BYTES
    assert info.file_size > RATIO * info.compress_size
    assert text_of(path) == ""


def test_a_part_whose_stated_size_lies_is_not_read_past_it(tmp_path: Path) -> None:
    # The central directory says 2 kB; the part inflates to 8 MB. zipfile stops at the stated
    # size and finds the checksum wrong: no text, nothing inflated beyond what was stated.
    path = _bomb(tmp_path / "liar.docx", 8)
    data = bytearray(path.read_bytes())
    entry = data.index(b"PK\x01\x02")
    while not data[entry + 46 :].startswith(b"word/document.xml"):
        entry = data.index(b"PK\x01\x02", entry + 4)
    struct.pack_into("<I", data, entry + 24, 2048)
    path.write_bytes(bytes(data))
    assert zipfile.ZipFile(path).getinfo("word/document.xml").file_size == 2048
    assert text_of(path) == ""


def _with_doctype(doctype: str, text: str) -> str:
    return (
        f'<?xml version="1.0"?>{doctype}<w:document xmlns:w="{W}"><w:body>'
        f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
    )


def test_billion_laughs_gives_no_text(tmp_path: Path) -> None:
    entities = '<!ENTITY lol0 "笑笑笑笑笑笑笑笑笑笑">' + "".join(
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)
    )
    body = _with_doctype(f"<!DOCTYPE w:document [{entities}]>", "&lol9;")
    assert text_of(docx_file(tmp_path / "laughs.docx", [], body=body)) == ""


def test_an_external_entity_is_not_fetched(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("機密の中身", encoding="utf-8")
    doctype = f'<!DOCTYPE w:document [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
    body = _with_doctype(doctype, "&x;")
    assert text_of(docx_file(tmp_path / "xxe.docx", [], body=body)) == ""


def test_a_document_nested_very_deep_gives_its_text_without_crashing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    depth = 50_000
    inner = "<w:p><w:r><w:t>深い段落</w:t></w:r></w:p>"
    body = (
        f'<w:document xmlns:w="{W}"><w:body>'
        + "<w:sdt>" * depth
        + inner
        + "</w:sdt>" * depth
        + "</w:body></w:document>"
    )
    # Depth is what is tested, not time: a loaded machine gets the time it needs (a CI run once
    # read nothing here within the usual 5 s), and the log says why if the text is missing.
    caplog.set_level("INFO")
    text = text_of(docx_file(tmp_path / "deep.docx", [], body=body), seconds=120)
    assert text == "深い段落", caplog.text
