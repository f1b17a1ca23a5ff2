"""The work ``bench.encrypted_store`` times: the app's own SQL captured from SQLAlchemy and
replayed through each library (overview, municipality switch, search), and the first-sync
insert of 80,000 visits, as raw SQL and through the app's facades.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import event, insert, select

from bench.encrypted_libraries import (
    Statement,
    Variant,
    connect,
    rows_of,
)
from bench.large_store import NOTE_SENTENCES, SUMMARIES
from bench.search import LONG_TERMS, SHORT_TERMS
from dxdesk.models.store import Store, open_store
from dxdesk.models.tables import EngagementRow, MunicipalityRow
from dxdesk.services.search import search
from dxdesk.services.workspace import Workspace

RECORDS, PAGE = 80_000, 1_000


def capture(store: Store, work: Callable[[], object]) -> list[Statement]:
    """The statements ``work`` sends through the store's engine, transaction control left out."""
    seen: list[Statement] = []

    def listen(_c: Any, _cur: Any, sql: str, params: Any, _ctx: Any, _many: bool) -> None:
        if sql.split(None, 1)[0].upper() not in {"BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT"}:
            seen.append((sql, params))

    event.listen(store.engine, "before_cursor_execute", listen)
    try:
        work()
    finally:
        event.remove(store.engine, "before_cursor_execute", listen)
    return seen


def switch_reads(ws: Workspace, code: str) -> None:
    """The four facade calls of one municipality switch (bench.probe ``switch``)."""
    ws.municipalities.get(code)
    ws.contacts.list_records(municipality=code)
    ws.assessments.list_records(municipality=code)
    ws.engagements.list_records(municipality=code)


@dataclass
class Workload:
    overview: Statement
    switches: list[list[Statement]]
    long_searches: list[list[Statement]]
    short_searches: list[list[Statement]]
    codes: list[str]


def workload(ws: Workspace) -> Workload:
    overview = capture(ws.store, ws.municipalities.overview)
    codes = [m["code"] for m in ws.municipalities.overview()]
    return Workload(
        overview=overview[0],
        switches=[capture(ws.store, partial(switch_reads, ws, c)) for c in codes],
        long_searches=[capture(ws.store, partial(search, ws.store, t)) for t in LONG_TERMS],
        short_searches=[capture(ws.store, partial(search, ws.store, t)) for t in SHORT_TERMS],
        codes=codes,
    )


def replay(con: Any, statements: Sequence[Statement]) -> float:
    """One unit of work in one transaction, as a session runs it."""
    started = time.perf_counter()
    con.execute("BEGIN").fetchall()
    for sql, params in statements:
        rows_of(con, sql, params)
    con.execute("COMMIT").fetchall()
    return time.perf_counter() - started


def visit_page(codes: Sequence[str], start: int) -> list[dict[str, Any]]:
    """One pull page of visits (~1 KB of Japanese notes each), the same at every call."""
    rng = random.Random(start)
    first = date(2021, 4, 1)
    now = datetime(2026, 4, 1, 9, tzinfo=UTC)
    return [
        {
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "municipality": codes[n % len(codes)],
            "date": first + timedelta(days=n % 1800),
            "type": "visit",
            "mode": "in_person",
            "title": f"{rng.choice(SUMMARIES)}（{n}）",
            "summary": rng.choice(SUMMARIES),
            "notes": "".join(rng.choice(NOTE_SENTENCES) for _ in range(12)),
            "server_rev": n + 1,
            "created_at": now,
            "updated_at": now,
            "updated_by": "bench",
            "deleted": False,
        }
        for n in range(start, start + PAGE)
    ]


def municipality_codes(store: Store) -> list[str]:
    with store.session() as session:
        return sorted(session.scalars(select(MunicipalityRow.code)))


def visit_batches(empty: Path) -> tuple[str, list[list[Sequence[Any]]]]:
    """The app's INSERT of 80,000 visits and its parameters, page by page (captured from
    SQLAlchemy on a scratch store, rolled back)."""
    store = open_store(empty)
    seen: list[Statement] = []
    try:
        codes = municipality_codes(store)
        with store.session() as session:
            for start in range(0, RECORDS, PAGE):
                batch = visit_page(codes, start)
                seen += capture(store, partial(session.execute, insert(EngagementRow), batch))
            session.rollback()
    finally:
        store.close()
    return seen[0][0], [list(params) for _sql, params in seen]


def app_insert(store: Store) -> float:
    """The same pages through SQLAlchemy Core, a transaction each (the page's making untimed)."""
    codes, seconds = municipality_codes(store), 0.0
    for start in range(0, RECORDS, PAGE):
        page = visit_page(codes, start)
        started = time.perf_counter()
        with store.transaction() as session:
            session.execute(insert(EngagementRow), page)
        seconds += time.perf_counter() - started
    return seconds


def insert_visits(
    variant: Variant, path: Path, sql: str, batches: list[list[Sequence[Any]]]
) -> float:
    con = connect(variant, path)
    started = time.perf_counter()
    for batch in batches:
        con.execute("BEGIN IMMEDIATE").fetchall()
        con.executemany(sql, [tuple(p) for p in batch])
        con.execute("COMMIT").fetchall()
    seconds = time.perf_counter() - started
    if rows_of(con, "SELECT count(*) FROM engagement")[0][0] != RECORDS:
        raise RuntimeError(f"{variant.label}: the insert did not store {RECORDS} visits")
    con.close()
    return seconds


def facade_times(store: Store, codes: Sequence[str]) -> dict[str, list[float]]:
    """The four facade calls of each switch, and search() of each term, timed one by one."""
    ws = Workspace(store)
    times: dict[str, list[float]] = {"switch": [], "search 3+": [], "search 1-2": []}
    for code in codes:
        started = time.perf_counter()
        switch_reads(ws, code)
        times["switch"].append(time.perf_counter() - started)
    for name, terms in (("search 3+", LONG_TERMS), ("search 1-2", SHORT_TERMS)):
        for term in terms:
            started = time.perf_counter()
            search(store, term)
            times[name].append(time.perf_counter() - started)
    return times
