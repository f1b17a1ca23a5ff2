"""「開く」 on a file not yet on this laptop goes through the window's sync controller: without a
login it says so; with one (a real keychain and the real server over TLS) the file is fetched,
byte-identical, and then opened. The panel hears the controller's ``file_fetched``; nothing is
stood in for but the desktop, caught through Qt's own url handler."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from dxdesk.domain.changes import Changes, Source
from dxdesk.services.workspace import Workspace
from dxdesk.sync.file_budget import FileBudget, set_budget
from dxdesk.ui.attachments_panel import AttachmentsPanel
from dxdesk.ui.main_window import MainWindow
from tests.gui.conftest import SystemHandler
from tests.gui.test_attachments_window import visit_files
from tests.gui.test_sync_ui import WAIT_MS, OtherLaptop, log_in, press_ctrl_s
from tests.server.fixtures import RunningServer, add_user

WAKAYAMA = "302015"


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'server.sqlite3'}"


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
    panel = visit_files(window, qtbot, visit["id"], 1)
    assert panel.model.records()[0]["present"] is False
    panel.view.selectRow(0)
    panel.open_button.click()
    qtbot.waitUntil(lambda: "ログイン" in panel.message.text(), timeout=WAIT_MS)
    assert system_handler.urls == []


def _a_file_not_here(
    window: MainWindow, qtbot: QtBot, workspace: Workspace, server: RunningServer, tmp_path: Path
) -> tuple[Path, AttachmentsPanel]:
    """A visit with a file attached on the other laptop; synced here without its bytes (a
    budget of 0), its 資料 shown: the file and the panel."""
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
    panel = visit_files(window, qtbot, visit["id"], 1)
    assert panel.model.records()[0]["present"] is False
    assert "未取得" in str(panel.model.index(0, 0).data())
    return plan, panel


def _files_changed(changes: Changes) -> bool:
    return changes.touches("attachment") and changes.source == Source.SYNC


def test_a_file_from_the_other_laptop_is_fetched_on_open(
    window: MainWindow,
    qtbot: QtBot,
    workspace: Workspace,
    server: RunningServer,
    tmp_path: Path,
    system_handler: SystemHandler,
    real_keychain: None,
) -> None:
    plan, panel = _a_file_not_here(window, qtbot, workspace, server, tmp_path)
    record: dict[str, Any] = panel.model.records()[0]
    panel.view.selectRow(0)
    # Every panel hears it (the window's change notice), not only the one that asked.
    with (
        qtbot.waitSignal(window.runner.changed, timeout=WAIT_MS, check_params_cb=_files_changed),
        qtbot.waitSignal(window.sync.file_fetched, timeout=WAIT_MS) as fetched,
    ):
        panel.open_button.click()
    assert fetched.args == [record["id"], ""]
    assert panel.operations.fetch_dialogs == {}  # its progress shown while it came, gone now
    qtbot.waitUntil(lambda: len(system_handler.urls) == 1, timeout=WAIT_MS)
    opened = Path(system_handler.urls[0].toLocalFile())
    assert opened.name == "計画案 第2版.pdf"
    assert opened.read_bytes() == plan.read_bytes()
    qtbot.waitUntil(lambda: "未取得" not in str(panel.model.index(0, 0).data()))


def test_a_sync_that_only_brings_bytes_updates_the_list(
    window: MainWindow,
    qtbot: QtBot,
    workspace: Workspace,
    server: RunningServer,
    tmp_path: Path,
    real_keychain: None,
) -> None:
    """The records came in the first sync; the second brings only the file's bytes (no record
    is written), and the list stops saying 未取得."""
    _plan, panel = _a_file_not_here(window, qtbot, workspace, server, tmp_path)
    set_budget(workspace.store, FileBudget(months=120, megabytes=500))
    with qtbot.waitSignal(window.sync.synced, timeout=WAIT_MS):
        press_ctrl_s(window, qtbot)
    assert workspace.attachments.list_for("visit", panel.parent_id or "")[0]["present"]
    qtbot.waitUntil(lambda: "未取得" not in str(panel.model.index(0, 0).data()), timeout=WAIT_MS)


def test_a_fetch_shows_its_progress_and_can_be_stopped(
    window: MainWindow,
    qtbot: QtBot,
    workspace: Workspace,
    server: RunningServer,
    tmp_path: Path,
    system_handler: SystemHandler,
    real_keychain: None,
) -> None:
    plan, panel = _a_file_not_here(window, qtbot, workspace, server, tmp_path)
    gate = threading.Event()
    window.sync.files.worker.run(gate.wait)  # 中止 is surely pressed before the fetch begins
    try:
        panel.view.selectRow(0)
        panel.open_button.click()
        dialogs = panel.operations.fetch_dialogs
        qtbot.waitUntil(lambda: len(dialogs) == 1, timeout=WAIT_MS)
        [dialog] = dialogs.values()
        assert "計画案 第2版.pdf" in dialog.labelText()
        cancel_button = dialog.findChild(QPushButton)
        assert cancel_button is not None and cancel_button.text() == "中止"
        cancel_button.click()
        with qtbot.waitSignal(window.sync.file_fetched, timeout=WAIT_MS) as fetched:
            gate.set()
    finally:
        gate.set()
    assert fetched.args[1] == "取得を中止しました。"
    qtbot.waitUntil(lambda: panel.message.text() == "取得を中止しました。")
    assert panel.message.styleSheet() == ""  # said, not shown as an error
    assert system_handler.urls == []
    assert panel.operations.fetch_dialogs == {}
    assert not workspace.attachments.list_for("visit", panel.parent_id or "")[0]["present"]

    steps: list[tuple[int, int]] = []
    window.sync.file_progressed.connect(lambda _id, done, total: steps.append((done, total)))
    with qtbot.waitSignal(window.sync.file_fetched, timeout=WAIT_MS) as fetched:
        panel.open_button.click()  # again: fetched this time
    assert fetched.args[1] == ""
    size = plan.stat().st_size
    assert steps and steps[-1] == (size, size)
    qtbot.waitUntil(lambda: len(system_handler.urls) == 1, timeout=WAIT_MS)
