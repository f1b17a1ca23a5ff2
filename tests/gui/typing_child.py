"""Child process for the crash test: open the window, type into an engagement's notes, pause
as a person does between sentences, then die by SIGKILL without closing anything."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from PySide6.QtCore import QEvent, QEventLoop, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from dxdesk.services.workspace import open_workspace
from dxdesk.ui.engagement_editor import SAVE_DELAY_MS
from dxdesk.ui.main_window import MainWindow


def _wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def main(data_dir: str, engagement_id: str, text: str) -> None:
    app = QApplication([])
    ws = open_workspace(Path(data_dir))
    window = MainWindow(ws, title="crash test", settings_file=Path(data_dir) / "ui.ini")
    window.show()
    window.tabs.setCurrentWidget(window.engagements)
    while window.engagements.editor.record_id != engagement_id:
        app.processEvents()
        window._select_code("302015")
        window.engagements.select(engagement_id)
    notes = window.engagements.editor.notes_edit
    notes.setFocus()
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(notes, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))
    _wait(SAVE_DELAY_MS + 300)  # the pause after typing; focus stays, nothing is closed
    sys.stdout.write("typed\n")
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


if __name__ == "__main__":
    main(*sys.argv[1:4])
