"""``python -m bench``: build the large store, run every benchmark, print one table.

Later benchmarks (search, import) are functions ``(Context) -> list[Row]`` added to
``BENCHMARKS``; the baseline runs first so every row can be shown as a ratio to it. The server
figures (``bench.server_sync``) carry their own same-run baseline (a plain SQL query of the same
rows) and run only when ``DXDESK_BENCH_PG`` names a PostgreSQL; otherwise they are one
"skipped" row.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from bench import (
    client_sync,
    desktop,
    reports,
    search,
    server_sync,
    slow_clients,
    survey_import,
    ui_stall,
)
from bench.large_store import build_large_store, describe
from bench.report import Benchmark, Context, Row, format_table, to_json

BENCHMARKS: tuple[Benchmark, ...] = (
    desktop.baseline,  # first: the others are compared with it
    desktop.cold_start,
    desktop.start_to_data,
    desktop.municipality_switch,
    server_sync.server_sync,  # its own baseline; skipped without DXDESK_BENCH_PG
    client_sync.client_sync,  # its own baselines; the server on SQLite
    survey_import.survey_import,  # its own baseline: openpyxl over the same file
    reports.reports,  # its own baseline: the same text on a bare reportlab canvas
    search.search_figures,  # its own baseline: LIKE over the same rows
    slow_clients.slow_clients_figures,  # its own baseline: /healthz with no slow client
    ui_stall.ui_stall,  # its own baseline: the idle window's loop over the same time
)


def _progress(message: str) -> None:
    sys.stderr.write(f"bench: {message}\n")
    sys.stderr.flush()


def run(*, repeat: int, python: str) -> tuple[list[Row], list[str]]:
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="dxdesk-bench-") as tmp:
        data_dir = Path(tmp) / "data"
        _progress("building the large store…")
        counts = build_large_store(data_dir)
        ctx = Context(data_dir=data_dir, python=python, repeat=repeat)
        ctx.notes.append(f"store: {describe(counts)}, built in {counts.seconds:.1f} s")
        _progress(ctx.notes[-1])
        for benchmark in BENCHMARKS:
            _progress(f"{benchmark.__name__}…")
            rows += benchmark(ctx)
    return rows, ctx.notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--json", action="store_true", help="JSON on stdout, table on stderr")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per start figure")
    parser.add_argument("--python", default=sys.executable, help="interpreter of the app")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    rows, notes = run(repeat=max(1, args.repeat), python=args.python)
    total = time.perf_counter() - started
    notes.append(f"whole run: {total:.1f} s")
    table = format_table(rows) + "\n\n" + "\n".join(notes)
    if args.json:
        sys.stderr.write(table + "\n")
        sys.stdout.write(to_json(rows, notes=notes, total_s=total) + "\n")
    else:
        sys.stdout.write(table + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
