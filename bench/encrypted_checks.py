"""The check rows of ``bench.encrypted_store`` (findings, no figure): FTS5 trigram in each
library, the plaintext left in the WAL and temporary files, and what a wrong key does.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from bench.encrypted_libraries import (
    KEY_HEX,
    Statement,
    Variant,
    bare,
    child,
    connect,
    rows_of,
)
from bench.report import Row
from dxdesk.models.paths import DATABASE_NAME


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
