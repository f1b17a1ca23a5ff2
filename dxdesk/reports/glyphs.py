"""Which font draws each character of a report, and what the PDF's text gives back for it.

IPAexGothic draws almost everything; what it lacks (𠮷 U+20BB7 and the other name characters
outside JIS X 0213) comes from the bundled fallback, a subset of IPAmj明朝 (see
resources/fonts/build_names_font.py). reportlab draws one font per run of text and does no
shaping, so this module does three things it cannot:

* **Font per character.** :func:`glyphs` cuts text into clusters (a character, a character with
  its variation selector, an emoji with its modifiers and joiners) and gives each the first font
  of the chain that has it; :func:`runs` groups them into single-font runs to draw.
* **Variation sequences.** 葛󠄀 (U+845B U+E0100) is one glyph found through the font's cmap
  format 14, which reportlab never reads. A cluster drawn with a glyph that has no code point of
  its own, or standing for more than one character, is drawn through an alias: a code point of
  plane 15 (private use) that this process maps to the glyph, and whose ToUnicode entry gives
  back the cluster's own characters. A sequence no font has prints its base character.
* **Text beyond U+FFFF.** reportlab's ToUnicode CMap writes four hex digits, so 𩸽 U+29E3D
  copied back as U+29E3; :class:`ChainFont` writes UTF-16 (surrogate pairs) instead.

A character no font has (an emoji) prints as 〓 and still copies back as itself.
"""

from __future__ import annotations

import struct
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import SUBSETN, TTFont

from dxdesk.resources import resource_path

FONT: Final = "IPAexGothic"
FALLBACK_FONT: Final = "DXDeskNames"
PRIMARY_FILE: Final = "ipaexg.ttf"
# The original IPAmj明朝 when someone put it beside the app (the licence's way back to the
# original), else the bundled subset of it.
FALLBACK_FILES: Final = ("ipamjm.ttf", "dxdesk-names.ttf")
SUBSTITUTE: Final = "〓"  # the geta mark: Japanese print's sign for a character it cannot set

ALIAS_FIRST: Final = 0xF0000  # plane 15, private use: no font of ours maps it
ALIAS_LAST: Final = 0xFFFFD


def is_variation_selector(code: int) -> bool:
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


def _is_emoji_extender(code: int) -> bool:
    """Parts of one emoji after its first code point: skin tones, tags, keycap, selectors."""
    return (
        0x1F3FB <= code <= 0x1F3FF
        or 0xE0020 <= code <= 0xE007F
        or code == 0x20E3
        or is_variation_selector(code)
    )


def _is_regional_indicator(code: int) -> bool:
    return 0x1F1E6 <= code <= 0x1F1FF


def _is_invisible(char: str) -> bool:
    """Format characters and marks: a font without them loses nothing visible."""
    return unicodedata.category(char) in {"Cf", "Mn", "Me"}


def variation_sequences(cmap: bytes) -> dict[tuple[int, int], int | None]:
    """(base, selector) -> glyph id (None: the base's own glyph) from a cmap table's format 14."""
    sequences: dict[tuple[int, int], int | None] = {}
    (count,) = struct.unpack_from(">2xH", cmap, 0)
    for index in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", cmap, 4 + 8 * index)
        if (platform, encoding) != (0, 5) or struct.unpack_from(">H", cmap, offset)[0] != 14:
            continue
        (records,) = struct.unpack_from(">I", cmap, offset + 6)
        for record in range(records):
            at = offset + 10 + 11 * record
            selector = int.from_bytes(cmap[at : at + 3], "big")
            default, non_default = struct.unpack_from(">II", cmap, at + 3)
            if default:
                (ranges,) = struct.unpack_from(">I", cmap, offset + default)
                for r in range(ranges):
                    start = offset + default + 4 + 4 * r
                    first = int.from_bytes(cmap[start : start + 3], "big")
                    for base in range(first, first + cmap[start + 3] + 1):
                        sequences[(base, selector)] = None
            if non_default:
                (mappings,) = struct.unpack_from(">I", cmap, offset + non_default)
                for m in range(mappings):
                    start = offset + non_default + 4 + 5 * m
                    base = int.from_bytes(cmap[start : start + 3], "big")
                    (glyph,) = struct.unpack_from(">H", cmap, start + 3)
                    sequences[(base, selector)] = glyph
    return sequences


def _utf16_hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def to_unicode_cmap(name: str, codes: Sequence[int], texts: dict[int, str]) -> str:
    """A ToUnicode CMap for one 256-code subset of a font: byte ``i`` gives back the text of
    ``codes[i]`` (an alias's own text, else the code point), written in UTF-16 as PDF asks."""
    entries = [f"<{i:02X}> <{_utf16_hex(texts.get(c) or chr(c))}>" for i, c in enumerate(codes)]
    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            f"/CIDSystemInfo\n<< /Registry ({name})\n/Ordering ({name})\n/Supplement 0\n>> def",
            f"/CMapName /{name} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            f"<00> <{len(codes) - 1:02X}>",
            "endcodespacerange",
            # PDF limits a bfchar block to 100 entries.
            *(
                f"{len(chunk)} beginbfchar\n" + "\n".join(chunk) + "\nendbfchar"
                for chunk in (entries[i : i + 100] for i in range(0, len(entries), 100))
            ),
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )


class ChainFont(TTFont):  # type: ignore[misc]
    """A TrueType font that reaches its variation glyphs through aliases and whose text in the
    PDF gives back every character, beyond U+FFFF too."""

    def __init__(self, name: str, filename: Path) -> None:
        super().__init__(name, str(filename))
        face = self.face
        self.codes: frozenset[int] = frozenset(face.charToGlyph)
        self.sequences = variation_sequences(face.get_table("cmap"))
        # Advances read here: reportlab's hmetrics hold the trailing run of glyphs that share
        # one advance (hmtx past numberOfHMetrics) already scaled, the others not.
        self._hmtx = face.get_table("hmtx")
        (self._advances,) = struct.unpack_from(">H", face.get_table("hhea"), 34)
        self._aliases: dict[tuple[int, str], str] = {}
        self._alias_texts: dict[int, str] = {}
        self._next_alias = ALIAS_FIRST
        self._lock = threading.Lock()

    def glyph(self, code: int) -> int | None:
        """The glyph of a code point the font maps, else None."""
        return self.face.charToGlyph[code] if code in self.codes else None

    def sequence_glyph(self, base: int, selector: int) -> int | None:
        """The glyph the font gives a variation sequence, else None."""
        if (base, selector) not in self.sequences:
            return None
        glyph = self.sequences[(base, selector)]
        return self.glyph(base) if glyph is None else glyph

    def advance(self, glyph: int) -> float:
        """The glyph's advance width in thousandths of the font size."""
        (units,) = struct.unpack_from(">H", self._hmtx, 4 * min(glyph, self._advances - 1))
        return float(self.face._pdfScale(units))

    def draw_code(self, glyph: int, text: str) -> str:
        """The character to draw for ``glyph`` so that the PDF's text gives back ``text``."""
        if len(text) == 1 and self.glyph(ord(text)) == glyph:
            return text
        key = (glyph, text)
        with self._lock:
            if key not in self._aliases:
                face = self.face
                code = self._next_alias
                while code in face.charToGlyph:
                    code += 1
                if code > ALIAS_LAST:
                    raise RuntimeError(f"{self.fontName}: no alias left for {text!r}")
                self._next_alias = code + 1
                face.charToGlyph[code] = glyph
                face.charWidths[code] = self.advance(glyph)
                self._alias_texts[code] = text
                self._aliases[key] = chr(code)
            return self._aliases[key]

    def addObjects(self, doc: Any) -> None:
        """reportlab's, with a ToUnicode CMap that gives back aliases and code points past
        U+FFFF whole (reportlab's writes four hex digits: U+29E3D came back as U+29E3)."""
        state = self.state.get(doc)
        subsets = [list(subset) for subset in state.subsets] if state is not None else []
        super().addObjects(doc)
        face = self.face
        for number, codes in enumerate(subsets):
            base_name = (SUBSETN(number) + b"+" + face.name + face.subfontNameX).decode("pdfdoc")
            stream = doc.idToObject["toUnicodeCMap:" + base_name]
            stream.content = to_unicode_cmap(base_name, codes, self._alias_texts)


@dataclass(frozen=True, slots=True)
class Glyph:
    """One cluster of text as drawn: ``code`` in ``font`` gives back ``text`` in the PDF."""

    text: str
    font: str
    code: str


class FontChain:
    """Fonts tried in order for each cluster of text; results are kept per cluster."""

    def __init__(self, fonts: Sequence[ChainFont]) -> None:
        self.fonts = list(fonts)
        self.primary = self.fonts[0]
        self._substitute = self.primary.glyph(ord(SUBSTITUTE))
        self._known: dict[str, Glyph] = {}
        self._codes = frozenset().union(*(font.codes for font in self.fonts))
        # Characters that are a cluster of their own in the first font: most text is only these.
        self._plain = frozenset(
            chr(code) for code in self.primary.codes if not is_variation_selector(code)
        )

    def has(self, code: int) -> bool:
        return code in self._codes

    def glyph(self, cluster: str) -> Glyph:
        known = self._known.get(cluster)
        if known is None:
            known = self._known[cluster] = self._find(cluster)
        return known

    def _find(self, cluster: str) -> Glyph:
        codes = [ord(c) for c in cluster]
        visible = [c for c in codes if not (self._attached(c))] or codes
        base = visible[0]
        after = codes[codes.index(base) + 1 :]
        if after and is_variation_selector(after[0]):
            for font in self.fonts:
                glyph = font.sequence_glyph(base, after[0])
                if glyph is not None:
                    return Glyph(cluster, font.fontName, font.draw_code(glyph, cluster))
        for font in self.fonts:
            glyph = font.glyph(base)
            if glyph is not None:
                return Glyph(cluster, font.fontName, font.draw_code(glyph, cluster))
        if self._substitute is None:
            raise RuntimeError(f"{self.primary.fontName} has no {SUBSTITUTE}")
        primary = self.primary
        return Glyph(cluster, primary.fontName, primary.draw_code(self._substitute, cluster))

    def _attached(self, code: int) -> bool:
        """A code point that rides on the cluster before it rather than standing alone."""
        return is_variation_selector(code) or (not self.has(code) and _is_invisible(chr(code)))

    def clusters(self, text: str) -> list[str]:
        """``text`` cut into what each prints as one glyph (joined, they are ``text``)."""
        clusters: list[str] = []
        pending = ""  # invisible characters before the first cluster
        i, n = 0, len(text)
        while i < n:
            char = text[i]
            code = ord(char)
            if self._attached(code):
                if clusters:
                    clusters[-1] += char
                else:
                    pending += char
                i += 1
                continue
            end = i + 1
            if not self.has(code):  # an emoji: take its modifiers, joiners and flag pair along
                if _is_regional_indicator(code) and end < n:
                    end += _is_regional_indicator(ord(text[end]))
                while end < n:
                    following = ord(text[end])
                    if following == 0x200D and end + 1 < n:  # zero width joiner: one emoji
                        end += 2
                    elif _is_emoji_extender(following) or (
                        not self.has(following) and _is_invisible(text[end])
                    ):
                        end += 1
                    else:
                        break
            clusters.append(pending + text[i:end])
            pending = ""
            i = end
        if pending:
            clusters.append(pending)
        return clusters

    def glyphs(self, text: str) -> list[Glyph]:
        if self._plain.issuperset(text):  # one glyph per character, all in the first font
            known = self._known
            return [known.get(char) or self.glyph(char) for char in text]
        return [self.glyph(cluster) for cluster in self.clusters(text)]


_chains: dict[str, FontChain] = {}
_register_lock = threading.Lock()


def fallback_file() -> Path:
    for name in FALLBACK_FILES:
        path = resource_path("fonts", name)
        if path.is_file():
            return path
    raise FileNotFoundError(f"no fallback font in {resource_path('fonts')}")


def register_fonts() -> str:
    """Register IPAexGothic with its fallback (each embedded as a subset); returns the name of
    the font that reports set text in."""
    with _register_lock:
        if FONT not in _chains:
            primary = ChainFont(FONT, resource_path("fonts", PRIMARY_FILE))
            fallback = ChainFont(FALLBACK_FONT, fallback_file())
            for font in (primary, fallback):
                pdfmetrics.registerFont(font)
                # One face only: <b>/<i> markup must not fall back to a Latin-only Helvetica.
                name = font.fontName
                pdfmetrics.registerFontFamily(
                    name, normal=name, bold=name, italic=name, boldItalic=name
                )
            _chains[FONT] = FontChain([primary, fallback])
    return FONT


@cache
def _single(font: str) -> FontChain | None:
    chosen = pdfmetrics.getFont(font)
    return FontChain([chosen]) if isinstance(chosen, ChainFont) else None


def chain(font: str) -> FontChain | None:
    """The chain that starts with ``font``, None for a font outside this module (drawn as is)."""
    if font == FONT:
        register_fonts()
    return _chains.get(font) or _single(font)


def glyphs(text: str, font: str) -> list[Glyph]:
    """``text`` as the glyphs that print it, starting from ``font``."""
    fonts = chain(font)
    if fonts is None:
        return [Glyph(char, font, char) for char in text]
    return fonts.glyphs(text)


def glyph_width(glyph: Glyph, size: float) -> float:
    return float(pdfmetrics.stringWidth(glyph.code, glyph.font, size))


def runs(drawn: Iterable[Glyph]) -> list[tuple[str, str]]:
    """(font, characters to draw) for each stretch of glyphs in one font."""
    grouped: list[tuple[str, str]] = []
    for glyph in drawn:
        if grouped and grouped[-1][0] == glyph.font:
            grouped[-1] = (glyph.font, grouped[-1][1] + glyph.code)
        else:
            grouped.append((glyph.font, glyph.code))
    return grouped


def string_width(text: str, font: str, size: float) -> float:
    return sum(
        float(pdfmetrics.stringWidth(code, name, size)) for name, code in runs(glyphs(text, font))
    )


def draw_string(
    canvas: Any, x: float, y: float, text: str, font: str, size: float, *, anchor: str = "start"
) -> None:
    """Draw one line of ``text`` from ``x`` (``anchor``: start, middle or end of the line)."""
    parts = runs(glyphs(text, font))
    widths = [float(pdfmetrics.stringWidth(code, name, size)) for name, code in parts]
    x -= {"start": 0.0, "middle": sum(widths) / 2, "end": sum(widths)}[anchor]
    for (name, code), width in zip(parts, widths, strict=True):
        canvas.setFont(name, size)
        canvas.drawString(x, y, code)
        x += width
