"""LongTask's progress: steps shown in the order the work made them, however they queue up."""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from dxdesk.domain.progress import Progress
from dxdesk.ui.long_task import LongTask
from dxdesk.ui.main_window import MainWindow

STEPS = 40


def test_a_burst_of_progress_is_shown_in_order(window: MainWindow, qtbot: QtBot) -> None:
    """The work reports every step while the window is busy, so the reports wait in the queue
    together; the modal dialog's setValue turns the loop and delivers the next one inside the
    current one. The steps told (and shown) must still only go forward."""
    reported = threading.Event()

    def work(progress: Progress) -> int:
        for done in range(1, STEPS + 1):
            progress(done, STEPS)
        reported.set()
        return STEPS

    task = LongTask(window, window.runner, title="テスト", label="テスト中…", work=work)
    told: list[int] = []
    task.progressed.connect(told.append)
    task.start()
    task.dialog.forceShow()  # shown, so that setValue turns the event loop
    assert reported.wait(60), "the work did not run"  # every report is queued by now
    with qtbot.waitSignal(task.finished, timeout=60_000):
        pass
    assert told == sorted(set(told)) and told[-1] == 1000
    assert task.dialog.value() in (-1, 1000)  # reset when done, or at the end
