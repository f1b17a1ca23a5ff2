"""The app's main window driven inside a child process, to time what the user waits for.

``python -m bench.probe first-data DIR`` starts the window as the app does and prints a line
the moment the window is first painted (``painted``, as ``--smoke`` paints it), the municipality
list is on screen (``overview``) and the first municipality's tabs are filled in (``shown
CODE``); the parent stamps the lines as they arrive.
With ``--profile`` it prints cProfile hot spots of the start-up to stderr.

``python -m bench.probe switch DIR [--profile]`` opens the window, waits for the first
municipality, then selects each municipality in turn and times until ``municipality_shown``
reports it; prints the timings as JSON. ``--profile`` also prints cProfile hot spots of the UI
thread and of the store worker thread to stderr.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from dxdesk.services.workspace import Workspace, open_workspace
from dxdesk.ui.fonts import register_bundled_font
from dxdesk.ui.main_window import MainWindow

TIMEOUT_MS = 120_000


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _open(data_dir: Path, settings_dir: Path) -> tuple[QApplication, Workspace, MainWindow]:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    register_bundled_font()
    workspace = open_workspace(data_dir)
    window = MainWindow(workspace, title="DX Desk", settings_file=settings_dir / "ui.ini")
    window.show()
    return app, workspace, window


def _close(window: MainWindow, workspace: Workspace) -> None:
    window.close()
    window.runner.shutdown()
    workspace.close()


def _wait_shown(window: MainWindow, code: str | None) -> str:
    """Run the event loop until the window reports ``code`` shown (any code if None)."""
    loop = QEventLoop()
    got: list[str] = []

    def shown(shown_code: str) -> None:
        if code is None or shown_code == code:
            got.append(shown_code)
            loop.quit()

    window.municipality_shown.connect(shown)
    timer = QTimer(singleShot=True)
    timer.timeout.connect(loop.quit)
    timer.start(TIMEOUT_MS)
    loop.exec()
    timer.stop()
    window.municipality_shown.disconnect(shown)
    if not got:
        raise TimeoutError(f"municipality {code or '(first)'} not shown in {TIMEOUT_MS} ms")
    return got[0]


def first_data(data_dir: Path, settings_dir: Path, *, profile: bool) -> None:
    ui_profile, worker_profile = cProfile.Profile(), cProfile.Profile()
    if profile:
        # The store worker thread starts inside MainWindow(); profile it from its first call.
        def start_worker_profile(*_args: object) -> None:
            sys.setprofile(None)
            worker_profile.enable()

        threading.setprofile(start_worker_profile)
        ui_profile.enable()
    app, workspace, window = _open(data_dir, settings_dir)
    threading.setprofile(None)

    def painted() -> None:
        window.grab()
        _say("painted")

    QTimer.singleShot(0, painted)
    window.overview_loaded.connect(lambda: _say("overview"))
    code = _wait_shown(window, None)
    _say(f"shown {code}")
    if profile:
        ui_profile.disable()
        window.runner.run(worker_profile.disable).result()
    _close(window, workspace)
    app.processEvents()
    if profile:
        _print_profile("UI thread", ui_profile)
        _print_profile("store worker thread", worker_profile)


def switch(data_dir: Path, settings_dir: Path, *, profile: bool) -> dict[str, Any]:
    app, workspace, window = _open(data_dir, settings_dir)
    first = _wait_shown(window, None)
    codes = [m["code"] for m in workspace.municipalities.overview()]
    # Start after the one on screen (selecting it again would show nothing); end on it.
    start = codes.index(first) + 1
    order = codes[start:] + codes[:start]

    ui_profile, worker_profile = cProfile.Profile(), cProfile.Profile()
    if profile:
        window.runner.run(worker_profile.enable).result()
        ui_profile.enable()
    shown_s: dict[str, float] = {}
    painted_s: dict[str, float] = {}
    for code in order:
        started = time.perf_counter()
        window._select_code(code)
        _wait_shown(window, code)
        shown_s[code] = time.perf_counter() - started
        window.grab()  # paint the whole window with the new data, as the screen would
        painted_s[code] = time.perf_counter() - started
    if profile:
        ui_profile.disable()
        window.runner.run(worker_profile.disable).result()

    reads_s: dict[str, float] = {}
    for code in order:
        started = time.perf_counter()
        workspace.municipalities.get(code)
        workspace.contacts.list_records(municipality=code)
        workspace.assessments.list_records(municipality=code)
        workspace.engagements.list_records(municipality=code)
        reads_s[code] = time.perf_counter() - started
    _close(window, workspace)
    app.processEvents()
    if profile:
        _print_profile("UI thread", ui_profile)
        _print_profile("store worker thread", worker_profile)
    return {"shown_s": shown_s, "painted_s": painted_s, "reads_s": reads_s}


def _print_profile(title: str, profile: cProfile.Profile) -> None:
    for sort in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profile, stream=out).strip_dirs().sort_stats(sort).print_stats(25)
        sys.stderr.write(f"\n==== {title}, by {sort} ====\n{out.getvalue()}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.probe")
    parser.add_argument("mode", choices=("first-data", "switch"))
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dxdesk-bench-ui-") as settings:
        if args.mode == "first-data":
            first_data(args.data_dir, Path(settings), profile=args.profile)
        else:
            _say(json.dumps(switch(args.data_dir, Path(settings), profile=args.profile)))
    sys.stderr.flush()


if __name__ == "__main__":
    main()
