"""Attachment figures (issue 19): DX Desk's sync of files against plain httpx moving the same
bytes, the memory of both processes during a 100 MB transfer, and a first sync with 2 GB of
files to fetch whose records are not kept waiting by them.

No PostgreSQL is needed (the server on SQLite, as a trial server; ``DXDESK_BENCH_PG`` runs the
same against a scratch PostgreSQL database instead). Everything lives in one temporary folder,
removed at the end; the servers are child processes, stopped at the end also on failure.

- **Setup**: random bytes (incompressible, each file distinct): 200 files of 1 MiB, one of
  100 MiB (the largest file the app takes, ``MAX_FILE_BYTES``), and for the first sync 38 of
  46 MiB, so that with the others 2 GiB wait, exactly the default budget (12 months, 2,048 MB).
  The real server (``bench.server_setup.serve``: ``dxdesk-server serve --dev-tls``) with
  ``RECORDS`` visits and its coordinator (``bench.client_sync.fill_server``), and the bare
  endpoint (``bench.bare_endpoint``) with the very same certificate. A laptop of the
  coordinator (the app's workspace, logged in) pulls the visits, attaches the files with
  ``Workspace.attachments.attach`` and pushes their records (untimed).
- **Transfers** (timed, each in a child process of its own, ``bench.attachment_side``, so that
  its peak RSS is the transfer's): up, DX Desk's ``upload_pending`` (8 MiB pieces, each a PUT
  the server stores and at the end verifies); down, on a second laptop of the same account that
  pulled the records with the budget off, ``download_one`` of each attachment (a partial file,
  its hash checked, then renamed into the file store). Baseline, same run, alternating with
  them: the same files with plain httpx, each one streamed PUT to the bare endpoint (which
  hashes and discards it) and one streamed GET (hashed and discarded). Target: within ×1.5.
- **Memory** during the 100 MB transfers: the peak RSS of the client's process (its kernel
  high-water mark, reset just before the transfer) and of the server's process (the same,
  reset from here through /proc), each under 150 MB.
- **Records first**: a first sync of a new laptop as the app runs it (``SyncEngine.sync``: the
  records, then the files within the budget), with the 2 GiB waiting: seconds from its start
  until the engine tells the records are in (``records_done``, when the window refreshes its
  lists; the detail also gives when all were stored, read every 10 ms by a thread on its own
  connection), against the same first sync of a laptop with the budget off (nothing to fetch),
  one before and two after (their median; after one untimed, which warms the server after the
  gigabytes just written). Target: within ×1.5 of it; and at the end every file is there,
  2 GiB, or the benchmark fails.

``python -m bench.attachments`` runs it alone.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.attachment_runs import (
    OFF,
    FirstSync,
    Laptop,
    TransferRun,
    first_sync_timed,
    make_files,
    peak_of,
    run_side,
)
from bench.bare_endpoint import BareServer, bare_server
from bench.client_sync import fill_server, watched_server
from bench.report import Context, Row, run_alone
from bench.server_setup import BenchFailure, progress, scratch_database
from dxdesk.domain.records import MAX_FILE_BYTES
from dxdesk.sync.file_budget import FileBudget

MiB = 1 << 20
SMALL_COUNT = 200
SMALL_BYTES = MiB
BIG_BYTES = MAX_FILE_BYTES
AHEAD_COUNT = 38
AHEAD_BYTES = 46 * MiB  # 200 × 1 + 100 + 38 × 46 = 2,048 MiB, the default budget
RECORDS = 10_000
TRANSFER_RATIO = 1.5
MEMORY_TARGET_MB = 150.0
RECORDS_FIRST_RATIO = 1.5
RUN_LIMIT_S = 900.0
PG_ENV = "DXDESK_BENCH_PG"


@contextlib.contextmanager
def _database(tmp: Path) -> Iterator[tuple[str, str]]:
    admin_url = os.environ.get(PG_ENV)
    if not admin_url:
        yield f"sqlite:///{tmp / 'server.sqlite3'}", "SQLite"
        return
    with scratch_database(admin_url) as url:
        yield url, "PostgreSQL"


def measure(python: str) -> tuple[list[Row], list[str]]:
    deadline = time.monotonic() + RUN_LIMIT_S
    notes: list[str] = []
    with (
        tempfile.TemporaryDirectory(prefix="dxdesk-bench-files-") as tmp_name,
        _database(Path(tmp_name)) as (url, kind),
    ):
        tmp = Path(tmp_name)
        source = tmp / "source"
        progress("writing the files…")
        small = make_files(source, "small", SMALL_COUNT, SMALL_BYTES)
        [big] = make_files(source, "big", 1, BIG_BYTES)
        progress(f"writing {RECORDS:,} visits into the {kind} server…")
        seeded = fill_server(url, RECORDS)
        tls = tmp / "tls"
        with (
            watched_server(python, url, tls, deadline) as server,
            bare_server(python, source, tls) as bare,
        ):
            office = Laptop.new(server, tmp / "office", "office")
            office.first_sync()
            rows = _transfers(python, office, bare, tmp, seeded.ids, small, big, kind)
            progress("writing the files for the first sync…")
            ahead = make_files(source, "ahead", AHEAD_COUNT, AHEAD_BYTES)
            rows += _records_first(office, tmp, seeded.ids, ahead, kind, notes)
        notes.append(f"attachments: the server on {kind}; {_describe_machine()}")
    return rows, notes


def _transfers(
    python: str,
    office: Laptop,
    bare: BareServer,
    tmp: Path,
    visits: list[str],
    small: list[Path],
    big: Path,
    kind: str,
) -> list[Row]:
    server = office.server
    runs: dict[str, TransferRun] = {}
    floors: dict[str, list[TransferRun]] = {}
    plain = {"base_url": bare.base_url, "ca": str(bare.ca)}

    def floor(key: str, job: dict[str, Any]) -> None:
        with peak_of(bare.process.pid) as bare_peak:
            run = run_side(python, {**job, **plain})
        run.server_peak_mb, run.server_before_mb = bare_peak.mb, bare_peak.before_mb
        floors.setdefault(key, []).append(run)

    def measured(key: str, job: dict[str, Any], floor_job: dict[str, Any]) -> None:
        floor(key, floor_job)  # one plain run before, two after: a burst of load falls on both
        with peak_of(server.process.pid) as server_peak:
            runs[key] = run_side(python, job)
        runs[key].server_peak_mb = server_peak.mb
        runs[key].server_before_mb = server_peak.before_mb
        floor(key, floor_job)
        floor(key, floor_job)
        floors[key].sort(key=lambda r: r.seconds)
        progress(f"{key}: {runs[key].describe()}; plain median {floors[key][1].describe()}")

    for name, paths, visit in (("small", small, visits[0]), ("big", [big], visits[1])):
        progress(f"attaching and pushing {len(paths)} file(s)…")
        office.attach_and_push(visit, paths)
        size = sum(p.stat().st_size for p in paths)
        put = {"do": "plain-put", "paths": [str(p) for p in paths]}
        measured(f"up-{name}", office.job("upload", bytes=size), put)
    home = Laptop.new(server, tmp / "home", "home")
    home.first_sync()
    for name, paths in (("small", small), ("big", [big])):
        ids = home.attachment_ids([p.name for p in paths])
        size = sum(p.stat().st_size for p in paths)
        get = {"do": "plain-get", "names": [p.name for p in paths]}
        home.check_absent(ids)
        measured(f"down-{name}", home.job("download", ids=ids, bytes=size), get)
        home.check_present(ids)
    return _transfer_rows(runs, floors, kind)


def _transfer_rows(
    runs: dict[str, TransferRun], floors: dict[str, list[TransferRun]], kind: str
) -> list[Row]:
    rows: list[Row] = []
    what = {"small": f"{SMALL_COUNT} × 1 MB", "big": "one file of 100 MB"}
    for way, verb in (("up", "upload"), ("down", "download")):
        for name in ("small", "big"):
            run, plains = runs[f"{way}-{name}"], floors[f"{way}-{name}"]
            rows.append(
                Row(
                    f"attachments ({kind}): {verb} {what[name]}, within ×{TRANSFER_RATIO:g}",
                    run.seconds,
                    target_s=TRANSFER_RATIO * plains[1].seconds,
                    baseline_s=plains[1].seconds,
                    detail=(
                        f"DX Desk {run.describe()}; plain httpx, median of 3 (one before, two "
                        f"after; {', '.join(f'{r.seconds:.2f}' for r in plains)} s): "
                        f"{plains[1].describe()}"
                    ),
                )
            )
    for way, verb in (("up", "upload"), ("down", "download")):
        run, plain = runs[f"{way}-big"], floors[f"{way}-big"][1]
        rows.append(
            Row(
                f"attachments ({kind}): client peak RSS, 100 MB {verb} (MB)",
                run.peak_rss_mb,
                target_s=MEMORY_TARGET_MB,
                unit="count",
                detail=(
                    f"the whole client process, {run.rss_before_mb:.0f} MB before; a plain "
                    f"httpx client: {plain.rss_before_mb:.0f} MB before, peak "
                    f"{plain.peak_rss_mb:.0f} MB"
                ),
            )
        )
        rows.append(
            Row(
                f"attachments ({kind}): server peak RSS, 100 MB {verb} (MB)",
                run.server_peak_mb,
                target_s=MEMORY_TARGET_MB,
                unit="count",
                detail=(
                    f"the server process, {run.server_before_mb:.0f} MB before; the bare "
                    f"endpoint with plain httpx: {plain.server_before_mb:.0f} MB before, peak "
                    f"{plain.server_peak_mb:.0f} MB"
                ),
            )
        )
    return rows


def _records_first(
    office: Laptop, tmp: Path, visits: list[str], ahead: list[Path], kind: str, notes: list[str]
) -> list[Row]:
    progress(f"attaching, pushing and uploading {len(ahead)} files of {AHEAD_BYTES // MiB} MiB…")
    for n, path in enumerate(ahead):
        office.attach_and_push(visits[2 + n], [path])
    office.upload_here()
    attachments = SMALL_COUNT + 1 + len(ahead)
    # An untimed first sync warms the server after the gigabytes just written (its caches; on
    # PostgreSQL the checkpoint and autovacuum they set off); then without, with, and twice
    # without files, the median of the three without being the baseline.
    runs: list[FirstSync] = []
    for n, budget in enumerate((OFF, OFF, FileBudget(), OFF, OFF)):
        laptop = Laptop.new(office.server, tmp / f"first-{n}", f"first-{n}")
        runs.append(
            first_sync_timed(laptop, visits=RECORDS, attachments=attachments, budget=budget)
        )
        shutil.rmtree(laptop.data_dir, ignore_errors=True)
        shown = "without files" if budget.off else "with the files (the default budget)"
        progress(f"first sync {shown}{' (warm-up)' if n == 0 else ''}: {runs[-1].describe()}")
    with_files = runs[2]
    withouts = sorted((runs[1], runs[3], runs[4]), key=lambda r: r.told_s)
    without = withouts[1].told_s
    expected = SMALL_COUNT * SMALL_BYTES + BIG_BYTES + AHEAD_COUNT * AHEAD_BYTES
    if with_files.files_bytes != expected:
        raise BenchFailure(
            f"the first sync fetched {with_files.files_bytes:,} bytes, not {expected:,}"
        )
    notes.append(
        f"attachments ({kind}): first sync with the files: all {with_files.files} files "
        f"({with_files.files_bytes / 2**30:.2f} GiB) there {with_files.total_s:.1f} s after "
        "its start"
    )
    return [
        Row(
            f"attachments ({kind}): first sync, records in with 2 GiB of files waiting",
            with_files.told_s,
            target_s=RECORDS_FIRST_RATIO * without,
            baseline_s=without,
            detail=(
                f"{with_files.records:,} records ({RECORDS:,} visits, "
                f"{with_files.attachments} attachments); with the files: "
                f"{with_files.describe()}; baseline: the same first sync with the budget off, "
                f"median of one before and two after ({runs[1].told_s:.2f}, "
                f"{runs[3].told_s:.2f}, {runs[4].told_s:.2f} s; an untimed one first: "
                f"{runs[0].told_s:.2f} s); measured: until the engine tells the records are in "
                "(records_done, when the window refreshes), from the start of SyncEngine.sync()"
            ),
        )
    ]


def _describe_machine() -> str:
    load = os.getloadavg()[0]
    return f"{os.cpu_count()} cores, 1-minute load average {load:.1f} at the end"


def failed_rows(exc: BaseException) -> list[Row]:
    traceback.print_exception(exc, file=sys.stderr)
    message = " ".join(str(exc).split())[:300]
    return [Row("attachments: FAILED", None, detail=f"{type(exc).__name__}: {message}")]


def attachments(ctx: Context) -> list[Row]:
    """Registered in ``bench.__main__``: the attachment figures, or one failed row."""
    try:
        rows, notes = measure(ctx.python or sys.executable)
    except Exception as exc:  # the other figures of the same run still get printed
        return failed_rows(exc)
    ctx.notes += notes
    return rows


if __name__ == "__main__":
    run_alone(attachments, prog="python -m bench.attachments")
