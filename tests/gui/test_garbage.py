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
