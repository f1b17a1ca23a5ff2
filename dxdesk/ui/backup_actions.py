"""Automatic backups and ファイル → バックアップから復元… (issue 17, finding 9).

The backups themselves are models/backups.py; this only runs them on the store's worker (the
window never waits for a copy) and shows what came of them. A backup at start reads every page
of the store: a store damaged past its header is found there, and the window says so and offers
the restore.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QInputDialog,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from dxdesk.domain.changes import Changes, Source
from dxdesk.models import backup_keys
from dxdesk.models.backup_crypto import BackupKey
from dxdesk.models.backups import (
    BACKUP_INTERVAL,
    Backup,
    BackupRefused,
    Restored,
    check_store,
    list_backups,
    restore_backup,
    restore_into,
    take_backup,
    taken_at,
)
from dxdesk.models.store import Store, StoreUnreadable, is_unreadable_error
from dxdesk.ui.backup_passphrase_dialog import PassphraseDialog
from dxdesk.ui.format import QT_TRANSLATE_NOOP
from dxdesk.ui.message_label import message_label
from dxdesk.ui.overview_panel import make_table_view
from dxdesk.ui.runner import StoreRunner
from dxdesk.ui.table_model import ID_ROLE, Column, RecordTableModel

START_BACKUP_DELAY_MS = 2000  # after the window's first data is on screen, not during it

BACKUP_COLUMNS = (
    Column("taken", QT_TRANSLATE_NOOP("Column", "作成日時")),
    Column("size", QT_TRANSLATE_NOOP("Column", "大きさ"), align_right=True),
)


def _taken_text(backup: Backup) -> str:
    return _taken_of(backup.path)


def _row(backup: Backup) -> dict[str, Any]:
    return {
        "id": str(backup.path),
        "taken": _taken_text(backup),
        "size": f"{backup.size / 1_000_000:.1f} MB",
    }


class RestoreDialog(QDialog):
    """The backups, newest first and chosen; 復元 puts the chosen one in place."""

    def __init__(self, parent: QWidget, backups: list[Backup]) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("バックアップから復元"))
        self.explanation = message_label(
            self.tr(
                "戻す時点を選んでください。今の記録は別の名前でデータフォルダに残します。\n"
                "復元のあと同期すると、サーバーにあるそれより新しい記録も戻ります。"
            )
        )
        self.model = RecordTableModel(BACKUP_COLUMNS, parent=self)
        self.model.set_records([_row(b) for b in backups])
        self.view = make_table_view(
            self.model, self.tr("バックアップの一覧"), sort_column=0, descending=True
        )
        self.view.setSelectionMode(self.view.SelectionMode.SingleSelection)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.restore_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.restore_button.setText(self.tr("復元"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("キャンセル"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addWidget(self.view)
        layout.addWidget(self.buttons)
        self.resize(520, 320)
        self.view.selectRow(0)
        self.view.selectionModel().selectionChanged.connect(self._chosen_changed)
        self._chosen_changed()

    def _chosen_changed(self, *_args: object) -> None:
        self.restore_button.setEnabled(self.chosen() is not None)

    def chosen(self) -> Path | None:
        rows = self.view.selectionModel().selectedRows()
        return Path(rows[0].data(ID_ROLE)) if rows else None


class BackupActions(QObject):
    """The window's backups: at start, after each BACKUP_INTERVAL with writes, and restoring."""

    backed_up = Signal(object)  # the Backup made
    restored = Signal(object)  # Restored, once the restored store is open

    def __init__(
        self,
        window: QMainWindow,
        store: Store,
        runner: StoreRunner,
        *,
        flush: Callable[[], None],
        sync_busy: Callable[[], bool],
        sync_now: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._store = store
        self._runner = runner
        self._flush = flush
        self._sync_busy = sync_busy
        self._sync_now = sync_now
        self._edited = False
        self._restoring = False
        self._damaged = False  # the store was found unreadable: nothing in it to ask about
        self.dialog: RestoreDialog | None = None
        self.passphrase_dialog: PassphraseDialog | None = None
        self._asked = False  # the passphrase dialog was offered in this session
        self._key: BackupKey | None = None  # this session's key, where no keychain holds it
        self.unsent_box: QMessageBox | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(int(BACKUP_INTERVAL.total_seconds() * 1000))
        self.timer.timeout.connect(self._after_interval)

    def add_to_menu(self, menu: QMenu) -> None:
        self.restore_action = menu.addAction(self.tr("バックアップから復元(&R)…"))
        self.restore_action.triggered.connect(self.open_restore)
        self.passphrase_action = menu.addAction(self.tr("バックアップの合言葉を設定(&P)…"))
        self.passphrase_action.triggered.connect(self.open_passphrase)

    # -- automatic backups -------------------------------------------------------------------

    def start_automatic(self) -> None:
        """A backup shortly after start, then one per interval in which something was written."""
        self._runner.changed.connect(self._noted_write)
        QTimer.singleShot(START_BACKUP_DELAY_MS, self, self.back_up_now)
        self.timer.start()

    def _noted_write(self, changes: Changes) -> None:
        if changes.kinds:  # a write, not an event such as a login
            self._edited = True

    def _after_interval(self) -> None:
        if self._edited:
            self.back_up_now()

    def back_up_now(self) -> None:
        if self._restoring:
            return
        self._edited = False
        self._runner.run(
            self._backup_or_check, on_done=self._backup_done, on_error=self._backup_failed
        )

    def _backup_or_check(self) -> Backup | None:
        """Before a passphrase is chosen, automatic backups wait (no plaintext copy is made):
        the store's pages are still read, so damage is found at start."""
        if not backup_keys.is_set_up(self._store.data_dir):
            check_store(self._store)
            return None
        return take_backup(self._store, key=self._key)

    def _backup_done(self, backup: Backup | None) -> None:
        if backup is not None:
            self.backed_up.emit(backup)
            return
        self._window.statusBar().showMessage(
            self.tr(
                "自動バックアップは、バックアップの合言葉を決めるまで止まっています"
                "（ファイル → バックアップの合言葉を設定…）"
            ),
            15000,
        )
        if not self._asked:
            self._asked = True
            self.open_passphrase()

    def open_passphrase(self) -> None:
        if backup_keys.is_set_up(self._store.data_dir):
            QMessageBox.information(
                self._window,
                self.tr("バックアップの合言葉"),
                self.tr("バックアップの合言葉はもう決まっています"),
            )
            return
        dialog = PassphraseDialog(self._window, self._store.data_dir, self._runner)
        dialog.accepted.connect(lambda: self._passphrase_set(dialog))
        self.passphrase_dialog = dialog
        dialog.open()

    def _passphrase_set(self, dialog: PassphraseDialog) -> None:
        self._key = dialog.key
        self.back_up_now()

    def _ask_passphrase(self) -> None:
        """No keychain: the passphrase once per session, its key kept in memory only."""
        passphrase, given = QInputDialog.getText(
            self._window,
            self.tr("バックアップの合言葉"),
            self.tr("この端末にはキーチェーンがありません。バックアップの合言葉を入力してください"),
            QLineEdit.EchoMode.Password,
        )
        if not given:
            return
        self._runner.run(
            lambda: backup_keys.key_for_backup(self._store.data_dir, passphrase=passphrase),
            on_done=self._key_given,
            on_error=self._backup_failed,
        )

    def _key_given(self, key: BackupKey) -> None:
        self._key = key
        self.back_up_now()

    def _backup_failed(self, error: BaseException) -> None:
        if isinstance(error, StoreUnreadable):
            self._offer_restore_of_damaged(error)
            return
        if isinstance(error, backup_keys.PassphraseNeeded) and not self._asked:
            self._asked = True
            self._ask_passphrase()
            return
        self._window.statusBar().showMessage(
            self.tr("自動バックアップを作れませんでした: {error}").format(error=error), 15000
        )

    def _offer_restore_of_damaged(self, error: StoreUnreadable) -> None:
        self._damaged = True
        box = QMessageBox(self._window)
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle(self.tr("記録が壊れています"))
        box.setText(
            self.tr(
                "データフォルダの記録 {path} の一部が読めません（壊れています）。\n"
                "それまでのバックアップはそのまま残してあります。"
                "バックアップから復元してください。"
            ).format(path=error.path)
        )
        restore = box.addButton(self.tr("バックアップから復元…"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("閉じる"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(restore)
        box.buttonClicked.connect(lambda button: self.open_restore() if button is restore else None)
        self.damaged_box = box
        box.open()

    # -- restoring ---------------------------------------------------------------------------

    def open_restore(self) -> None:
        self._runner.run(lambda: list_backups(self._store.data_dir), on_done=self._choose)

    def _choose(self, backups: list[Backup]) -> None:
        if not backups:
            QMessageBox.information(
                self._window,
                self.tr("バックアップから復元"),
                self.tr("バックアップはまだありません（DX Desk を開くと作られます）"),
            )
            return
        dialog = RestoreDialog(self._window, backups)
        dialog.accepted.connect(lambda: self._chosen(dialog))
        self.dialog = dialog
        dialog.open()

    def _chosen(self, dialog: RestoreDialog) -> None:
        backup = dialog.chosen()
        if backup is not None:
            self.restore(backup)

    def restore(self, backup: Path) -> None:
        """Put ``backup`` in place of the store, on the store's worker (after every queued
        write: editors are flushed first, into the store that is kept aside).

        Changes not yet sent would leave the app with the store kept aside (which it cannot
        read back): their count is asked for first, on the same worker after the flush, and
        the person chooses to sync first or to restore anyway. A store found unreadable has
        nothing to ask about."""
        title = self.tr("バックアップから復元")
        if self._sync_busy():
            QMessageBox.warning(
                self._window, title, self.tr("同期が終わってから、もう一度復元してください")
            )
            return
        self._flush()
        if self._damaged:
            self._restore_now(backup)
            return
        self._runner.run(
            self._store.pending_record_count,
            on_done=lambda count: self._ask_about_unsent(backup, count),
            on_error=lambda error: self._count_failed(backup, error),
        )

    def _count_failed(self, backup: Path, error: BaseException) -> None:
        if isinstance(error, StoreUnreadable) or is_unreadable_error(error):
            self._restore_now(backup)  # the store cannot be read: nothing in it to lose
        else:
            self._restore_failed(error)

    def _ask_about_unsent(self, backup: Path, count: int) -> None:
        if count == 0:
            self._restore_now(backup)
            return
        box = QMessageBox(self._window)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("バックアップから復元"))
        box.setText(
            self.tr(
                "まだ同期していない変更が {count} 件の記録にあります。\n"
                "今復元すると、それらはアプリから消え、データフォルダに残す"
                "dxdesk-before-restore-….sqlite3（アプリからは開けません）にだけ残ります。\n"
                "先に同期しておけば、復元のあとの同期でサーバーから戻ります。"
            ).format(count=count)
        )
        anyway = box.addButton(self.tr("それでも復元する"), QMessageBox.ButtonRole.DestructiveRole)
        first = None
        if self._sync_now is not None:
            first = box.addButton(self.tr("先に同期する"), QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(self.tr("キャンセル"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(first or cancel)
        sync_now = self._sync_now

        def answered(button: object) -> None:
            if button is anyway:
                self._restore_now(backup)
            elif button is first and sync_now is not None:
                sync_now()

        box.buttonClicked.connect(answered)
        self.unsent_box = box
        box.open()

    def _restore_now(self, backup: Path) -> None:
        if self._sync_busy():  # started while the person was deciding
            QMessageBox.warning(
                self._window,
                self.tr("バックアップから復元"),
                self.tr("同期が終わってから、もう一度復元してください"),
            )
            return
        self._flush()  # anything typed while the question was open
        self._restoring = True
        self._runner.run(
            lambda: restore_into(self._store, str(backup), key=self._key),
            on_done=self._restored,
            on_error=self._restore_failed,
        )

    def restored_at_start(self, restored: Restored) -> None:
        """Say what the start's restore did (restore_at_start, before the window)."""
        self._tell_restored(restored)

    def _restored(self, restored: Restored) -> None:
        self._restoring = False
        self._edited = False
        self._tell_restored(restored)
        # Another store under the window: every panel reads again (its search index came with
        # it, as it was at the backup).
        self._runner.announce(Changes(source=Source.RESTORE, everything=True))
        self.restored.emit(restored)

    def _tell_restored(self, restored: Restored) -> None:
        self._window.statusBar().showMessage(
            self.tr(
                "{taken} のバックアップから戻しました（それまでの記録は {aside}）。"
                "同期すると、サーバーにある新しい記録も戻ります"
            ).format(taken=_taken_of(restored.backup), aside=restored.kept_aside or "-"),
            30000,
        )

    def _restore_failed(self, error: BaseException) -> None:
        self._restoring = False
        QMessageBox.warning(self._window, self.tr("バックアップから復元"), str(error))


def _taken_of(path: Path) -> str:
    taken = taken_at(path)
    return path.name if taken is None else taken.astimezone().strftime("%Y-%m-%d %H:%M")


def restore_at_start(parent: QWidget | None, data_dir: Path, message: str) -> Restored | None:
    """Before any window, on a store that cannot be read: the message, and the newest backup
    that is whole offered right there. None when there is none or the person declines."""
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
        ).format(taken=_taken_text(newest))
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
    for backup in backups:  # the newest that is whole
        try:
            return restore_backup(data_dir, str(backup.path))
        except BackupRefused as exc:
            refusal = str(exc)
    QMessageBox.critical(parent, title, refusal)
    return None
