"""ファイル → バックアップから復元…, the backup at start that finds a damaged store, and the
restore offered before any window (issue 17, finding 9)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from dxdesk.models.backups import list_backups, take_backup
from dxdesk.models.paths import DATABASE_NAME
from dxdesk.services.workspace import Workspace, open_workspace
from dxdesk.ui.backup_actions import BackupActions, restore_at_start
from dxdesk.ui.fonts import register_bundled_font
from dxdesk.ui.main_window import MainWindow
from tests.store_damage import damage_a_table_page

WAKAYAMA = "302015"


def _visit(workspace: Workspace, title: str) -> None:
    workspace.engagements.add({"municipality": WAKAYAMA, "date": "2025-06-12", "title": title})


def _titles(workspace: Workspace) -> list[str]:
    return sorted(r["title"] for r in workspace.engagements.list_records())


def test_the_menu_restores_the_chosen_backup(
    qtbot: QtBot, window: MainWindow, workspace: Workspace
) -> None:
    _visit(workspace, "バックアップ前")
    take_backup(workspace.store)
    _visit(workspace, "バックアップ後")
    actions = window.backups
    assert actions.restore_action.text() == "バックアップから復元(&R)…"
    actions.restore_action.trigger()
    qtbot.waitUntil(lambda: actions.dialog is not None and actions.dialog.isVisible())
    dialog = actions.dialog
    assert dialog is not None
    assert dialog.model.rowCount() == 1 and dialog.restore_button.isEnabled()
    dialog.restore_button.click()
    # Both visits wait to be sent: the restore says so and does nothing until told.
    qtbot.waitUntil(lambda: len(_message_boxes()) == 1)
    [box] = _message_boxes()
    assert "2 件" in box.text() and "dxdesk-before-restore-" in box.text()
    assert _titles(workspace) == ["バックアップ前", "バックアップ後"]
    [anyway] = [b for b in box.buttons() if b.text() == "それでも復元する"]
    with qtbot.waitSignal(actions.restored) as restored:
        anyway.click()
    assert _titles(workspace) == ["バックアップ前"]
    kept = restored.args[0].kept_aside if restored.args else None
    assert kept is not None and kept.exists()
    window.runner.wait_idle()


def test_with_changes_not_yet_sent_the_restore_offers_to_sync_first(
    qtbot: QtBot, window: MainWindow, workspace: Workspace
) -> None:
    _visit(workspace, "バックアップ前")
    backup = take_backup(workspace.store).path
    _visit(workspace, "まだ送っていない")
    synced: list[bool] = []
    actions = BackupActions(
        window,
        workspace.store,
        window.runner,
        flush=lambda: None,
        sync_busy=lambda: False,
        sync_now=lambda: synced.append(True),
    )
    restored: list[object] = []
    actions.restored.connect(restored.append)
    actions.restore(backup)
    qtbot.waitUntil(lambda: len(_message_boxes()) == 1)
    [box] = _message_boxes()
    assert "2 件" in box.text()
    [first] = [b for b in box.buttons() if b.text() == "先に同期する"]
    assert box.defaultButton() is first
    first.click()
    assert synced == [True]
    window.runner.wait_idle()
    qtbot.wait(50)
    assert restored == [] and _titles(workspace) == ["まだ送っていない", "バックアップ前"]


def test_with_nothing_waiting_to_be_sent_the_restore_asks_nothing(
    qtbot: QtBot, window: MainWindow, workspace: Workspace
) -> None:
    backup = take_backup(workspace.store).path
    assert workspace.store.pending_record_count() == 0
    actions = window.backups
    with qtbot.waitSignal(actions.restored):
        actions.restore(backup)
    assert _message_boxes() == []
    window.runner.wait_idle()


@pytest.fixture
def damaged(tmp_path: Path) -> Iterator[Workspace]:
    """A store with a good backup, then damaged past its header (it opens: only the header is
    read at opening)."""
    data = tmp_path / "damaged"
    workspace = open_workspace(data)
    _visit(workspace, "無事な記録")
    take_backup(workspace.store)
    workspace.close()
    damage_a_table_page(data / DATABASE_NAME)
    workspace = open_workspace(data)
    yield workspace
    workspace.close()


def _message_boxes() -> list[QMessageBox]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]


@pytest.fixture
def started(qtbot: QtBot, damaged: Workspace, tmp_path: Path) -> Iterator[MainWindow]:
    """The window as the app starts it: with its automatic backups."""
    register_bundled_font()
    win = MainWindow(
        damaged, title="DX Desk", settings_file=tmp_path / "ui.ini", automatic_backups=True
    )
    qtbot.addWidget(win)
    win.show()
    yield win
    win.runner.wait_idle()
    win.runner.shutdown()


def test_the_backup_at_start_finds_the_damage_and_offers_the_restore(
    qtbot: QtBot, started: MainWindow, damaged: Workspace
) -> None:
    data = damaged.store.data_dir
    good = {b.path.name: b.path.read_bytes() for b in list_backups(data)}
    qtbot.waitUntil(lambda: len(_message_boxes()) == 1, timeout=15000)
    [box] = _message_boxes()
    assert str(damaged.store.path) in box.text() and "壊れています" in box.text()
    # The damaged store made no backup, and the good one is as it was.
    assert {b.path.name: b.path.read_bytes() for b in list_backups(data)} == good
    [restore] = [b for b in box.buttons() if b.text() == "バックアップから復元…"]
    restore.click()
    actions = started.backups
    qtbot.waitUntil(lambda: actions.dialog is not None and actions.dialog.isVisible())
    dialog = actions.dialog
    assert dialog is not None
    with qtbot.waitSignal(actions.restored):
        dialog.restore_button.click()
    assert _titles(damaged) == ["無事な記録"]


def test_before_any_window_the_newest_backup_is_offered(qtbot: QtBot, tmp_path: Path) -> None:
    data = tmp_path / "data"
    workspace = open_workspace(data)
    _visit(workspace, "戻るはずの記録")
    take_backup(workspace.store)
    workspace.close()
    (data / DATABASE_NAME).write_bytes(b"")

    def answer() -> None:
        [box] = _message_boxes()
        assert "最新のバックアップ" in box.text()
        [restore] = [b for b in box.buttons() if b.text() == "最新のバックアップから復元"]
        restore.click()

    QTimer.singleShot(0, answer)
    restored = restore_at_start(None, data, "読めません")
    assert restored is not None and restored.kept_aside is not None
    assert restored.kept_aside.read_bytes() == b""
    workspace = open_workspace(data)
    try:
        assert _titles(workspace) == ["戻るはずの記録"]
    finally:
        workspace.close()


def test_automatic_backups_wait_for_the_passphrase_then_are_encrypted(
    qtbot: QtBot, workspace: Workspace, tmp_path: Path
) -> None:
    register_bundled_font()
    win = MainWindow(
        workspace, title="DX Desk", settings_file=tmp_path / "ui.ini", automatic_backups=True
    )
    qtbot.addWidget(win)
    win.show()
    actions = win.backups
    try:
        qtbot.waitUntil(
            lambda: actions.passphrase_dialog is not None and actions.passphrase_dialog.isVisible(),
            timeout=15000,
        )
        assert list_backups(workspace.store.data_dir) == []  # no plaintext copy meanwhile
        dialog = actions.passphrase_dialog
        assert dialog is not None
        dialog.first.setText("和歌山の青い海2026")
        dialog.second.setText("和歌山の青い海2026")
        dialog.ok.click()
        qtbot.waitUntil(lambda: dialog.noted.isVisible(), timeout=15000)
        assert len(dialog.code.text()) == 29 and not dialog.ok.isEnabled()
        dialog.noted.setChecked(True)
        with qtbot.waitSignal(actions.backed_up, timeout=15000) as made:
            dialog.ok.click()
        assert made.args[0].encrypted
    finally:
        win.close()
        win.runner.wait_idle()
        win.runner.shutdown()
