"""The English UI: the .ts file is complete and current, the .qm matches it, and the window
reads English with the translator installed and Japanese (the source language) without."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, Qt, QTranslator
from pytestqt.qtbot import QtBot

from dxdesk.domain.records import KINDS, kind_spec
from dxdesk.domain.support_levels import support_levels
from dxdesk.domain.vocabulary import (
    ARTICLE_CATEGORIES,
    ASSESSMENT_METHODS,
    ENGAGEMENT_TYPES,
    FOLLOW_UP_STATUSES,
    MODES,
)
from dxdesk.services.workspace import Workspace
from dxdesk.ui.fonts import register_bundled_font
from dxdesk.ui.format import VOCABULARY, VOCABULARY_CONTEXT
from dxdesk.ui.language import (
    LANGUAGE_SETTING,
    choose_language,
    remember_language,
    translation_file,
)
from dxdesk.ui.main_window import MainWindow
from dxdesk.ui.table_model import select_record

ROOT = Path(__file__).resolve().parents[2]
TS_FILE = ROOT / "resources" / "translations" / "dxdesk_en.ts"
LUPDATE = Path(sys.executable).with_name("pyside6-lupdate")

Messages = dict[tuple[str, str], ET.Element]


def _messages(ts: Path) -> Messages:
    """(context, source) -> the <translation> element, for every current message."""
    found: Messages = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            if translation.get("type") in ("vanished", "obsolete"):
                continue
            found[(name, message.findtext("source") or "")] = translation
    return found


def test_every_message_is_translated() -> None:
    messages = _messages(TS_FILE)
    assert len(messages) > 150
    unfinished = [key for key, t in messages.items() if t.get("type") == "unfinished"]
    empty = [key for key, t in messages.items() if not (t.text or "").strip()]
    assert unfinished == []
    assert empty == []


def test_translations_keep_their_placeholders() -> None:
    import string

    def fields(text: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}

    wrong = {
        key: t.text
        for key, t in _messages(TS_FILE).items()
        if fields(key[1]) != fields(t.text or "")
    }
    assert wrong == {}


def test_the_ts_file_has_every_string_of_the_ui(tmp_path: Path) -> None:
    """A new tr() in dxdesk/ui without ``scripts/update_translations`` fails here."""
    fresh = tmp_path / "fresh.ts"
    sources = sorted(str(p) for p in (ROOT / "dxdesk" / "ui").glob("*.py"))
    result = subprocess.run(
        [str(LUPDATE), "-no-obsolete", *sources, "-ts", str(fresh)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert set(_messages(fresh)) == set(_messages(TS_FILE))


def test_the_qm_file_matches_the_ts_file(qapp: object) -> None:
    translator = QTranslator()
    assert translator.load(str(translation_file("en")))
    stale = {
        key: t.text for key, t in _messages(TS_FILE).items() if translator.translate(*key) != t.text
    }
    assert stale == {}, "run scripts/update_translations"


def test_every_domain_label_the_ui_shows_is_listed_for_translation() -> None:
    labels = {
        *ENGAGEMENT_TYPES.values(),
        *MODES.values(),
        *FOLLOW_UP_STATUSES.values(),
        *ASSESSMENT_METHODS.values(),
        *ARTICLE_CATEGORIES.values(),
        *(level.name for level in support_levels()),
        *(kind_spec(kind).label for kind in KINDS),
    }
    assert labels - set(VOCABULARY) == set()
    in_ts = {source for context, source in _messages(TS_FILE) if context == VOCABULARY_CONTEXT}
    assert set(VOCABULARY) <= in_ts


@pytest.fixture
def english(qapp: object) -> Iterator[QTranslator]:
    translator = QTranslator()
    assert translator.load(str(translation_file("en")))
    QCoreApplication.installTranslator(translator)
    yield translator
    QCoreApplication.removeTranslator(translator)


def _open_window(qtbot: QtBot, workspace: Workspace, settings_file: Path) -> MainWindow:
    register_bundled_font()
    win = MainWindow(workspace, title="DX Desk", settings_file=settings_file)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: win.municipalities.rowCount() == 30)
    select_record(win.municipality_view, "302015")
    qtbot.waitUntil(lambda: win.engagements.model.rowCount() == 1)
    return win


def _close(win: MainWindow) -> None:
    win.close()  # flushes and waits for the store worker
    win.runner.shutdown()


def _tab_titles(win: MainWindow) -> list[str]:
    return [win.tabs.tabText(i) for i in range(win.tabs.count())]


def _add_visit(workspace: Workspace, payload: dict[str, object]) -> None:
    workspace.engagements.add(payload)


def test_window_reads_english_with_the_translator(
    english: QTranslator,
    qtbot: QtBot,
    workspace: Workspace,
    tmp_path: Path,
    visit_payload: dict[str, object],
) -> None:
    _add_visit(workspace, visit_payload)
    win = _open_window(qtbot, workspace, tmp_path / "ui.ini")
    try:
        assert _tab_titles(win) == [
            "Overview",
            "Engagements",
            "Assessment",
            "Survey",
            "Follow-ups (all)",
            "Group sessions",
            "Analysis",
            "Knowledge",
            "Know-who",
        ]
        qtbot.waitUntil(lambda: win.sync_state.text() != "")
        assert win.sync_state.text().startswith("Not connected — ")
        assert win.sync_state.text().endswith(" changes saved on this computer")
        level = win.municipalities.column_of("level")
        header = win.municipalities.headerData(level, Qt.Orientation.Horizontal)
        assert header == "Support level"
        engagements = win.engagements.model
        type_cell = engagements.index(0, engagements.column_of("type"))
        assert type_cell.data() == "Visit"
        assert win.engagements.editor.mode_box.itemText(0) == "In person"
        assert win.analysis.kpi_model.headerData(1, Qt.Orientation.Horizontal) == "4 Co-creation"
    finally:
        _close(win)


def test_window_reads_japanese_without_a_translator(
    qtbot: QtBot, workspace: Workspace, tmp_path: Path, visit_payload: dict[str, object]
) -> None:
    _add_visit(workspace, visit_payload)
    win = _open_window(qtbot, workspace, tmp_path / "ui.ini")
    try:
        assert _tab_titles(win) == [
            "概要",
            "相談記録",
            "アセスメント",
            "調査",
            "フォローアップ（全市町村）",
            "合同の場",
            "分析",
            "ナレッジ",
            "ノウフー",
        ]
        qtbot.waitUntil(lambda: win.sync_state.text() != "")
        assert win.sync_state.text().startswith("未接続 — 変更 ")
        engagements = win.engagements.model
        type_cell = engagements.index(0, engagements.column_of("type"))
        assert type_cell.data() == "訪問"
        assert win.analysis.kpi_model.headerData(1, Qt.Orientation.Horizontal) == "4 共創"
    finally:
        _close(win)


def test_language_comes_from_the_flag_then_the_setting_then_japanese(tmp_path: Path) -> None:
    settings_file = tmp_path / "ui.ini"
    assert choose_language(settings_file, None) == "ja"
    remember_language(settings_file, "en")
    assert choose_language(settings_file, None) == "en"
    assert choose_language(settings_file, "ja") == "ja"
    with pytest.raises(ValueError):
        choose_language(settings_file, "fr")


def test_language_menu_stores_the_choice_for_the_next_start(
    window: MainWindow, tmp_path: Path
) -> None:
    english = next(a for a in window.language_menu.actions() if a.data() == "en")
    english.trigger()
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    assert settings.value(LANGUAGE_SETTING) == "en"
    assert window.tabs.tabText(0) == "概要"  # the open window keeps its language


def test_lang_flag_opens_in_english_and_is_remembered(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "dxdesk", "--data-dir", str(tmp_path)]
    result = subprocess.run(
        [*command, "--lang", "en", "--smoke"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "DX Desk"
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    assert settings.value(LANGUAGE_SETTING) == "en"
