"""「開く」 on a file not yet on this laptop goes through the window's sync controller: without a
login it says so; with one (a real keychain and the real server over TLS) the file is fetched,
byte-identical, and then opened. The panel hears the controller's ``file_fetched``; nothing is
stood in for but the desktop, caught through Qt's own url handler."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from pytestqt.qtbot import QtBot

from dxdesk.services.workspace import Workspace
from dxdesk.sync.file_budget import FileBudget, set_budget
from dxdesk.ui.attachments_panel import AttachmentsPanel
from dxdesk.ui.main_window import MainWindow
from tests.gui.keys import select_municipality
from tests.gui.test_sync_ui import WAIT_MS, OtherLaptop, log_in, press_ctrl_s
from tests.server.fixtures import RunningServer, add_user

WAKAYAMA = "302015"


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'server.sqlite3'}"


class SystemHandler(QObject):
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


def _files_of_visit(window: MainWindow, qtbot: QtBot, visit_id: str) -> AttachmentsPanel:
    select_municipality(window, qtbot, WAKAYAMA)
    window.tabs.setCurrentWidget(window.engagements)
    window.engagements.select(visit_id)
    editor = window.engagements.editor
    qtbot.waitUntil(lambda: editor.record_id == visit_id)
    editor.tabs.setCurrentWidget(editor.attachments)
    qtbot.waitUntil(lambda: len(editor.attachments.model.records()) == 1)
    return editor.attachments


def test_without_a_login_open_says_to_log_in(
    window: MainWindow,
    qtbot: QtBot,
    workspace: Workspace,
    tmp_path: Path,
    system_handler: SystemHandler,
    no_keychain: None,
) -> None:
    visit = workspace.engagements.add({"municipality": WAKAYAMA, "date": "2026-11-20"})
    plan = tmp_path / "計画案.pdf"
    plan.write_bytes(b"%PDF-1.4\n" + b"0" * 5000)
    [attached] = workspace.attachments.attach("visit", visit["id"], [plan])
    workspace.files.path(attached["sha256"]).unlink()  # as if attached on another laptop
    panel = _files_of_visit(window, qtbot, visit["id"])
    assert panel.model.records()[0]["present"] is False
    panel.view.selectRow(0)
    panel.open_button.click()
    qtbot.waitUntil(lambda: "ログイン" in panel.message.text(), timeout=WAIT_MS)
    assert system_handler.urls == []


def test_a_file_from_the_other_laptop_is_fetched_on_open(
    window: MainWindow,
    qtbot: QtBot,
    workspace: Workspace,
    server: RunningServer,
    tmp_path: Path,
    system_handler: SystemHandler,
    real_keychain: None,
) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    other = OtherLaptop(server, tmp_path / "other", "tanaka")
    try:
        visit = other.workspace.engagements.add({"municipality": WAKAYAMA, "date": "2026-11-20"})
        plan = tmp_path / "計画案 第2版.pdf"
        plan.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 400)
        other.workspace.attachments.attach("visit", visit["id"], [plan])
        other.sync()
    finally:
        other.workspace.close()

    set_budget(workspace.store, FileBudget(months=0, megabytes=0))  # fetched only on opening
    log_in(window, qtbot, server, "tanaka")
    with qtbot.waitSignal(window.sync.synced, timeout=WAIT_MS):
        press_ctrl_s(window, qtbot)
    panel = _files_of_visit(window, qtbot, visit["id"])
    record: dict[str, Any] = panel.model.records()[0]
    assert record["present"] is False
    assert "未取得" in str(panel.model.index(0, 0).data())
    panel.view.selectRow(0)
    with qtbot.waitSignal(window.sync.file_fetched, timeout=WAIT_MS) as fetched:
        panel.open_button.click()
    assert fetched.args == [record["id"], ""]
    qtbot.waitUntil(lambda: len(system_handler.urls) == 1, timeout=WAIT_MS)
    opened = Path(system_handler.urls[0].toLocalFile())
    assert opened.name == "計画案 第2版.pdf"
    assert opened.read_bytes() == plan.read_bytes()
    qtbot.waitUntil(lambda: "未取得" not in str(panel.model.index(0, 0).data()))
