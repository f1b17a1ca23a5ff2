"""Write PNG screenshots of each main screen with the demo data (not a test).

Run under a real display or Xvfb:  xvfb-run -a .venv/bin/python scripts/screenshots.py OUT_DIR
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from dxdesk.demo_data import seed_demo
from dxdesk.models.workspace import open_workspace
from dxdesk.ui.fonts import register_bundled_font
from dxdesk.ui.main_window import MainWindow


def _settle(app: QApplication, window: MainWindow, ms: int = 400) -> None:
    window.runner.wait_idle()
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    app.processEvents()


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv)
    register_bundled_font()
    with tempfile.TemporaryDirectory() as tmp:
        ws = open_workspace(Path(tmp))
        seed_demo(ws)
        window = MainWindow(ws, title="DX Desk（デモ）", settings_file=Path(tmp) / "ui.ini")
        window.resize(1366, 820)
        window.show()
        _settle(app, window)
        for index in range(window.tabs.count()):
            window.tabs.setCurrentIndex(index)
            _settle(app, window)
            name = f"{index + 1:02d}-{window.tabs.tabText(index)}.png"
            window.grab().save(str(out / name))
            sys.stdout.write(f"{out / name}\n")
        # The engagement editor's interview notes and follow-ups.
        window.tabs.setCurrentWidget(window.engagements)
        editor = window.engagements.editor
        for index in (1, 2):
            editor.tabs.setCurrentIndex(index)
            _settle(app, window)
            name = f"{window.tabs.count() + index:02d}-相談記録-{index}.png"
            window.grab().save(str(out / name))
            sys.stdout.write(f"{out / name}\n")
        window.close()
        window.runner.shutdown()
        ws.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
