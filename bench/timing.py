"""Wall-clock timing of child processes and of calls in this one, and the statistics the table
reports."""

from __future__ import annotations

import math
import os
import statistics
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence


def offscreen_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for a child that draws without a display (as CI and the bench do)."""
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    env.update(extra or {})
    return env


def run_timed(command: Sequence[str], *, env: Mapping[str, str], timeout: float = 120) -> float:
    """Seconds from just before the process is started until it has exited; fails loudly."""
    started = time.perf_counter()
    done = subprocess.run(list(command), env=env, capture_output=True, timeout=timeout, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command)} exited {done.returncode}: "
            f"{done.stderr.decode(errors='replace')[-2000:]}"
        )
    return elapsed


def median_run(
    command: Sequence[str], *, env: Mapping[str, str], repeat: int
) -> tuple[float, list[float]]:
    """The median wall time of ``repeat`` runs, after one untimed run to warm the file cache."""
    run_timed(command, env=env)
    times = [run_timed(command, env=env) for _ in range(repeat)]
    return statistics.median(times), times


def median_call(
    work: Callable[[], object], repeat: int, *, warm: bool = False
) -> tuple[float, list[float]]:
    """The median wall time of ``repeat`` calls of ``work`` (at least one), and each time;
    ``warm``: one untimed call first (imports, the file cache)."""
    if warm:
        work()
    times = []
    for _ in range(max(1, repeat)):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times), times


def percentile(values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile (0 < fraction <= 1) of ``values``."""
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def spread(times: Sequence[float]) -> str:
    """The individual runs, for the detail lines under the table."""
    return "runs " + ", ".join(f"{t * 1000:.0f}" for t in times) + " ms"
