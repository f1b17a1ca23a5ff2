"""Bring the search index up to date in the background: after a sync, an import, or at start;
and read the text of attached files for it.

The index is caught up in steps, each one short transaction on the store's worker, so saving
what someone types never waits behind a whole first sync's worth of indexing. A search started
meanwhile finishes the rest itself (``search`` always catches up first).

Reading a file's text (a long PDF may take seconds) runs on a thread of its own, never the
store's worker: it holds no transaction while it reads, and writes each text in a short one
(``extract_missing``). It runs whenever the index is brought up to date (at start, after a sync
brought files) and after a file is attached; each batch of texts written is then indexed.
Closing waits for it only briefly (:data:`STOP_WAIT`): a page being parsed cannot be stopped,
and the thread, told to stop, ends at the next check without touching the store again.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor, wait

from PySide6.QtCore import QObject, Signal

from dxdesk.domain.changes import Changes
from dxdesk.models.store import Store
from dxdesk.services.attachment_text import extract_missing
from dxdesk.services.search import catch_up
from dxdesk.ui.runner import StoreRunner

log = logging.getLogger(__name__)

STEP = 500  # new rows per kind per step: about a tenth of a second of the worker's time
FILES_PER_STEP = 5  # files read between two index catch-ups
STOP_WAIT = 0.5  # seconds closing waits for the file being read


class SearchIndexer(QObject):
    busy_changed = Signal(bool)  # True while steps remain
    failed = Signal(str)
    _read = Signal(object)  # the batch's future, from the reading thread to the UI thread

    def __init__(self, store: Store, runner: StoreRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._runner = runner
        self._running = False
        self._again = False
        self._stopped = False
        self._reading = False
        self._read_again = False
        self._batch: Future[int] | None = None
        self._reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dxdesk-file-text")
        self._read.connect(self._batch_read)
        runner.changed.connect(self._store_changed)

    def start(self) -> None:
        """Index what is new; if a round is under way, run one more after it. Files with no
        text yet are read too."""
        if self._stopped:
            return
        self.read_texts()
        if self._running:
            self._again = True
            return
        self._running = True
        self.busy_changed.emit(True)
        self._step()

    def read_texts(self) -> None:
        """Read the text of attached files that have none yet (on the reading thread)."""
        if self._stopped:
            return
        if self._reading:
            self._read_again = True
            return
        self._reading = True
        future = self._reader.submit(
            extract_missing, self._store, limit=FILES_PER_STEP, cancel=lambda: self._stopped
        )
        self._batch = future
        future.add_done_callback(self._batch_done)

    def reading(self) -> bool:
        """Whether files are being read (tests wait on it)."""
        return self._reading

    def stop(self) -> None:
        """No further steps (the window is closing); a step already queued still runs. A file
        being read is dropped at its next check (page, part, a few thousand drawing operations)
        and waited for at most :data:`STOP_WAIT`: once told to stop, the reading thread leaves
        without writing, so the store may close while it finishes a page."""
        self._stopped = True
        self._reader.shutdown(wait=False, cancel_futures=True)
        if self._batch is not None:
            wait([self._batch], timeout=STOP_WAIT)

    def _batch_done(self, future: Future[int]) -> None:
        """On the reading thread: hand the result to the UI thread, unless closed meanwhile."""
        if not self._stopped:
            self._read.emit(future)

    def _store_changed(self, changes: Changes) -> None:
        if changes.touches("attachment"):
            self.read_texts()  # a file attached here, or brought by a sync

    def _batch_read(self, future: Future[int]) -> None:
        self._reading = False
        if self._stopped:
            return
        error = future.exception()
        if error is not None:
            log.error("reading the text of attachments failed", exc_info=error)
            self.failed.emit(self.tr("添付ファイルの文字を読み取れませんでした: {0}").format(error))
            return
        if future.result():
            self.start()  # index what was read, and read the next few
        elif self._read_again:
            self._read_again = False
            self.read_texts()

    def _step(self) -> None:
        self._runner.run(
            lambda: catch_up(self._store, step=STEP), on_done=self._stepped, on_error=self._error
        )

    def _stepped(self, more: bool) -> None:
        if self._stopped:
            return
        if more or self._again:
            self._again = False
            self._step()
            return
        self._running = False
        self.busy_changed.emit(False)

    def _error(self, error: BaseException) -> None:
        self._running = False
        self.busy_changed.emit(False)
        self.failed.emit(self.tr("検索の索引を更新できませんでした: {0}").format(error))
