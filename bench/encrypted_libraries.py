"""The libraries of ``bench.encrypted_store``: the variants (library, key, cipher settings,
page cache), how each opens and keys a connection, makes an encrypted copy of the plaintext
store, opens it in a new process, opens it with a passphrase, and a ``Store`` on a keyed
sqlcipher3 engine for the app's own facades.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import secrets
import statistics
import subprocess
import time
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine
from sqlalchemy.pool import QueuePool

from dxdesk.models.store import Store
from dxdesk.sql_common import configure_sqlite

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


def plain_engine(path: Path) -> Engine:
    """The app's engine of a plaintext store (dxdesk.models.store._engine)."""
    engine = create_engine(
        f"sqlite:///{path}", json_serializer=lambda v: json.dumps(v, ensure_ascii=False)
    )
    configure_sqlite(engine)
    return engine


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
    return Store(data_dir=data_dir, path=path, engine=engine, key=bytes.fromhex(KEY_HEX))
