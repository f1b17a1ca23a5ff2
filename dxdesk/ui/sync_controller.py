"""The sync part of the window: the actions (同期, ログイン…, ログアウト, 自動同期, the files'
budget), one sync at a time on the network worker, what happens after it, the status bar's
sync widgets, and fetching an attachment's bytes when it is opened (ui/sync_files.py).

Network work runs on its own worker, so the store's worker stays free for saving what the
user types while a sync waits on the server (DESIGN §7); SQLite serialises the two writers.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QSettings, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox

from dxdesk.domain.changes import Changes, Source
from dxdesk.domain.errors import DomainError
from dxdesk.domain.progress import CancelToken, Progress
from dxdesk.models.store import StoreError
from dxdesk.services.workspace import Workspace
from dxdesk.sync import account
from dxdesk.sync.account import SyncTarget
from dxdesk.sync.api_client import LoginRequired, Offline, WipeOrdered
from dxdesk.sync.credentials import NO_KEYCHAIN_MESSAGE, keychain_available
from dxdesk.ui.refusal_text import error_text
from dxdesk.ui.runner import StoreRunner
from dxdesk.ui.sync_conflicts import ConflictDialog
from dxdesk.ui.sync_files import FILES_CHANGED, SyncFiles, files_text
from dxdesk.ui.sync_login import LoginDialog, PasswordDialog
from dxdesk.ui.sync_outcome import SyncOutcome as SyncOutcome  # (tests name it from here)
from dxdesk.ui.sync_outcome import eviction_text
from dxdesk.ui.sync_status import SyncState, SyncStatusWidgets, read_state, server_text
from dxdesk.ui.sync_task import SyncTask, sync_telling_changes

AUTO_SYNC_SETTING = "sync/auto"
AUTO_SYNC_MINUTES = 5
OFFLINE_PAUSE_S = 15 * 60  # after a sync found no server, the background waits this long
MESSAGE_MS = 10_000


class SyncController(QObject):
    task_started = Signal(object)  # the SyncTask, before it runs
    synced = Signal(object)  # the SyncSummary
    resolved = Signal()  # a conflict was settled in the dialog
    # What a sync committed, sent from the network worker when the sync ends however it ends.
    _sync_wrote = Signal(object)
    logged_in = Signal()  # the account's municipalities are known: the window narrows its list
    file_fetched = Signal(str, str)  # attachment id, "" (its bytes are here) or why not
    file_progressed = Signal(str, int, int)  # attachment id, bytes fetched, its size
    # The server ordered this laptop, revoked as lost, wiped: the window erases and closes.
    wipe_ordered = Signal(object)  # the WipeOrdered

    def __init__(
        self,
        window: QMainWindow,
        workspace: Workspace,
        runner: StoreRunner,
        settings: QSettings,
        *,
        before_sync: Callable[[], None],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._ws = workspace
        self._runner = runner
        self._settings = settings
        self._before_sync = before_sync
        self.network = StoreRunner(self)
        self.state: SyncState | None = None
        self.online: bool | None = None  # the last sync's outcome in this session
        self._offline_at: float | None = None
        self.task: SyncTask | None = None
        self._starting = False
        self._deciding = False
        self._closed = False
        self.login_dialog: LoginDialog | None = None
        self.password_dialog: PasswordDialog | None = None
        self.conflict_dialog: ConflictDialog | None = None
        self.notice: QMessageBox | None = None

        self.sync_action = QAction(self.tr("同期(&S)"), self)
        self.sync_action.setShortcut(QKeySequence("Ctrl+S"))
        self.sync_action.setToolTip(self.tr("サーバーと同期する（Ctrl+S）"))
        self.sync_action.triggered.connect(lambda: self.sync_now())
        self.login_action = QAction(self.tr("ログイン(&L)…"), self)
        self.login_action.triggered.connect(lambda: self.open_login())
        self.logout_action = QAction(self.tr("ログアウト"), self)
        self.logout_action.triggered.connect(self.logout)
        self.auto_action = QAction(
            self.tr("自動で同期する（{n} 分ごと）").format(n=AUTO_SYNC_MINUTES), self
        )
        self.auto_action.setCheckable(True)
        self.auto_action.setChecked(bool(settings.value(AUTO_SYNC_SETTING, False, type=bool)))
        self.auto_action.toggled.connect(self._set_auto)
        self.files = SyncFiles(window, workspace, runner)
        self.files.wipe_ordered.connect(self.wipe_ordered.emit)
        self.files.fetched.connect(self.file_fetched)
        self.files.progressed.connect(self.file_progressed)
        self.status = SyncStatusWidgets(self.sync_action)
        self.status.conflicts_clicked.connect(self.open_conflicts)
        self.timer = QTimer(self, interval=AUTO_SYNC_MINUTES * 60_000)
        self.timer.timeout.connect(self.tick)
        self._set_auto(self.auto_action.isChecked())
        # The changes waiting to be sent move with every write; what a sync wrote and a login
        # are told to every panel on the same signal (a settled conflict tells itself: its
        # dialog writes through the store worker).
        runner.changed.connect(self._store_changed)
        self._sync_wrote.connect(self._announce_sync)
        self.logged_in.connect(lambda: runner.announce(Changes(source=Source.LOGIN)))

    def add_to_menu(self, menu: QMenu) -> None:
        for action in (self.sync_action, self.login_action, self.logout_action, self.auto_action):
            menu.addAction(action)
        menu.addAction(self.files.budget_action)

    def fetch_file(self, attachment_id: str) -> None:
        """Bring an attachment's bytes here off the UI thread; told on ``file_fetched``."""
        self.files.fetch(attachment_id)

    def cancel_fetch(self, attachment_id: str) -> None:
        """中止 of that fetch: told on ``file_fetched`` with why."""
        self.files.cancel(attachment_id)

    @property
    def busy(self) -> bool:
        return self.task is not None or self._starting

    # -- the status bar --------------------------------------------------------------------

    def _store_changed(self, changes: Changes) -> None:
        if changes.kinds or changes.store_replaced:
            self.refresh_status()

    def _announce_sync(self, written: Changes) -> None:
        """What the sync stored, done, cancelled or failed (pages are committed as they come):
        told once it ends, as come from the server. Told even when it stored no record: the
        assigned municipalities may have changed."""
        self._runner.announce(written.from_source(Source.SYNC))

    def refresh_status(self, then: Callable[[], None] | None = None) -> None:
        def shown(state: SyncState) -> None:
            self.show_state(state)
            if then is not None:
                then()

        self._runner.run(lambda: read_state(self._ws.store), on_done=shown)

    def show_state(self, state: SyncState) -> None:
        self.state = state
        self.status.show_state(state, online=self.online, busy=self.busy)
        for action in (self.sync_action, self.login_action):
            action.setEnabled(not self.busy)
        self.logout_action.setEnabled(state.target is not None and not self.busy)

    def _target(self) -> SyncTarget | None:
        return None if self.state is None else self.state.target

    def _message(self, text: str) -> None:
        self._window.statusBar().showMessage(text, MESSAGE_MS)

    def _show_notice(self, title: str, text: str, *, warning: bool = False) -> None:
        """A message that does not block: the window goes on working behind it."""
        icon = QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Information
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self._window)
        box.open()
        self.notice = box

    # -- syncing ---------------------------------------------------------------------------

    def sync_now(self, *, background: bool = False) -> None:
        """Read where to sync (a login may have just been stored), then sync or ask first."""
        if self.busy or self._closed or self._deciding:
            return
        self._deciding = True

        def decide() -> None:
            self._deciding = False
            self._sync_with_state(background)

        self.refresh_status(decide)

    def _sync_with_state(self, background: bool) -> None:
        if self.busy or self._closed:
            return
        target = self._target()
        if target is None:
            if not background:
                self.open_login(
                    self.tr("同期するには、まず同期サーバーにログインしてください。"),
                    then_sync=True,
                )
        elif keychain_available():
            self._start(None, background=background)
        elif not background:
            self._ask_password(target)

    def _ask_password(self, target: SyncTarget, message: str = "") -> None:
        if self.password_dialog is not None:
            self.password_dialog.deleteLater()
        dialog = PasswordDialog(self._window, target, message=message)
        dialog.password_given.connect(lambda password: self._start(password, background=False))
        self.password_dialog = dialog
        dialog.open()

    def _start(self, password: str | None, *, background: bool) -> None:
        if self.busy:
            return
        self._starting = True
        self._before_sync()
        if self.state is not None:
            self.show_state(self.state)
        # The saves just queued reach the store before the sync reads what to push.
        self._runner.run(lambda: None, on_done=lambda _r: self._launch(password, background))

    def _launch(self, password: str | None, background: bool) -> None:
        def work(progress: Progress, cancel: CancelToken) -> SyncOutcome:
            store = self._ws.store
            # What this sync commits on the network worker, its own (not the store worker's).
            summary = sync_telling_changes(
                self._ws,
                self._sync_wrote.emit,
                # The search indexer reads the text of the files received, on its own thread.
                lambda: account.run_sync(
                    store,
                    password=password,
                    progress=progress,
                    cancel=cancel,
                    extract_text=False,
                ),
            )
            codes = [*summary.evicted, *summary.kept]
            return SyncOutcome(summary, {code: self._name(code) for code in codes})

        task = SyncTask(self._window, self.network, work, with_dialog=not background)
        task.finished.connect(lambda outcome: self._finished(outcome, background))
        task.failed.connect(lambda error: self._failed(error, password is not None, background))
        task.cancelled.connect(self._cancelled)
        self.task = task
        self._starting = False
        self.task_started.emit(task)
        task.start()

    def _idle(self) -> None:
        """The sync is over: the actions work again at once, before the status is read anew."""
        self.task = None
        if self.state is not None:
            self.show_state(self.state)

    def _name(self, code: str) -> str:
        try:
            return str(self._ws.municipalities.get(code)["name"])
        except (StoreError, DomainError):
            return code

    def _finished(self, outcome: SyncOutcome, background: bool) -> None:
        self._idle()
        self.online, self._offline_at = True, None
        summary = outcome.summary
        if summary.files_received:  # (bytes alone: no record said so; told before the line
            self._runner.announce(FILES_CHANGED)  # below, which the search's would cover)
        done = self.tr("同期しました（送信 {pushed} 件、受信 {pulled} 件、競合 {conflicts} 件）")
        self._message(
            done.format(pushed=summary.pushed, pulled=summary.pulled, conflicts=summary.conflicts)
            + files_text(summary)
        )
        if summary.evicted or summary.kept:
            self._show_notice(self.tr("担当市町村の変更"), self.eviction_text(outcome))
        self.refresh_status()
        self.synced.emit(summary)
        if self.conflict_dialog is not None and self.conflict_dialog.isVisible():
            self.conflict_dialog.reload()

    def eviction_text(self, outcome: SyncOutcome) -> str:
        return eviction_text(outcome)

    def _failed(self, error: BaseException, with_password: bool, background: bool) -> None:
        self._idle()
        if isinstance(error, WipeOrdered):
            self.wipe_ordered.emit(error)
            return
        message = error_text(error)
        if isinstance(error, Offline):
            self.online, self._offline_at = False, time.monotonic()
        target = self._target()
        kept = self.tr("端末内の変更はそのまま残っています（次の同期で送ります）。")
        if background:
            self._message(self.tr("自動同期できませんでした: {error}").format(error=message))
        elif isinstance(error, LoginRequired) and target is not None:
            if with_password:  # no keychain: the password for this sync was refused
                self._ask_password(target, message)
            else:  # the device token was revoked or has expired
                self.open_login(f"{message}\n{kept}", then_sync=True)
        else:
            self._show_notice(self.tr("同期できませんでした"), f"{message}\n\n{kept}", warning=True)
        self.refresh_status()

    def _cancelled(self) -> None:
        self._idle()
        self._message(self.tr("同期を中止しました（受け取った分は保存済みです）"))
        self.refresh_status()

    def tick(self) -> None:
        """The background sync: only when idle, logged in with a keychain, not just offline."""
        dialogs = (self.login_dialog, self.password_dialog)
        if self.busy or any(d is not None and d.isVisible() for d in dialogs):
            return
        if self._target() is None or not keychain_available():
            return
        if self._offline_at is not None and time.monotonic() - self._offline_at < OFFLINE_PAUSE_S:
            return
        self.sync_now(background=True)

    def _set_auto(self, on: bool) -> None:
        self._settings.setValue(AUTO_SYNC_SETTING, on)
        if on:
            self.timer.start()
        else:
            self.timer.stop()

    # -- logging in and out ----------------------------------------------------------------

    def open_login(self, message: str = "", *, then_sync: bool = False) -> None:
        if self.login_dialog is not None and self.login_dialog.isVisible():
            self.login_dialog.raise_()
            return
        if self.login_dialog is not None:
            self.login_dialog.deleteLater()
        dialog = LoginDialog(
            self._window, self.network, self._ws.store, target=self._target(), message=message
        )
        dialog.logged_in.connect(lambda server, kept: self._logged_in(server, kept, then_sync))
        dialog.wipe_ordered.connect(self.wipe_ordered.emit)
        self.login_dialog = dialog
        dialog.open()

    def _logged_in(self, server: str, kept: bool, then_sync: bool) -> None:
        self.online = True
        self._message(self.tr("ログインしました"))
        if not kept:
            # (Named from the login itself: the status this window knows is from before it.)
            self._show_notice(
                self.tr("ログイン"),
                self.tr("{server} に接続できました。").format(server=server_text(server))
                + "\n"
                + NO_KEYCHAIN_MESSAGE,
            )
        self.logged_in.emit()
        self.refresh_status(self.sync_now if kept and then_sync else None)

    def logout(self) -> None:
        self.network.run(
            lambda: account.logout(self._ws.store),
            on_done=self._logged_out,
            on_error=lambda error: self._show_notice(
                self.tr("ログアウト"), error_text(error), warning=True
            ),
        )

    def _logged_out(self, told: bool) -> None:
        self.online = None
        if told:
            self._message(self.tr("ログアウトしました"))
        else:
            self._show_notice(
                self.tr("ログアウト"),
                self.tr(
                    "この端末のログイン情報は消しました。サーバーに接続できなかったため、"
                    "端末の登録の取り消しは管理者に依頼してください。"
                ),
            )
        self.refresh_status()

    # -- conflicts -------------------------------------------------------------------------

    def open_conflicts(self) -> ConflictDialog:
        dialog = self.conflict_dialog
        if dialog is None or not dialog.isVisible():
            target = self._target()
            me = target.user if target else self.tr("自分")
            if dialog is not None:
                dialog.deleteLater()
            dialog = ConflictDialog(self._window, self._ws, self._runner, me=me)
            dialog.resolved.connect(self._conflict_resolved)
            self.conflict_dialog = dialog
        dialog.reload()
        dialog.show()
        dialog.raise_()
        return dialog

    def _conflict_resolved(self) -> None:
        self.refresh_status()
        self.resolved.emit()

    def shutdown(self) -> None:
        """Stop a running sync at its next step and wait for the network worker."""
        if self._closed:
            return
        self._closed = True
        self.timer.stop()
        if self.task is not None:
            self.task.token.cancel()
        self.files.shutdown()
        self.network.shutdown()
