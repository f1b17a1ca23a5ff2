"""``python -m bench``: build the large store, run every benchmark, print one table.

Later benchmarks (search, import) are functions ``(Context) -> list[Row]`` added to
``BENCHMARKS``; the baseline runs first so every row can be shown as a ratio to it. The server
figures (``bench.server_sync``) carry their own same-run baseline (a plain SQL query of the same
rows) and run only when ``DXDESK_BENCH_PG`` names a PostgreSQL; otherwise they are one
"skipped" row.

``--only NAME[,NAME]`` runs some of them, each named by its function or its module
(``--only attachments``, ``--only desktop,search``); the run's baseline comes along when a
chosen one is shown against it, and the large store is built only when a chosen one reads it.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from bench import (
    attachments,
    calendar,
    client_sync,
    desktop,
    encrypted_store,
    reader_formats,
    records_import,
    reports,
    search,
    server_sync,
    slow_clients,
    store_encryption,
    survey_import,
    survey_reports,
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
    reader_formats.reader_formats,  # its own baseline: openpyxl read-only on the .xlsx
    records_import.records_import,  # its own baseline: RecordFacade.add per row
    reports.reports,  # its own baseline: the same text on a bare reportlab canvas
    survey_reports.survey_reports,  # its own baseline: the same text on a bare canvas
    search.search_figures,  # its own baseline: LIKE over the same rows
    slow_clients.slow_clients_figures,  # its own baseline: /healthz with no slow client
    ui_stall.ui_stall,  # its own baseline: the idle window's loop over the same time
    attachments.attachments,  # its own baseline: the same bytes by plain httpx, a bare endpoint
    calendar.calendar,  # its own baseline: a plain SQL read of the engagements it uses
    # its own baseline: the plaintext store through stdlib sqlite3; skipped without the libraries
    encrypted_store.encrypted_store,
    # its own baseline: the same app code on a plaintext copy of the app's encrypted store
    store_encryption.store_encryption,
)
# Shown against the run's baseline (ctx.baseline_s), which must run before them.
AGAINST_BASELINE: frozenset[Benchmark] = frozenset(
    {desktop.cold_start, desktop.start_to_data, desktop.municipality_switch}
)
# Read the large store (ctx.data_dir); the others make what they measure themselves.
READ_LARGE_STORE: frozenset[Benchmark] = frozenset(
    {desktop.cold_start, desktop.start_to_data, desktop.municipality_switch, ui_stall.ui_stall}
)


def names_of(benchmark: Benchmark) -> set[str]:
    """What ``--only`` knows a benchmark by: its function's name and its module's."""
    return {benchmark.__name__, benchmark.__module__.rsplit(".", 1)[-1]}


def chosen(only: str | None) -> tuple[Benchmark, ...]:
    """The benchmarks ``--only`` names, in the table's order, with the baseline if needed."""
    if only is None:
        return BENCHMARKS
    wanted = {name.strip() for name in only.split(",") if name.strip()}
    known = set().union(*(names_of(b) for b in BENCHMARKS))
    if unknown := wanted - known:
        raise SystemExit(
            f"python -m bench: unknown benchmark {', '.join(sorted(unknown))} "
            f"(known: {', '.join(sorted(known))})"
        )
    picked = [b for b in BENCHMARKS if names_of(b) & wanted]
    if any(b in AGAINST_BASELINE for b in picked) and desktop.baseline not in picked:
        picked.insert(0, desktop.baseline)
    return tuple(picked)


def _progress(message: str) -> None:
    sys.stderr.write(f"bench: {message}\n")
    sys.stderr.flush()


def run(
    *, repeat: int, python: str, benchmarks: tuple[Benchmark, ...] = BENCHMARKS
) -> tuple[list[Row], list[str]]:
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="dxdesk-bench-") as tmp:
        data_dir = Path(tmp) / "data"
        ctx = Context(data_dir=data_dir, python=python, repeat=repeat)
        if any(b in READ_LARGE_STORE for b in benchmarks):
            _progress("building the large store…")
            counts = build_large_store(data_dir)
            ctx.notes.append(f"store: {describe(counts)}, built in {counts.seconds:.1f} s")
            _progress(ctx.notes[-1])
        for benchmark in benchmarks:
            _progress(f"{benchmark.__name__}…")
            rows += benchmark(ctx)
    return rows, ctx.notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--json", action="store_true", help="JSON on stdout, table on stderr")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per start figure")
    parser.add_argument("--python", default=sys.executable, help="interpreter of the app")
    parser.add_argument(
        "--only",
        metavar="NAME[,NAME]",
        help="only these benchmarks (a function's or module's name, e.g. attachments)",
    )
    args = parser.parse_args(argv)
    benchmarks = chosen(args.only)
    started = time.perf_counter()
    rows, notes = run(repeat=max(1, args.repeat), python=args.python, benchmarks=benchmarks)
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
