"""Names in characters IPAexGothic lacks print with a glyph and copy back from the PDF exactly.

𠮷 (U+20BB7) comes from the bundled fallback (a subset of IPAmj明朝), 𩸽 (U+29E3D) is
IPAexGothic's but lies beyond U+FFFF, 葛󠄀 (U+845B U+E0100) is a variation sequence, and an emoji
is in no font at all (it prints as 〓 and still copies back). See dxdesk/reports/glyphs.py.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from reportlab.lib.units import mm

from dxdesk.reports.document import CONTENT_WIDTH, build_pdf, para, styles
from dxdesk.reports.visit import write_visit_report
from dxdesk.services.workspace import Workspace
from tests.child_process import run
from tests.reports.pdf_tools import pdf_fonts, pdf_text, require_poppler, squash

JST = timezone(timedelta(hours=9))
MADE_AT = datetime(2025, 6, 20, 9, 5, tzinfo=JST)

YOSHIDA = "𠮷田"  # 𠮷 U+20BB7: only in the fallback
HOKKE = "𩸽"  # U+29E3D: IPAexGothic has it, beyond U+FFFF
KATSURAGI = "葛\U000e0100城"  # 葛󠄀: IPAexGothic's own variation glyph (Adobe-Japan1)
KASAI = "葛\U000e0102西"  # 葛󠄂: the fallback's variation glyph (Moji_Joho)
NO_GLYPH = "辻\U000e01ef"  # a selector no font knows for 辻: prints 辻, keeps the selector
EMOJI = "😀"
FAMILY = "👨\u200d👩\u200d👧"  # one emoji of three joined by zero width joiners
THUMB = "👍🏽"  # with a skin tone
FLAG = "🇯🇵"
NAMES = [YOSHIDA, HOKKE, KATSURAGI, KASAI, NO_GLYPH, EMOJI, FAMILY, THUMB, FLAG]


@pytest.fixture
def poppler() -> None:
    require_poppler()


def add_named_visit(ws: Workspace) -> str:
    """A visit whose people, title, summary and follow-up carry the names."""
    engagement = ws.engagements.add(
        {
            "municipality": "302015",
            "date": "2025-06-12",
            "type": "visit",
            "mode": "対面",
            "title": f"{YOSHIDA}課長との打合せ",
            "municipal_attendees": [f"情報政策課 {name}" for name in NAMES],
            "advisor_attendees": ["佐藤"],
            "themes": ["窓口BPR・庁内BPR"],
            "summary": f"{KATSURAGI}さんと{HOKKE}の話をした。{EMOJI}" + "窓口の見直し。" * 12,
        }
    )
    ws.follow_ups.add(
        {"engagement": engagement["id"], "description": f"{KASAI}さんへ資料", "owner": YOSHIDA}
    )
    return str(engagement["id"])


@pytest.mark.usefixtures("poppler")
def test_names_outside_ipaexgothic_copy_back_exactly(workspace: Workspace, tmp_path: Path) -> None:
    pdf = write_visit_report(
        workspace, add_named_visit(workspace), tmp_path / "visit.pdf", made_at=MADE_AT
    )
    text = pdf_text(pdf)
    for name in NAMES:
        assert f"情報政策課 {name}" in text, (name, text)
    assert f"{YOSHIDA}課長との打合せ" in text
    assert f"{KATSURAGI}さんと{HOKKE}の話をした。{EMOJI}" in text
    assert f"{KASAI}さんへ資料" in text
    assert "\x00" not in text and "\u29e3" not in text  # 𩸽 cut to four digits


@pytest.mark.usefixtures("poppler")
def test_the_fallback_is_embedded_as_a_subset_beside_ipaexgothic(
    workspace: Workspace, tmp_path: Path
) -> None:
    pdf = write_visit_report(
        workspace, add_named_visit(workspace), tmp_path / "visit.pdf", made_at=MADE_AT
    )
    fonts = pdf_fonts(pdf)
    assert {font["name"].split("+")[-1] for font in fonts} == {
        "IPAexGothic",
        "DXDeskNames-Regular",
    }, fonts
    for font in fonts:
        assert "+" in font["name"], font
        assert (font["emb"], font["sub"], font["uni"]) == ("yes", "yes", "yes"), font


def _line_image(text: str, tmp_path: Path, name: str) -> bytes:
    """The first line of a page that prints ``text`` large, as 8-bit grey pixels."""
    pdf = build_pdf(
        tmp_path / f"{name}.pdf",
        [para(text, styles().title)],
        title="名前",
        municipality="和歌山市",
        made_at=MADE_AT,
        unsynced=False,
    )
    # The frame's top is 24 mm below the page's; the title's line is 16 pt * 1.6 high.
    crop = {"-x": 20 * mm, "-y": 24 * mm, "-W": CONTENT_WIDTH, "-H": 26}
    done = run(
        ["pdftoppm", "-gray", "-r", "72", "-f", "1", "-l", "1", str(pdf)]
        + [part for flag, value in crop.items() for part in (flag, str(round(value)))],
        capture_output=True,
        check=True,
    )
    # Binary PGM: "P5", width, height, maximum grey, each followed by one whitespace.
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+255\s", done.stdout)
    assert header, done.stdout[:20]
    pixels = done.stdout[header.end() :]
    assert len(pixels) == int(header[1]) * int(header[2])
    return pixels


@pytest.mark.usefixtures("poppler")
def test_characters_from_the_fallback_print_their_own_glyphs(tmp_path: Path) -> None:
    """Not the same empty box for each: two fallback characters and the substitute differ."""
    images = {
        text: _line_image(text * 8, tmp_path, f"line{i}")
        for i, text in enumerate(["𠮷", "𤋮", "丄", EMOJI])
    }
    for text, pixels in images.items():
        ink = sum(1 for p in pixels if p < 128)
        assert ink > 40, (text, ink)  # 8 thin Mincho 丄 at 16 pt: 120 pixels; blank: 0
    assert len(set(images.values())) == len(images)


@pytest.mark.usefixtures("poppler")
def test_the_page_header_gives_a_name_back_too(tmp_path: Path) -> None:
    pdf = build_pdf(
        tmp_path / "header.pdf",
        [para("本文", styles().body)],
        title=f"{YOSHIDA}さんの記録",
        municipality=KATSURAGI + "市",
        made_at=MADE_AT,
        unsynced=False,
    )
    assert squash(f"{YOSHIDA}さんの記録　{KATSURAGI}市") in squash(pdf_text(pdf))
