"""The window shows names outside IPAexGothic with the bundled fallback, not a box and not
whatever the machine happens to have installed (an advisor's laptop has no IPAmj明朝)."""

from __future__ import annotations

from PySide6.QtGui import QFont, QTextLayout
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from dxdesk.ui.fonts import register_bundled_font

FALLBACK_FAMILY = "DXDesk Names"  # resources/fonts/dxdesk-names.ttf


def _glyphs_by_family(text: str, font: QFont) -> dict[str, list[int]]:
    """Which font family draws which glyphs of ``text`` in ``font``."""
    layout = QTextLayout(text, font)
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    found: dict[str, list[int]] = {}
    for run in layout.glyphRuns():
        found.setdefault(run.rawFont().familyName(), []).extend(run.glyphIndexes())
    return found


def test_a_label_draws_a_name_outside_ipaexgothic_with_the_bundled_fallback(
    qtbot: QtBot,
) -> None:
    family = register_bundled_font()
    label = QLabel("𠮷田")
    qtbot.addWidget(label)
    drawn = _glyphs_by_family("𠮷", label.font())
    assert list(drawn) == [FALLBACK_FAMILY], drawn
    assert all(drawn[FALLBACK_FAMILY]), drawn  # glyph 0 would be the empty box
    assert list(_glyphs_by_family("田𩸽", label.font())) == [family]
    assert QApplication.font().families() == [family, FALLBACK_FAMILY]
    # A font that names IPAexGothic alone (as a style sheet does) falls back to it as well.
    assert list(_glyphs_by_family("𠮷", QFont(family))) == [FALLBACK_FAMILY]
