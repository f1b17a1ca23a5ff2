from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from dxdesk.services.workspace import Workspace
from dxdesk.ui.fonts import register_bundled_font
from dxdesk.ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def no_unanswered_questions(monkeypatch: pytest.MonkeyPatch) -> None:
    """A question no test answers fails the test instead of waiting for a click forever (e.g. the
    window naming unsaved input when a failed test closes it). Tests answer by patching again."""

    def unanswered(_parent: object, title: str, text: str, *_args: object) -> object:
        raise AssertionError(f"a question nobody answers: {title}: {text}")

    monkeypatch.setattr(QMessageBox, "question", unanswered)


@pytest.fixture
def window(qtbot: QtBot, workspace: Workspace, tmp_path: Path) -> Iterator[MainWindow]:
    register_bundled_font()
    win = MainWindow(workspace, title="DX Desk", settings_file=tmp_path / "ui.ini")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: win.municipalities.rowCount() == 30)
    yield win
    win.runner.wait_idle()
    win.runner.shutdown()


@pytest.fixture(autouse=True)
def collect_on_the_ui_thread() -> Iterator[None]:
    """As the app does (dxdesk/ui/garbage.py): no automatic collection, which would run on
    whichever thread allocates (a worker) and may free Qt objects there; the test's leftovers
    are collected here, on the UI thread."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.collect()
        if was_enabled:
            gc.enable()


class SystemHandler(QObject):
    """Receives what the app asks the system to open (Qt calls it instead of the desktop)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


@pytest.fixture
def system_handler() -> Iterator[SystemHandler]:
    handler = SystemHandler()
    # (PySide6 6.11 takes the slot name as str; its stub says bytes)
    QDesktopServices.setUrlHandler("file", handler, "open")  # type: ignore[arg-type]
    yield handler
    QDesktopServices.unsetUrlHandler("file")
