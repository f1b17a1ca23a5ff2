"""Python's cyclic garbage collector, run on the UI thread only.

A collection runs on whichever thread happens to allocate when a generation's threshold is
passed: the store's worker, the sync's thread, the thumbnails' or the file reader's. A cycle
holding a Qt object (a widget, a model, a signal's closure) freed there destroys the object on
the wrong thread, and Qt may crash. So automatic collection is off while the window lives, and
a timer on the UI thread collects the generations whose thresholds were passed, as the
collector itself would have.
"""

from __future__ import annotations

import gc
from typing import Final

from PySide6.QtCore import QObject, QTimer

CHECK_INTERVAL_MS: Final = 1000


def due_generation() -> int | None:
    """The oldest generation the collector would collect now (None: none is due)."""
    counts = gc.get_count()
    thresholds = gc.get_threshold()
    due = None
    for generation, (count, threshold) in enumerate(zip(counts, thresholds, strict=False)):
        if not threshold or count <= threshold:
            break  # an older generation is due only when every younger one is
        due = generation
    return due


class UiThreadCollector(QObject):
    """Turns automatic collection off and collects on the UI thread instead (``stop`` turns
    it back on)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        gc.disable()
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
        gc.collect()
        if self._was_enabled:
            gc.enable()
