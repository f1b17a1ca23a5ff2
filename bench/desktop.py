"""Desktop figures: the same-run baseline, cold start, start to data shown, municipality switch.

Start-up figures are wall time from just before the child process is started, median of
``repeat`` runs after one untimed warm-up run (so the OS file cache is warm for every figure
alike). The switch is timed inside one child (``bench.probe switch``) on the UI thread.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import time

from bench.report import Context, Row
from bench.timing import median_run, offscreen_env, percentile, spread

START_TARGET_S = 1.5
SWITCH_TARGET_S = 0.150

# Start Python, import PySide6, show an empty main window and wait until it is painted.
BASELINE_SCRIPT = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1280, 800)
window.show()
def done():
    window.grab()
    app.quit()
QTimer.singleShot(0, done)
sys.exit(app.exec())
"""


def baseline(ctx: Context) -> list[Row]:
    """The yardstick of the run; every other row's ratio is against it."""
    median, times = median_run(
        [ctx.python, "-c", BASELINE_SCRIPT], env=offscreen_env(), repeat=ctx.repeat
    )
    ctx.baseline_s = median
    return [
        Row(
            "baseline: Python + PySide6 + empty window painted",
            median,
            baseline_s=median,
            detail=spread(times),
        )
    ]


def cold_start(ctx: Context) -> list[Row]:
    """``dxdesk --smoke``: the app's own start until its window is painted, then exit.

    Exit is part of it: closing waits for store work already queued (the first overview load),
    so this can exceed "start to window painted" by however long that load takes.
    """
    command = [ctx.python, "-m", "dxdesk", "--data-dir", str(ctx.data_dir), "--smoke"]
    median, times = median_run(command, env=offscreen_env(), repeat=ctx.repeat)
    return [
        Row(
            "cold start: dxdesk --smoke (window painted, exit)",
            median,
            target_s=START_TARGET_S,
            baseline_s=ctx.baseline_s,
            detail=spread(times),
        )
    ]


def start_to_data(ctx: Context) -> list[Row]:
    """From process start to the municipality list, then to the first municipality's tabs."""
    runs = [_first_data_once(ctx) for _ in range(ctx.repeat + 1)][1:]  # first run: warm-up
    painted = [r["painted"] for r in runs]
    overview = [r["overview"] for r in runs]
    shown = [r["shown"] for r in runs]
    return [
        Row(
            "start to window painted (in-process, before exit)",
            statistics.median(painted),
            baseline_s=ctx.baseline_s,
            detail=spread(painted),
        ),
        Row(
            "start to municipality list shown (overview_loaded)",
            statistics.median(overview),
            baseline_s=ctx.baseline_s,
            detail=spread(overview),
        ),
        Row(
            "start to first municipality shown (same 1.5 s target as cold start)",
            statistics.median(shown),
            target_s=START_TARGET_S,
            baseline_s=ctx.baseline_s,
            detail=spread(shown),
        ),
    ]


def _first_data_once(ctx: Context) -> dict[str, float]:
    command = [ctx.python, "-m", "bench.probe", "first-data", str(ctx.data_dir)]
    started = time.perf_counter()
    child = subprocess.Popen(
        command, env=offscreen_env(), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert child.stdout is not None
    stamps: dict[str, float] = {}
    for line in child.stdout:  # each line is stamped as it arrives
        stamps[line.split()[0]] = time.perf_counter() - started
    if child.wait() != 0 or not {"painted", "overview", "shown"} <= stamps.keys():
        raise RuntimeError(f"{' '.join(command)} failed (exit {child.returncode}): {stamps}")
    return stamps


def municipality_switch(ctx: Context) -> list[Row]:
    """Select each of the municipalities in turn; time until its tabs are filled in."""
    command = [ctx.python, "-m", "bench.probe", "switch", str(ctx.data_dir)]
    done = subprocess.run(
        command, env=offscreen_env(), capture_output=True, text=True, timeout=600, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}: {done.stderr[-2000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    shown = list(result["shown_s"].values())
    painted = list(result["painted_s"].values())
    reads = list(result["reads_s"].values())
    n = f"{len(shown)} switches"
    return [
        _row("municipality switch, median", statistics.median(shown), SWITCH_TARGET_S, ctx, n),
        _row("municipality switch, p95", percentile(shown, 0.95), None, ctx, ""),
        _row("municipality switch, max", max(shown), None, ctx, ""),
        _row(
            "  of which store reads (worker), median",
            statistics.median(reads),
            None,
            ctx,
            "the four facade calls of one switch, run directly",
        ),
        _row(
            "municipality switch + full repaint, median",
            statistics.median(painted),
            None,
            ctx,
            "until shown, then window.grab()",
        ),
    ]


def _row(figure: str, value: float, target: float | None, ctx: Context, detail: str) -> Row:
    return Row(figure, value, target_s=target, baseline_s=ctx.baseline_s, detail=detail)
