"""Rebuild dxdesk-names.ttf, the fallback for the characters of names that IPAexGothic lacks.

The font is a subset of IPAmj明朝 (IPAmjMincho 005.01, IPA Font License v1.0), renamed as the
licence asks of a derived font (Article 3.1 (4): no derived font may bear the original's name).
It holds:

* every character of Adobe-Japan1-7 (the character collection of Japanese publishing fonts:
  JIS X 0208, JIS X 0212, JIS X 0213 and the name characters added for the resident register,
  such as 𠮷 U+20BB7) that IPAexGothic has no glyph for and IPAmj明朝 has;
* the ideographic variation sequences (cmap format 14, Moji_Joho collection) of IPAmj明朝 whose
  base is a JIS X 0208 level-1 kanji, the kanji most names are written with (葛󠄂 U+845B U+E0102,
  the forms of 辻, 吉, 崎, 高 ... that the resident register tells apart).

Sizes measured when choosing (IPAmj明朝 itself: 46 MB): the characters alone 1,630 KB; with the
level-1 sequences 2,585 KB (this font); with all JIS X 0208 kanji's sequences 3,840 KB; with all
11,474 sequences 5,666 KB; every ideograph of CJK Ext A/B+ IPAexGothic lacks would be about
26 MB. IPAexGothic's own 445 sequences (葛󠄀 U+845B U+E0100 among them) come from IPAexGothic.

Everything else falls back in the app: a sequence without its glyph prints its base character,
a character no font has prints 〓 (the text copied from the PDF keeps the original either way).

Needs the Debian packages fonts-ipamj-mincho (the source font) and poppler-data (Adobe-Japan1's
Unicode mapping), and fontTools (pip, the project's ``dev`` extra):

    apt-get install fonts-ipamj-mincho poppler-data
    .venv/bin/python resources/fonts/build_names_font.py            # writes dxdesk-names.ttf
    .venv/bin/python resources/fonts/build_names_font.py --check    # rebuilds and compares

The output is byte-for-byte reproducible from the same inputs (timestamps are fixed). To use
the original IPAmj明朝 instead of this subset (Article 3.1 (2) of the licence), put its
ipamjm.ttf beside this script (or in the installed app's resources/fonts): DX Desk prefers it.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import re
import sys
from collections.abc import Iterable
from pathlib import Path

import fontTools
from fontTools import subset
from fontTools.ttLib import TTFont

HERE = Path(__file__).resolve().parent
SOURCE = Path("/usr/share/fonts/truetype/ipamj/ipamjm.ttf")
PRIMARY = HERE / "ipaexg.ttf"
CMAPS = Path("/usr/share/poppler/cMap/Adobe-Japan1")
ADOBE_JAPAN1 = ("UniJIS2004-UTF32-H", "UniJIS-UTF32-H")
OUTPUT = HERE / "dxdesk-names.ttf"
# The fontTools that built the committed font: another version may lay the same font out in
# other bytes, so a byte-for-byte check holds only with this one.
FONTTOOLS_VERSION = "4.69.1"

FAMILY = "DXDesk Names"
POSTSCRIPT = "DXDeskNames-Regular"
VERSION = "Version 1.000"
# Where the glyphs come from, said in the description (the licence keeps the original's name
# out of the derived font's names).
DESCRIPTION = "A subset of IPAmj明朝 (IPAmjMincho) 005.01 for DX Desk, IPA Font License v1.0"
# 2024-01-01 00:00 UTC in seconds since 1904-01-01, the epoch of the head table.
FIXED_TIME = 3786912000


def adobe_japan1() -> set[int]:
    """Every Unicode code point of Adobe-Japan1's UTF-32 CMaps (single codes and ranges)."""
    codes: set[int] = set()
    pattern = re.compile(r"<([0-9a-fA-F]+)>\s+(?:<([0-9a-fA-F]+)>\s+)?\d+\s*$")
    for name in ADOBE_JAPAN1:
        for line in (CMAPS / name).read_text(encoding="latin-1").splitlines():
            match = pattern.match(line.strip())
            if match:
                first = int(match[1], 16)
                last = int(match[2], 16) if match[2] else first
                codes.update(range(first, last + 1))
    return codes


def jis_level1(code: int) -> bool:
    """Is the character a JIS X 0208 level-1 kanji (Shift_JIS 889F-9872)?"""
    try:
        encoded = chr(code).encode("shift_jis")
    except UnicodeEncodeError:
        return False
    return len(encoded) == 2 and 0x889F <= int.from_bytes(encoded, "big") <= 0x9872


def variation_sequences(font: TTFont) -> dict[tuple[int, int], str | None]:
    """(base, selector) -> glyph name (None: the base's own glyph) from cmap format 14."""
    sequences: dict[tuple[int, int], str | None] = {}
    for table in font["cmap"].tables:
        if table.format == 14:
            for selector, entries in table.uvsDict.items():
                for base, glyph in entries:
                    sequences[(base, selector)] = glyph
    return sequences


def choose(source: TTFont, primary: TTFont) -> tuple[list[int], list[str]]:
    """The code points and the variation glyphs the subset keeps."""
    have = primary.getBestCmap()
    cmap = source.getBestCmap()
    codes = sorted(c for c in adobe_japan1() if c not in have and c in cmap)
    glyphs = sorted(
        {
            glyph
            for (base, _selector), glyph in variation_sequences(source).items()
            if glyph is not None and jis_level1(base)
        }
    )
    return codes, glyphs


def rename(font: TTFont) -> None:
    """New names (the licence forbids the original's in a derived font); copyright and licence
    stay as they were."""
    name = font["name"]
    keep = {0, 13, 14}
    name.names = [record for record in name.names if record.nameID in keep]
    for name_id, value in (
        (1, FAMILY),
        (2, "Regular"),
        (3, f"{POSTSCRIPT};{VERSION}"),
        (4, FAMILY),
        (5, VERSION),
        (6, POSTSCRIPT),
        (10, DESCRIPTION),
    ):
        name.setName(value, name_id, 3, 1, 0x409)
        if value.isascii():  # the Macintosh records are Mac Roman
            name.setName(value, name_id, 1, 0, 0)
    font["head"].created = FIXED_TIME
    font["head"].modified = FIXED_TIME


def build(source_path: Path = SOURCE) -> bytes:
    for path, package in ((source_path, "fonts-ipamj-mincho"), (CMAPS, "poppler-data")):
        if not path.exists():
            sys.exit(f"{path} not found: apt-get install {package}")
    source = TTFont(source_path, recalcTimestamp=False)
    primary = TTFont(PRIMARY, lazy=True)
    codes, glyphs = choose(source, primary)
    options = subset.Options()
    options.layout_features = []  # no shaping features: reportlab does none, Qt needs none here
    options.hinting = False  # outlines only: print and screen render CJK unhinted well
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.drop_tables += ["BASE", "GSUB", "GPOS", "GDEF", "vhea", "vmtx", "DSIG"]
    subsetter = subset.Subsetter(options)
    selectors = {selector for _base, selector in variation_sequences(source)}
    subsetter.populate(unicodes=[*codes, *sorted(selectors)], glyphs=glyphs)
    subsetter.subset(source)
    keep = set(codes)
    for table in source["cmap"].tables:
        if table.format not in (14, 15):  # a variation glyph keeps no code point of its own
            table.cmap = {code: glyph for code, glyph in table.cmap.items() if code in keep}
    rename(source)
    out = io.BytesIO()
    source.save(out, reorderTables=True)
    return out.getvalue()


def summary(codes: Iterable[int], data: bytes) -> str:
    font = TTFont(io.BytesIO(data))
    sequences = variation_sequences(font)
    return (
        f"{len(list(codes))} characters, {len(sequences)} variation sequences, "
        f"{font['maxp'].numGlyphs} glyphs, {len(data) / 1024:.0f} KB, "
        f"sha256 {hashlib.sha256(data).hexdigest()[:16]}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="rebuild and compare, write nothing")
    parser.add_argument("--source", type=Path, default=SOURCE, help="IPAmj明朝's ipamjm.ttf")
    args = parser.parse_args()
    data = build(args.source)
    codes = TTFont(io.BytesIO(data)).getBestCmap()
    print(summary(codes, data))
    if args.check:
        if OUTPUT.read_bytes() != data:
            built_with = f"built with fontTools {FONTTOOLS_VERSION}, this is {fontTools.version}"
            sys.exit(f"{OUTPUT.name} differs from a rebuild ({built_with})")
        print(f"{OUTPUT.name} is up to date")
        return
    OUTPUT.write_bytes(data)
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
