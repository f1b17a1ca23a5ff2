"""Desktop client sync figures: the app's ``SyncEngine`` against the real server over loopback
HTTPS, on a first sync of 80,000 and of 160,000 records and on incremental syncs of 10 changes.

No PostgreSQL is needed: the server runs on SQLite, as a trial server does. Everything lives in
one temporary folder, removed at the end; the server is a child process, stopped at the end also
on failure or Ctrl+C, and killed by a watchdog if the run passes ``RUN_LIMIT_S``.

- **Server**: ``python -m dxdesk.server --db sqlite:///… serve --dev-tls DIR --port 0`` in a
  child process (``bench.server_setup.serve``), its database prepared as ``dxdesk-server init``
  does, one coordinator account (``admin.add_user``), and N visits written into ``record`` with
  one SQLAlchemy Core bulk insert in one transaction (revisions 1..N in date order,
  ``sync_clock`` set to N), every field a pushed visit stores (``server_setup.visit_fields``:
  Japanese notes of 500-1,500 bytes). Three servers, one after the other: 1,000 records,
  80,000 records and 160,000 records (the last for the first sync and its baseline only: does
  the first sync keep its ratio to the baseline as the store grows?).
- **Client**: the app's code as it runs a sync: ``open_workspace`` on an empty data folder,
  ``SyncApiClient`` (dxdesk.sync.api_client) over an ``httpx.Client`` trusting the dev CA, logged in
  as the coordinator, and ``SyncEngine(store, transport).sync()`` with the app's page size. An
  httpx event hook counts every request the client makes; a thin subclass of ``SyncApiClient``
  times the HTTP part (request out until the body is in) and the wire models (JSON to pydantic);
  the rest of a sync is the engine and its SQLite store.
- **First sync** of 80,000 (and of 160,000) records to an empty device, after one untimed raw
  pull of every page (warms the server's caches, as the baseline's own downloads are warm).
  ``FIRST_ROUNDS`` (3) rounds of a first sync (each to a new empty device) then its baseline,
  alternating so that a burst of load on a shared machine falls on both; the medians of each
  are compared.
  Baseline, same run: (a) the very request bodies the engine sent, replayed in order with plain
  httpx on a fresh device of the same account, reading each answer's bytes and nothing more,
  plus (b) the same rows (read back from the synced store) bulk-inserted into an empty local
  store in one transaction with SQLAlchemy Core ``insert(EngagementRow)``. The baseline thus
  leaves out what the engine has to do besides: validate the JSON into wire models, check each
  record's fields, merge what it already holds, and store the cursor per page (a pulled record
  gets no merge base until it is edited here: dxdesk/models/outbox/).
- **Incremental sync**: another device of the coordinator pushes 10 changes (5 title edits of
  existing visits with their base value and revision, 5 new visits) with plain httpx, untimed;
  then the measured device syncs. One warm-up round, then ``repeat`` timed rounds (median),
  against the 80,000-record store and against a 1,000-record store.

Targets (from the issues): first sync of 80,000 under 15 s; first sync within ×1.3 of the
baseline at 80,000 and at 160,000 records (issue 18; ×3 before); an incremental
sync of 10 changes in at most 3 HTTP requests, under 300 ms, and within ×1.5 of the same against
a 1,000-record store.

``python -m bench.client_sync [--profile]`` runs it alone; ``--profile`` also prints to stderr
cProfile hot spots of one incremental sync and of one first sync (to another empty device) on
the 80,000-record server.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import pstats
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
import traceback
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, insert, select, update

from bench.large_store import PEOPLE
from bench.machine_load import Load, LoadMeter
from bench.report import Context, Row, format_table
from bench.server_setup import (
    COORDINATOR,
    PASSWORD,
    SEED,
    BenchFailure,
    Server,
    serve,
    visit_fields,
)
from bench.server_sync import first_pull, visit_change
from dxdesk.models.tables import EngagementRow
from dxdesk.server import admin
from dxdesk.server.database import connect, initialise
from dxdesk.server.tables import Municipality, Record, SyncClock
from dxdesk.services.workspace import Workspace, open_workspace
from dxdesk.sync.api_client import SyncApiClient
from dxdesk.sync.engine import SyncEngine, SyncSummary
from dxdesk.wire.protocol import (
    DEFAULT_PULL_LIMIT,
    PullRequest,
    PullResponse,
    PushRequest,
    PushResponse,
)

RECORDS = 80_000
SMALL_RECORDS = 1_000
CHANGES = 10  # per incremental round: half edits of existing visits, half new visits
EDITS = CHANGES // 2
INSERT_CHUNK = 5_000  # rows per executemany while filling the server (one transaction)

FIRST_SYNC_TARGET_S = 15.0
FIRST_SYNC_RATIO = 1.3
INCREMENTAL_TARGET_S = 0.300
INCREMENTAL_MAX_REQUESTS = 3
SIZE_RATIO = 1.5
FIRST_ROUNDS = 3  # first syncs and baselines, alternating; their medians are compared

RUN_LIMIT_S = 1800.0  # the watchdog kills the server past this; the client then fails fast
PULL_PATH = "/api/v1/sync/pull"


def progress(message: str) -> None:
    sys.stderr.write(f"bench: client: {message}\n")
    sys.stderr.flush()


# --- the server's data ----------------------------------------------------------------------


@dataclass
class Seeded:
    """What was written into a server: the codes, and each visit's id and title (rev = n + 1)."""

    codes: list[str]
    ids: list[str]
    titles: list[str]
    seconds: float = 0.0
    revs: dict[str, int] = field(default_factory=dict)  # revisions changed since, by id

    def rev(self, n: int) -> int:
        return self.revs.get(self.ids[n], n + 1)


def fill_server(url: str, count: int) -> Seeded:
    """Prepare the database, add the coordinator, write ``count`` visits in one transaction."""
    started = time.perf_counter()
    database = connect(url)
    try:
        initialise(database)
        with database.transaction() as session:
            codes = sorted(session.scalars(select(Municipality.code)))
            admin.add_user(session, name=COORDINATOR, role="coordinator", password=PASSWORD)
            clock = session.get(SyncClock, 1)
            if clock is None or clock.value != 0:
                raise BenchFailure(f"sync_clock of a fresh database is not 0: {clock}")
        rng = random.Random(SEED)
        today = date.today()
        first_day = today - timedelta(days=5 * 365)
        days = sorted(first_day + timedelta(days=rng.randrange(5 * 365)) for _ in range(count))
        ids: list[str] = []
        titles: list[str] = []
        with database.engine.begin() as connection:
            for start in range(0, count, INSERT_CHUNK):
                rows: list[dict[str, Any]] = []
                for n in range(start, min(count, start + INSERT_CHUNK)):
                    day = days[n]
                    code = codes[n % len(codes)]
                    fields = visit_fields(rng, code, day, n)
                    stamp = datetime(day.year, day.month, day.day, 9 + rng.randrange(9), tzinfo=UTC)
                    author = rng.choice(PEOPLE[3:])
                    record_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
                    ids.append(record_id)
                    titles.append(fields["title"])
                    rows.append(
                        {
                            "id": record_id,
                            "kind": "visit",
                            "scope_code": code,
                            "previous_scope_code": None,
                            "fields": fields,
                            "rev": n + 1,
                            "scope_rev": n + 1,  # made in its municipality at its revision
                            "deleted": False,
                            "created_at": stamp,
                            "created_by": author,
                            "updated_at": stamp,
                            "updated_by": author,
                            "updated_device": None,
                        }
                    )
                connection.execute(insert(Record), rows)
            connection.execute(update(SyncClock).where(SyncClock.id == 1).values(value=count))
    finally:
        database.close()
    return Seeded(codes, ids, titles, time.perf_counter() - started)


# --- the device -----------------------------------------------------------------------------


class MeteredApiClient(SyncApiClient):
    """The app's SyncApiClient, timing its HTTP part and each whole call (models included)."""

    def __init__(self, client: httpx.Client) -> None:
        super().__init__(client)
        self.http: list[float] = []  # per request: out until the body is in (SyncApiClient._send)
        self.calls: list[tuple[float, float]] = []  # per push()/pull(): start, end
        self.bytes_in = 0

    def reset(self) -> None:
        self.http = []
        self.calls = []
        self.bytes_in = 0

    def _send(self, method: str, path: str, body: Any, *, retry: bool = True) -> httpx.Response:
        started = time.perf_counter()
        response = super()._send(method, path, body, retry=retry)
        self.http.append(time.perf_counter() - started)
        self.bytes_in += len(response.content)
        return response

    def pull(self, request: PullRequest) -> PullResponse:
        started = time.perf_counter()
        try:
            return super().pull(request)
        finally:
            self.calls.append((started, time.perf_counter()))

    def push(self, request: PushRequest) -> PushResponse:
        started = time.perf_counter()
        try:
            return super().push(request)
        finally:
            self.calls.append((started, time.perf_counter()))


def _ms(value: float) -> str:
    return f"{value * 1000:.0f}"


@dataclass(frozen=True)
class SyncRun:
    seconds: float
    requests: list[str]  # "POST /api/v1/sync/pull", in order
    pull_bodies: list[bytes]  # the body of each pull request, in order
    http: list[float]  # per request: out until the body is in
    calls: list[float]  # per transport call: http plus request JSON and response validation
    after: list[float]  # per transport call: the wait until the next call starts (or the end)
    bytes_in: int
    summary: SyncSummary

    @property
    def http_s(self) -> float:
        return sum(self.http)

    @property
    def models_s(self) -> float:
        return sum(self.calls) - self.http_s

    @property
    def engine_s(self) -> float:
        """The engine and its store: everything of sync() outside the transport's calls."""
        return self.seconds - sum(self.calls)

    def where(self) -> str:
        counts: dict[str, int] = {}
        for request in self.requests:
            counts[request] = counts.get(request, 0) + 1
        return ", ".join(f"{path} ×{n}" for path, n in counts.items()) or "none"

    def trend(self) -> str:
        """First, median and largest per-request HTTP time and the engine's time after each."""

        def three(values: list[float]) -> str:
            if not values:
                return "—"
            return f"{_ms(values[0])}/{_ms(statistics.median(values))}/{_ms(max(values))} ms"

        return (
            f"per request, first/median/max: HTTP {three(self.http)}, wait until the next request "
            f"{three(self.after)}"
        )


class Device:
    """A data folder of the app, logged in to the server as the coordinator."""

    def __init__(self, server: Server, data_dir: Path, name: str) -> None:
        self.server_pid = server.process.pid
        self.workspace: Workspace = open_workspace(data_dir)
        self.log: list[httpx.Request] = []
        self.client = server.client()
        self.client.event_hooks = {"request": [self.log.append], "response": []}
        self.transport = MeteredApiClient(self.client)
        try:
            self.workspace.store.clear_records()  # an empty device, whatever open_store gave
            self.transport.set_token(self.transport.login(COORDINATOR, PASSWORD, name).token)
        except BaseException:
            self.close()
            raise

    def sync(self, profiler: cProfile.Profile | None = None) -> SyncRun:
        self.log.clear()
        transport = self.transport
        transport.reset()
        engine = SyncEngine(self.workspace.store, transport)
        started = time.perf_counter()
        if profiler is not None:
            profiler.enable()
        try:
            summary = engine.sync()
        finally:
            if profiler is not None:
                profiler.disable()
        ended = time.perf_counter()
        starts = [start for start, _ in transport.calls[1:]] + [ended]
        return SyncRun(
            ended - started,
            [f"{r.method} {r.url.path}" for r in self.log],
            [r.content for r in self.log if r.url.path == PULL_PATH],
            list(transport.http),
            [end - start for start, end in transport.calls],
            [following - end for (_, end), following in zip(transport.calls, starts, strict=True)],
            transport.bytes_in,
            summary,
        )

    def visits(self) -> int:
        with self.workspace.store.session() as session:
            return session.scalar(select(func.count()).select_from(EngagementRow)) or 0

    def close(self) -> None:
        self.transport.close()
        self.workspace.close()


@contextlib.contextmanager
def device(server: Server, data_dir: Path, name: str) -> Iterator[Device]:
    made = Device(server, data_dir, name)
    try:
        yield made
    finally:
        made.close()


@contextlib.contextmanager
def watched_server(python: str, url: str, tls_dir: Path, deadline: float) -> Iterator[Server]:
    """``serve``, plus a watchdog that kills the server at ``deadline`` (time.monotonic)."""
    fired = threading.Event()
    with serve(python, url, tls_dir) as server:

        def kill() -> None:
            fired.set()
            server.process.kill()

        watchdog = threading.Timer(max(1.0, deadline - time.monotonic()), kill)
        watchdog.daemon = True
        watchdog.start()
        try:
            yield server
        except Exception as exc:
            if fired.is_set():
                message = f"over {RUN_LIMIT_S:.0f} s: the watchdog killed the server"
                raise BenchFailure(message) from exc
            raise
        finally:
            watchdog.cancel()


# --- the figures ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Baseline:
    download_s: float
    insert_s: float
    requests: int
    bytes_in: int
    rows: int

    @property
    def seconds(self) -> float:
        return self.download_s + self.insert_s


def replay_download(server: Server, bodies: Sequence[bytes]) -> tuple[float, int]:
    """The engine's pull requests again, in order, on a fresh device; bytes read, nothing kept."""
    size = 0
    with server.login(COORDINATOR, "baseline-laptop") as client:
        headers = {"Content-Type": "application/json"}
        started = time.perf_counter()
        for body in bodies:
            answer = client.post(PULL_PATH, content=body, headers=headers)
            if answer.status_code != 200:
                raise BenchFailure(f"replayed pull answered {answer.status_code}: {answer.text}")
            size += len(answer.content)
        return time.perf_counter() - started, size


def baseline_insert(synced: Device, data_dir: Path) -> tuple[float, int]:
    """The synced store's visits, bulk-inserted into an empty store in one transaction."""
    with synced.workspace.store.engine.connect() as connection:
        rows = [dict(row) for row in connection.execute(select(EngagementRow.__table__)).mappings()]
    target = open_workspace(data_dir)
    try:
        target.store.clear_records()
        started = time.perf_counter()
        with target.store.engine.begin() as connection:
            connection.execute(insert(EngagementRow), rows)
        return time.perf_counter() - started, len(rows)
    finally:
        target.close()


def push_changes(client: httpx.Client, seeded: Seeded, round_no: int, rng: random.Random) -> None:
    """Another device's 10 changes: title edits of existing visits (with base value and
    revision) and new visits, in one push."""
    count = len(seeded.ids)
    step = max(1, count // (EDITS * 64))
    changes: list[dict[str, Any]] = []
    for k in range(EDITS):
        n = ((round_no * EDITS + k) * step + round_no) % count
        old = seeded.titles[n]
        new = f"{old}（第{round_no + 1}回追記）"
        change = visit_change(seeded.ids[n], "update", {"title": new}, {"title": old})
        change["base_rev"] = seeded.rev(n)
        changes.append(change)
        seeded.titles[n] = new
    for k in range(CHANGES - EDITS):
        code = seeded.codes[(round_no + k) % len(seeded.codes)]
        fields = visit_fields(rng, code, date.today(), count + round_no * CHANGES + k)
        changes.append(visit_change(str(uuid.uuid4()), "create", fields))
    answer = client.post(
        "/api/v1/sync/push", json={"push_id": str(uuid.uuid4()), "changes": changes}
    )
    if answer.status_code != 200:
        raise BenchFailure(f"the other device's push answered {answer.status_code}: {answer.text}")
    results = answer.json()["results"]
    if any(r["status"] != "applied" for r in results):
        raise BenchFailure(f"the other device's push was not all applied: {results}")
    for result in results:
        seeded.revs[result["id"]] = result["rev"]


@dataclass
class Incremental:
    warmup: SyncRun
    runs: list[SyncRun]

    @property
    def median_s(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def max_requests(self) -> int:
        return max(len(r.requests) for r in [self.warmup, *self.runs])

    def describe(self) -> str:
        def ms(values: Sequence[float]) -> str:
            return f"{statistics.median(values) * 1000:.0f} ms"

        runs = self.runs
        return (
            f"median of {len(runs)} after 1 warm-up ({self.warmup.seconds * 1000:.0f} ms): runs "
            + ", ".join(f"{r.seconds * 1000:.0f}" for r in runs)
            + f" ms; requests per sync: {runs[0].where()}; medians: HTTP "
            f"{ms([r.http_s for r in runs])}, wire models {ms([r.models_s for r in runs])}, "
            f"engine + store {ms([r.engine_s for r in runs])}"
        )


def incremental_rounds(
    server: Server,
    synced: Device,
    seeded: Seeded,
    rounds: int,
    profiler: cProfile.Profile | None = None,
) -> Incremental:
    rng = random.Random(SEED + len(seeded.ids))
    runs: list[SyncRun] = []
    held = synced.visits()
    with server.login(COORDINATOR, "other-laptop") as other:
        for round_no in range(rounds + 1):
            push_changes(other, seeded, round_no, rng)
            run = synced.sync()
            if run.summary.pulled != CHANGES:
                raise BenchFailure(
                    f"an incremental sync pulled {run.summary.pulled} records, not {CHANGES}"
                )
            runs.append(run)
        if profiler is not None:
            push_changes(other, seeded, rounds + 1, rng)
            synced.sync(profiler)
    added = (rounds + 1 + (profiler is not None)) * (CHANGES - EDITS)
    if synced.visits() != held + added:
        raise BenchFailure(f"the device holds {synced.visits()} visits, not {held + added}")
    with synced.workspace.store.session() as session:
        for n, title in enumerate(seeded.titles):
            if title.endswith("回追記）"):
                row = session.get(EngagementRow, seeded.ids[n])
                if row is None or row.title != title:
                    raise BenchFailure(f"visit {seeded.ids[n]} did not get the edited title")
    return Incremental(runs[0], runs[1:])


def profile_text(profiler: cProfile.Profile, head: str) -> str:
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(40)
    return f"=== {head}\n{stream.getvalue()}"


class CpuMeter(LoadMeter):
    """LoadMeter's CPU figures only: this server has no PostgreSQL sessions to sample."""

    def _sample(self) -> None:
        return None


def describe_load(load: Load) -> str:
    if not load.wall_s:
        return ""
    known = load.server_cpu_s + load.bench_cpu_s
    other = max(0.0, load.machine_busy_s - known)
    busy = load.machine_busy_s / (load.cores * load.wall_s) if load.cores else 0.0
    text = (
        f"CPU over {load.wall_s:.1f} s on {load.cores:.0f} cores (1 core = 100%): server "
        f"process {load.server_cpu_s / load.wall_s:.0%}, this process (the app's sync) "
        f"{load.bench_cpu_s / load.wall_s:.0%}, other processes and kernel "
        f"{other / load.wall_s:.0%}; machine {busy:.0%} busy (1-minute load average "
        f"{load.load_before:.1f} before)"
    )
    if load.others:
        text += "; busiest other processes: " + ", ".join(
            f"{name} {cpu / load.wall_s:.0%}" for name, cpu in load.others
        )
    return text


@dataclass
class Results:
    rows: list[Row]
    notes: list[str]
    profile: str = ""


@dataclass
class Measured:
    first: SyncRun
    first_load: Load
    incremental: Incremental | None
    incremental_load: Load | None
    records: int
    warm_pull_s: float = 0.0
    baseline: Baseline | None = None  # the median of baselines
    firsts: list[SyncRun] = field(default_factory=list)  # first is the median of these
    baselines: list[Baseline] = field(default_factory=list)


def first_sync(synced: Device, records: int) -> tuple[SyncRun, Load]:
    """One timed first sync of ``records`` to the empty device ``synced``."""
    progress(f"first sync of {records:,} records…")
    with CpuMeter(synced.server_pid, "") as meter:
        run = synced.sync()
    if run.summary.pulled != records or synced.visits() != records:
        raise BenchFailure(
            f"the first sync pulled {run.summary.pulled} and holds "
            f"{synced.visits()} visits, not {records}"
        )
    progress(f"first sync: {run.seconds:.2f} s, {len(run.requests)} requests")
    return run, meter.result


def measure_server(
    python: str,
    tmp: Path,
    records: int,
    *,
    rounds: int,
    deadline: float,
    notes: list[str],
    with_baseline: bool,
    with_incremental: bool = True,
    profile: list[str] | None = None,
    first_rounds: int = FIRST_ROUNDS,
) -> Measured:
    where = tmp / f"server-{records}"
    url = f"sqlite:///{where / 'server.sqlite3'}"
    progress(f"writing {records:,} records into the SQLite server…")
    seeded = fill_server(url, records)
    size = (where / "server.sqlite3").stat().st_size / 1e6
    notes.append(
        f"client: {records:,}-record server: {records:,} visits over {len(seeded.codes)} "
        f"municipalities written in {seeded.seconds:.1f} s (SQLite file {size:.0f} MB)"
    )
    progress(notes[-1].removeprefix("client: "))
    with watched_server(python, url, where / "tls", deadline) as server:
        warm_s = 0.0
        if with_baseline:
            progress("untimed raw pull of every page (warms the server)…")
            with server.login(COORDINATOR, "warm-up-laptop") as client:
                warm = first_pull(client, DEFAULT_PULL_LIMIT)
            warm_s = warm.seconds
        with device(server, tmp / f"device-{records}", "bench-laptop") as synced:
            firsts: list[SyncRun] = []
            loads: list[Load] = []
            baselines: list[Baseline] = []
            for round_no in range(first_rounds if with_baseline else 1):
                # Alternating engine, baseline, engine, …: a burst of load on this shared machine
                # falls on both sides, and the medians are compared.
                if round_no == 0:
                    run, load = first_sync(synced, records)
                else:
                    with device(server, tmp / f"device-{records}-{round_no}", "bench-laptop") as d:
                        run, load = first_sync(d, records)
                    shutil.rmtree(tmp / f"device-{records}-{round_no}", ignore_errors=True)
                firsts.append(run)
                loads.append(load)
                if with_baseline:
                    progress("baseline: the same pull requests replayed, then one bulk insert…")
                    download_s, size_in = replay_download(server, run.pull_bodies)
                    if size_in != run.bytes_in:
                        notes.append(
                            f"client: the replay read {size_in:,} bytes, "
                            f"the engine {run.bytes_in:,}"
                        )
                    target = tmp / f"baseline-store-{records}-{round_no}"
                    insert_s, rows = baseline_insert(synced, target)
                    shutil.rmtree(target, ignore_errors=True)
                    baselines.append(
                        Baseline(download_s, insert_s, len(run.pull_bodies), size_in, rows)
                    )
                    progress(
                        f"baseline: {baselines[-1].seconds:.2f} s (download {download_s:.2f} s, "
                        f"insert {insert_s:.2f} s)"
                    )
                if time.monotonic() > deadline:
                    raise BenchFailure(f"over {RUN_LIMIT_S:.0f} s in the first syncs")
            middle = sorted(range(len(firsts)), key=lambda n: firsts[n].seconds)[len(firsts) // 2]
            first, first_load = firsts[middle], loads[middle]
            baseline = None
            if baselines:
                baseline = sorted(baselines, key=lambda b: b.seconds)[len(baselines) // 2]
            if not with_incremental:
                return Measured(
                    first, first_load, None, None, records, warm_s, baseline, firsts, baselines
                )
            if time.monotonic() > deadline:
                raise BenchFailure(f"over {RUN_LIMIT_S:.0f} s before the incremental syncs")
            progress(f"incremental syncs of {CHANGES} changes, 1 + {rounds} rounds…")
            profiler = cProfile.Profile() if profile is not None else None
            with CpuMeter(server.process.pid, "") as incremental_meter:
                incremental = incremental_rounds(server, synced, seeded, rounds, profiler)
            progress(incremental.describe())
            if profile is not None and profiler is not None:
                profile.append(
                    profile_text(
                        profiler, f"one incremental sync of {CHANGES} changes, {records:,} records"
                    )
                )
                profiler = cProfile.Profile()
                progress("profiling a first sync to another empty device…")
                with device(server, tmp / "device-profiled", "profiled-laptop") as fresh:
                    run = fresh.sync(profiler)
                profile.append(
                    profile_text(
                        profiler,
                        f"a first sync of {records:,} records under cProfile "
                        f"({run.seconds:.1f} s with the profiler on)",
                    )
                )
    return Measured(
        first,
        first_load,
        incremental,
        incremental_meter.result,
        records,
        warm_s,
        baseline,
        firsts,
        baselines,
    )


def first_sync_rows(measured: Measured, *, absolute_target: float | None) -> list[Row]:
    first, baseline = measured.first, measured.baseline
    assert baseline is not None
    records = measured.records
    breakdown = (
        f"{len(first.requests)} requests ({first.where()}), {first.bytes_in / 1e6:.0f} MB; "
        f"in the thread that fetches the next page while a page is stored: HTTP (request out "
        f"until the body is in) {first.http_s:.2f} s, wire models (JSON to pydantic) "
        f"{first.models_s:.2f} s; "
        f"{records / first.seconds:,.0f} records/s; {first.trend()}"
    )
    return [
        Row(
            f"client: first sync, {records:,} records to an empty device",
            first.seconds,
            target_s=absolute_target,
            baseline_s=baseline.seconds,
            detail=breakdown,
        ),
        Row(
            f"client: first sync, {records:,} records, within ×{FIRST_SYNC_RATIO:g} of baseline",
            first.seconds,
            target_s=FIRST_SYNC_RATIO * baseline.seconds,
            baseline_s=baseline.seconds,
            detail=(
                f"target = {FIRST_SYNC_RATIO:g} × baseline; medians of {len(measured.firsts)} "
                f"alternating rounds: first syncs "
                + ", ".join(f"{r.seconds:.2f}" for r in measured.firsts)
                + " s; baselines "
                + ", ".join(f"{b.seconds:.2f}" for b in measured.baselines)
                + " s"
            ),
        ),
        Row(
            f"client: baseline, {records:,} records: the same pull bytes by plain httpx + one "
            "bulk insert",
            baseline.seconds,
            baseline_s=baseline.seconds,
            detail=(
                f"download {baseline.download_s:.2f} s: the engine's {baseline.requests} pull "
                f"request bodies replayed in order on another device of the same account, "
                f"{baseline.bytes_in / 1e6:.0f} MB read, nothing decoded or kept; insert "
                f"{baseline.insert_s:.2f} s: the same {baseline.rows:,} rows (read back from the "
                "synced store) into an empty local store, SQLAlchemy Core insert(EngagementRow) "
                "in one transaction (no record_base, no per-page cursor, no validation); "
                f"a raw pull with JSON decoding took {measured.warm_pull_s:.2f} s (untimed warm-up)"
            ),
        ),
    ]


def rows_for(big: Measured, small: Measured, large: Measured) -> list[Row]:
    records = big.records
    incremental_big = big.incremental
    incremental_small = small.incremental
    assert incremental_big is not None and incremental_small is not None
    return [
        *first_sync_rows(big, absolute_target=FIRST_SYNC_TARGET_S),
        *first_sync_rows(large, absolute_target=None),
        Row(
            f"client: incremental sync, {CHANGES} changes, {records:,}-record store, requests",
            float(incremental_big.max_requests),
            target_s=float(INCREMENTAL_MAX_REQUESTS + 1),
            unit="count",
            detail=(
                f"most of any sync (warm-up included), counted by an httpx event hook; "
                f"{incremental_big.runs[0].where()}"
            ),
        ),
        Row(
            f"client: incremental sync, {CHANGES} changes, {small.records:,}-record store",
            incremental_small.median_s,
            target_s=INCREMENTAL_TARGET_S,
            detail=incremental_small.describe(),
        ),
        Row(
            f"client: incremental sync, {CHANGES} changes, {records:,}-record store",
            incremental_big.median_s,
            target_s=INCREMENTAL_TARGET_S,
            baseline_s=incremental_small.median_s,
            detail=incremental_big.describe(),
        ),
        Row(
            f"client: incremental sync, {records:,} within ×{SIZE_RATIO:g} of "
            f"{small.records:,} records",
            incremental_big.median_s,
            target_s=SIZE_RATIO * incremental_small.median_s,
            baseline_s=incremental_small.median_s,
            detail=(
                f"target = {SIZE_RATIO:g} × the {small.records:,}-record median; requests "
                f"there: at most {incremental_small.max_requests}"
            ),
        ),
    ]


def measure(python: str, *, repeat: int, profile: bool = False, records: int = RECORDS) -> Results:
    deadline = time.monotonic() + RUN_LIMIT_S
    notes: list[str] = []
    profiles: list[str] | None = [] if profile else None
    rounds = max(3, repeat)
    with tempfile.TemporaryDirectory(prefix="dxdesk-bench-client-") as tmp_name:
        tmp = Path(tmp_name)
        small = measure_server(
            python,
            tmp,
            min(SMALL_RECORDS, records),
            rounds=rounds,
            deadline=deadline,
            notes=notes,
            with_baseline=False,
        )
        notes.append(
            f"client: {small.records:,}-record server: first sync {small.first.seconds:.2f} s, "
            f"{len(small.first.requests)} requests"
        )
        big = measure_server(
            python,
            tmp,
            records,
            rounds=rounds,
            deadline=deadline,
            notes=notes,
            with_baseline=True,
            profile=profiles,
        )
        large = measure_server(
            python,
            tmp,
            2 * records,  # the first sync and its baseline again, at twice the size
            rounds=rounds,
            deadline=deadline,
            notes=notes,
            with_baseline=True,
            with_incremental=False,
        )
    for label, load in (
        (f"first sync of {records:,}", big.first_load),
        (f"incremental syncs against {records:,}", big.incremental_load),
        (f"first sync of {large.records:,}", large.first_load),
    ):
        if load is not None and load.wall_s:
            notes.append(f"client: {label}: {describe_load(load)}")
    return Results(rows_for(big, small, large), notes, "\n".join(profiles or []))


def failed_rows(exc: BaseException) -> list[Row]:
    traceback.print_exception(exc, file=sys.stderr)
    message = " ".join(str(exc).split())[:300]
    return [Row("client sync: FAILED", None, detail=f"{type(exc).__name__}: {message}")]


def client_sync(ctx: Context) -> list[Row]:
    """Registered in ``bench.__main__``: the client sync figures, or one failed row."""
    try:
        results = measure(ctx.python, repeat=ctx.repeat)
    except Exception as exc:  # the other figures of the same run still get printed
        return failed_rows(exc)
    ctx.notes += results.notes
    return results.rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.client_sync", description=(__doc__ or "").split("\n\n")[0]
    )
    parser.add_argument("--profile", action="store_true", help="cProfile the syncs (stderr)")
    parser.add_argument("--repeat", type=int, default=5, help="timed incremental syncs")
    parser.add_argument("--records", type=int, default=RECORDS, help=argparse.SUPPRESS)
    parser.add_argument("--python", default=sys.executable, help="interpreter of the server")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    status = 0
    profile = ""
    try:
        results = measure(
            args.python,
            repeat=args.repeat,
            profile=args.profile,
            records=max(SMALL_RECORDS, args.records),
        )
        rows, notes, profile = results.rows, results.notes, results.profile
    except Exception as exc:
        rows, notes, status = failed_rows(exc), [], 1
    notes.append(f"whole run: {time.perf_counter() - started:.1f} s")
    if profile:
        sys.stderr.write(profile + "\n")
    sys.stdout.write(format_table(rows) + "\n\n" + "\n".join(notes) + "\n")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
