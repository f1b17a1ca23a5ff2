"""The font chain of the reports (dxdesk/reports/glyphs.py): which font sets each cluster of
text, what it gives back, and how lines are measured with it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.pdfbase import pdfmetrics

from dxdesk.reports.document import FONT, register_fonts
from dxdesk.reports.glyphs import (
    FALLBACK_FONT,
    SUBSTITUTE,
    ChainFont,
    glyphs,
    is_variation_selector,
    string_width,
    to_unicode_cmap,
    variation_sequences,
)
from dxdesk.reports.linebreak import break_lines
from tests.reports.test_names_outside_font import (
    EMOJI,
    FAMILY,
    FLAG,
    HOKKE,
    KASAI,
    KATSURAGI,
    NO_GLYPH,
    THUMB,
    YOSHIDA,
)


def test_a_character_no_font_has_prints_the_substitute_and_keeps_its_text() -> None:
    register_fonts()
    for text in (EMOJI, FAMILY, THUMB, FLAG, "\U000f0001"):  # the last: private use, plane 15
        (glyph,) = glyphs(text, FONT)
        assert glyph.text == text
        font = pdfmetrics.getFont(glyph.font)
        assert isinstance(font, ChainFont)
        assert font.face.charToGlyph[ord(glyph.code)] == font.glyph(ord(SUBSTITUTE))


def test_each_character_is_set_in_the_first_font_that_has_it() -> None:
    register_fonts()
    assert [(g.text, g.font) for g in glyphs(f"{YOSHIDA}{HOKKE}", FONT)] == [
        ("𠮷", FALLBACK_FONT),
        ("田", FONT),
        (HOKKE, FONT),
    ]
    katsuragi, castle = glyphs(KATSURAGI, FONT)
    assert (katsuragi.text, katsuragi.font, castle.text) == ("葛\U000e0100", FONT, "城")
    assert katsuragi.code != "葛"  # the variation glyph, not the plain one
    assert glyphs(KASAI, FONT)[0].font == FALLBACK_FONT
    assert [g.text for g in glyphs(NO_GLYPH, FONT)] == [NO_GLYPH]


def test_lines_measure_each_glyph_in_its_font_and_keep_selectors_with_their_base() -> None:
    font = register_fonts()
    text = (KATSURAGI + YOSHIDA + KASAI + EMOJI + "。") * 8
    for width in (25.0, 35.0, 57.3, 100.0):
        lines = break_lines(text, font, 10, [width])
        assert "".join(line for _, line in lines) == text
        for extra, line in lines:
            assert not is_variation_selector(ord(line[0])), (width, line)
            assert string_width(line, font, 10) <= width + 1e-6, (width, line)
            assert extra >= -1e-6


@settings(deadline=None)  # no timed assertions: the first example registers the fonts
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=30))
def test_any_text_is_cut_into_glyphs_that_give_it_back(text: str) -> None:
    register_fonts()
    drawn = glyphs(text, FONT)
    assert "".join(glyph.text for glyph in drawn) == text
    for glyph in drawn:
        font = pdfmetrics.getFont(glyph.font)
        assert len(glyph.code) == 1 and ord(glyph.code) in font.face.charToGlyph, glyph


def test_to_unicode_writes_utf16_with_surrogate_pairs_and_alias_texts() -> None:
    cmap = to_unicode_cmap("AAAAAA+F", [0, 0x41, 0x29E3D, 0xF0000], {0xF0000: KATSURAGI[:2]})
    assert "<01> <0041>" in cmap
    assert "<02> <D867DE3D>" in cmap  # 𩸽 U+29E3D, not <29E3D> cut to <29E3>
    assert "<03> <845BDB40DD00>" in cmap  # the alias gives back 葛 and its selector
    assert "4 beginbfchar" in cmap and "<00> <03>" in cmap


def test_variation_sequences_are_read_from_the_fonts_cmap() -> None:
    register_fonts()
    primary = pdfmetrics.getFont(FONT)
    assert isinstance(primary, ChainFont)
    sequences = variation_sequences(primary.face.get_table("cmap"))
    assert sequences == primary.sequences
    assert len(sequences) == 445  # IPAexGothic's Adobe-Japan1 sequences
    glyph = sequences[(0x845B, 0xE0100)]
    assert glyph is not None and glyph != primary.glyph(0x845B)
