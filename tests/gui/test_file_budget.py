"""The window's part in syncing files: the budget's dialog from the file menu, the status bar
counting files waiting to go up, and an attachment fetched for the person off the UI thread
(with a real keychain, against the real server over TLS)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QMenu, QWidget
from pytestqt.qtbot import QtBot

from dxdesk.services.workspace import Workspace
from dxdesk.sync.file_budget import FileBudget, read_budget, set_budget
from dxdesk.ui.file_budget_dialog import FileBudgetDialog
from dxdesk.ui.main_window import MainWindow
from dxdesk.ui.runner import StoreRunner
from tests.gui.test_sync_ui import WAIT_MS, OtherLaptop, log_in, press_ctrl_s
from tests.server.fixtures import RunningServer, add_user
from tests.store_files import stored_bytes

WAKAYAMA = "302015"


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """One server on SQLite is enough here (tests/e2e covers PostgreSQL)."""
    return f"sqlite:///{tmp_path / 'server.sqlite3'}"


def _attach(workspace: Workspace, folder: Path) -> dict[str, object]:
    visit = workspace.engagements.add(
        {"municipality": WAKAYAMA, "date": "2026-11-20", "title": "計画案の相談"}
    )
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "計画案.pdf"
    source.write_bytes(os.urandom(200_000))
    [record] = workspace.attachments.attach("visit", str(visit["id"]), [source])
    return record


def test_the_budget_is_set_in_its_dialog_from_the_file_menu(
    window: MainWindow, qtbot: QtBot, workspace: Workspace
) -> None:
    [action] = [a for a in window.menuBar().actions() if a.text() == "ファイル(&F)"]
    menu = action.menu()
    assert isinstance(menu, QMenu)
    [budget] = [a for a in menu.actions() if a.text() == "ファイルの事前ダウンロード(&D)…"]
    budget.trigger()
    dialog = window.sync.files.budget_dialog
    assert dialog is not None and dialog.isVisible()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.waitUntil(ok.isEnabled)  # read on the store's worker
    assert (dialog.months.value(), dialog.megabytes.value()) == (12, 2048)
    dialog.months.setValue(6)
    dialog.megabytes.setValue(500)
    ok.click()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert read_budget(workspace.store) == FileBudget(months=6, megabytes=500)


def test_a_budget_that_cannot_be_read_is_said_so(
    qtbot: QtBot, workspace: Workspace, tmp_path: Path
) -> None:
    runner = StoreRunner()
    parent = QWidget()
    qtbot.addWidget(parent)
    with workspace.store.engine.begin() as connection:  # the settings' table made unreadable
        connection.exec_driver_sql("ALTER TABLE store_meta RENAME TO store_meta_away")
    try:
        dialog = FileBudgetDialog(parent, runner, workspace.store)
        qtbot.waitUntil(lambda: "読めませんでした" in dialog.problem.text())
        assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    finally:
        runner.wait_idle()
        runner.shutdown()
        with workspace.store.engine.begin() as connection:
            connection.exec_driver_sql("ALTER TABLE store_meta_away RENAME TO store_meta")


def test_the_status_bar_counts_files_waiting_to_go_up(
    window: MainWindow, qtbot: QtBot, workspace: Workspace, tmp_path: Path
) -> None:
    _attach(workspace, tmp_path / "desk")
    window.sync.refresh_status()
    qtbot.waitUntil(lambda: window.sync_state.text().endswith("、送信待ちファイル 1 件"))
    assert window.sync_state.text().startswith("未接続 — 変更 2 件は端末内に保存済み")


def test_a_file_asked_for_without_a_login_says_how_to_get_it(
    window: MainWindow, qtbot: QtBot, workspace: Workspace, tmp_path: Path
) -> None:
    record = _attach(workspace, tmp_path / "desk")
    with qtbot.waitSignal(window.sync.file_fetched, timeout=WAIT_MS) as told:
        window.sync.fetch_file(str(record["id"]))
    attachment_id, message = told.args
    assert attachment_id == record["id"]
    assert "ログイン" in message


def test_with_a_keychain_a_file_not_here_is_fetched_when_asked_for(
    window: MainWindow,
    qtbot: QtBot,
    workspace: Workspace,
    server: RunningServer,
    tmp_path: Path,
    real_keychain: None,
) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    office = OtherLaptop(server, tmp_path / "office", "tanaka")
    try:
        office.sync()
        record = _attach(office.workspace, tmp_path / "desk")
        assert office.sync().files_sent == 1
    finally:
        office.workspace.close()
    set_budget(workspace.store, FileBudget(months=0))  # nothing ahead of time
    log_in(window, qtbot, server, "tanaka")
    try:
        with qtbot.waitSignal(window.sync.synced, timeout=WAIT_MS):
            press_ctrl_s(window, qtbot)
        sha256 = str(record["sha256"])
        assert not workspace.files.has(sha256)
        with qtbot.waitSignal(window.sync.file_fetched, timeout=WAIT_MS) as told:
            window.sync.fetch_file(str(record["id"]))
        assert told.args == [record["id"], ""]
        assert workspace.files.has(sha256)
        assert (tmp_path / "desk" / "計画案.pdf").read_bytes() == stored_bytes(
            workspace.files, sha256
        )
        assert "ファイル" not in window.statusBar().currentMessage()  # none moved in that sync

        # Within the budget, the next sync brings a new file and says so.
        again = OtherLaptop(server, tmp_path / "office", "tanaka")
        try:
            later = _attach(again.workspace, tmp_path / "desk2")
            assert again.sync().files_sent == 1
        finally:
            again.workspace.close()
        set_budget(workspace.store, FileBudget())
        with qtbot.waitSignal(window.sync.synced, timeout=WAIT_MS):
            press_ctrl_s(window, qtbot)
        assert workspace.files.has(str(later["sha256"]))
        assert window.statusBar().currentMessage().endswith(" ファイル: 送信 0 件、受信 1 件")
    finally:
        window.sync.logout_action.trigger()
        qtbot.waitUntil(
            lambda: window.statusBar().currentMessage() == "ログアウトしました", timeout=WAIT_MS
        )
