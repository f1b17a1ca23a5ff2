"""Server sync figures on PostgreSQL: a first pull of 80,000 records, a push of 1,000 changes,
and 50 clients syncing at once, against the real server over TLS on 127.0.0.1.

PostgreSQL comes from ``DXDESK_BENCH_PG`` (a URL whose user may create databases, e.g.
``postgresql+psycopg://dxdesk:dxdesk@127.0.0.1/postgres``); without it the figures are one
"skipped" row. Each run makes a scratch database, prepares it as ``dxdesk-server init`` does,
and drops it at the end, also on failure or Ctrl+C. The whole run takes about 75 s on two cores
and stops itself (request timeouts, a 300 s cap on the 50 clients, a 600 s cap on the run).

The server is ``python -m dxdesk.server serve --dev-tls`` in a child process, as deployed: its
own interpreter, so the client threads of this process do not share its GIL. Clients are httpx
over TLS verified against the dev CA.

- **Records**: 80,000 visits over the 30 roster municipalities, written straight into the
  ``record`` table with COPY (revisions 1..N in date order, ``sync_clock`` set to N), with every
  field a pushed visit stores: date, type, mode, title, attendees on both sides, themes, summary
  and Japanese notes of 500-1,500 bytes (UTF-8). Then ``VACUUM ANALYZE``, as autovacuum would.
- **First pull**: a coordinator's new device pulls every page until ``more`` is false, once with
  the largest page the protocol allows (``MAX_PULL_LIMIT``, 5,000) and once with the app's
  default (1,000). The client decodes each page's JSON and stores nothing.
  Baseline: the same rows read with one plain ``SELECT … FROM record ORDER BY rev`` (psycopg,
  JSONB decoded) and serialised with ``json.dumps``; median of 3 after one warm-up run.
- **Push**: the coordinator's device pushes 1,000 visit creates in one request.
- **50 clients**: 50 advisors (3 municipalities each, 5 advisors per municipality), one device
  each, already synced. Each runs 20 sync rounds back to back with no pause, shaped as the app's
  sync engine does it (the whole outbox in one push, then pull until ``more`` is false): push
  one change (even rounds create a visit, odd rounds edit that visit's title with its base value
  and revision), then pull. Latencies are per request; any non-200 answer or transport error is
  an error. For reference, one client first does the same rounds alone, after 20 ``GET
  /healthz``: the floor of any request. While the 50 run, the notes give CPU per process (server,
  bench clients, this database's PostgreSQL backends, the busiest others) and the mean number
  of PostgreSQL sessions waiting on a lock (pushes queued on the ``sync_clock`` row).

The targets are this benchmark's own proposal (neither DESIGN.md nor the issue gives one):
first pull under 60 s, the 1,000-change push under 5 s, p95 of a push or a pull request under
1 s with all 50 clients syncing at once, and no errors.

Setting up (database, records, accounts, the server process) is in ``bench.server_setup``; the
CPU and PostgreSQL-session figures of the 50 clients in ``bench.machine_load``.

``python -m bench.server_sync [--profile]`` runs it alone; ``--profile`` also prints to stderr
cProfile hot spots of the server's work for one pull page and for the 1,000-change push (the
route's code called in this process; the push rolled back).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import statistics
import sys
import tempfile
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx
from pydantic import TypeAdapter
from sqlalchemy import select
from sqlalchemy.orm import Session

from bench.machine_load import Load, LoadMeter
from bench.report import Context, Row, format_table
from bench.server_setup import (
    CLIENTS,
    COORDINATOR,
    SEED,
    BenchFailure,
    Server,
    add_accounts,
    baseline_select_json,
    insert_records,
    laptop_address,
    libpq_url,
    progress,
    scratch_database,
    serve,
    visit_fields,
)
from bench.timing import percentile
from dxdesk.server.auth import Caller
from dxdesk.server.database import ServerDatabase, connect, initialise
from dxdesk.server.pull import pull
from dxdesk.server.push import apply_push
from dxdesk.server.tables import Account, Municipality
from dxdesk.wire.protocol import (
    DEFAULT_PULL_LIMIT,
    MAX_PULL_LIMIT,
    PullRequest,
    PullResponse,
    PushRequest,
)

PG_ENV = "DXDESK_BENCH_PG"
RECORDS = 80_000
PUSH_CHANGES = 1_000
ROUNDS = 20  # sync rounds per client, one change pushed in each
PAGE = MAX_PULL_LIMIT

PULL_TARGET_S = 60.0
PUSH_TARGET_S = 5.0
LATENCY_P95_TARGET_S = 1.0

RUN_LIMIT_S = 600.0  # stop with an error rather than run on


# --- the figures ----------------------------------------------------------------------------


@dataclass
class PullRun:
    seconds: float
    records: int
    pages: int
    megabytes: float
    cursor: str
    page_s: list[float] = field(default_factory=list)  # request until the body is in
    decode_s: list[float] = field(default_factory=list)  # response.json()
    cursors: list[str | None] = field(default_factory=list)  # the cursor each page was asked with


def first_pull(client: httpx.Client, limit: int) -> PullRun:
    cursor: str | None = None
    run = PullRun(0.0, 0, 0, 0.0, "")
    size = 0
    started = time.perf_counter()
    while True:
        run.cursors.append(cursor)
        asked = time.perf_counter()
        answer = client.post("/api/v1/sync/pull", json={"cursor": cursor, "limit": limit})
        received = time.perf_counter()
        if answer.status_code != 200:
            raise BenchFailure(f"pull answered {answer.status_code}: {answer.text[:500]}")
        page = answer.json()
        run.decode_s.append(time.perf_counter() - received)
        run.page_s.append(received - asked)
        size += len(answer.content)
        run.records += len(page["records"])
        run.pages += 1
        cursor = page["cursor"]
        if not page["more"]:
            break
    run.seconds = time.perf_counter() - started
    run.megabytes = size / 1_000_000
    run.cursor = cursor
    return run


def visit_change(
    record_id: str, op: str, fields: dict[str, Any], base: dict[str, Any] | None = None
) -> dict[str, Any]:
    change: dict[str, Any] = {
        "kind": "visit",
        "id": record_id,
        "op": op,
        "fields": {
            name: {"value": value, **({"base": base[name]} if base else {})}
            for name, value in fields.items()
        },
    }
    return change


def _new_visit(rng: random.Random, code: str, n: int) -> dict[str, Any]:
    return visit_fields(rng, code, date.today(), n)


def push_thousand(client: httpx.Client, codes: Sequence[str]) -> tuple[float, int]:
    rng = random.Random(SEED + 1)
    changes = [
        visit_change(str(uuid.uuid4()), "create", _new_visit(rng, codes[n % len(codes)], n))
        for n in range(PUSH_CHANGES)
    ]
    body = {"push_id": str(uuid.uuid4()), "changes": changes}
    started = time.perf_counter()
    answer = client.post("/api/v1/sync/push", json=body)
    elapsed = time.perf_counter() - started
    if answer.status_code != 200:
        raise BenchFailure(f"push of {PUSH_CHANGES} answered {answer.status_code}: {answer.text}")
    applied = sum(r["status"] == "applied" for r in answer.json()["results"])
    if applied != PUSH_CHANGES:
        raise BenchFailure(f"push of {PUSH_CHANGES}: only {applied} applied")
    return elapsed, len(json.dumps(body, ensure_ascii=False).encode())


@dataclass
class Concurrent:
    seconds: float = 0.0
    push_s: list[float] = field(default_factory=list)
    pull_s: list[float] = field(default_factory=list)
    health_s: list[float] = field(default_factory=list)  # GET /healthz: the floor of a request
    errors: list[str] = field(default_factory=list)
    pulled: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def _sync_rounds(
    client: httpx.Client,
    codes: Sequence[str],
    cursor: str,
    seed: int,
    start: threading.Barrier | None,
    out: Concurrent,
) -> None:
    rng = random.Random(seed)
    pushes: list[float] = []
    pulls: list[float] = []
    errors: list[str] = []
    pulled = 0
    last: tuple[str, str, int] | None = None  # id, title, rev of the visit made last round

    def post(path: str, body: dict[str, Any], times: list[float]) -> dict[str, Any] | None:
        started = time.perf_counter()
        try:
            answer = client.post(path, json=body)
        except httpx.HTTPError as exc:
            errors.append(f"{path}: {exc!r}")
            return None
        times.append(time.perf_counter() - started)
        if answer.status_code != 200:
            errors.append(f"{path}: {answer.status_code} {answer.text[:300]}")
            return None
        result: dict[str, Any] = answer.json()
        return result

    try:
        if start is not None:
            start.wait(timeout=60)
        for n in range(ROUNDS):
            if last is None:
                record_id = str(uuid.uuid4())
                fields = _new_visit(rng, rng.choice(codes), n)
                change = visit_change(record_id, "create", fields)
                title = fields["title"]
            else:
                record_id, old_title, rev = last
                title = f"{old_title}（追記）"
                change = visit_change(record_id, "update", {"title": title}, {"title": old_title})
                change["base_rev"] = rev
            answer = post(
                "/api/v1/sync/push", {"push_id": str(uuid.uuid4()), "changes": [change]}, pushes
            )
            if answer is not None and last is None:
                last = (record_id, title, answer["results"][0]["rev"])
            else:
                last = None
            while True:
                page = post("/api/v1/sync/pull", {"cursor": cursor, "limit": PAGE}, pulls)
                if page is None:
                    break
                pulled += len(page["records"])
                cursor = page["cursor"]
                if not page["more"]:
                    break
    except Exception as exc:
        errors.append(f"client thread: {exc!r}")
    finally:
        with out.lock:
            out.push_s += pushes
            out.pull_s += pulls
            out.errors += errors
            out.pulled += pulled


def solo_client(server: Server, name: str, codes: Sequence[str], synced_cursor: str) -> Concurrent:
    """The same rounds by one client alone: what a push and a pull cost without contention."""
    out = Concurrent()
    with server.login(name, f"{name}-solo") as client:
        cursor = _catch_up(client, synced_cursor)
        for _ in range(ROUNDS):
            started = time.perf_counter()
            answer = client.get("/healthz")
            out.health_s.append(time.perf_counter() - started)
            if answer.status_code != 200:
                out.errors.append(f"/healthz: {answer.status_code} {answer.text[:300]}")
        began = time.perf_counter()
        _sync_rounds(client, codes, cursor, SEED - 1, None, out)
        out.seconds = time.perf_counter() - began
    return out


def fifty_clients(
    server: Server, url: str, plan: dict[str, list[str]], synced_cursor: str
) -> tuple[Concurrent, float, Load]:
    """Log each advisor in and bring its device up to date (untimed), then sync all at once."""
    prepared = time.perf_counter()
    clients: dict[str, tuple[httpx.Client, str]] = {}
    try:
        for index, name in enumerate(plan):
            client = server.login(name, f"{name}-laptop", laptop_address(index))
            clients[name] = (client, _catch_up(client, synced_cursor))
        setup_s = time.perf_counter() - prepared
        out = Concurrent()
        start = threading.Barrier(len(clients) + 1)
        threads = [
            threading.Thread(
                target=_sync_rounds,
                args=(client, plan[name], cursor, SEED + i, start, out),
                daemon=True,
            )
            for i, (name, (client, cursor)) in enumerate(clients.items())
        ]
        for thread in threads:
            thread.start()
        with LoadMeter(server.process.pid, libpq_url(url)) as meter:
            start.wait(timeout=60)
            began = time.perf_counter()
            deadline = began + 300
            for thread in threads:
                thread.join(timeout=max(0.0, deadline - time.perf_counter()))
            out.seconds = time.perf_counter() - began
        stuck = sum(thread.is_alive() for thread in threads)
        if stuck:
            out.errors.append(f"{stuck} client threads still running after 300 s")
        return out, setup_s, meter.result
    finally:
        for client, _ in clients.values():
            client.close()


def _catch_up(client: httpx.Client, cursor: str) -> str:
    """Pull from a server-issued cursor until up to date; returns the device's cursor.

    The cursor is the coordinator's after its first pull: the advisor's device thus behaves as
    one that has synced before (the server evicts the municipalities it is not assigned, which
    the device does not hold, and sends what was pushed since).
    """
    current: str = cursor
    while True:
        answer = client.post("/api/v1/sync/pull", json={"cursor": current, "limit": PAGE})
        if answer.status_code != 200:
            raise BenchFailure(f"catch-up pull answered {answer.status_code}: {answer.text}")
        page = answer.json()
        current = page["cursor"]
        if not page["more"]:
            return current


# --- where a pull page's time goes ----------------------------------------------------------


def profile_pull_page(
    database: ServerDatabase, device_id: str, cursor: str | None, limit: int
) -> str:
    """The server's work for one pull page, in this process: the route's transaction and pull(),
    then FastAPI's response step (validate the returned model, dump it to JSON bytes)."""
    with database.transaction() as session:
        account = session.scalars(select(Account).where(Account.name == COORDINATOR)).one()
    caller = Caller(account.id, account.name, account.role, device_id)
    adapter = TypeAdapter(PullResponse)
    request = PullRequest(cursor=cursor, limit=limit)

    def page() -> tuple[float, float, int]:
        started = time.perf_counter()
        with database.transaction() as session:
            response = pull(session, caller, request)
        pulled = time.perf_counter()
        body = adapter.dump_json(adapter.validate_python(response))
        return pulled - started, time.perf_counter() - pulled, len(body)

    page()  # warm
    stages = [page() for _ in range(3)]
    profiler = cProfile.Profile()
    profiler.enable()
    page()
    profiler.disable()
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    stats.sort_stats("tottime").print_stats(20)
    stats.sort_stats("cumulative").print_stats(25)
    query_s = statistics.median(s[0] for s in stages)
    dump_s = statistics.median(s[1] for s in stages)
    head = (
        f"one pull page of {limit} records, in-process (median of 3): "
        f"transaction + pull() {query_s * 1000:.0f} ms, "
        f"response validate + dump_json {dump_s * 1000:.0f} ms, {stages[0][2] / 1e6:.1f} MB\n"
    )
    return head + stream.getvalue()


def profile_push(database: ServerDatabase, device_id: str, codes: Sequence[str]) -> str:
    """The server's work for a push of 1,000 creates, in this process, rolled back: the request
    validated as FastAPI does, apply_push() and the flush of its rows."""
    with database.transaction() as session:
        account = session.scalars(select(Account).where(Account.name == COORDINATOR)).one()
    caller = Caller(account.id, account.name, account.role, device_id)
    rng = random.Random(SEED + 2)
    body = {
        "push_id": str(uuid.uuid4()),
        "changes": [
            visit_change(str(uuid.uuid4()), "create", _new_visit(rng, codes[n % len(codes)], n))
            for n in range(PUSH_CHANGES)
        ],
    }
    raw = json.dumps(body, ensure_ascii=False).encode()
    profiler = cProfile.Profile()
    session = Session(database.engine)
    try:
        started = time.perf_counter()
        profiler.enable()
        request = PushRequest.model_validate_json(raw)
        parsed = time.perf_counter()
        apply_push(session, caller, request)
        applied = time.perf_counter()
        session.flush()
        flushed = time.perf_counter()
        profiler.disable()
    finally:
        session.rollback()
        session.close()
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    stats.sort_stats("tottime").print_stats(20)
    stats.sort_stats("cumulative").print_stats(30)
    head = (
        f"a push of {PUSH_CHANGES} creates, in-process, under cProfile, rolled back: "
        f"request validation {(parsed - started) * 1000:.0f} ms, apply_push() "
        f"{(applied - parsed) * 1000:.0f} ms, flush {(flushed - applied) * 1000:.0f} ms\n"
    )
    return head + stream.getvalue()


# --- the benchmark --------------------------------------------------------------------------


@dataclass
class Results:
    rows: list[Row]
    notes: list[str]
    profile: str = ""


def skipped_rows() -> list[Row]:
    return [
        Row(
            "server sync: skipped: no PostgreSQL",
            None,
            detail=f"set {PG_ENV}=postgresql+psycopg://USER:PASSWORD@127.0.0.1/postgres "
            "(a user who may create databases)",
        )
    ]


def measure(
    admin_url: str, *, python: str, records: int = RECORDS, profile: bool = False
) -> Results:
    started = time.monotonic()

    def check_time(step: str) -> None:
        if time.monotonic() - started > RUN_LIMIT_S:
            raise BenchFailure(f"over {RUN_LIMIT_S:.0f} s before {step}; stopped")

    notes: list[str] = []
    with (
        tempfile.TemporaryDirectory(prefix="dxdesk-bench-server-") as tmp,
        scratch_database(admin_url) as url,
    ):
        database = connect(url)
        try:
            progress("preparing the database (migrations, roster)…")
            initialise(database)
            with database.transaction() as session:
                codes = sorted(session.scalars(select(Municipality.code)))
            t = time.perf_counter()
            plan = add_accounts(database, codes)
            accounts_s = time.perf_counter() - t
            progress(f"writing {records:,} records…")
            loaded = insert_records(url, codes, records)
            notes.append(
                f"server: {loaded.records:,} visits over {len(codes)} municipalities, fields "
                f"{loaded.megabytes:.0f} MB as JSON, written by COPY in {loaded.seconds:.1f} s; "
                f"{len(plan) + 1} accounts in {accounts_s:.1f} s"
            )
            progress(notes[-1])
            check_time("the baseline")
            progress("baseline: one SELECT + json.dumps, 1 warm-up and 3 timed runs…")
            baseline_select_json(url)  # warms the database's cache for both, untimed
            runs = [baseline_select_json(url) for _ in range(3)]
            baseline = Baseline(
                statistics.median(r[0] for r in runs), [r[0] for r in runs], runs[0][1], runs[0][2]
            )
            with serve(python, url, Path(tmp) / "tls") as server:
                return _against_server(
                    server,
                    database,
                    url,
                    plan,
                    codes,
                    notes,
                    baseline,
                    records=records,
                    profile=profile,
                    check_time=check_time,
                )
        finally:
            database.close()


@dataclass(frozen=True)
class Baseline:
    seconds: float  # median
    runs: list[float]
    rows: int
    json_bytes: int


def _pull_row(
    run: PullRun, records: int, page: int, baseline: Baseline, target: float | None
) -> Row:
    if run.records != records:
        raise BenchFailure(f"the first pull brought {run.records} records, not {records}")
    return Row(
        f"server: first pull, {records:,} records (coordinator, pages of {page:,})",
        run.seconds,
        target_s=target,
        baseline_s=baseline.seconds,
        detail=(
            f"{run.records / run.seconds:,.0f} records/s, {run.pages} requests, "
            f"{run.megabytes:.0f} MB of JSON; per page: answer "
            f"{statistics.median(run.page_s) * 1000:.0f} ms median, client json() "
            f"{statistics.median(run.decode_s) * 1000:.0f} ms median"
        ),
    )


def _against_server(
    server: Server,
    database: ServerDatabase,
    url: str,
    plan: dict[str, list[str]],
    codes: Sequence[str],
    notes: list[str],
    baseline: Baseline,
    *,
    records: int,
    profile: bool,
    check_time: Callable[[str], None],
) -> Results:
    rows: list[Row] = []
    profile_text = ""
    progress(f"first pull of {records:,} records…")
    with server.login(COORDINATOR, "new-laptop") as coordinator:
        device_id = coordinator.get("/api/v1/me").json()["device_id"]
        run = first_pull(coordinator, PAGE)
        rows.append(_pull_row(run, records, PAGE, baseline, PULL_TARGET_S))
        progress(rows[-1].detail)
        rows.append(
            Row(
                f"server: baseline: SELECT … ORDER BY rev + json.dumps ({baseline.rows:,} rows)",
                baseline.seconds,
                baseline_s=baseline.seconds,
                detail=(
                    f"median of {len(baseline.runs)} "
                    f"({', '.join(f'{t:.2f}' for t in baseline.runs)} s), "
                    f"{baseline.rows / baseline.seconds:,.0f} rows/s, "
                    f"{baseline.json_bytes / 1e6:.0f} MB of JSON; psycopg, one query, "
                    "in this process"
                ),
            )
        )
        if profile:
            # A page from the middle of the backfill: a full page of the first pull.
            middle = run.cursors[len(run.cursors) // 2]
            profile_text += profile_pull_page(database, device_id, middle, PAGE)
        check_time("the pull in pages of 1,000")
        small = DEFAULT_PULL_LIMIT
        progress(f"first pull in pages of {small:,} (the app's default)…")
        with server.login(COORDINATOR, "second-laptop") as second:
            run_small = first_pull(second, small)
        rows.append(_pull_row(run_small, records, small, baseline, None))
        check_time("the push")
        progress(f"push of {PUSH_CHANGES:,} changes…")
        push_s, push_bytes = push_thousand(coordinator, codes)
        rows.append(
            Row(
                f"server: push of {PUSH_CHANGES:,} visit creates in one request",
                push_s,
                target_s=PUSH_TARGET_S,
                detail=(
                    f"{PUSH_CHANGES / push_s:,.0f} changes/s, request {push_bytes / 1e6:.1f} MB"
                ),
            )
        )
        if profile:
            profile_text += "\n" + profile_push(database, device_id, codes)
    check_time("the 50 clients")
    solo = solo_client(server, "advisor01", plan["advisor01"], run.cursor)
    progress(f"{CLIENTS} clients × {ROUNDS} sync rounds…")
    out, setup_s, load = fifty_clients(server, url, plan, run.cursor)
    notes.append(
        f"server: {CLIENTS} clients: logged in and caught up in {setup_s:.1f} s (untimed); "
        f"{len(out.push_s)} pushes and {len(out.pull_s)} pull requests in {out.seconds:.1f} s "
        f"({(len(out.push_s) + len(out.pull_s)) / out.seconds:.0f} requests/s), "
        f"{out.pulled:,} records pulled"
    )
    if load.wall_s:
        notes.append(f"server: {CLIENTS} clients: {load.describe()}")
    if out.errors:
        notes.append(f"server: first errors: {out.errors[:3]}")
    who = f"{CLIENTS} clients at once"
    rows += [
        _latency_row(
            "server: one client alone, GET /healthz (floor of a request), p50",
            solo.health_s,
            0.5,
            None,
            "a few ms when the server's connections set TCP_NODELAY; about 40 ms means "
            "Nagle's algorithm and delayed ACK hold back every response",
        ),
        _latency_row("server: one client alone, push of 1 change, p50", solo.push_s, 0.5, None),
        _latency_row("server: one client alone, pull request, p50", solo.pull_s, 0.5, None),
        _latency_row(f"server: {who}, push of 1 change, p50", out.push_s, 0.5, None),
        _latency_row(
            f"server: {who}, push of 1 change, p95", out.push_s, 0.95, LATENCY_P95_TARGET_S
        ),
        _latency_row(f"server: {who}, pull request, p50", out.pull_s, 0.5, None),
        _latency_row(f"server: {who}, pull request, p95", out.pull_s, 0.95, LATENCY_P95_TARGET_S),
        Row(
            f"server: {who}, errors",
            float(len(out.errors) + len(solo.errors)),
            target_s=1.0,
            unit="count",
            detail=(
                f"of {(CLIENTS + 1) * ROUNDS} pushes and the pulls after them"
                + (f"; first: {(solo.errors + out.errors)[0]}" if out.errors or solo.errors else "")
            ),
        ),
    ]
    return Results(rows, notes, profile_text)


def _latency_row(
    figure: str, values: list[float], fraction: float, target: float | None, note: str = ""
) -> Row:
    if not values:
        return Row(figure, None, target_s=target, detail="no request succeeded")
    detail = ""
    if fraction == 0.5:
        detail = f"{len(values)} requests, max {max(values) * 1000:.0f} ms"
    detail = "; ".join(part for part in (detail, note) if part)
    return Row(figure, percentile(values, fraction), target_s=target, detail=detail)


def failed_rows(exc: Exception) -> list[Row]:
    """One row that says the figures could not be measured, and why (traceback on stderr)."""
    traceback.print_exception(exc, file=sys.stderr)
    message = " ".join(str(exc).split())[:300]
    return [Row("server sync: FAILED", None, detail=f"{type(exc).__name__}: {message}")]


def server_sync(ctx: Context) -> list[Row]:
    """Registered in ``bench.__main__``: the server figures, or one skipped or failed row."""
    admin_url = os.environ.get(PG_ENV)
    if not admin_url:
        return skipped_rows()
    try:
        results = measure(admin_url, python=ctx.python)
    except Exception as exc:  # the desktop figures of the same run still get printed
        return failed_rows(exc)
    ctx.notes += results.notes
    return results.rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.server_sync", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--profile", action="store_true", help="cProfile one pull page")
    parser.add_argument("--records", type=int, default=RECORDS, help=argparse.SUPPRESS)
    parser.add_argument("--python", default=sys.executable, help="interpreter of the server")
    args = parser.parse_args(argv)
    admin_url = os.environ.get(PG_ENV)
    started = time.perf_counter()
    status = 0
    if not admin_url:
        rows, notes, profile = skipped_rows(), [], ""
    else:
        try:
            results = measure(
                admin_url, python=args.python, records=max(1, args.records), profile=args.profile
            )
            rows, notes, profile = results.rows, results.notes, results.profile
        except Exception as exc:
            rows, notes, profile, status = failed_rows(exc), [], "", 1
    notes.append(f"whole run: {time.perf_counter() - started:.1f} s")
    if profile:
        sys.stderr.write(profile + "\n")
    sys.stdout.write(format_table(rows) + "\n\n" + "\n".join(notes) + "\n")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
