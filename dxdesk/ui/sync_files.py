"""The window's part in the bytes of attachments: fetching one that a person opens, and the
setting of what a sync brings ahead of time (ファイル → ファイルの事前ダウンロード…).

A fetch runs on its own worker, never the UI thread and not behind a running sync (which may be
busy with gigabytes of files ahead); the same file asked twice is fetched once. The outcome is
told on ``fetched`` (attachment id, "" or the message for the person); a file fetched is also
told on the window's change notice, so every list showing it stops saying 未取得.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow

from dxdesk.domain.changes import Changes, Source
from dxdesk.domain.progress import Cancelled, CancelToken
from dxdesk.services.workspace import Workspace
from dxdesk.sync.api_client import WipeOrdered
from dxdesk.sync.file_fetch import fetch_file
from dxdesk.sync.summary import SyncSummary
from dxdesk.ui.file_budget_dialog import FileBudgetDialog
from dxdesk.ui.refusal_text import error_text
from dxdesk.ui.runner import StoreRunner

# Bytes that came in change no record (no notice of the sync names them): told with this, so
# every list showing those files stops saying 未取得 and shows their thumbnails.
FILES_CHANGED = Changes(kinds=frozenset({"attachment"}), source=Source.SYNC)


def files_text(summary: SyncSummary) -> str:
    """What a sync did with files, after what it did with records ("" when nothing)."""
    if not (summary.files_sent or summary.files_received or summary.files_failed):
        return ""
    text = QCoreApplication.translate("SyncFiles", " ファイル: 送信 {sent} 件、受信 {received} 件")
    text = text.format(sent=summary.files_sent, received=summary.files_received)
    if summary.files_problem:  # this laptop's side stopped fetching ahead (a full disk)
        text += QCoreApplication.translate("SyncFiles", "（{why}）").format(
            why=summary.files_problem
        )
    elif summary.files_failed:
        left = QCoreApplication.translate("SyncFiles", "（{n} 件は次の同期で受け取ります）")
        text += left.format(n=summary.files_failed)
    return text


class SyncFiles(QObject):
    fetched = Signal(str, str)  # attachment id, "" when the bytes are here, else why not
    progressed = Signal(str, int, int)  # attachment id, bytes here, its size (from the worker)
    wipe_ordered = Signal(object)  # the WipeOrdered: this laptop was revoked as lost

    def __init__(self, window: QMainWindow, workspace: Workspace, runner: StoreRunner) -> None:
        super().__init__(window)
        self._window = window
        self._ws = workspace
        self._runner = runner
        self.worker = StoreRunner(self)
        self._cancel = CancelToken()  # all of them, at close
        self._asked: dict[str, CancelToken] = {}  # each fetch under way, its own 中止
        self.budget_dialog: FileBudgetDialog | None = None
        self.budget_action = QAction(self.tr("ファイルの事前ダウンロード(&D)…"), self)
        self.budget_action.setToolTip(
            self.tr("同期のときに前もって受け取っておく添付ファイルの範囲を設定します")
        )
        self.budget_action.triggered.connect(self.open_budget)

    def fetch(self, attachment_id: str) -> None:
        if attachment_id in self._asked:
            return  # already on its way: told once it is here
        token = CancelToken()
        self._asked[attachment_id] = token
        store, closing = self._ws.store, self._cancel

        def work() -> None:
            def progress(done: int, total: int) -> None:
                closing.check()
                self.progressed.emit(attachment_id, done, total)

            fetch_file(store, attachment_id, progress=progress, cancel=token)

        self.worker.run(
            work,
            on_done=lambda _r: self._here(attachment_id),
            on_error=lambda error: self._failed(attachment_id, error),
        )

    def _failed(self, attachment_id: str, error: BaseException) -> None:
        self._told(attachment_id, self._why(error))
        if isinstance(error, WipeOrdered):
            self.wipe_ordered.emit(error)

    def cancel(self, attachment_id: str) -> None:
        """Stop that fetch at its next chunk (what came stays for the next time)."""
        token = self._asked.get(attachment_id)
        if token is not None:
            token.cancel()

    def _why(self, error: BaseException) -> str:
        if isinstance(error, Cancelled):
            return self.tr("取得を中止しました。")
        return error_text(error)

    def _here(self, attachment_id: str) -> None:
        self._runner.announce(FILES_CHANGED)
        self._told(attachment_id, "")

    def _told(self, attachment_id: str, message: str) -> None:
        self._asked.pop(attachment_id, None)
        self.fetched.emit(attachment_id, message)

    def open_budget(self) -> FileBudgetDialog:
        if self.budget_dialog is not None:
            self.budget_dialog.deleteLater()
        dialog = FileBudgetDialog(self._window, self._runner, self._ws.store)
        self.budget_dialog = dialog
        dialog.open()
        return dialog

    def shutdown(self) -> None:
        """Stop a fetch at its next chunk (its partial file stays for the next time)."""
        self._cancel.cancel()
        self.worker.shutdown()
