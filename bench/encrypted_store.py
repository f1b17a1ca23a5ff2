"""Encrypted store figures: SQLCipher 4 (``sqlcipher3``) and SQLite3 Multiple Ciphers (``apsw``
built as ``apsw-sqlite3mc``) against the plaintext store, same run, same SQL.

- **Stores**: ``bench.large_store`` (108 MB) with its FTS5 trigram index filled, closed (WAL
  folded in), then copied encrypted with a raw 32-byte key (``PRAGMA key = "x'…'"``, no KDF):
  SQLCipher by ``ATTACH … KEY`` + ``sqlcipher_export``, Multiple Ciphers (its default cipher,
  ChaCha20-Poly1305) by ``VACUUM INTO`` a URI carrying the key. Every connection: WAL,
  synchronous NORMAL, foreign keys, temp_store MEMORY.
- **SQL**: what the app itself sends, captured from SQLAlchemy (``before_cursor_execute``) on the
  plaintext store and replayed through each library: the municipality overview (first query of
  a start), the four facade calls of a municipality switch (as ``bench.probe switch`` times
  them) for each of the 30, and ``services.search.search`` for the terms ``bench.search`` uses.
- **Variants**: the baseline is the app's driver today (stdlib ``sqlite3`` on the plaintext
  file); each library is also run on the plaintext file without a key, which separates the
  cost of encryption from that of its newer SQLite. SQLCipher "tuned" is a copy with 16 KB
  pages and HMAC-SHA256 (``cipher_page_size``, ``cipher_hmac_algorithm``) read with a 64 MB
  page cache; a plaintext copy with the same pages and cache is shown for reference.
- **Connections**: one per variant for the whole run, as the app's pool keeps them: the first
  round shows each municipality for the first time after opening, the next rounds again.
- **Open**: a new process per run; from before the library's import to the overview's rows.
- **First-sync writes**: 80,000 visits (~1 KB of Japanese notes each) inserted into an empty
  store in transactions of 1,000 (the pull page), with the app's INSERT.
- **App path**: the same switch and search through the app's own facades, on a ``Store`` whose
  SQLAlchemy engine uses the ``sqlite+pysqlcipher`` dialect with the raw key (apsw has no
  DB-API 2 driver, so it has no such row).

Target (issue 23): each encrypted figure within ×1.25 of plaintext. Without the libraries
installed the benchmark is one "skipped" row.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, insert, select
from sqlalchemy.pool import QueuePool

from bench.large_store import NOTE_SENTENCES, SUMMARIES, build_large_store
from bench.report import Context, Row, run_alone
from bench.search import LONG_TERMS, SHORT_TERMS
from dxdesk.models.paths import DATABASE_NAME
from dxdesk.models.store import Store, open_store
from dxdesk.models.tables import EngagementRow, MunicipalityRow
from dxdesk.services.search import catch_up, search
from dxdesk.services.workspace import Workspace
from dxdesk.sql_common import configure_sqlite

RATIO = 1.25
RECORDS, PAGE = 80_000, 1_000
KEY_HEX = secrets.token_hex(32)
RAW_KEY = f"x'{KEY_HEX}'"
PRAGMAS = (
    "PRAGMA foreign_keys = ON",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA busy_timeout = 10000",
    "PRAGMA temp_store = MEMORY",
)
Statement = tuple[str, Sequence[Any]]


@dataclass(frozen=True)
class Variant:
    label: str
    module: str  # sqlite3, sqlcipher3 or apsw
    encrypted: bool
    # PRAGMA cache_size in KiB; None: SQLite's default (2 MB). Decrypted pages stay in this
    # cache; a page read again from the OS cache is decrypted (and its MAC checked) again.
    cache_kib: int | None = None
    # SQLCipher settings of the file, set after the key at every opening and on the copy.
    cipher: tuple[str, ...] = ()
    page_size: int | None = None  # a plaintext copy with bigger pages, for reference

    @property
    def file_name(self) -> str:
        tuned = "-tuned" if self.cipher or self.page_size else ""
        return f"copy-{self.module}{tuned}.sqlite3"

    def opening(self) -> list[str]:
        """The pragmas of a new connection, the key first (SQLCipher wants it first)."""
        first = []
        if self.module == "sqlcipher3":
            first.append("PRAGMA cipher_log_level = NONE")  # else a wrong key logs to stderr
        if self.encrypted:
            first.append(f'PRAGMA key = "{RAW_KEY}"')
            first += [f"PRAGMA {setting}" for setting in self.cipher]
        cache = [] if self.cache_kib is None else [f"PRAGMA cache_size = -{self.cache_kib}"]
        return first + list(PRAGMAS) + cache


FIRST, AGAIN = "first after opening", "again (same connection)"
BIG_CACHE_KIB = 65_536  # 64 MB: most of the large store's hot pages
PLAIN = Variant("plaintext, stdlib sqlite3 (today)", "sqlite3", encrypted=False)
SQLCIPHER = Variant("sqlcipher3 (SQLCipher 4, AES-256-CBC+HMAC)", "sqlcipher3", encrypted=True)
MULTIPLE = Variant("apsw-sqlite3mc (ChaCha20-Poly1305)", "apsw", encrypted=True)
# For reference only: what the same page size and cache give the plaintext store.
PLAIN_TUNED = Variant(
    "(plaintext, stdlib sqlite3, 16 KB pages, cache 64 MB)",
    "sqlite3",
    encrypted=False,
    cache_kib=BIG_CACHE_KIB,
    page_size=16_384,
)
# 16 KB pages: a quarter of the per-page cipher work (IV, HMAC set-up); HMAC-SHA256 runs on
# the SHA extensions of current x86 CPUs (SHA-512 has none). 64 MB cache as below.
TUNED_CIPHER = ("cipher_page_size = 16384", "cipher_hmac_algorithm = HMAC_SHA256")
TUNED = Variant(
    "sqlcipher3 tuned: 16 KB pages, HMAC-SHA256, cache 64 MB",
    "sqlcipher3",
    encrypted=True,
    cache_kib=BIG_CACHE_KIB,
    cipher=TUNED_CIPHER,
)
VARIANTS = (
    PLAIN,
    Variant("sqlcipher3, plaintext file", "sqlcipher3", encrypted=False),
    SQLCIPHER,
    TUNED,
    Variant("apsw-sqlite3mc, plaintext file", "apsw", encrypted=False),
    MULTIPLE,
    Variant("apsw-sqlite3mc, cache_size 64 MB", "apsw", encrypted=True, cache_kib=BIG_CACHE_KIB),
    PLAIN_TUNED,
)


def connect(variant: Variant, path: Path) -> Any:
    module: Any = importlib.import_module(variant.module)
    if variant.module == "apsw":
        con = module.Connection(
            str(path),
            flags=module.SQLITE_OPEN_READWRITE | module.SQLITE_OPEN_CREATE | module.SQLITE_OPEN_URI,
        )
    else:
        con = module.connect(str(path), isolation_level=None, check_same_thread=False)
    for pragma in variant.opening():
        con.execute(pragma).fetchall()
    return con


def rows_of(con: Any, sql: str, params: Sequence[Any] = ()) -> list[Any]:
    return list(con.execute(sql, tuple(params)).fetchall())


# --- the app's SQL --------------------------------------------------------------------------


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


def plain_engine(path: Path) -> Engine:
    """The app's engine of a plaintext store (dxdesk.models.store._engine)."""
    engine = create_engine(
        f"sqlite:///{path}", json_serializer=lambda v: json.dumps(v, ensure_ascii=False)
    )
    configure_sqlite(engine)
    return engine


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


# --- making the stores ----------------------------------------------------------------------


def encrypted_copy(variant: Variant, plain: Path, target: Path) -> float:
    """An encrypted copy of the plaintext store (the in-place migration's copy); its seconds.

    The backup API cannot do it with either library (SQLCipher: "SQL logic error"; Multiple
    Ciphers: "incompatible source and target databases", the pages' reserved bytes differ).
    """
    started = time.perf_counter()
    con = connect(Variant("source", variant.module, encrypted=False), plain)
    if variant.module == "sqlcipher3":
        con.execute(f'ATTACH DATABASE ? AS enc KEY "{RAW_KEY}"', (str(target),))
        for setting in variant.cipher:
            con.execute(f"PRAGMA enc.{setting}").fetchall()
        con.execute("SELECT sqlcipher_export('enc')").fetchall()
        con.execute("DETACH DATABASE enc")
    elif variant.module == "apsw":
        key = urllib.parse.quote(RAW_KEY)
        con.execute("VACUUM INTO ?", (f"file:{target}?cipher=chacha20&key={key}",))
    else:
        con.execute("VACUUM INTO ?", (str(target),))
    con.close()
    if variant.page_size:  # a page size changes only by a VACUUM outside WAL mode
        con = bare("sqlite3", target)
        for pragma in (
            "journal_mode = DELETE",
            f"page_size = {variant.page_size}",
            "journal_mode = WAL",
        ):
            con.execute(f"PRAGMA {pragma}").fetchall()
            if pragma.startswith("page_size"):
                con.execute("VACUUM").fetchall()
        con.close()
    seconds = time.perf_counter() - started
    connect(variant, target).close()  # its first keyed opening makes it WAL, as the app would
    return seconds


CHILD = r"""
import json, sys, time
spec = json.loads(sys.argv[1])
started = time.perf_counter()
import importlib
mod = importlib.import_module(spec["module"])
imported = time.perf_counter()
if spec["module"] == "apsw":
    con = mod.Connection(spec["path"])
else:
    con = mod.connect(spec["path"], isolation_level=None)
try:
    for pragma in spec["pragmas"]:
        con.execute(pragma).fetchall()
    rows = con.execute(spec["sql"], spec["params"]).fetchall()
except Exception as exc:
    print("error", f"{type(exc).__module__}.{type(exc).__name__}: {exc}")
else:
    print(time.perf_counter() - imported, imported - started, len(rows))
"""


def child(
    python: str, variant: Variant, path: Path, statement: Statement, pragmas: list[str]
) -> subprocess.CompletedProcess[str]:
    spec = {
        "module": variant.module,
        "path": str(path),
        "pragmas": pragmas,
        "sql": statement[0],
        "params": list(statement[1]),
    }
    return subprocess.run(
        [python, "-c", CHILD, json.dumps(spec)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def cold_open(python: str, variant: Variant, path: Path, overview: Statement) -> list[float]:
    """A new process: open, key, pragmas, the overview's rows; and the library's import."""
    out = child(python, variant, path, overview, variant.opening()).stdout.split()
    if out[0] == "error":
        raise RuntimeError(f"{variant.label}: {' '.join(out[1:])}")
    return [float(out[0]), float(out[1])]


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


def bare(module_name: str, path: Path) -> Any:
    """A connection with nothing set on it (not even a key)."""
    module: Any = importlib.import_module(module_name)
    if module_name == "apsw":
        return module.Connection(str(path))
    return module.connect(str(path), isolation_level=None)


def key_pragma(key: str) -> str:
    return f'PRAGMA key = "{key}"' if key.startswith("x'") else f"PRAGMA key = '{key}'"


def kdf_open(module_name: str, folder: Path, key: str) -> float:
    """Open a small store keyed with ``key`` (a passphrase runs the library's default KDF)."""
    path = folder / f"kdf-{module_name}-{len(key)}.sqlite3"
    if not path.exists():
        con = bare(module_name, path)
        con.execute(key_pragma(key)).fetchall()
        con.execute("CREATE TABLE t (x)").fetchall()
        con.close()
    times = []
    for _ in range(3):
        started = time.perf_counter()
        con = bare(module_name, path)
        con.execute(key_pragma(key)).fetchall()
        con.execute("SELECT count(*) FROM sqlite_master").fetchall()
        times.append(time.perf_counter() - started)
        con.close()
    return statistics.median(times)


# --- checks (rows without a figure) --------------------------------------------------------


def leak_check(variant: Variant, folder: Path) -> str:
    """A unique word written with checkpoints off; which files of the folder hold its bytes."""
    folder.mkdir()
    word = f"鯨{secrets.token_hex(8)}"
    con = connect(variant, folder / DATABASE_NAME)
    con.execute("PRAGMA wal_autocheckpoint = 0").fetchall()
    con.execute("CREATE TABLE visit (id INTEGER PRIMARY KEY, notes TEXT)").fetchall()
    con.execute("BEGIN").fetchall()
    notes = [(f"{word} {n} " + "窓口" * 300,) for n in range(3_000)]
    con.executemany("INSERT INTO visit (notes) VALUES (?)", notes)
    con.execute("COMMIT").fetchall()
    # A sort and an index bigger than the page cache: they would spill to temporary files.
    rows_of(con, "SELECT notes FROM visit ORDER BY notes DESC LIMIT 1")
    con.execute("CREATE INDEX visit_notes ON visit (notes)").fetchall()
    files = sorted(p for p in folder.iterdir() if p.is_file())
    sizes = ", ".join(
        f"{p.name.removeprefix(DATABASE_NAME) or 'db'} {p.stat().st_size // 1024} KB" for p in files
    )
    found = [
        p.name.removeprefix(DATABASE_NAME) or "db" for p in files if word.encode() in p.read_bytes()
    ]
    con.close()
    return f"word found in: {', '.join(found) or 'no file'} (checkpoints off; files: {sizes})"


def wrong_key(
    python: str, variant: Variant, path: Path, statement: Statement, *, quiet: bool = True
) -> str:
    pragmas = [p.replace(KEY_HEX, "ab" * 32) for p in variant.opening()]
    if not quiet:
        pragmas = [p for p in pragmas if "cipher_log_level" not in p]
    done = child(python, variant, path, statement, pragmas)
    said = done.stdout.strip().removeprefix("error ")
    lines = done.stderr.strip().splitlines()
    return f"{said}; stderr: {len(lines)} lines" + (f" ({lines[0][:110]})" if lines else "")


def fts5_trigram(module_name: str) -> str:
    con = bare(module_name, Path(":memory:"))
    try:
        con.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize = 'trigram')").fetchall()
        con.execute("INSERT INTO t VALUES ('書かない窓口の相談')").fetchall()
        hits = rows_of(con, "SELECT count(*) FROM t WHERE t MATCH '窓口の'")[0][0]
        version = rows_of(con, "SELECT sqlite_version()")[0][0]
    except Exception as exc:  # any library error is the answer here
        return f"no: {exc}"
    finally:
        con.close()
    return f"yes (SQLite {version}, {hits} hit)"


def check_row(name: str, finding: str) -> Row:
    return Row(f"check: {name}", None, detail=finding)


# --- the app's own facades over an encrypted engine ----------------------------------------


def cipher_store(data_dir: Path, variant: Variant, path: Path) -> Store:
    """A Store whose SQLAlchemy engine makes its connections with sqlcipher3, keyed.

    ``creator`` sets the key and the file's cipher settings before SQLAlchemy reads anything
    (the ``sqlite+pysqlcipher`` dialect sends only the key and four URL pragmas, and a "connect"
    listener runs after the dialect's first read); ``module`` makes the dialect wrap
    sqlcipher3's errors as it wraps sqlite3's. QueuePool, as the app's plain engine has.
    """
    module: Any = importlib.import_module("sqlcipher3")

    def keyed() -> Any:
        con = module.connect(str(path), check_same_thread=False)
        for pragma in variant.opening():
            con.execute(pragma).fetchall()
        return con

    engine = create_engine(
        f"sqlite:///{path}",
        module=module,
        creator=keyed,
        poolclass=QueuePool,
        json_serializer=lambda v: json.dumps(v, ensure_ascii=False),
    )
    configure_sqlite(engine)
    return Store(data_dir=data_dir, path=path, engine=engine)


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


# --- the run --------------------------------------------------------------------------------


def missing() -> list[str]:
    return [m for m in ("sqlcipher3", "apsw") if importlib.util.find_spec(m) is None]


@dataclass
class Figures:
    times: dict[tuple[str, Variant], list[float]]

    def add(self, figure: str, variant: Variant, value: float | list[float]) -> None:
        values = value if isinstance(value, list) else [value]
        self.times.setdefault((figure, variant), []).extend(values)

    def median(self, figure: str, variant: Variant) -> float:
        return statistics.median(self.times[(figure, variant)])

    def rows(self, figure: str, detail: str, *, with_target: bool = True) -> list[Row]:
        base = self.median(figure, PLAIN)
        rows = [Row(f"{figure}: {PLAIN.label}", base, baseline_s=base, detail=detail)]
        for variant in VARIANTS[1:]:
            if (figure, variant) not in self.times:
                continue  # not measured for this variant (the copy: plaintext has none)
            value = self.median(figure, variant)
            # What encryption alone costs: against the same library on the plaintext file, or
            # for tuned settings against the plaintext file with the same pages and cache.
            same, against = (
                (PLAIN_TUNED, "the plaintext store with the same pages and cache")
                if variant.cipher
                else (
                    next(v for v in VARIANTS if v.module == variant.module and not v.encrypted),
                    "the same library on plaintext",
                )
            )
            own = self.times.get((figure, same))
            note = ""
            if variant.encrypted and own:
                note = f"×{value / statistics.median(own):.2f} of {against}"
            target = RATIO * base if variant.encrypted and with_target else None
            rows.append(
                Row(f"  {variant.label}", value, target_s=target, baseline_s=base, detail=note)
            )
        return rows


def measure(ctx: Context, tmp: Path) -> list[Row]:
    python = ctx.python or sys.executable
    repeat = max(1, ctx.repeat)
    plain_dir = tmp / "plain"
    counts = build_large_store(plain_dir)
    ws = Workspace(open_store(plain_dir))
    try:
        catch_up(ws.store)  # the search index filled, as after a first sync's indexing
        work = workload(ws)
    finally:
        ws.store.close()
    plain = plain_dir / DATABASE_NAME
    insert_sql, batches = visit_batches(tmp / "scratch")
    empty_dir = tmp / "empty"
    open_store(empty_dir).close()
    empty = empty_dir / DATABASE_NAME

    figures = Figures({})
    paths: dict[Variant, Path] = {}
    for variant in (PLAIN, SQLCIPHER, TUNED, MULTIPLE):
        target = tmp / variant.file_name
        figures.add("encrypted copy of the store", variant, encrypted_copy(variant, plain, target))
    encrypted_copy(PLAIN_TUNED, plain, tmp / PLAIN_TUNED.file_name)
    for variant in VARIANTS:
        copied = variant.encrypted or variant.page_size
        paths[variant] = tmp / variant.file_name if copied else plain
    # One connection per variant for the whole run, as the app's pool keeps its connections:
    # round 0 is the first time each municipality is shown after start (nothing decrypted in
    # the page cache yet), the later rounds show them again.
    cons = {variant: connect(variant, paths[variant]) for variant in VARIANTS}
    try:
        for round_no in range(repeat + 1):
            when = FIRST if round_no == 0 else AGAIN
            for variant in VARIANTS:
                opened, imported = cold_open(python, variant, paths[variant], work.overview)
                if round_no:  # round 0's open warms the interpreter's files for all alike
                    figures.add("open + first query", variant, opened)
                    figures.add("import of the library", variant, imported)
                con = cons[variant]
                figures.add(
                    f"switch reads, {when}", variant, [replay(con, s) for s in work.switches]
                )
                figures.add(
                    f"search 3+, {when}", variant, [replay(con, s) for s in work.long_searches]
                )
                figures.add(
                    f"search 1-2, {when}", variant, [replay(con, s) for s in work.short_searches]
                )
    finally:
        for con in cons.values():
            con.close()
    for round_no in range(repeat):
        for variant in VARIANTS:
            target = tmp / f"insert-{round_no}-{VARIANTS.index(variant)}.sqlite3"
            if variant.encrypted or variant.page_size:
                encrypted_copy(variant, empty, target)
            else:
                shutil.copyfile(empty, target)
            figures.add(
                f"first-sync writes, {RECORDS:,} visits",
                variant,
                insert_visits(variant, target, insert_sql, batches),
            )
            target.unlink()
            for suffix in ("-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)

    # The same through the app's own facades and SQLAlchemy (apsw has no DB-API 2 driver).
    app = Figures({})
    stores = {
        PLAIN: open_store(plain_dir),
        SQLCIPHER: cipher_store(tmp, SQLCIPHER, paths[SQLCIPHER]),
        TUNED: cipher_store(tmp, TUNED, paths[TUNED]),
    }
    try:
        for round_no in range(repeat + 1):
            for variant, store in stores.items():
                for name, values in facade_times(store, work.codes).items():
                    app.add(f"app: {name}, {FIRST if round_no == 0 else AGAIN}", variant, values)
    finally:
        for store in stores.values():
            store.close()
    for round_no in range(repeat):
        for variant in stores:
            target = tmp / f"app-insert-{round_no}-{VARIANTS.index(variant)}.sqlite3"
            if variant.encrypted:
                encrypted_copy(variant, empty, target)
                store = cipher_store(tmp, variant, target)
            else:
                shutil.copyfile(empty, target)
                store = Store(data_dir=tmp, path=target, engine=plain_engine(target))
            try:
                app.add(f"app: first-sync writes, {RECORDS:,} visits", variant, app_insert(store))
            finally:
                store.close()

    kdf = {
        m: (kdf_open(m, tmp, RAW_KEY), kdf_open(m, tmp, "correct horse battery staple"))
        for m in ("sqlcipher3", "apsw")
    }
    store_note = (
        f"{counts.megabytes:.0f} MB store, 30 municipalities, 20,000 visits, 60,000 follow-ups"
    )
    rows = [
        *figures.rows(
            "open + first query",
            f"new process, after the import: open, key, pragmas, the overview query; median of "
            f"{repeat}",
        ),
        *figures.rows(
            "import of the library",
            "in the same new process, before the open; the app imports stdlib sqlite3 anyway "
            "(SQLAlchemy's pysqlite dialect), so an encrypting library adds its import",
            with_target=False,
        ),
        *(
            row
            for when in (FIRST, AGAIN)
            for row in figures.rows(
                f"switch reads, {when}",
                f"the app's SQL of the four facade calls of a municipality switch, 30 "
                f"municipalities{'' if when == FIRST else f' × {repeat}'}; {store_note}",
            )
        ),
        *(
            row
            for when in (FIRST, AGAIN)
            for row in figures.rows(
                f"search 3+, {when}",
                f"FTS5 trigram: {'、'.join(LONG_TERMS)} as services.search sends them",
            )
        ),
        *(
            row
            for when in (FIRST, AGAIN)
            for row in figures.rows(
                f"search 1-2, {when}", f"LIKE within the FTS5 table: {'、'.join(SHORT_TERMS)}"
            )
        ),
        *figures.rows(
            f"first-sync writes, {RECORDS:,} visits",
            f"the app's INSERT, {RECORDS // PAGE} transactions of {PAGE:,} (~1 KB notes) "
            f"into an empty store; median of {repeat}",
        ),
        *figures.rows(
            "encrypted copy of the store",
            "baseline: stdlib VACUUM INTO (plaintext); SQLCipher: ATTACH … KEY + "
            "sqlcipher_export; Multiple Ciphers: VACUUM INTO 'file:…?cipher=chacha20&key=…'",
            with_target=False,
        ),
    ]
    for name, detail in (
        (f"switch, {FIRST}", "the four facade calls, 30 municipalities"),
        (f"switch, {AGAIN}", f"the four facade calls, 30 municipalities × {repeat}"),
        (f"search 3+, {AGAIN}", "services.search.search"),
        (f"search 1-2, {AGAIN}", "services.search.search"),
        (f"first-sync writes, {RECORDS:,} visits", "SQLAlchemy Core insert, a transaction a page"),
    ):
        rows += app.rows(f"app: {name}", f"{detail}; SQLCipher engine: see cipher_store")
    for module, (raw, passphrase) in kdf.items():
        kind = (
            "PBKDF2-HMAC-SHA512, 256,000 iterations"
            if module == "sqlcipher3"
            else "PBKDF2-HMAC-SHA256, 64,007 iterations"
        )
        rows.append(
            Row(
                f"open with a passphrase ({module}: {kind})",
                passphrase,
                detail=f"at every start; with a raw key (x'…', no KDF) the same opening takes "
                f"{raw * 1000:.2f} ms",
            )
        )
    cipher, multiple = SQLCIPHER, MULTIPLE
    rows += [
        check_row(
            "FTS5 trigram",
            "; ".join(f"{m}: {fts5_trigram(m)}" for m in ("sqlite3", "sqlcipher3", "apsw")),
        ),
        check_row(
            "plaintext in WAL/temp files",
            "; ".join(
                f"{v.label}: {leak_check(v, tmp / f'leak-{n}')}"
                for n, v in enumerate((PLAIN, cipher, TUNED, multiple))
            ),
        ),
        check_row("sqlcipher3 wrong key", wrong_key(python, cipher, paths[cipher], work.overview)),
        check_row(
            "sqlcipher3 wrong key, no cipher_log_level",
            wrong_key(python, cipher, paths[cipher], work.overview, quiet=False),
        ),
        check_row(
            "apsw-sqlite3mc wrong key", wrong_key(python, multiple, paths[multiple], work.overview)
        ),
        check_row(
            "stdlib sqlite3 on the SQLCipher store",
            wrong_key(python, PLAIN, paths[cipher], work.overview),
        ),
    ]
    return rows


def encrypted_store(ctx: Context) -> list[Row]:
    """Registered in ``bench.__main__``: the figures, or one skipped row without the libraries."""
    if absent := missing():
        return [
            Row(
                "encrypted store: skipped",
                None,
                detail=f"not installed: {', '.join(absent)} "
                "(pip install sqlcipher3 apsw-sqlite3mc)",
            )
        ]
    with tempfile.TemporaryDirectory(prefix="dxdesk-bench-encrypted-") as tmp:
        return measure(ctx, Path(tmp))


if __name__ == "__main__":
    run_alone(encrypted_store, prog="python -m bench.encrypted_store", repeat=3)
