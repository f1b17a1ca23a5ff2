"""One sync on the network worker, with progress and 中止 (the LongTask pattern).

A sync started by the user shows a progress dialog (after a short delay, so a quick sync does
not flash one); a background sync shows none. 中止 sets the token the engine checks between
pages and pushes, and between the chunks of a file; what was stored before that stays stored,
and the next sync resumes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from dxdesk.domain.changes import Changes
from dxdesk.domain.progress import Cancelled, CancelToken, Progress
from dxdesk.services.workspace import Workspace
from dxdesk.sync.engine import SyncSummary, telling_records_done
from dxdesk.ui.long_task import SHOW_AFTER_MS
from dxdesk.ui.runner import StoreRunner

SyncWork = Callable[[Progress, CancelToken], Any]


class _Relay(QObject):
    progressed = Signal(int, int)


class SyncTask(QObject):
    finished = Signal(object)  # the work's result
    failed = Signal(object)  # the exception (a SyncError's message is for the user)
    cancelled = Signal()
    progressed = Signal(int)  # records received so far

    def __init__(
        self, parent: QWidget, runner: StoreRunner, work: SyncWork, *, with_dialog: bool
    ) -> None:
        super().__init__(parent)
        self.token = CancelToken()
        self._relay = _Relay()
        self._relay.progressed.connect(self._progressed)
        self._runner = runner
        self._work = work
        self.dialog: QProgressDialog | None = None
        if with_dialog:
            title = self.tr("同期")
            dialog = QProgressDialog(
                self.tr("サーバーと同期しています…"), self.tr("中止"), 0, 0, parent
            )
            dialog.setWindowTitle(title)
            dialog.setAccessibleName(title)
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(SHOW_AFTER_MS)
            dialog.setAutoReset(False)
            dialog.setAutoClose(False)
            dialog.canceled.connect(self.cancel)
            self.dialog = dialog

    def start(self) -> None:
        if self.dialog is not None:
            self.dialog.setValue(0)
        self._runner.run(self._run, on_done=self._done, on_error=self._error)

    def cancel(self) -> None:
        self.token.cancel()
        if self.dialog is not None:
            self.dialog.setLabelText(self.tr("中止しています…"))

    def _run(self) -> Any:
        def progress(done: int, total: int) -> None:
            self.token.check()
            self._relay.progressed.emit(done, total)

        return self._work(progress, self.token)

    def _progressed(self, done: int, total: int) -> None:
        self.progressed.emit(done)
        if self.dialog is None or self.token.cancelled:
            return
        if total > done:  # more pages to come, their size unknown: keep the bar busy
            self.dialog.setRange(0, 0)
        else:
            self.dialog.setRange(0, max(total, 1))
            self.dialog.setValue(max(total, 1))
        self.dialog.setLabelText(self.tr("受信しています… {n} 件").format(n=done))

    def _close_dialog(self) -> None:
        if self.dialog is not None:
            self.dialog.reset()
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None

    def _done(self, result: Any) -> None:
        self._close_dialog()
        self.finished.emit(result)

    def _error(self, error: BaseException) -> None:
        self._close_dialog()
        if isinstance(error, Cancelled):
            self.cancelled.emit()
        else:
            self.failed.emit(error)


def sync_telling_changes(
    workspace: Workspace, tell: Callable[[Changes], None], sync: Callable[[], SyncSummary]
) -> SyncSummary:
    """Run ``sync`` on this thread, telling what it commits: once its records are stored,
    before its files move, and at the end if the files' part changed more (however it ends)."""
    told: list[Changes] = []
    with workspace.collect_changes() as collector:

        def tell_new(_summary: object = None) -> None:
            written = collector.changes(pending=False)
            if not told or written != told[-1]:
                told.append(written)
                tell(written)

        try:
            with telling_records_done(tell_new):
                return sync()
        finally:
            tell_new()
