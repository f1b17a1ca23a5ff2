"""The bundled fonts, registered at start so Japanese never renders as boxes.

IPAexGothic sets the window's text; a name in a character it lacks (𠮷 U+20BB7 and others
outside JIS X 0213) falls back to the bundled subset of IPAmj明朝, the same fallback the reports
print with (dxdesk/reports/glyphs.py, resources/fonts/build_names_font.py).
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from dxdesk.reports.glyphs import PRIMARY_FILE, fallback_file
from dxdesk.resources import resource_path

FONT_FILE = ("fonts", PRIMARY_FILE)


def _add_font(path: str) -> str:
    font_id = QFontDatabase.addApplicationFont(path)
    if font_id < 0:
        raise RuntimeError(f"cannot load the bundled font {path}")
    return QFontDatabase.applicationFontFamilies(font_id)[0]


def register_bundled_font() -> str:
    """Load the fonts into Qt's database and make IPAexGothic, then its fallback, the app's
    default; returns IPAexGothic's family."""
    family = _add_font(str(resource_path(*FONT_FILE)))
    fallback = _add_font(str(fallback_file()))
    # Where a widget names IPAexGothic alone (a style sheet, a QFont(family)), Qt still falls
    # back to the names font before any system font.
    QFont.insertSubstitution(family, fallback)
    font = QFont(family)
    font.setFamilies([family, fallback])
    font.setPointSize(10)
    QApplication.setFont(font)
    return family
