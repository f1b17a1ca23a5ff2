"""Python's cyclic garbage collector, run on the UI thread only.

A collection runs on whichever thread happens to allocate when a generation's threshold is
passed: the store's worker, the sync's thread, the thumbnails' or the file reader's. A cycle
holding a Qt object (a widget, a model, a signal's closure) freed there destroys the object on
the wrong thread, and Qt may crash. So automatic collection is off while the window lives, and
a timer on the UI thread collects the generations whose thresholds were passed, as the
collector itself would have: CPython 3.11's own rule (Modules/gcmodule.c, collect_generations),
which also holds back a full collection until the objects that reached the oldest generation
since the last one (long_lived_pending) are at least a quarter of those that survived it
(long_lived_total), so that full collections stay rare however many objects live. Python does
not expose those two counts; they are measured here as the size of the oldest generation
(``gc.get_objects(2)``) after each full collection, and again when one is considered.
"""

from __future__ import annotations

import gc
from typing import Any, Final

from PySide6.QtCore import QObject, QTimer

CHECK_INTERVAL_MS: Final = 1000


OLDEST: Final = 2


class _LongLived:
    """The oldest generation's size when a full collection last ended (None: not known yet,
    and a full collection is then not held back)."""

    total: int | None = None


def _note_collection(phase: str, info: dict[str, Any]) -> None:
    """A ``gc.callbacks`` entry: after a full collection (ours or anyone's), what survived."""
    if phase == "stop" and info.get("generation") == OLDEST:
        _LongLived.total = len(gc.get_objects(generation=OLDEST))


def _full_collection_worth_it() -> bool:
    total = _LongLived.total
    if total is None:
        return True
    pending = len(gc.get_objects(generation=OLDEST)) - total
    return pending >= total // 4


def due_generation() -> int | None:
    """The oldest generation the collector would collect now (None: none is due)."""
    counts = gc.get_count()
    thresholds = gc.get_threshold()
    if not thresholds[0] or counts[0] <= thresholds[0]:
        return None  # the collector runs only once the youngest generation is over its own
    for generation in range(len(thresholds) - 1, -1, -1):
        if counts[generation] > thresholds[generation]:
            if generation == OLDEST and not _full_collection_worth_it():
                continue
            return generation
    return 0


class UiThreadCollector(QObject):
    """Turns automatic collection off and collects on the UI thread instead (``stop`` turns
    it back on)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        gc.disable()
        if _note_collection not in gc.callbacks:
            gc.callbacks.append(_note_collection)
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_INTERVAL_MS)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start()

    def collect_due(self) -> int:
        """Collect the generation due, if any; returns how many objects were unreachable."""
        generation = due_generation()
        return 0 if generation is None else gc.collect(generation)

    def stop(self) -> None:
        self._timer.stop()
        if _note_collection in gc.callbacks:
            gc.callbacks.remove(_note_collection)
        gc.collect()
        if self._was_enabled:
            gc.enable()
