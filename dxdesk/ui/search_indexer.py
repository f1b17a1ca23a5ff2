"""Bring the search index up to date in the background: after a sync, an import, or at start.

The index is caught up in steps, each one short transaction on the store's worker, so saving
what someone types never waits behind a whole first sync's worth of indexing. A search started
meanwhile finishes the rest itself (``search`` always catches up first).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from dxdesk.models.store import Store
from dxdesk.services.search import catch_up
from dxdesk.ui.runner import StoreRunner

STEP = 500  # new rows per kind per step: about a tenth of a second of the worker's time


class SearchIndexer(QObject):
    busy_changed = Signal(bool)  # True while steps remain
    failed = Signal(str)

    def __init__(self, store: Store, runner: StoreRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._runner = runner
        self._running = False
        self._again = False
        self._stopped = False

    def start(self) -> None:
        """Index what is new; if a round is under way, run one more after it."""
        if self._stopped:
            return
        if self._running:
            self._again = True
            return
        self._running = True
        self.busy_changed.emit(True)
        self._step()

    def stop(self) -> None:
        """No further steps (the window is closing); a step already queued still runs."""
        self._stopped = True

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
