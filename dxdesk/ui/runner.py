"""Store work off the UI thread: one worker thread runs facade calls in order.

Results come back to the UI thread through a queued Qt signal, so callbacks may touch widgets.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog

from dxdesk.domain.changes import Changes, Source
from dxdesk.models.change_notice import ChangeCollector
from dxdesk.ui.refusal_text import refusal_text

log = logging.getLogger(__name__)

Callback = Callable[[Any], None]
ErrorCallback = Callable[[BaseException], None]
T = TypeVar("T")


def while_open(dialog: QDialog, callback: Callable[[T], None]) -> Callable[[T], None]:
    """``callback`` for a store answer meant for ``dialog``, doing nothing once the dialog was
    closed or deleted: the person may close it (and its owner delete it) before the worker
    answers, and its widgets are then gone (a call on them raises RuntimeError)."""
    closed = False

    def mark_closed(_result: int) -> None:
        nonlocal closed
        closed = True

    dialog.finished.connect(mark_closed)

    def answered(value: T) -> None:
        if not closed and shiboken6.isValid(dialog):
            callback(value)

    return answered


class StoreRunner(QObject):
    """Serialises database work on one thread (SQLite likes a single writer).

    Given ``collect`` (``Workspace.collect_changes``), it collects what each call commits and
    tells it after the call: ``changed`` is the one change notice every panel and the status
    bar hear, each deciding for itself what to do (DESIGN §7). Only the call's own commits are
    told: what another thread commits meanwhile (a sync) is its own to tell. Events that are
    not a call of this worker (a sync ended, a login) are told on the same signal with
    ``announce``.
    """

    _relay = Signal(object, object, object)  # future, on_done, on_error
    failed = Signal(str)  # an error nobody handled, for the status bar
    changed = Signal(object)  # Changes: what a call wrote (before its on_done), or an event

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        collect: Callable[[], AbstractContextManager[ChangeCollector]] | None = None,
    ) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dxdesk-store")
        self._collect = collect
        self._relay.connect(self._deliver)

    def _noticed(self, call: Callable[[], Any], source: Source) -> Callable[[], Any]:
        collect = self._collect
        if collect is None:
            return call

        def run_and_tell() -> Any:
            with collect() as collector:
                try:
                    return call()
                finally:
                    written = collector.changes()
                    if written.kinds:
                        # Queued to the UI thread, ahead of on_done.
                        self.changed.emit(written.from_source(source))

        return run_and_tell

    def run(
        self,
        call: Callable[[], Any],
        on_done: Callback | None = None,
        on_error: ErrorCallback | None = None,
        *,
        source: Source = Source.EDIT,
    ) -> Future[Any]:
        """Run ``call`` on the worker; what it writes is told as coming from ``source``."""
        future = self._pool.submit(self._noticed(call, source))
        future.add_done_callback(lambda f: self._relay.emit(f, on_done, on_error))
        return future

    def announce(self, changes: Changes) -> None:
        """Tell every panel of a change that no call of this worker made (on the UI thread)."""
        self.changed.emit(changes)

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
            self.failed.emit(refusal_text(error))

    def wait_idle(self) -> None:
        """Block until every queued call has run (used when closing)."""
        self._pool.submit(lambda: None).result()

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True)
