"""What the attachments panel does with files, each off the UI thread: attach (with progress and
Cancel for big files), open from a private copy, save as, delete; a file not yet on this
laptop is fetched through the sync controller first (with its progress and 中止) and then opened
or saved.

Opening (a private copy) and saving as copy the bytes on a thread of their own, not the store's
worker: a 100 MB copy there would hold back the saving of what is being typed meanwhile. (The
record it reads first is one row; the store takes readers on several threads, as the sync's.)

The text of new files is read for search by the search indexer on a thread of its own
(ui/search_indexer.py), after the change notice of the attach: never on the store's worker,
where a long PDF would hold up the save of what is being typed.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QObject, Qt, QUrl, Signal, SignalInstance
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QLabel, QMessageBox, QProgressDialog, QWidget

from dxdesk.domain.progress import Progress
from dxdesk.services.attachments import FileNotHere
from dxdesk.services.workspace import Workspace
from dxdesk.ui.long_task import SHOW_AFTER_MS, LongTask
from dxdesk.ui.refusal_text import error_text
from dxdesk.ui.runner import StoreRunner

Record = dict[str, Any]
ERROR_STYLE = "color: #b00020;"


class FileFetcher(Protocol):
    """Fetches a file's bytes from the server (``SyncController``), off the UI thread."""

    @property
    def file_fetched(self) -> SignalInstance: ...  # (attachment id, error message or "")

    @property
    def file_progressed(self) -> SignalInstance: ...  # (attachment id, bytes here, size)

    def fetch_file(self, attachment_id: str) -> None: ...

    def cancel_fetch(self, attachment_id: str) -> None: ...


# One thread for every panel's copies: they wait their turn rather than compete for the disk.
_copies = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dxdesk-file-copies")


class AttachmentActions(QObject):
    _copied = Signal(object, object, object)  # from the copies' thread: future, done, error
    attached = Signal(list)  # the new attachment records
    opened = Signal(str)  # the path handed to the system's application
    fetched = Signal(str)  # an attachment's bytes came from the server: it is 未取得 no more

    def __init__(
        self, widget: QWidget, workspace: Workspace, runner: StoreRunner, message: QLabel
    ) -> None:
        super().__init__(widget)
        self._widget = widget
        self._ws = workspace
        self._runner = runner
        self._message = message
        self._fetcher: FileFetcher | None = None
        self._after_fetch: dict[str, Callable[[], None]] = {}
        self.fetch_dialogs: dict[str, QProgressDialog] = {}  # a fetch's progress and 中止
        self.task: LongTask | None = None  # the attach under way, if any
        self._copied.connect(self._deliver)  # queued: emitted on the copies' thread

    # -- messages --------------------------------------------------------------------------

    def tell(self, text: str) -> None:
        self._message.setStyleSheet("")
        self._message.setText(text)

    def show_error(self, error: BaseException | str) -> None:
        self._message.setStyleSheet(ERROR_STYLE)
        self._message.setText(error if isinstance(error, str) else error_text(error))

    # -- attach ----------------------------------------------------------------------------

    def attach(
        self,
        parent_kind: str,
        parent_id: str,
        paths: list[Path],
        *,
        target: str = "",
        skipped: list[Path] | None = None,
    ) -> None:
        """Copy the files in (all or none), with a progress dialog for the slow ones; the
        message names ``target`` (「フォローアップ「…」」), the record they went to, if given, and
        the folders ``skipped`` (dropped with the files, not attached)."""
        facade = self._ws.attachments

        def work(progress: Progress) -> list[Record]:
            return facade.attach(
                parent_kind, parent_id, paths, progress=progress, cancel=lambda: token.cancelled
            )

        task = LongTask(
            self._widget,
            self._runner,
            title=self.tr("ファイルの添付"),
            label=self.tr("{count} 件のファイルを取り込んでいます…").format(count=len(paths)),
            work=work,
        )
        token = task.token
        task.finished.connect(lambda records: self._attached(records, target, skipped or []))
        task.failed.connect(self.show_error)
        task.cancelled.connect(lambda: self.tell(self.tr("添付を中止しました。")))
        self.task = task
        self.tell(self.tr("添付しています…"))
        task.start()

    def _attached(self, records: list[Record], target: str, skipped: list[Path]) -> None:
        names = "、".join(record["name"] for record in records)
        if target:
            text = self.tr("{count} 件のファイルを{target}に添付しました: {names}")
        else:
            text = self.tr("{count} 件のファイルを添付しました: {names}")
        text = text.format(count=len(records), target=target, names=names)
        if skipped:
            left_out = self.tr(
                "（フォルダ {names} は添付していません。中のファイルを選んでください）"
            )
            text += left_out.format(names="、".join(folder.name for folder in skipped))
        self.tell(text)
        self.attached.emit(records)

    # -- open, save as, fetch --------------------------------------------------------------

    def _copy(
        self,
        call: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        """Run ``call`` on the copies' thread; ``on_done`` or ``on_error`` on the UI thread."""
        future = _copies.submit(call)
        future.add_done_callback(lambda f: self._copied.emit(f, on_done, on_error))

    def _deliver(
        self,
        future: Future[Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        error = future.exception()
        if error is None:
            on_done(future.result())
        else:
            on_error(error)

    def set_fetcher(self, fetcher: FileFetcher | None) -> None:
        if self._fetcher is not None:
            self._fetcher.file_fetched.disconnect(self._fetched)
            self._fetcher.file_progressed.disconnect(self._fetch_progressed)
        self._fetcher = fetcher
        if fetcher is not None:
            fetcher.file_fetched.connect(self._fetched)
            fetcher.file_progressed.connect(self._fetch_progressed)

    def open(self, record: Record, *, fetched: bool = False) -> None:
        """Open a private copy with the system's application (fetching the file first)."""
        attachment_id = record["id"]
        self.tell(self.tr("「{name}」を開いています…").format(name=record["name"]))
        self._copy(
            lambda: self._ws.attachments.private_copy(attachment_id),
            on_done=self._open_path,
            on_error=lambda error: self._not_here(
                record, error, fetched, lambda: self.open(record, fetched=True)
            ),
        )

    def _open_path(self, path: Path) -> None:
        self.opened.emit(str(path))
        if QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            self.tell("")
        else:
            self.show_error(
                self.tr(
                    "このファイルを開くアプリケーションが見つかりません。"
                    "「名前を付けて保存…」で保存してから開いてください。"
                )
            )

    def save_as(self, record: Record, dest: Path, *, fetched: bool = False) -> None:
        attachment_id = record["id"]
        self.tell(self.tr("「{name}」を保存しています…").format(name=record["name"]))
        self._copy(
            lambda: self._ws.attachments.save_as(attachment_id, dest),
            on_done=lambda _none: self.tell(self.tr("保存しました: {path}").format(path=str(dest))),
            on_error=lambda error: self._not_here(
                record, error, fetched, lambda: self.save_as(record, dest, fetched=True)
            ),
        )

    def _not_here(
        self, record: Record, error: BaseException, fetched: bool, then: Callable[[], None]
    ) -> None:
        if not isinstance(error, FileNotHere) or fetched:
            self.show_error(error)
            return
        if self._fetcher is None:
            self.show_error(
                self.tr(
                    "「{name}」はまだこのパソコンにありません。"
                    "同期（ログインが必要です）すると取得できます。"
                ).format(name=record["name"])
            )
            return
        attachment_id, fetcher = record["id"], self._fetcher
        self._after_fetch[attachment_id] = then
        fetching = self.tr("「{name}」をサーバーから取得しています…").format(name=record["name"])
        self.tell(fetching)
        if attachment_id not in self.fetch_dialogs:
            title = self.tr("ファイルの取得")
            dialog = QProgressDialog(fetching, self.tr("中止"), 0, 0, self._widget)
            dialog.setWindowTitle(title)
            dialog.setAccessibleName(title)
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(SHOW_AFTER_MS)  # (a small file: no dialog flashing up)
            dialog.setAutoReset(False)
            dialog.setAutoClose(False)
            dialog.canceled.connect(lambda: fetcher.cancel_fetch(attachment_id))
            dialog.setValue(0)
            self.fetch_dialogs[attachment_id] = dialog
        fetcher.fetch_file(attachment_id)

    def _fetch_progressed(self, attachment_id: str, done: int, total: int) -> None:
        dialog = self.fetch_dialogs.get(attachment_id)
        if dialog is not None and not dialog.wasCanceled():
            # (in KB: a bar's range is an int, and a file may pass 2 GB one day)
            dialog.setRange(0, max(total // 1024, 1))
            dialog.setValue(min(done // 1024, dialog.maximum()))

    def _fetched(self, attachment_id: str, error: str) -> None:
        dialog = self.fetch_dialogs.pop(attachment_id, None)
        stopped = dialog is not None and dialog.wasCanceled()  # by the person: no error
        if dialog is not None:
            dialog.reset()
            dialog.close()
            dialog.deleteLater()
        then = self._after_fetch.pop(attachment_id, None)
        if then is None:
            return  # another panel's file, or nobody waits on it
        if error and stopped:
            self.tell(error)
        elif error:
            self.show_error(error)
        else:
            self.fetched.emit(attachment_id)
            then()

    # -- delete ----------------------------------------------------------------------------

    def delete(self, record: Record, *, on_deleted: Callable[[str, list[Any]], None]) -> None:
        what = self.tr("添付ファイル「{name}」").format(name=record["name"])
        answer = QMessageBox.question(
            self._widget,
            self.tr("添付ファイルの削除"),
            self.tr("{what}を削除しますか？（「元に戻す」で戻せます）").format(what=what),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        attachment_id = record["id"]
        self._runner.run(
            lambda: self._ws.attachments.delete(attachment_id),
            on_done=lambda keys: on_deleted(what, keys),
            on_error=self.show_error,
        )
