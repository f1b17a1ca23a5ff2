"""The cyclic collector runs on the UI thread only (dxdesk/ui/garbage.py)."""

from __future__ import annotations

import gc
import threading

from pytestqt.qtbot import QtBot

from dxdesk.ui.garbage import UiThreadCollector, due_generation


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_a_cycle_made_on_a_worker_is_collected_on_the_ui_thread(qtbot: QtBot) -> None:
    gc.enable()  # as in the app before the window (the GUI tests' fixture turned it off)
    collector = UiThreadCollector()
    try:
        assert not gc.isenabled()
        threads: list[str] = []

        class Noted(_Cycle):
            def __del__(self) -> None:
                threads.append(threading.current_thread().name)

        def worker() -> None:
            Noted()
            # Far past generation 0's threshold: with automatic collection on, this thread
            # would collect the cycle itself.
            _garbage = [_Cycle() for _ in range(gc.get_threshold()[0] * 3)]

        thread = threading.Thread(target=worker, name="worker")
        thread.start()
        thread.join()
        assert threads == []  # not freed on the worker
        assert due_generation() is not None
        qtbot.waitUntil(lambda: threads != [], timeout=5000)
        assert threads == [threading.main_thread().name]
    finally:
        collector.stop()
    assert gc.isenabled()
    gc.disable()


def test_nothing_is_due_right_after_a_collection() -> None:
    gc.collect()
    assert due_generation() is None


def _oldest_generation_over_its_threshold() -> None:
    """As many collections of generation 1 as make generation 2 due by its count alone."""
    for _ in range(gc.get_threshold()[2] + 1):
        gc.collect(1)


def _younger_generations_over_their_thresholds() -> list[object]:
    for _ in range(gc.get_threshold()[1] + 1):
        gc.collect(0)
    return [_Cycle() for _ in range(gc.get_threshold()[0] + 10)]


def test_a_full_collection_waits_until_enough_objects_grew_old(qtbot: QtBot) -> None:
    """CPython 3.11's rule: generation 2 is collected only once the objects that reached it
    since its last collection are a quarter of those that survived that one."""
    gc.enable()
    collector = UiThreadCollector()
    try:
        gc.collect()  # (measured after it)
        _oldest_generation_over_its_threshold()
        young = _younger_generations_over_their_thresholds()
        assert all(n > limit for n, limit in zip(gc.get_count(), gc.get_threshold(), strict=True))
        assert due_generation() == 1  # few objects grew old: not worth a full collection
        kept = [[n] for n in range(len(gc.get_objects(generation=2)))]  # as many again
        _oldest_generation_over_its_threshold()  # (they grow old on the way)
        young = _younger_generations_over_their_thresholds()
        assert due_generation() == 2
        assert kept and young
    finally:
        collector.stop()
    gc.disable()
