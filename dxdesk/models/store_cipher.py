"""The store's file encrypted with SQLCipher (issue 23): connections, the engine, and the
encrypted copy of a plaintext database.

Every page of the store, of its write-ahead log and of the copies the app makes (backups,
restores) is encrypted with the data folder's key (models/store_key.py); temporary tables and
indices stay in memory. SQLCipher 4 comes with the ``sqlcipher3`` wheels; the settings below
were measured in bench/encrypted_store.py (16 KB pages and HMAC-SHA256 keep the app within
×1.25 of plaintext). A file without a key is read as plain SQLite: an old store to encrypt, an
old backup to restore.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Engine, create_engine, event

from dxdesk.sql_common import configure_sqlite

# The first 16 bytes of a plaintext SQLite file; an encrypted one starts with its random salt.
SQLITE_MAGIC = b"SQLite format 3\x00"
# Set on every keyed connection after the key, and on every encrypted copy.
PAGE_BYTES = 16_384  # an encrypted file is never shorter than its first page
CIPHER_SETTINGS = (f"cipher_page_size = {PAGE_BYTES}", "cipher_hmac_algorithm = HMAC_SHA256")
# Decrypted pages stay in this cache (KiB); one read again from the OS is decrypted again.
CACHE_KIB = 65_536

DatabaseError = sqlcipher3.DatabaseError
Connection = Any  # sqlcipher3 ships no type information


def key_pragma(key: bytes) -> str:
    """A raw 32-byte key: no key derivation at each opening (the key is random)."""
    return f"PRAGMA key = \"x'{key.hex()}'\""


def rekey_pragma(key: bytes) -> str:
    """Every page re-encrypted under ``key`` (a restored backup takes this folder's key)."""
    return f"PRAGMA rekey = \"x'{key.hex()}'\""


def is_plaintext(path: Path) -> bool:
    """Whether the file starts as a plain SQLite database does (False: encrypted, or empty)."""
    try:
        with path.open("rb") as file:
            return file.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def connect(path: Path | str, key: bytes | None, *, read_only: bool = False) -> Connection:
    """A connection to ``path``, keyed with ``key`` (None: a plaintext file, or memory)."""
    if read_only:
        connection = sqlcipher3.connect(
            f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False
        )
    else:
        connection = sqlcipher3.connect(str(path), check_same_thread=False)
    try:
        # A wrong key would otherwise be logged on stderr besides raising SQLITE_NOTADB.
        connection.execute("PRAGMA cipher_log_level = NONE")
        if key is not None:
            connection.execute(key_pragma(key))
            for setting in CIPHER_SETTINGS:
                connection.execute(f"PRAGMA {setting}")
        connection.execute("PRAGMA temp_store = MEMORY")
    except BaseException:
        connection.close()
        raise
    return connection


def connect_file(path: Path, key: bytes | None, *, read_only: bool = False) -> Connection:
    """A database file as it is: plaintext when it starts as one, else keyed with ``key``."""
    return connect(path, None if is_plaintext(path) else key, read_only=read_only)


def _json_dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def engine(path: Path, key: bytes) -> Engine:
    """The store's SQLAlchemy engine: each connection keyed before SQLAlchemy reads anything.

    A "do_connect" listener makes the connection (the key and the cipher settings first:
    SQLCipher wants them before any read); ``module`` makes the dialect wrap sqlcipher3's
    errors as it wraps sqlite3's. Once ``seal``ed, it makes none.
    """
    engine = create_engine(
        f"sqlite:///{path}",
        module=sqlcipher3,
        # Japanese stays Japanese in JSON columns: escaped, each character took six bytes.
        json_serializer=_json_dumps,
    )

    @event.listens_for(engine, "do_connect")
    def _keyed(_dialect: Any, _record: Any, _cargs: Any, _cparams: Any) -> Connection:
        refusal = _sealed.get(engine)
        if refusal is not None:
            raise refusal()
        return _store_connection(path, key)

    configure_sqlite(engine)
    return engine


_sealed: weakref.WeakKeyDictionary[Engine, Callable[[], Exception]] = weakref.WeakKeyDictionary()


def seal(engine: Engine, refusal: Callable[[], Exception]) -> None:
    """The engine opens no connection again: each attempt raises ``refusal()`` (a wiped
    laptop's store, sync/wipe.py)."""
    _sealed[engine] = refusal


def _store_connection(path: Path, key: bytes) -> Connection:
    connection = connect(path, key)
    connection.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    return connection


def encrypt_copy(
    plain: Path, target: Path, key: bytes, *, should_stop: Callable[[], bool] | None = None
) -> None:
    """An encrypted copy of the plaintext database ``plain`` at ``target`` (a new file), made
    with sqlcipher_export: SQLite's backup API cannot copy between a plain and an encrypted
    file. ``should_stop`` is asked every 0.1 s from a thread of its own (SQLite's progress
    handler is hardly called while whole tables are copied); True interrupts the copy
    (sqlcipher3 raises OperationalError "interrupted") and the caller removes ``target``."""
    connection = connect(plain, None)
    finished = threading.Event()

    def watch() -> None:
        assert should_stop is not None
        while not finished.wait(0.1):
            if should_stop():
                connection.interrupt()
                return

    watcher = None if should_stop is None else threading.Thread(target=watch, daemon=True)
    try:
        connection.execute(f"ATTACH DATABASE ? AS encrypted KEY \"x'{key.hex()}'\"", (str(target),))
        for setting in CIPHER_SETTINGS:
            connection.execute(f"PRAGMA encrypted.{setting}")
        if watcher is not None:
            watcher.start()
        connection.execute("SELECT sqlcipher_export('encrypted')").fetchall()
        version = connection.execute("PRAGMA main.user_version").fetchone()[0]
        connection.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        connection.execute("DETACH DATABASE encrypted")
    finally:
        finished.set()
        if watcher is not None:
            watcher.join()
        connection.close()


def fsync(path: Path) -> None:
    """The file's bytes on the disk before its name is given to the store."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def shred(path: Path) -> None:
    """Overwrite a plaintext file with zeros before removing it, so its blocks do not keep the
    records (a best effort: a journaling or flash file system may keep older copies)."""
    with contextlib.suppress(FileNotFoundError):
        size = path.stat().st_size
        with path.open("r+b") as file:
            block = b"\x00" * (1024 * 1024)
            left = size
            while left > 0:
                left -= file.write(block[: min(left, len(block))])
            file.flush()
            os.fsync(file.fileno())
        path.unlink()
