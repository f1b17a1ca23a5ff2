"""What a picked file is, judged by its bytes, so that a refusal names the right format.

The survey reader takes Excel workbooks (.xlsx/.xlsm, and the old .xls), OpenDocument spreadsheets
(.ods) and CSV. Anything else is refused with a
message that says what the file is and what to do. The suffix is not trusted (a web page saved
as .xls, an .ods renamed .xlsx), and bytes that match no known format are called unknown, never
guessed at: OpenDocument packages declare themselves in their ``mimetype`` member, Office Open XML
packages by their part names, the rest by their leading bytes. Nothing here unpacks more than a
few bytes of an archive; the size checks belong to the reader.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Literal

OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
CSV_SUFFIXES = {".csv", ".txt"}
SNIFF_BYTES = 64 * 1024
CHOOSE = "Excel 形式（.xlsx / .xls）、.ods か CSV で保存したファイルを選んでください。"
NOT_SPREADSHEET = "表計算のファイルではありません"
BROKEN_ZIP = (
    "ファイルが壊れています（途中で切れているか、保存に失敗したファイルです）。"
    "もう一度保存し直すか、送り直してもらってください"
)
UNKNOWN = f"{NOT_SPREADSHEET}（ファイルの形式が分かりません）。{CHOOSE}"
SAVE_AS_XLSX = "で開き、「Excel ブック（.xlsx）」として保存し直してから読み込んでください。"

# OpenDocument media types (ODF 1.3 part 2, appendix C) and what to call them.
_ODF_KINDS = {
    "spreadsheet": "表計算ファイル (.ods)",
    "spreadsheet-template": "表計算のテンプレート (.ots)",
    "text": "文書ファイル (.odt)",
    "presentation": "プレゼンテーション (.odp)",
    "graphics": "図形描画ファイル (.odg)",
}
_ODF_PREFIX = "application/vnd.oasis.opendocument."
# Office Open XML: the folder of the package's main part (ECMA-376 part 1, 11–13).
_OOXML_KINDS = {
    "word/": "Word の文書ファイル (.docx)",
    "ppt/": "PowerPoint のファイル (.pptx)",
    "visio/": "Visio のファイル (.vsdx)",
}
# Leading bytes of formats a person might pick by mistake.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF のファイル"),
    (b"\x89PNG\r\n\x1a\n", "画像ファイル（PNG）"),
    (b"\xff\xd8\xff", "画像ファイル（JPEG）"),
    (b"GIF87a", "画像ファイル（GIF）"),
    (b"GIF89a", "画像ファイル（GIF）"),
    (b"{\\rtf", "リッチテキスト形式（RTF）の文書"),
)
_ARCHIVES: tuple[tuple[bytes, str], ...] = (
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"Rar!\x1a\x07", "RAR"),
    (b"\x1f\x8b", "gzip"),
)


@dataclass(frozen=True)
class Format:
    """``xlsx``, ``xls``, ``ods`` or ``csv`` for what the reader takes; ``other`` with the
    message to show."""

    kind: Literal["xlsx", "xls", "ods", "csv", "other"]
    refusal: str = ""


XLSX = Format("xlsx")
XLS = Format("xls")
ODS = Format("ods")
CSV = Format("csv")


def _refuse(message: str) -> Format:
    return Format("other", message)


def identify(data: bytes, suffix: str) -> Format:
    """The format of ``data`` (a whole file), named ``*suffix`` by the person."""
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_format(data)
    if data.startswith(OLE_SIGNATURE):
        return _ole_format(data)
    for magic, what in _SIGNATURES:
        if data.startswith(magic):
            return _refuse(f"{what}です。{NOT_SPREADSHEET}。{CHOOSE}")
    for magic, what in _ARCHIVES:
        if data.startswith(magic):
            return _refuse(f"{what} 形式の圧縮ファイルです。展開してから、中の{CHOOSE}")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _refuse(
            "UTF-16 のテキスト（Excel の「Unicode テキスト」）は読み込めません。"
            "Excel で「CSV UTF-8（コンマ区切り）」として保存し直してから読み込んでください。"
        )
    head = data[:SNIFF_BYTES]
    if _looks_binary(head):
        return _refuse(UNKNOWN)
    markup = _markup_message(head)
    if markup:
        return _refuse(markup)
    if suffix.lower() in CSV_SUFFIXES:
        return CSV  # the reader says so if its encoding is neither UTF-8 nor cp932
    return _refuse(
        f"{NOT_SPREADSHEET}（中身は文字だけのテキストです）。"
        "CSV なら拡張子を .csv にしてから選ぶか、" + CHOOSE
    )


def _zip_format(data: bytes) -> Format:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
    except (zipfile.BadZipFile, EOFError, ValueError):
        return _refuse(BROKEN_ZIP)
    with archive:
        if "mimetype" in names:
            media_type = _head(archive, "mimetype")
            if media_type == _ODF_PREFIX + "spreadsheet":
                return ODS
            return _refuse(_declared_type_message(media_type))
    if "xl/workbook.xml" in names:
        return XLSX
    if "xl/workbook.bin" in names:
        return _refuse(f"Excel バイナリ ブック（.xlsb）は読み込めません。Excel {SAVE_AS_XLSX}")
    if any(name.startswith("Index/") and name.endswith(".iwa") for name in names):
        return _refuse(
            "Numbers のファイル (.numbers) は読み込めません。"
            "Numbers で Excel 形式（.xlsx）に書き出してから読み込んでください。"
        )
    for folder, what in _OOXML_KINDS.items():
        if any(name.startswith(folder) for name in names):
            return _refuse(f"{what}です。{NOT_SPREADSHEET}。{CHOOSE}")
    if "[Content_Types].xml" in names:
        return _refuse(f"Office 形式のファイルですが、Excel のブックではありません。{CHOOSE}")
    return _refuse(f"ZIP 形式の圧縮ファイルです。展開してから、中の{CHOOSE}")


def _head(archive: zipfile.ZipFile, name: str) -> str:
    try:
        with archive.open(name) as member:
            return member.read(200).decode("ascii", "replace").strip()
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, RuntimeError):
        return ""


def _declared_type_message(media_type: str) -> str:
    if media_type == _ODF_PREFIX + "spreadsheet-template":
        return (
            "OpenDocument の表計算のテンプレート (.ots) は読み込めません。"
            "LibreOffice で開き、表計算ファイル（.ods）か .xlsx として保存してから"
            "読み込んでください。"
        )
    if media_type.startswith(_ODF_PREFIX):
        kind = _ODF_KINDS.get(media_type.removeprefix(_ODF_PREFIX), "ファイル")
        return f"OpenDocument の{kind}です。{NOT_SPREADSHEET}。{CHOOSE}"
    if media_type.isprintable() and 0 < len(media_type) <= 100:
        return f"{NOT_SPREADSHEET}（{media_type} 形式のファイルです）。{CHOOSE}"
    return UNKNOWN


def _ole_format(data: bytes) -> Format:
    # Legacy Office files are OLE compound files; the directory names the streams (in UTF-16).
    if "EncryptionInfo".encode("utf-16-le") not in data and (
        "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data
    ):
        return XLS  # a password set inside the .xls itself is found by the reader
    return _refuse(_ole_message(data))


def _ole_message(data: bytes) -> str:
    # Legacy Office files are OLE compound files; the directory names the streams (in UTF-16).
    def has_stream(name: str) -> bool:
        return name.encode("utf-16-le") in data

    if has_stream("EncryptionInfo"):
        return (
            "パスワードで保護されたファイルは読めません。Excel でパスワードを外して"
            "保存し直してから取り込んでください"
        )
    if has_stream("WordDocument"):
        return f"古い Word の文書ファイル (.doc) です。{NOT_SPREADSHEET}。{CHOOSE}"
    if has_stream("PowerPoint Document"):
        return f"古い PowerPoint のファイル (.ppt) です。{NOT_SPREADSHEET}。{CHOOSE}"
    return f"{NOT_SPREADSHEET}（Excel のブックを含まない、古い形式のファイルです）。{CHOOSE}"


def _looks_binary(head: bytes) -> bool:
    """Bytes no text file holds: a NUL, or more than a few control characters."""
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte < 0x20 and byte not in b"\t\n\r\f\x1a")
    return controls > len(head) // 100


def _markup_message(head: bytes) -> str:
    """Web pages and XML spreadsheets that systems hand out under an .xls name."""
    text = head[:8192].decode("ascii", "ignore").lstrip().lower()  # the markers are ASCII
    if "urn:schemas-microsoft-com:office:spreadsheet" in text:
        return f"XML スプレッドシート 2003 形式のファイルです。Excel {SAVE_AS_XLSX}"
    if text.startswith("<") and "<html" in text[:2048]:
        return (
            "Web ページ（HTML）形式のファイルです（拡張子が .xls でも中身は HTML です）。"
            f"Excel {SAVE_AS_XLSX}"
        )
    return ""
