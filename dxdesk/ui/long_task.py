"""Long work (a backup, later an import or a batch of reports) with a progress dialog and Cancel.

The work runs on the store's worker thread and reports (done, total) through a queued signal;
Cancel sets a token the work checks at its next step, and the work then raises ``Cancelled``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from dxdesk.domain.progress import Cancelled, CancelToken, Progress
from dxdesk.ui.runner import StoreRunner

PERMILLE = 1000
SHOW_AFTER_MS = 400  # quick work finishes without a dialog flashing up


class _Relay(QObject):
    progressed = Signal(int, int)


class LongTask(QObject):
    finished = Signal(object)  # the work's result
    failed = Signal(str)  # a message for the user
    cancelled = Signal()
    progressed = Signal(int)  # permille done, as the dialog shows it

    def __init__(
        self,
        parent: QWidget,
        runner: StoreRunner,
        *,
        title: str,
        label: str,
        work: Callable[[Progress], Any],
    ) -> None:
        super().__init__(parent)
        self.token = CancelToken()
        self._relay = _Relay()
        self.dialog = QProgressDialog(label, self.tr("中止"), 0, PERMILLE, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(SHOW_AFTER_MS)
        self.dialog.setAutoReset(False)
        self.dialog.setAccessibleName(title)
        self.dialog.canceled.connect(self.token.cancel)
        self._relay.progressed.connect(self._progressed)
        self._work = work
        self._runner = runner
        self._shown = 0  # permille

    def start(self) -> None:
        self.dialog.setValue(0)
        self._runner.run(self._run, on_done=self._done, on_error=self._error)

    def _run(self) -> Any:
        def progress(done: int, total: int) -> None:
            self.token.check()
            self._relay.progressed.emit(done, total)

        return self._work(progress)

    def _progressed(self, done: int, total: int) -> None:
        # A modal dialog's setValue turns the event loop, which can deliver the next report
        # inside this call: tell the step before showing it, and never show a step back.
        permille = round(done * PERMILLE / total) if total else 0
        if self.dialog.wasCanceled() or permille <= self._shown:
            return
        self._shown = permille
        self.progressed.emit(permille)
        self.dialog.setValue(permille)

    def _done(self, result: Any) -> None:
        self.dialog.reset()
        self.dialog.close()
        self.finished.emit(result)

    def _error(self, error: BaseException) -> None:
        self.dialog.reset()
        self.dialog.close()
        if isinstance(error, Cancelled):
            self.cancelled.emit()
        else:
            self.failed.emit(str(error))
