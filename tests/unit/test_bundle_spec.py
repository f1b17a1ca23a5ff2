"""build.spec, checked without PyInstaller.

The spec is executed with stand-ins for the classes PyInstaller provides (Analysis, PYZ, EXE,
COLLECT) and for the two PyInstaller modules it imports; the files it lists are then laid out as
PyInstaller 6 would lay them under ``_internal/``, and the app's own lookups (dxdesk.resources,
the Alembic script directory) are run against that copy. scripts/build_bundle builds the real
bundle and runs it.
"""

from __future__ import annotations

import re
import shutil
import struct
import sys
import tomllib
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory

import dxdesk.resources
from dxdesk.models.migrations_runner import alembic_config, head_revision

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "build.spec"
ICO = ROOT / "resources" / "icons" / "dxdesk.ico"
ICO_SIZES = {16, 24, 32, 48, 256}
FAKE_METADATA = ("/nowhere/dxdesk-0.0.0.dist-info", "dxdesk-0.0.0.dist-info")

# What PyInstaller's Qt hooks would add to the analysis (Linux names, and one Windows one).
QT_BINARIES = [
    "PySide6/Qt/lib/libQt6Widgets.so.6",
    "PySide6/Qt/lib/libQt6Pdf.so.6",
    "PySide6/Qt/lib/libQt6PdfWidgets.so.6",
    "PySide6/Qt/lib/libQt6PrintSupport.so.6",
    "PySide6/Qt/plugins/platforms/libqxcb.so",
    "PySide6/Qt/plugins/platforminputcontexts/libcomposeplatforminputcontextplugin.so",
    "PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so",
    "PySide6/Qt/lib/libQt6VirtualKeyboard.so.6",
    "PySide6/Qt/lib/libQt6Quick.so.6",
    "PySide6/Qt/lib/libQt6QmlModels.so.6",
    "libQt6Qml.so.6",
    "PySide6\\Qt6Quick.dll",
]
QT_KEPT = set(QT_BINARIES[:6])  # the rest is the virtual keyboard and what only it needs
QT_TRANSLATIONS = {
    "PySide6/Qt/translations/qtbase_ja.qm": True,
    "PySide6/Qt/translations/qtbase_en.qm": True,
    "PySide6/Qt/translations/qtbase_de.qm": False,
    "PySide6\\translations\\qt_fr.qm": False,
}


class Recorded:
    """Stands in for a PyInstaller class: keeps the arguments it was built with."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args = args
        self.kwargs = kwargs


class FakeAnalysis(Recorded):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pure: list[Any] = []
        self.scripts: list[Any] = []
        self.binaries = [(name, "/src/" + name, "BINARY") for name in QT_BINARIES]
        self.datas = [*kwargs["datas"], *((name, "/src", "DATA") for name in QT_TRANSLATIONS)]


def _fake_pyinstaller(monkeypatch: pytest.MonkeyPatch, metadata_asked: list[str]) -> None:
    def copy_metadata(name: str) -> list[tuple[str, str]]:
        metadata_asked.append(name)
        return [FAKE_METADATA]

    hooks = types.ModuleType("PyInstaller.utils.hooks")
    hooks.copy_metadata = copy_metadata  # type: ignore[attr-defined]
    versioninfo = types.ModuleType("PyInstaller.utils.win32.versioninfo")
    for name in (
        "FixedFileInfo",
        "StringFileInfo",
        "StringStruct",
        "StringTable",
        "VarFileInfo",
        "VarStruct",
        "VSVersionInfo",
    ):
        setattr(versioninfo, name, type(name, (Recorded,), {}))
    for name in ("PyInstaller", "PyInstaller.utils", "PyInstaller.utils.win32"):
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    monkeypatch.setitem(sys.modules, hooks.__name__, hooks)
    monkeypatch.setitem(sys.modules, versioninfo.__name__, versioninfo)


def run_spec(monkeypatch: pytest.MonkeyPatch, platform: str = "linux") -> dict[str, Any]:
    """Execute build.spec as PyInstaller would, on ``platform``; its namespace, plus what it
    built under ``built`` (name -> list of stand-ins) and ``metadata_asked``."""
    built: dict[str, list[Recorded]] = {"Analysis": [], "PYZ": [], "EXE": [], "COLLECT": []}

    def builder(name: str, cls: type[Recorded]) -> Any:
        def build(*args: Any, **kwargs: Any) -> Recorded:
            made = cls(*args, **kwargs)
            built[name].append(made)
            return made

        return build

    metadata_asked: list[str] = []
    namespace: dict[str, Any] = {
        "__name__": "__main__",
        "__file__": str(SPEC),
        "SPECPATH": str(ROOT),
        "Analysis": builder("Analysis", FakeAnalysis),
        "PYZ": builder("PYZ", Recorded),
        "EXE": builder("EXE", Recorded),
        "COLLECT": builder("COLLECT", Recorded),
    }
    with monkeypatch.context() as patch:
        _fake_pyinstaller(patch, metadata_asked)
        patch.setattr(sys, "platform", platform)
        exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), namespace)
    namespace["built"] = built
    namespace["metadata_asked"] = metadata_asked
    return namespace


@pytest.fixture
def spec(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    return run_spec(monkeypatch)


@pytest.fixture
def internal(spec: dict[str, Any], tmp_path: Path) -> Iterator[Path]:
    """The spec's data files copied as PyInstaller 6 places them: ``_internal/<folder>/<name>``,
    with dxdesk.resources looking from ``_internal/dxdesk/resources.pyc`` (a frozen module's
    __file__)."""
    analysis = spec["built"]["Analysis"][0]
    root = tmp_path / "_internal"
    for source, folder in analysis.kwargs["datas"]:
        if (source, folder) == FAKE_METADATA:
            continue
        target = root / folder / Path(source).name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    dxdesk.resources.resources_root.cache_clear()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(dxdesk.resources, "__file__", str(root / "dxdesk" / "resources.pyc"))
        yield root
    dxdesk.resources.resources_root.cache_clear()


def test_the_spec_version_is_pyprojects(spec: dict[str, Any]) -> None:
    with (ROOT / "pyproject.toml").open("rb") as pyproject:
        version = tomllib.load(pyproject)["project"]["version"]
    assert spec["VERSION"] == version
    assert spec["version_tuple"]("1.2.3rc1") == (1, 2, 3, 0)
    assert spec["version_tuple"]("2.0") == (2, 0, 0, 0)


def test_the_windows_icon_is_an_ico_of_pngs_in_every_size() -> None:
    data = ICO.read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    sizes = set()
    for index in range(count):
        width, height, _, _, planes, bits, length, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * index
        )
        payload = data[offset : offset + length]
        assert len(payload) == length
        assert payload[:8] == b"\x89PNG\r\n\x1a\n"
        png_width, png_height = struct.unpack_from(">II", payload, 16)  # the IHDR chunk
        assert (png_width, png_height) == (width or 256, height or 256)
        assert (planes, bits) == (1, 32)
        sizes.add(png_width)
    assert sizes == ICO_SIZES


def test_the_frozen_app_finds_every_resource_it_reads(internal: Path) -> None:
    from dxdesk.domain.catalog import default_assessment_dir, load_catalog
    from dxdesk.domain.level_rule import load_level_rule
    from dxdesk.domain.roster import load_roster
    from dxdesk.domain.support_levels import (
        default_support_levels_path,
        load_support_level_table,
    )
    from dxdesk.reports.glyphs import fallback_file
    from dxdesk.ui.language import qt_translation_files, translation_file

    resources = internal / "dxdesk" / "_resources"
    assert dxdesk.resources.resources_root() == resources
    assert len(load_roster()) == 30
    assert default_assessment_dir() == resources / "assessment"
    assert load_catalog().items
    load_level_rule()
    load_support_level_table(default_support_levels_path())
    assert translation_file("en").is_file()
    # What the app adds to Qt's own Japanese (the file dialog's labels Qt 6 reworded).
    assert qt_translation_files("ja")[-1] == (
        resources / "qt_translations" / "qtbase_supplement_ja.qm"
    )
    assert (resources / "fonts" / "ipaexg.ttf").is_file()
    assert (resources / "fonts" / "IPA_Font_License_Agreement_v1.0.txt").is_file()
    # The names fallback (reports and window), without the script that rebuilds it.
    assert fallback_file() == resources / "fonts" / "dxdesk-names.ttf"
    assert not (resources / "fonts" / "build_names_font.py").exists()


def test_every_resource_file_but_sources_is_bundled(spec: dict[str, Any], internal: Path) -> None:
    bundled = internal / "dxdesk" / "_resources"
    for path in (ROOT / "resources").rglob("*"):
        if path.is_dir() or "__pycache__" in path.parts or path.suffix in {".ts", ".py"}:
            continue
        assert (bundled / path.relative_to(ROOT / "resources")).is_file(), path


def test_the_migrations_are_bundled_as_files(spec: dict[str, Any], internal: Path) -> None:
    migrations = internal / "dxdesk" / "models" / "migrations"
    assert (migrations / "env.py").is_file()
    config = alembic_config()
    config.set_main_option("script_location", str(migrations))
    bundled = ScriptDirectory.from_config(config)
    source = ScriptDirectory.from_config(alembic_config())
    assert bundled.get_current_head() == head_revision()
    assert {rev.revision for rev in bundled.walk_revisions()} == {
        rev.revision for rev in source.walk_revisions()
    }
    # Alembic imports them at run time, out of PyInstaller's sight.
    assert {"alembic", "sqlalchemy", "dxdesk.models.base"} <= set(spec["HIDDEN_IMPORTS"])


def test_the_version_metadata_is_bundled(spec: dict[str, Any]) -> None:
    # dxdesk's for its version; the C libraries' wheels' for their licences (SQLCipher, OpenSSL).
    assert spec["metadata_asked"] == ["dxdesk", "sqlcipher3", "cryptography"]
    assert FAKE_METADATA in spec["built"]["Analysis"][0].kwargs["datas"]


def test_the_server_and_test_tools_are_excluded_but_not_the_qt_the_ui_uses(
    spec: dict[str, Any],
) -> None:
    excludes = set(spec["built"]["Analysis"][0].kwargs["excludes"])
    server_and_tests = {"dxdesk.server", "fastapi", "starlette", "uvicorn", "argon2", "psycopg"}
    assert server_and_tests | {"trustme", "schemathesis", "pytest", "hypothesis"} <= excludes
    used = set()
    for source in (ROOT / "dxdesk").rglob("*.py"):
        used.update(re.findall(r"\bPySide6\.(\w+)", source.read_text(encoding="utf-8")))
    assert {"QtPdf", "QtPdfWidgets", "QtPrintSupport"} <= used
    assert not {f"PySide6.{module}" for module in used} & excludes


def test_the_virtual_keyboard_and_foreign_qt_translations_are_left_out(
    spec: dict[str, Any],
) -> None:
    analysis = spec["built"]["Analysis"][0]
    assert {entry[0] for entry in analysis.binaries} == QT_KEPT
    datas = {entry[0] for entry in analysis.datas}
    for name, kept in QT_TRANSLATIONS.items():
        assert (name in datas) == kept, name


def test_elsewhere_than_windows_one_console_executable(spec: dict[str, Any]) -> None:
    (exe,) = spec["built"]["EXE"]
    assert exe.kwargs["name"] == "dxdesk"
    assert exe.kwargs["console"] is True
    assert exe.kwargs["icon"] is None and exe.kwargs["version"] is None
    (collect,) = spec["built"]["COLLECT"]
    assert collect.kwargs["name"] == "dxdesk"
    assert exe in collect.args


def test_on_windows_a_windowed_app_and_a_console_cli_with_icon_and_version(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    spec = run_spec(monkeypatch, platform="win32")
    app, cli = spec["built"]["EXE"]
    assert (app.kwargs["name"], app.kwargs["console"]) == ("dxdesk", False)
    assert (cli.kwargs["name"], cli.kwargs["console"]) == ("dxdesk-cli", True)
    numbers = spec["version_tuple"](spec["VERSION"])
    for exe in (app, cli):
        assert Path(exe.kwargs["icon"]) == ICO
        info = exe.kwargs["version"]
        assert info.kwargs["ffi"].kwargs["filevers"] == numbers
        assert info.kwargs["ffi"].kwargs["prodvers"] == numbers
        (string_file_info, _) = info.kwargs["kids"]
        (table,) = string_file_info.args[0]
        strings = dict(struct_.args for struct_ in table.args[1])
        assert strings["FileVersion"] == strings["ProductVersion"] == spec["VERSION"]
        assert strings["OriginalFilename"] == f"{exe.kwargs['name']}.exe"
    (collect,) = spec["built"]["COLLECT"]
    assert app in collect.args and cli in collect.args
