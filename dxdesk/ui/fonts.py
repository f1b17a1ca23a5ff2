"""The bundled IPAexGothic, registered at start so Japanese never renders as boxes."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from dxdesk.resources import resource_path

FONT_FILE = ("fonts", "ipaexg.ttf")


def register_bundled_font() -> str:
    """Load the font into Qt's database and make it the app's default; returns its family."""
    font_id = QFontDatabase.addApplicationFont(str(resource_path(*FONT_FILE)))
    if font_id < 0:
        raise RuntimeError(f"cannot load the bundled font {resource_path(*FONT_FILE)}")
    family = QFontDatabase.applicationFontFamilies(font_id)[0]
    font = QFont(family)
    font.setPointSize(10)
    QApplication.setFont(font)
    return family
