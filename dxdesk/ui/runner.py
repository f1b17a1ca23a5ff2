"""Store work off the UI thread: one worker thread runs facade calls in order.

Results come back to the UI thread through a queued Qt signal, so callbacks may touch widgets.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)

Callback = Callable[[Any], None]
ErrorCallback = Callable[[BaseException], None]


class StoreRunner(QObject):
    """Serialises database work on one thread (SQLite likes a single writer)."""

    _relay = Signal(object, object, object)  # future, on_done, on_error
    failed = Signal(str)  # an error nobody handled, for the status bar

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dxdesk-store")
        self._relay.connect(self._deliver)

    def run(
        self,
        call: Callable[[], Any],
        on_done: Callback | None = None,
        on_error: ErrorCallback | None = None,
    ) -> Future[Any]:
        future = self._pool.submit(call)
        future.add_done_callback(lambda f: self._relay.emit(f, on_done, on_error))
        return future

    def _deliver(
        self, future: Future[Any], on_done: Callback | None, on_error: ErrorCallback | None
    ) -> None:
        error = future.exception()
        if error is None:
            if on_done is not None:
                on_done(future.result())
        elif on_error is not None:
            on_error(error)
        else:
            log.error("store call failed", exc_info=error)
            self.failed.emit(str(error))

    def wait_idle(self) -> None:
        """Block until every queued call has run (used when closing)."""
        self._pool.submit(lambda: None).result()

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True)
