"""An attached file's name, made safe to write on any advisor's laptop (Windows or not).

An attachment keeps the name it had (Japanese, spaces and all): it is what people search for and
what a colleague sees. Only what another system would take for a path or refuse goes: ``\\``,
``/``, ``:`` and the other characters Windows forbids, control characters, trailing dots and
spaces, and the names Windows reserves for devices (CON, NUL, COM1…), which are prefixed. A name
too long for a file system (255 bytes in UTF-8) is shortened, keeping its extension. Names are
stored in NFC: a Mac gives decomposed kana (ハ + ゛), which would not match what is typed.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

# What Windows refuses in a file name, and the control characters everywhere.
_FORBIDDEN: Final = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_RESERVED: Final = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"COM{n}" for n in "123456789¹²³"]
    + [f"LPT{n}" for n in "123456789¹²³"]
)
MAX_NAME_BYTES: Final = 255
UNNAMED: Final = "添付ファイル"


def safe_file_name(name: str) -> str:
    """``name`` as a file name that every system takes, changed only where it must be."""
    text = unicodedata.normalize("NFC", name)
    text = _FORBIDDEN.sub("_", text).strip(" ")
    text = text.rstrip(". ")
    if not text:
        text = UNNAMED
    stem = text.split(".", 1)[0]
    if stem.rstrip(" ").upper() in _RESERVED:
        text = "_" + text
    return _shortened(text)


def _suffix(text: str) -> str:
    dot = text.rfind(".")
    return text[dot:] if dot > 0 else ""


def _shortened(text: str) -> str:
    if len(text.encode("utf-8")) <= MAX_NAME_BYTES:
        return text
    suffix = _suffix(text)
    if len(suffix.encode("utf-8")) > 32:
        suffix = ""
    stem = text[: len(text) - len(suffix)]
    budget = MAX_NAME_BYTES - len(suffix.encode("utf-8"))
    while len(stem.encode("utf-8")) > budget:
        stem = stem[:-1]
    return stem.rstrip(". ") + suffix
