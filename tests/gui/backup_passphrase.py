"""Tests' way to the window's backup key: a backup passphrase chosen at a low scrypt cost, then
given to the window as a person does where no keychain exists, or kept in the keychain where
one is (CI runs the tests under one)."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from dxdesk.models import backup_keys
from dxdesk.models.backup_crypto import KdfCost
from dxdesk.ui.main_window import MainWindow

PASSPHRASE = "和歌山の青い海2026"
TEST_COST = KdfCost(n=2**10)  # production's cost is measured in backup_crypto.py


def give_backup_passphrase(window: MainWindow, qtbot: QtBot, data_dir: Path) -> None:
    """Choose the passphrase for the window's data folder; without a keychain, type it into the
    window's own dialog (バックアップを作成… asks it once per session)."""
    actions = window.backups
    if backup_keys.set_up(data_dir, PASSPHRASE, cost=TEST_COST).in_keychain:
        return  # a keychain (CI's) holds the key: the window asks nothing
    ready: list[bool] = []
    actions.when_ready(lambda: ready.append(True))
    qtbot.waitUntil(lambda: actions.secret_dialog is not None and actions.secret_dialog.isVisible())
    dialog = actions.secret_dialog
    assert dialog is not None
    dialog.secret.setText(PASSPHRASE)
    dialog.ok.click()
    qtbot.waitUntil(lambda: ready == [True])
    assert actions.key is not None
