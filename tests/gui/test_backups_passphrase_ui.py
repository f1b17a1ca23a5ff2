"""No backup leaves the laptop in plaintext from the window (issue 23): バックアップを作成… asks
for the backup passphrase first and writes an encrypted copy; the restore offered before any
window asks the passphrase or recovery code of an encrypted backup (Cancel changes nothing, a
wrong one says so and asks again). The tests' keychain fails, as on a laptop without one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from dxdesk.models import backup_keys, store_key
from dxdesk.models.backups import restore_backup, take_backup
from dxdesk.models.paths import DATABASE_NAME
from dxdesk.services.workspace import Workspace, open_workspace
from dxdesk.ui.backup_secret_dialog import SecretDialog
from dxdesk.ui.backup_start import restore_at_start
from dxdesk.ui.main_window import MainWindow
from tests.conftest import STORE_PASSPHRASE
from tests.gui.backup_passphrase import PASSPHRASE, TEST_COST

WORD = "ZQXJ持ち出し禁止のことば"


def _visit(workspace: Workspace, notes: str) -> None:
    workspace.engagements.add(
        {"municipality": "302015", "date": "2025-06-12", "title": "訪問", "notes": notes}
    )


def test_the_menu_backup_asks_for_the_passphrase_first_and_writes_no_plaintext(
    qtbot: QtBot,
    window: MainWindow,
    workspace: Workspace,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _visit(workspace, WORD)
    target = tmp_path / "usb" / "copy.dxbackup"
    target.parent.mkdir()
    # Straight to the copy, before a passphrase: refused, nothing written.
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_a: warned.append(text))
    window.backup_to(target)
    qtbot.waitUntil(lambda: len(warned) == 1)
    assert "dxdesk backup-passphrase set" in warned[0]
    assert list(target.parent.iterdir()) == []
    # The menu's way: the passphrase dialog first, then the copy.
    tasks = []
    actions = window.backups
    actions.when_ready(lambda: tasks.append(window.backup_to(target)))
    qtbot.waitUntil(lambda: actions.passphrase_dialog is not None)
    dialog = actions.passphrase_dialog
    assert dialog is not None and dialog.isVisible() and tasks == []
    dialog.first.setText(PASSPHRASE)
    dialog.second.setText(PASSPHRASE)
    dialog.ok.click()
    qtbot.waitUntil(dialog.noted.isVisible, timeout=15000)
    dialog.noted.setChecked(True)
    dialog.ok.click()
    qtbot.waitUntil(lambda: len(tasks) == 1)
    with qtbot.waitSignal(tasks[0].finished, timeout=60_000):
        pass
    assert WORD.encode() not in target.read_bytes()
    assert b"SQLite format 3" not in target.read_bytes()
    restore_backup(tmp_path / "other", str(target), secret=PASSPHRASE)
    other = open_workspace(tmp_path / "other")
    try:
        assert [r["notes"] for r in other.engagements.list_records()] == [WORD]
    finally:
        other.close()


def _when_shown(kind: type[QWidget], act: Callable[[QWidget], None]) -> None:
    """``act`` on the first visible ``kind`` once a modal loop shows it (polled, not timed)."""

    def poll() -> None:
        shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
        if shown:
            act(shown[0])
        else:
            QTimer.singleShot(10, poll)

    QTimer.singleShot(0, poll)


def _restore_newest(box: QWidget) -> None:
    assert isinstance(box, QMessageBox)
    [restore] = [b for b in box.buttons() if b.text() == "最新のバックアップから復元"]
    restore.click()


def test_before_any_window_an_encrypted_backup_asks_its_passphrase(
    qtbot: QtBot, tmp_path: Path, no_keychain: None
) -> None:
    data = tmp_path / "data"
    store_key.unlock(data, STORE_PASSPHRASE)  # no keychain: the store's passphrase, chosen
    workspace = open_workspace(data)
    _visit(workspace, WORD)
    key = backup_keys.set_up(data, PASSPHRASE, cost=TEST_COST).key
    assert take_backup(workspace.store, key=key).encrypted
    workspace.close()
    (data / DATABASE_NAME).write_bytes(b"")

    # Cancel at the passphrase: nothing changes.
    def cancel(dialog: QWidget) -> None:
        assert isinstance(dialog, SecretDialog)
        dialog.cancel.click()

    _when_shown(QMessageBox, _restore_newest)
    _when_shown(SecretDialog, cancel)
    assert restore_at_start(None, data, "読めません") is None
    assert (data / DATABASE_NAME).read_bytes() == b""

    # A wrong one says so and asks again; the right one restores.
    problems: list[str] = []

    def right(dialog: QWidget) -> None:
        assert isinstance(dialog, SecretDialog)
        problems.append(dialog.problem.text())
        dialog.secret.setText(PASSPHRASE)
        dialog.ok.click()

    def wrong(dialog: QWidget) -> None:
        assert isinstance(dialog, SecretDialog)
        dialog.secret.setText("違う合言葉です")
        dialog.ok.click()
        _when_shown(SecretDialog, right)

    _when_shown(QMessageBox, _restore_newest)
    _when_shown(SecretDialog, wrong)
    restored = restore_at_start(None, data, "読めません")
    assert restored is not None
    assert problems and "合言葉または回復コードが違います" in problems[0]
    workspace = open_workspace(data)
    try:
        assert [r["notes"] for r in workspace.engagements.list_records()] == [WORD]
    finally:
        workspace.close()


def test_without_a_keychain_the_window_asks_the_passphrase_once_and_again_when_wrong(
    qtbot: QtBot, window: MainWindow, workspace: Workspace, no_keychain: None
) -> None:
    backup_keys.set_up(workspace.store.data_dir, PASSPHRASE, cost=TEST_COST)
    actions = window.backups
    ready: list[int] = []
    actions.when_ready(lambda: ready.append(1))
    qtbot.waitUntil(lambda: actions.secret_dialog is not None and actions.secret_dialog.isVisible())
    first = actions.secret_dialog
    assert first is not None and not first.ok.isEnabled()  # nothing typed yet
    first.secret.setText("違う合言葉です")
    first.ok.click()
    qtbot.waitUntil(lambda: actions.secret_dialog is not first)
    again = actions.secret_dialog
    assert again is not None and "合言葉または回復コードが違います" in again.problem.text()
    assert ready == [] and actions.key is None
    again.secret.setText(PASSPHRASE)
    again.ok.click()
    qtbot.waitUntil(lambda: ready == [1])
    # Once per session: the next copy goes on without asking.
    actions.when_ready(lambda: ready.append(2))
    assert ready == [1, 2] and actions.secret_dialog is again
