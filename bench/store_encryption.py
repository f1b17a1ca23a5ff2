"""The app's encrypted store against the same app code on a plaintext copy, same run (issue 23:
"cold start, municipality switch, a first sync of 80,000 records and search, encrypted against
plaintext in the same run, each within ×1.25").

Unlike ``bench.encrypted_store`` (a spike comparing libraries on its own engines), this times
the product as it ships:

- **Encrypted**: ``bench.large_store`` (~80 MB) made by ``open_store``: SQLCipher through
  ``store_cipher.engine`` with its settings (raw key from the keychain, 16 KB pages,
  HMAC-SHA256, 64 MB page cache), its search index filled (``catch_up``, as after a first
  sync's indexing).
- **Plaintext**: a copy of the same file made by ``ATTACH DATABASE ? AS plain KEY ''`` +
  ``sqlcipher_export('plain')``, read through a ``Store`` on the app's old engine (stdlib
  ``sqlite3``, ``configure_sqlite``, SQLite's default pages and cache: ``plain_engine``).
- **Cold start**: a new process per run (one untimed run of each first); the clock runs inside
  the child from before opening (the encrypted child: ``open_workspace``, the key from the
  keychain included; the plaintext child: the old ``open_store``'s steps, an in-use hold and
  ``prepare_store``, on its own Store) until the first screen's data are read (the municipality
  list, then the first municipality's four facade calls). The whole process's wall time
  (interpreter, imports) is shown too.
- **Municipality switch**: ``switch_reads`` of each of the 30 municipalities on one open
  Store per variant; the first round after opening apart from the rounds after it.
- **Search**: ``services.search.search`` of ``bench.search``'s terms (its rare terms occur in
  articles only, which this store has none of: they time a miss).
- **First sync's writes**: ``app_insert`` (80,000 visits, a transaction per 1,000) into an
  empty store: the encrypted one made by ``open_store`` on a fresh data folder, the plaintext
  one a copy of an empty store's plaintext export.

The variants run side by side, so that both see the same load on the machine: a cold start or
a first sync of one, then of the other; a switch or a search of one municipality or term on one
store, then on the other; which goes first alternates. Figures are medians; the detail lines
show each run or round, and the median of the side-by-side pairs' ratios, the steadier figure
on a loaded machine. Timings are reported, never asserted: a ratio over ×1.25 shows as a missed
target.
Run under ``scripts/with_keychain`` where no keychain is: the store's key is kept in one.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import sqlcipher3
from sqlalchemy import func, select, text

from bench.encrypted_libraries import plain_engine
from bench.encrypted_workload import PAGE, RECORDS, app_insert, switch_reads
from bench.large_store import build_large_store, describe
from bench.report import Context, Row, run_alone
from bench.search import LONG_TERMS, SHORT_TERMS
from bench.timing import percentile, spread
from dxdesk.models import store_cipher, store_key
from dxdesk.models.paths import DATABASE_NAME
from dxdesk.models.store import Store, open_store
from dxdesk.models.tables import EngagementRow
from dxdesk.services.search import catch_up, search
from dxdesk.services.workspace import Workspace, open_workspace

RATIO = 1.25
ENCRYPTED, PLAIN = "encrypted", "plaintext"
LABELS = {ENCRYPTED: "encrypted", PLAIN: "plaintext"}

# The child of a cold start: both variants import the same modules before the clock starts.
CHILD = r"""
import json, sys, time
started = time.perf_counter()
from pathlib import Path
from dxdesk.models import store_key
if sys.argv[1] == "encrypted":  # as dxdesk's start does, while the rest loads
    store_key.fetch_ahead(Path(sys.argv[2]))
from bench.encrypted_libraries import plain_engine
from bench.encrypted_workload import switch_reads
from dxdesk.models import store_in_use
from dxdesk.models.paths import DATABASE_NAME
from dxdesk.models.store import Store, prepare_store
from dxdesk.services.workspace import Workspace, open_workspace
imported = time.perf_counter()
variant, data_dir = sys.argv[1], Path(sys.argv[2])
if variant == "encrypted":
    store_key.key_for(data_dir)  # what open_store asks first; it is then kept in memory
    keyed = time.perf_counter()
    ws = open_workspace(data_dir)
else:
    keyed = time.perf_counter()
    path = data_dir / DATABASE_NAME
    hold = store_in_use.hold(path)
    store = Store(data_dir=data_dir, path=path, engine=plain_engine(path), key=b"", in_use=hold)
    check_pages = hold is None or bool(hold.unclean_exits)
    prepare_store(store, check_pages=check_pages)
    if check_pages:
        store_in_use.pages_checked(hold)
    ws = Workspace(store)
opened = time.perf_counter()
overview = ws.municipalities.overview()
switch_reads(ws, overview[0]["code"])
shown = time.perf_counter()
ws.close()
print(json.dumps({"imports": imported - started, "key": keyed - imported,
                  "open": opened - keyed,
                  "reads": shown - opened, "municipalities": len(overview)}))
"""


@dataclass
class Figures:
    """Each figure's times per variant, kept per round for the detail lines."""

    rounds: dict[tuple[str, str], list[list[float]]] = field(default_factory=dict)

    def add(self, figure: str, variant: str, times: float | list[float]) -> None:
        values = times if isinstance(times, list) else [times]
        self.rounds.setdefault((figure, variant), []).append(values)

    def all(self, figure: str, variant: str) -> list[float]:
        return [t for r in self.rounds[(figure, variant)] for t in r]

    def median(self, figure: str, variant: str) -> float:
        return statistics.median(self.all(figure, variant))

    def spread(self, figure: str, variant: str) -> str:
        rounds = self.rounds[(figure, variant)]
        if all(len(r) == 1 for r in rounds):
            return spread([r[0] for r in rounds])
        values = self.all(figure, variant)
        medians = ", ".join(f"{statistics.median(r) * 1000:.1f}" for r in rounds)
        return (
            f"{len(values)} calls; round medians {medians} ms; p90 "
            f"{percentile(values, 0.9) * 1000:.1f} ms, max {max(values) * 1000:.1f} ms"
        )

    def rows(self, figure: str, detail: str, *, with_target: bool = True) -> list[Row]:
        base = self.median(figure, PLAIN)
        value = self.median(figure, ENCRYPTED)
        ratio = value / base
        verdict = "within" if ratio <= RATIO else "NOT within"
        # Both variants' values were taken side by side, in the same order: each pair saw the
        # same load, so the median of their ratios is the steadier comparison.
        pairs = zip(self.all(figure, ENCRYPTED), self.all(figure, PLAIN), strict=True)
        paired = statistics.median(e / p for e, p in pairs)
        return [
            Row(
                f"{figure}: {LABELS[PLAIN]}",
                base,
                baseline_s=base,
                detail=f"{detail}; {self.spread(figure, PLAIN)}",
            ),
            Row(
                f"{figure}: {LABELS[ENCRYPTED]}",
                value,
                target_s=RATIO * base if with_target else None,
                baseline_s=base,
                detail=f"×{ratio:.2f} of plaintext: {verdict} ×{RATIO} (median of the "
                f"{len(self.all(figure, PLAIN))} side-by-side ratios ×{paired:.2f}); "
                f"{self.spread(figure, ENCRYPTED)}",
            ),
        ]


def order(round_no: int) -> tuple[str, str]:
    """Both variants in every round, which goes first alternating."""
    return (ENCRYPTED, PLAIN) if round_no % 2 == 0 else (PLAIN, ENCRYPTED)


def plaintext_copy(encrypted: Path, key: bytes, target: Path) -> None:
    """A plaintext copy of the encrypted store: ATTACH with an empty key + sqlcipher_export."""
    connection = store_cipher.connect(encrypted, key)
    try:
        connection.execute("ATTACH DATABASE ? AS plain KEY ''", (str(target),))
        connection.execute("SELECT sqlcipher_export('plain')").fetchall()
        version = connection.execute("PRAGMA main.user_version").fetchone()[0]
        connection.execute(f"PRAGMA plain.user_version = {int(version)}")
        connection.execute("DETACH DATABASE plain")
    finally:
        connection.close()
    if not store_cipher.is_plaintext(target):
        raise RuntimeError(f"{target}: the export is not a plaintext SQLite file")


def plain_store(data_dir: Path) -> Store:
    """The baseline: the app's old engine on the plaintext copy in ``data_dir``."""
    path = data_dir / DATABASE_NAME
    return Store(data_dir=data_dir, path=path, engine=plain_engine(path), key=b"")


def counts(store: Store) -> tuple[int, ...]:
    with store.session() as session:
        return tuple(
            int(session.scalar(text(f"SELECT count(*) FROM {table}")) or 0)
            for table in ("municipality", "engagement", "follow_up", "assessment", "search_index")
        )


def cold_start(python: str, variant: str, data_dir: Path) -> tuple[dict[str, float], float]:
    """One child: its own timings, and the whole process's wall time."""
    started = time.perf_counter()
    done = subprocess.run(
        [python, "-c", CHILD, variant, str(data_dir)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=Path(__file__).resolve().parents[1],
    )
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(
            f"cold start ({variant}) exited {done.returncode}: {done.stderr[-2000:]}"
        )
    return json.loads(done.stdout.strip().splitlines()[-1]), wall


def page_size(store: Store) -> int:
    with store.engine.connect() as connection:
        return int(connection.exec_driver_sql("PRAGMA page_size").scalar() or 0)


def interleaved(
    work: Mapping[str, Callable[[str], object]], items: Sequence[str], round_no: int
) -> dict[str, list[float]]:
    """Each item's call timed on both variants one after the other (which first alternating),
    so that both see the same load on the machine."""
    times: dict[str, list[float]] = {variant: [] for variant in work}
    for n, item in enumerate(items):
        for variant in order(round_no + n):
            started = time.perf_counter()
            work[variant](item)
            times[variant].append(time.perf_counter() - started)
    return times


def first_sync(tmp: Path, round_no: int, variant: str, empty_plain: Path) -> float:
    """app_insert into an empty store of the variant, made for this run and removed after."""
    data_dir = tmp / f"sync-{round_no}-{variant}"
    if variant == ENCRYPTED:
        store = open_store(data_dir)
    else:
        data_dir.mkdir()
        shutil.copyfile(empty_plain, data_dir / DATABASE_NAME)
        store = plain_store(data_dir)
    try:
        seconds = app_insert(store)
        with store.session() as session:
            stored = session.scalar(select(func.count()).select_from(EngagementRow))
        if stored != RECORDS:
            raise RuntimeError(f"first sync ({variant}) stored {stored} visits, not {RECORDS}")
    finally:
        store.close()
        if variant == ENCRYPTED:
            store_key.discard(data_dir)
        shutil.rmtree(data_dir)
    return seconds


def measure(ctx: Context, tmp: Path) -> list[Row]:
    python = ctx.python or sys.executable
    repeat = max(1, ctx.repeat)
    enc_dir, plain_dir = tmp / "encrypted", tmp / "plain"
    made = build_large_store(enc_dir)
    ws = open_workspace(enc_dir)
    try:
        catch_up(ws.store)  # the search index filled, as after a first sync's indexing
        key = ws.store.key
    finally:
        ws.close()
    plain_dir.mkdir()
    plaintext_copy(enc_dir / DATABASE_NAME, key, plain_dir / DATABASE_NAME)
    empty_dir, empty_plain = tmp / "empty", tmp / "empty-plain.sqlite3"
    open_store(empty_dir).close()
    plaintext_copy(empty_dir / DATABASE_NAME, store_key.key_for(empty_dir), empty_plain)
    store_key.discard(empty_dir)
    shutil.rmtree(empty_dir)

    figures = Figures()
    keys: list[float] = []  # the encrypted start's own step: the plaintext one has none
    dirs = {ENCRYPTED: enc_dir, PLAIN: plain_dir}
    for round_no in range(repeat + 1):  # round 0 warms the file cache for both alike
        for variant in order(round_no):
            inside, wall = cold_start(python, variant, dirs[variant])
            if round_no:
                figures.add(
                    "cold start, open to first screen's data",
                    variant,
                    inside["key"] + inside["open"] + inside["reads"],
                )
                if variant == ENCRYPTED:
                    keys.append(inside["key"])
                figures.add("cold start: opening", variant, inside["open"])
                figures.add("cold start: first reads", variant, inside["reads"])
                figures.add("cold start, whole process", variant, wall)

    stores = {ENCRYPTED: open_workspace(enc_dir).store, PLAIN: plain_store(plain_dir)}
    try:
        workspaces = {v: Workspace(s) for v, s in stores.items()}
        # The list read on both, as a start reads it before the first switch.
        listed = {
            v: [m["code"] for m in w.municipalities.overview()] for v, w in workspaces.items()
        }
        codes = listed[ENCRYPTED]
        if listed[PLAIN] != codes:
            raise RuntimeError("the plaintext copy lists other municipalities")
        for round_no in range(repeat + 1):
            when = "first after opening" if round_no == 0 else "again"
            switches = {v: partial(switch_reads, w) for v, w in workspaces.items()}
            finds = {v: partial(search, s) for v, s in stores.items()}
            for variant, times in interleaved(switches, codes, round_no).items():
                figures.add(f"municipality switch, {when}", variant, times)
            if round_no == 0:  # the index's pages read once for both alike
                interleaved(finds, (*LONG_TERMS, *SHORT_TERMS), round_no)
                continue
            for figure, terms in (
                ("search, 3+ characters", LONG_TERMS),
                ("search, 1-2 characters", SHORT_TERMS),
            ):
                for variant, times in interleaved(finds, terms, round_no).items():
                    figures.add(figure, variant, times)
        # After the figures, so that they do not warm either store's cache: both hold the same.
        if counts(stores[ENCRYPTED]) != counts(stores[PLAIN]):
            raise RuntimeError("the plaintext copy does not hold what the encrypted store does")
        for term in (*LONG_TERMS, *SHORT_TERMS):
            if [h.id for h in search(stores[ENCRYPTED], term)] != [
                h.id for h in search(stores[PLAIN], term)
            ]:
                raise RuntimeError(f"search {term!r} finds other records on the plaintext copy")
        page_sizes = {variant: page_size(store) for variant, store in stores.items()}
    finally:
        for store in stores.values():
            store.close()

    for round_no in range(repeat):
        for variant in order(round_no):
            figures.add(
                f"first sync's writes, {RECORDS:,} visits",
                variant,
                first_sync(tmp, round_no, variant, empty_plain),
            )

    store_note = (
        f"{describe(made)}; pages of {page_sizes[ENCRYPTED]:,} bytes encrypted, "
        f"{page_sizes[PLAIN]:,} plaintext"
    )
    rows = [
        *figures.rows(
            "cold start, open to first screen's data",
            f"a new process per run, {repeat} runs each: open (encrypted: open_workspace, the "
            "key from the keychain) + municipality list + the first municipality's reads",
        ),
        Row(
            "cold start: key from the keychain (encrypted only)",
            statistics.median(keys),
            detail=f"store_key.key_for: Secret Service over D-Bus, part of the encrypted "
            f"figure above; {spread(keys)}",
        ),
        *figures.rows(
            "cold start: opening",
            "open_workspace with the key in memory / the old open_store's steps",
            with_target=False,
        ),
        *figures.rows(
            "cold start: first reads", "overview() + switch_reads(first)", with_target=False
        ),
        *figures.rows(
            "cold start, whole process",
            "python -c: interpreter, imports (the same for both), open, first reads, close",
            with_target=False,
        ),
        *figures.rows(
            "municipality switch, first after opening",
            f"switch_reads of each of {len(codes)} municipalities, the first reads of their rows "
            "on a Store just opened (its list read)",
        ),
        *figures.rows(
            "municipality switch, again",
            f"switch_reads of each of {len(codes)} municipalities × {repeat} rounds; {store_note}",
        ),
        *figures.rows("search, 3+ characters", f"services.search.search: {'、'.join(LONG_TERMS)}"),
        *figures.rows(
            "search, 1-2 characters", f"services.search.search: {'、'.join(SHORT_TERMS)}"
        ),
        *figures.rows(
            f"first sync's writes, {RECORDS:,} visits",
            f"app_insert into an empty store, {RECORDS // PAGE} transactions of {PAGE:,}; "
            f"{repeat} runs each",
        ),
    ]
    rows.append(
        Row(
            "store encryption: what is compared",
            None,
            detail="encrypted: the app's store as open_store makes it (store_cipher.engine: "
            f"SQLCipher, SQLite {sqlcipher3.sqlite_version}, 16 KB pages, HMAC-SHA256, 64 MB "
            "cache); plaintext: its sqlcipher_export copy made in the same run, through the old "
            f"engine (stdlib sqlite3, SQLite {sqlite3.sqlite_version}, default pages and cache)",
        )
    )
    return rows


def store_encryption(ctx: Context) -> list[Row]:
    """Registered in ``bench.__main__``: the figures, or one row saying why none were made."""
    with tempfile.TemporaryDirectory(prefix="dxdesk-bench-store-encryption-") as tmp:
        try:
            return measure(ctx, Path(tmp))
        except store_key.StoreKeyError as exc:
            return [
                Row(
                    "store encryption: skipped",
                    None,
                    detail=f"{exc} (run under scripts/with_keychain)",
                )
            ]


if __name__ == "__main__":
    run_alone(store_encryption, prog="python -m bench.store_encryption", repeat=5)
