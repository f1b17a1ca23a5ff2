"""How an attachment reads in a list: its kind (PDF, 画像, Word…), its size (「2.4 MB」), when it
was added and whether its bytes are here (「未取得」) or still to go up (「送信待ち」).

Pure text from a record dict; translated in the "Attachment" context when shown (each source
string written out in a translate call or a QT_TRANSLATE_NOOP, where lupdate finds it).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import PurePath
from typing import Any

from PySide6.QtCore import QCoreApplication

from dxdesk.domain.file_sizes import size_amount
from dxdesk.ui.format import QT_TRANSLATE_NOOP

CONTEXT = "Attachment"

# By file name extension (what a person recognises), then by the media type's family.
_KIND_BY_SUFFIX = {
    ".pdf": QT_TRANSLATE_NOOP("Attachment", "PDF"),
    ".doc": QT_TRANSLATE_NOOP("Attachment", "Word"),
    ".docx": QT_TRANSLATE_NOOP("Attachment", "Word"),
    ".xls": QT_TRANSLATE_NOOP("Attachment", "Excel"),
    ".xlsx": QT_TRANSLATE_NOOP("Attachment", "Excel"),
    ".xlsm": QT_TRANSLATE_NOOP("Attachment", "Excel"),
    ".csv": QT_TRANSLATE_NOOP("Attachment", "CSV"),
    ".ppt": QT_TRANSLATE_NOOP("Attachment", "PowerPoint"),
    ".pptx": QT_TRANSLATE_NOOP("Attachment", "PowerPoint"),
    ".txt": QT_TRANSLATE_NOOP("Attachment", "テキスト"),
    ".md": QT_TRANSLATE_NOOP("Attachment", "テキスト"),
    ".zip": QT_TRANSLATE_NOOP("Attachment", "圧縮ファイル"),
    ".jtd": QT_TRANSLATE_NOOP("Attachment", "一太郎"),
}
_KIND_BY_FAMILY = {
    "image": QT_TRANSLATE_NOOP("Attachment", "画像"),
    "video": QT_TRANSLATE_NOOP("Attachment", "動画"),
    "audio": QT_TRANSLATE_NOOP("Attachment", "音声"),
    "text": QT_TRANSLATE_NOOP("Attachment", "テキスト"),
}
_OTHER_KIND = QT_TRANSLATE_NOOP("Attachment", "ファイル")


def is_image(record: dict[str, Any]) -> bool:
    return str(record.get("media_type") or "").startswith("image/")


def is_pdf(record: dict[str, Any]) -> bool:
    media_type = str(record.get("media_type") or "")
    return media_type == "application/pdf" or _suffix(record) == ".pdf"


def _suffix(record: dict[str, Any]) -> str:
    return PurePath(str(record.get("name") or "")).suffix.lower()


def file_kind_text(record: dict[str, Any]) -> str:
    """「PDF」「画像」「Word」…: what sort of file, as a person names it."""
    kind = _KIND_BY_SUFFIX.get(_suffix(record))
    if kind is None:
        family = str(record.get("media_type") or "").split("/", 1)[0]
        kind = _KIND_BY_FAMILY.get(family, _OTHER_KIND)
    return QCoreApplication.translate(CONTEXT, kind)  # (listed above for lupdate)


def size_text(size: int | None) -> str:
    """「820 バイト」「36 KB」「2.4 MB」 (domain/file_sizes.py: as the reports show them)."""
    if size is None:
        return ""
    number, unit = size_amount(size)
    if unit == "バイト":
        return QCoreApplication.translate("Attachment", "{n} バイト").format(n=number)
    if unit == "KB":
        return QCoreApplication.translate("Attachment", "{n} KB").format(n=number)
    return QCoreApplication.translate("Attachment", "{n} MB").format(n=number)


def added_text(record: dict[str, Any]) -> str:
    """When the file was attached, in local time to the minute."""
    stamp = record.get("created_at") or record.get("updated_at")
    if not stamp:
        return ""
    return datetime.fromisoformat(str(stamp)).astimezone().strftime("%Y-%m-%d %H:%M")


def state_text(record: dict[str, Any]) -> str:
    """「未取得」: the bytes are not on this laptop yet; 「送信待ち」: not yet on the server."""
    if not record.get("present", True):
        return QCoreApplication.translate("Attachment", "未取得")
    if record.get("waiting"):
        return QCoreApplication.translate("Attachment", "送信待ち")
    return ""


def details_text(record: dict[str, Any]) -> str:
    """「PDF・2.4 MB・送信待ち」: a file's kind, size and state, under its name in a list."""
    parts = (file_kind_text(record), size_text(record.get("size")), state_text(record))
    return QCoreApplication.translate("Attachment", "・").join(part for part in parts if part)


def state_tooltip(record: dict[str, Any]) -> str:
    if not record.get("present", True):
        return QCoreApplication.translate(
            "Attachment", "このパソコンにはまだありません。開くとサーバーから取得します。"
        )
    if record.get("waiting"):
        return QCoreApplication.translate(
            "Attachment", "まだサーバーに送られていません。次の同期で送ります。"
        )
    return ""
