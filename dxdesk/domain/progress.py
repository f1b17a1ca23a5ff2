"""Progress and cancellation for long work, shared by the store, imports, reports and the UI.

Long work takes a ``Progress`` callback and calls it with (done, total) as it goes; the
callback raises ``Cancelled`` when the user asked to stop, and the work then leaves nothing
half-written behind.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

Progress = Callable[[int, int], None]


class Cancelled(Exception):
    """The user stopped the work; nothing was changed."""

    def __init__(self, message: str = "中止しました") -> None:
        super().__init__(message)


class CancelToken:
    """Set from one thread (the UI), checked from another (the worker)."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled


def no_progress(_done: int, _total: int) -> None:
    """For callers that do not show progress."""
