"""An old plaintext store encrypted at the first start of a version that encrypts (issue 23):
opened on a thread of its own while a modal progress dialog shows the bytes written, with
キャンセル, before any window.

The dialog shows at the work's first report (after the key was found), so a passphrase asked
first never follows a flash of it. Reports come to the UI thread through a queued signal; the
thread touches no widget. キャンセル makes the work's next report raise ``Cancelled``: the
plaintext store stays as it was.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QProgressDialog

from dxdesk.domain.progress import CancelToken
from dxdesk.services.workspace import Workspace, open_workspace

PERMILLE = 1000


class _Encrypting(QObject):
    progressed = Signal(int)  # permille written (bytes may pass a C int)
    ended = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.token = CancelToken()
        self.workspace: Workspace | None = None
        self.error: BaseException | None = None
        self.dialog: QProgressDialog | None = None  # made at the first report
        self.progressed.connect(self._show)

    def open(self, data_dir: Path) -> None:
        """On the thread: the store opened (encrypted first), or the error kept."""

        def progress(done: int, total: int) -> None:
            self.token.check()
            self.progressed.emit(done * PERMILLE // total if total else 0)

        try:
            self.workspace = open_workspace(data_dir, progress=progress)
        except BaseException as exc:  # Cancelled, a StoreError: the UI thread raises it
            self.error = exc
        finally:
            self.ended.emit()

    @Slot(int)
    def _show(self, permille: int) -> None:
        if self.dialog is None:
            self.dialog = QProgressDialog(
                self.tr("記録を暗号化しています…"), self.tr("キャンセル"), 0, PERMILLE
            )
            self.dialog.setWindowTitle("DX Desk")
            self.dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
            self.dialog.setAutoClose(False)
            self.dialog.setAutoReset(False)
            self.dialog.setMinimumWidth(420)
            self.dialog.canceled.connect(self.token.cancel)
            self.dialog.show()
        # A modal dialog's setValue turns the event loop, which may deliver the next report
        # inside this call: never a step back, nothing after キャンセル (which hid the dialog).
        if not self.dialog.wasCanceled() and permille > self.dialog.value():
            self.dialog.setValue(permille)


def open_encrypting(data_dir: Path) -> Workspace:
    """The workspace of ``data_dir``, its plaintext store encrypted first with the progress
    shown; raises what opening raises (``Cancelled`` after キャンセル: nothing changed). The
    event loop runs meanwhile."""
    work = _Encrypting()
    loop = QEventLoop()
    work.ended.connect(loop.quit, Qt.ConnectionType.QueuedConnection)
    thread = threading.Thread(
        target=work.open, args=(data_dir,), name="dxdesk-store-encrypting", daemon=True
    )
    thread.start()
    loop.exec()
    thread.join()
    if work.dialog is not None:
        work.dialog.close()
        work.dialog.deleteLater()
    if work.error is not None:
        raise work.error
    assert work.workspace is not None
    return work.workspace
