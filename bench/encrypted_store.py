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
- **Open**: a new process per run; from after the library's import (timed apart) to the
  overview's rows.
- **First-sync writes**: 80,000 visits (~1 KB of Japanese notes each) inserted into an empty
  store in transactions of 1,000 (the pull page), with the app's INSERT.
- **App path**: the same switch and search through the app's own facades, on a ``Store`` whose
  SQLAlchemy engine makes keyed sqlcipher3 connections (``cipher_store``; apsw has no DB-API 2
  driver, so it has no such row).

Target (issue 23): each encrypted figure within ×1.25 of plaintext. Without the libraries
installed the benchmark is one "skipped" row.

This module holds the run and its rows; ``bench.encrypted_libraries`` the variants and how each
library connects, keys and copies; ``bench.encrypted_workload`` the replayed app SQL and the
inserts; ``bench.encrypted_checks`` the check rows.
"""

from __future__ import annotations

import importlib.util
import shutil
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench.encrypted_checks import check_row, fts5_trigram, leak_check, wrong_key
from bench.encrypted_libraries import (
    MULTIPLE,
    PLAIN,
    PLAIN_TUNED,
    RAW_KEY,
    SQLCIPHER,
    TUNED,
    VARIANTS,
    Variant,
    cipher_store,
    cold_open,
    connect,
    encrypted_copy,
    kdf_open,
    plain_engine,
)
from bench.encrypted_workload import (
    PAGE,
    RECORDS,
    app_insert,
    facade_times,
    insert_visits,
    replay,
    visit_batches,
    workload,
)
from bench.large_store import build_large_store
from bench.report import Context, Row, run_alone
from bench.search import LONG_TERMS, SHORT_TERMS
from dxdesk.models.paths import DATABASE_NAME
from dxdesk.models.store import Store, open_store
from dxdesk.services.search import catch_up
from dxdesk.services.workspace import Workspace

RATIO = 1.25
FIRST, AGAIN = "first after opening", "again (same connection)"


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
                store = Store(data_dir=tmp, path=target, engine=plain_engine(target), key=b"")
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
