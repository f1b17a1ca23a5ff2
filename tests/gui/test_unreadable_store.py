"""The window's start on a store that cannot be read (issue 17, finding 8): a message before any
window, in the window's language, and nothing written or made in the data folder."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

import dxdesk.ui.app
from dxdesk.cli.main import main
from dxdesk.models.paths import DATABASE_NAME
from dxdesk.ui import language
from dxdesk.ui.main_window import MainWindow


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch, qapp: QApplication) -> Iterator[list[str]]:
    """The critical messages the start shows (recorded, not shown); the translators it installs
    are removed afterwards, as other tests expect the app in Japanese."""
    messages: list[str] = []
    installed: list[QTranslator] = []
    before = QLocale()

    def critical(_parent: object, _title: str, text: str, *_args: object) -> object:
        messages.append(text)
        return QMessageBox.StandardButton.Ok

    def install(app: QApplication, language: str) -> list[QTranslator]:
        added = real_install(app, language)
        installed.extend(added)
        return added

    def no_window(*_args: object, **_kwargs: object) -> MainWindow:
        # Fails at once where a window would open over the store (and the test wait for ever).
        raise AssertionError("a main window was made over a store that cannot be read")

    real_install = language.install_translators  # what dxdesk.ui.app calls, before the patch
    monkeypatch.setattr(dxdesk.ui.app, "MainWindow", no_window)
    monkeypatch.setattr(QMessageBox, "critical", critical)
    monkeypatch.setattr(dxdesk.ui.app, "install_translators", install)
    yield messages
    for translator in installed:
        qapp.removeTranslator(translator)
    QLocale.setDefault(before)


def _broken_store(tmp_path: Path, content: bytes | None) -> Path:
    """A data folder with a real store, then emptied (``b""``) or damaged at its start."""
    data = tmp_path / "data"
    payload = '{"municipality": "303917", "date": "2025-06-12", "summary": "窓口BPR"}'
    assert main(["--data-dir", str(data), "records", "add", "visit", "--json", payload]) == 0
    path = data / DATABASE_NAME
    if content is None:
        damaged = bytearray(path.read_bytes())
        damaged[16:100] = bytes(b ^ 0xFF for b in damaged[16:100])  # the header after its name
        path.write_bytes(bytes(damaged))
    else:
        path.write_bytes(content)
    return data


def _windows() -> list[MainWindow]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]


@pytest.mark.parametrize("content", [b"", None], ids=["0 bytes", "a damaged header"])
def test_the_app_shows_the_message_and_opens_no_window(
    tmp_path: Path, shown: list[str], content: bytes | None
) -> None:
    data = _broken_store(tmp_path, content)
    before = _snapshot(data)
    windows_before = _windows()
    assert dxdesk.ui.app.run_app(data_dir=data) == 2
    assert len(shown) == 1
    assert str(data / DATABASE_NAME) in shown[0]
    assert "読めません" in shown[0] and "Traceback" not in shown[0]
    assert _windows() == windows_before
    assert _snapshot(data) == before  # nothing written, no new store, no settings file


def test_in_english_the_message_is_english(tmp_path: Path, shown: list[str]) -> None:
    data = _broken_store(tmp_path, b"")
    before = _snapshot(data)
    assert dxdesk.ui.app.run_app(data_dir=data, lang="en") == 2
    assert len(shown) == 1
    assert shown[0].startswith(f"The records of the data folder, {data / DATABASE_NAME},")
    assert "dxdesk backups" in shown[0] and "dxdesk restore FILE" in shown[0]
    assert _snapshot(data) == before  # --lang is not remembered in a folder that cannot open
