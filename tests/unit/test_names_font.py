"""The bundled fallback font for names (resources/fonts/dxdesk-names.ttf): what it holds, the
names the IPA licence allows it, and that its script rebuilds it byte for byte."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from dxdesk.reports.glyphs import ChainFont
from dxdesk.resources import resource_path

FONTS = resource_path("fonts")
SCRIPT = FONTS / "build_names_font.py"


def _script() -> ModuleType:
    pytest.importorskip("fontTools")
    spec = importlib.util.spec_from_file_location("build_names_font", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_it_holds_only_what_ipaexgothic_lacks_and_the_names_examples() -> None:
    names = ChainFont("test-names", FONTS / "dxdesk-names.ttf")
    primary = ChainFont("test-ipaexg", FONTS / "ipaexg.ttf")
    assert 0x20BB7 in names.codes  # 𠮷
    assert 0x20BB7 not in primary.codes
    assert not (names.codes - {0xA0, 0x20}) & primary.codes
    assert names.sequence_glyph(0x845B, 0xE0102) is not None  # 葛󠄂
    assert 3000 < len(names.codes) < 4000
    assert (FONTS / "dxdesk-names.ttf").stat().st_size < 3 * 1024 * 1024


def test_its_names_are_its_own_as_the_licence_asks() -> None:
    from fontTools.ttLib import TTFont

    _script()
    font = TTFont(FONTS / "dxdesk-names.ttf")
    for record in font["name"].names:
        if record.nameID in (1, 3, 4, 6, 16, 17):  # family, unique, full, PostScript names
            assert "ipa" not in str(record).lower(), record
    assert font["name"].getDebugName(1) == "DXDesk Names"
    assert (FONTS / "IPA_Font_License_Agreement_v1.0.txt").is_file()
    assert "dxdesk-names.ttf" in (FONTS / "README.txt").read_text(encoding="utf-8")


def test_the_script_rebuilds_it_byte_for_byte() -> None:
    script = _script()
    for needed, package in ((script.SOURCE, "fonts-ipamj-mincho"), (script.CMAPS, "poppler-data")):
        if not Path(needed).exists():
            pytest.skip(f"{needed} is not here (apt-get install {package})")
    import fontTools

    if fontTools.version != script.FONTTOOLS_VERSION:
        pytest.skip(f"the font was built with fontTools {script.FONTTOOLS_VERSION}")
    assert script.build() == (FONTS / "dxdesk-names.ttf").read_bytes()


def test_the_original_ipamj_mincho_put_beside_it_is_used_instead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The licence's way back to the original font (Article 3.1 (2)): drop ipamjm.ttf in."""
    from dxdesk.reports import glyphs

    fonts = tmp_path / "fonts"
    fonts.mkdir()
    (fonts / "dxdesk-names.ttf").write_bytes(b"")
    monkeypatch.setattr(glyphs, "resource_path", tmp_path.joinpath)
    assert glyphs.fallback_file() == fonts / "dxdesk-names.ttf"
    (fonts / "ipamjm.ttf").write_bytes(b"")
    assert glyphs.fallback_file() == fonts / "ipamjm.ttf"
