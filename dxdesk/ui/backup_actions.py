"""Automatic backups and ファイル → バックアップから復元… (issue 17, finding 9).

The backups themselves are models/backups.py; this only runs them on the store's worker (the
window never waits for a copy) and shows what came of them. A backup at start reads every page
of the store: a store damaged past its header is found there, and the window says so and offers
the restore.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QMainWindow,
    QMenu,
    QMessageBox,
)

from dxdesk.domain.changes import Changes, Source
from dxdesk.domain.progress import Progress
from dxdesk.models import backup_keys
from dxdesk.models.backup_crypto import BackupKey
from dxdesk.models.backups import (
    BACKUP_INTERVAL,
    Backup,
    Restored,
    check_store,
    copy_with_files,
    list_backups,
    restore_into,
    take_backup,
)
from dxdesk.models.store import Store, StoreUnreadable, is_unreadable_error
from dxdesk.ui.backup_passphrase_dialog import PassphraseDialog
from dxdesk.ui.backup_restore_dialog import RestoreDialog
from dxdesk.ui.backup_secret_dialog import SecretDialog
from dxdesk.ui.backup_start import restore_at_start as restore_at_start  # app.py, tests
from dxdesk.ui.backup_start import taken_of
from dxdesk.ui.runner import StoreRunner

START_BACKUP_DELAY_MS = 2000  # after the window's first data is on screen, not during it


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
        self.secret_dialog: SecretDialog | None = None
        self._then: Callable[[], None] | None = None  # a copy by hand waiting for the key
        self.unsent_box: QMessageBox | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(int(BACKUP_INTERVAL.total_seconds() * 1000))
        self.timer.timeout.connect(self._after_interval)

    def add_to_menu(self, menu: QMenu) -> None:
        self.restore_action = menu.addAction(self.tr("バックアップから復元(&R)…"))
        self.restore_action.triggered.connect(self.open_restore)
        self.passphrase_action = menu.addAction(self.tr("バックアップの合言葉を設定(&K)…"))
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
        dialog.rejected.connect(self._passphrase_cancelled)
        self.passphrase_dialog = dialog
        dialog.open()

    def _passphrase_set(self, dialog: PassphraseDialog) -> None:
        self._key_given(dialog.key)

    @property
    def key(self) -> BackupKey | None:
        """This session's key where no keychain holds it (None: the keychain's is used)."""
        return self._key

    def use_key(self, key: BackupKey) -> None:
        """This session's key from a caller that already holds it (a script, the bench), as
        if the person had typed the passphrase."""
        self._key = key

    def when_ready(self, then: Callable[[], None]) -> None:
        """バックアップを作成…: a copy that leaves the laptop is never plaintext. Before a
        passphrase is chosen its dialog comes first; with no keychain, this session's
        passphrase; ``then`` runs once the key is there (never, if the person cancels)."""
        self._then = then
        if not backup_keys.is_set_up(self._store.data_dir):
            self.open_passphrase()
        elif self._key is not None:
            self._key_ready()
        else:
            self._runner.run(
                lambda: backup_keys.saved_key(self._store.data_dir),
                on_done=lambda saved: self._key_ready() if saved else self._ask_passphrase(),
            )

    def copy_by_hand(self, target: Path, progress: Progress) -> Path:
        """On the store's worker: the copy at ``target``, encrypted (with this session's key,
        else the keychain's); refused before a passphrase is chosen, never plaintext."""
        if not backup_keys.is_set_up(self._store.data_dir):
            raise backup_keys.NotSetUp(backup_keys.NOT_SET_UP_MESSAGE)
        return copy_with_files(self._store, target, progress=progress, key=self._key)

    def _key_ready(self) -> None:
        then, self._then = self._then, None
        if then is not None:
            then()

    def _ask_passphrase(self, problem: str = "") -> None:
        """No keychain: the passphrase once per session, its key kept in memory only; a wrong
        one says so and asks again."""
        dialog = SecretDialog(
            self._window,
            self.tr("この端末にはキーチェーンがありません。バックアップの合言葉を入力してください"),
            problem,
        )
        dialog.accepted.connect(lambda: self._check_passphrase(dialog.text()))
        dialog.rejected.connect(self._passphrase_cancelled)
        self.secret_dialog = dialog
        dialog.open()

    def _check_passphrase(self, passphrase: str) -> None:
        self._runner.run(
            lambda: backup_keys.key_for_backup(self._store.data_dir, passphrase=passphrase),
            on_done=self._key_given,
            on_error=self._passphrase_refused,
        )

    def _key_given(self, key: BackupKey | None) -> None:
        self._key = key
        self._key_ready()
        if self.timer.isActive():  # the automatic backups waited for this key
            self.back_up_now()

    def _passphrase_refused(self, error: BaseException) -> None:
        if isinstance(error, backup_keys.BackupKeyError):
            self._ask_passphrase(str(error))
        else:
            self._backup_failed(error)

    def _passphrase_cancelled(self) -> None:
        if self._then is not None:
            self._then = None
            self._window.statusBar().showMessage(
                self.tr(
                    "バックアップを作りませんでした（暗号化にはバックアップの合言葉が要ります）"
                ),
                15000,
            )

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
            ).format(taken=taken_of(restored.backup), aside=restored.kept_aside or "-"),
            30000,
        )

    def _restore_failed(self, error: BaseException) -> None:
        self._restoring = False
        QMessageBox.warning(self._window, self.tr("バックアップから復元"), str(error))
