"""The restore offered before any window, on a store that cannot be read (issue 17, finding 9),
with the passphrase or recovery code asked when the newest backup is encrypted and this laptop's
keychain has not its key (issue 23)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from dxdesk.models.backup_crypto import BackupKey
from dxdesk.models.backups import (
    BackupRefused,
    Restored,
    SecretNeeded,
    WrongPassphrase,
    list_backups,
    restore_backup,
    taken_at,
    unlock,
)
from dxdesk.models.store import StoreError
from dxdesk.ui.backup_secret_dialog import SecretDialog


def taken_of(path: Path) -> str:
    taken = taken_at(path)
    return path.name if taken is None else taken.astimezone().strftime("%Y-%m-%d %H:%M")


class Cancelled(Exception):
    """The person closed the passphrase dialog: nothing is changed."""


def _ask(parent: QWidget | None, problem: str) -> str:
    dialog = SecretDialog(
        parent,
        QCoreApplication.translate(
            "app",
            "このバックアップは暗号化されています。バックアップの合言葉か回復コードを"
            "入力してください。",
        ),
        problem,
    )
    if dialog.exec() != QDialog.DialogCode.Accepted:
        raise Cancelled
    return dialog.text()


def _key_for(
    parent: QWidget | None, data_dir: Path, backup: Path, secret: str | None
) -> tuple[BackupKey | None, str | None]:
    """The key that opens ``backup`` (None: a plaintext one) and the secret that gave it: this
    laptop's own key, the secret typed for a newer backup, or one asked now; a wrong one says so
    and asks again. Cancelled when the person cancels."""
    problem = ""
    while True:
        try:
            return unlock(data_dir, backup, secret), secret
        except SecretNeeded:
            pass
        except WrongPassphrase as exc:
            problem = str(exc)
        secret = _ask(parent, problem)


def restore_at_start(parent: QWidget | None, data_dir: Path, message: str) -> Restored | None:
    """Before any window, on a store that cannot be read: the message, and the newest backup
    that is whole offered right there. None when there is none or the person declines (or
    cancels the passphrase): then nothing has changed."""
    title = "DX Desk"
    backups = list_backups(data_dir)
    if not backups:
        QMessageBox.critical(parent, title, message)
        return None
    newest = backups[0]
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(title)
    box.setText(
        message
        + "\n\n"
        + QCoreApplication.translate(
            "app", "最新のバックアップ（{taken}）から戻せます。今のファイルは別の名前で残します。"
        ).format(taken=taken_of(newest.path))
    )
    restore = box.addButton(
        QCoreApplication.translate("app", "最新のバックアップから復元"),
        QMessageBox.ButtonRole.AcceptRole,
    )
    box.addButton(QCoreApplication.translate("app", "閉じる"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore)
    box.exec()
    if box.clickedButton() is not restore:
        return None
    refusal = ""
    secret: str | None = None
    for backup in backups:  # the newest that is whole
        try:
            key, secret = _key_for(parent, data_dir, backup.path, secret)
            return restore_backup(data_dir, str(backup.path), key=key)
        except Cancelled:
            return None
        except BackupRefused as exc:
            refusal = str(exc)
        except StoreError as exc:  # not about this backup (the key, the folder): said, once
            QMessageBox.critical(parent, title, str(exc))
            return None
    QMessageBox.critical(parent, title, refusal)
    return None
