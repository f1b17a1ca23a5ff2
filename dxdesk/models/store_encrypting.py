"""An old plaintext store encrypted in place, at the first start of a version that encrypts.

The encrypted copy is made beside the store under a temporary name, checked (every page read,
every table's rows counted against the plaintext), written to the disk, and only then given
the store's name in one rename. A process killed at any point leaves the plaintext store whole
(with at most a temporary copy, removed at the next start, which encrypts again) or the
encrypted one whole. The plaintext file's blocks are overwritten with zeros once it is no
longer the store (``store_cipher.shred``).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from dxdesk.domain.progress import Progress
from dxdesk.models import store_cipher
from dxdesk.models.paths import OWNER_ONLY_FILE

ENCRYPTING_PREFIX = ".dxdesk-encrypting-"
PLAINTEXT_PREFIX = ".dxdesk-plaintext-"


class CopyDiffers(Exception):
    """The encrypted copy does not hold what the plaintext store holds."""


def clear_leftovers(path: Path) -> None:
    """What an encryption stopped halfway left beside the store: a temporary copy (removed),
    and a second name of the old plaintext file (shredded, unless it is still the store)."""
    for left in path.parent.glob(ENCRYPTING_PREFIX + "*"):
        with contextlib.suppress(OSError):
            left.unlink()
    for left in path.parent.glob(PLAINTEXT_PREFIX + "*"):
        with contextlib.suppress(OSError):
            if path.exists() and left.samefile(path):
                left.unlink()  # the store itself, not encrypted yet: only the extra name goes
            else:
                store_cipher.shred(left)


def _counts(connection: store_cipher.Connection) -> dict[str, int]:
    tables = [
        name
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'"
        )
    ]
    return {
        name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in tables
    }


def _settle(path: Path) -> dict[str, int]:
    """Fold the plaintext store's write-ahead log into it and leave it a single file (a -wal
    left at the store's name would be replayed into the encrypted file); its rows counted."""
    connection = store_cipher.connect(path, None)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        connection.execute("PRAGMA journal_mode = DELETE").fetchall()
        return _counts(connection)
    finally:
        connection.close()


def _check_copy(copy: Path, key: bytes, expected: dict[str, int]) -> None:
    connection = store_cipher.connect(copy, key)
    try:
        verdict = connection.execute("PRAGMA quick_check(1)").fetchone()
        if verdict is None or verdict[0] != "ok":
            raise CopyDiffers("quick_check")
        if _counts(connection) != expected:
            raise CopyDiffers("row counts")
        connection.execute("PRAGMA journal_mode = WAL").fetchall()
    finally:
        connection.close()


def encrypt_in_place(path: Path, key: bytes, progress: Progress) -> None:
    """Replace the plaintext store at ``path`` by its encrypted copy (see the module's note).
    The caller holds the store alone. ``progress`` hears (bytes written, bytes expected) and
    may raise (``Cancelled``): the copy stops, the plaintext store stays as it was."""
    clear_leftovers(path)
    expected = _settle(path)
    total = max(path.stat().st_size, 1)
    for side in ("-wal", "-shm", "-journal"):
        path.with_name(path.name + side).unlink(missing_ok=True)
    fd, name = tempfile.mkstemp(prefix=ENCRYPTING_PREFIX, suffix=".sqlite3", dir=path.parent)
    os.close(fd)
    copy = Path(name)
    copy.unlink()  # SQLCipher makes the file itself; the name is ours
    stopped: list[BaseException] = []
    try:
        progress(0, total)
        store_cipher.encrypt_copy(path, copy, key, on_step=_stepper(copy, total, progress, stopped))
        if stopped:
            raise stopped[0]
        copy.chmod(OWNER_ONLY_FILE)
        _check_copy(copy, key, expected)
        store_cipher.fsync(copy)
        progress(total, total)
        aside = _second_name(path, copy)
        copy.replace(path)
        _sync_folder(path.parent)
    except BaseException:
        if stopped:
            with contextlib.suppress(OSError):
                copy.unlink(missing_ok=True)
            raise stopped[0] from None
        with contextlib.suppress(OSError):
            copy.unlink(missing_ok=True)
        raise
    if aside is not None:
        store_cipher.shred(aside)


def _second_name(path: Path, copy: Path) -> Path | None:
    """A second name of the plaintext store, to shred once it no longer is the store; None
    where the file system has no hard links (its old blocks are then left to it)."""
    aside = path.with_name(PLAINTEXT_PREFIX + copy.name.removeprefix(ENCRYPTING_PREFIX))
    try:
        aside.hardlink_to(path)
    except OSError:
        return None
    return aside


def _stepper(
    copy: Path, total: int, progress: Progress, stopped: list[BaseException]
) -> Callable[[], bool]:
    last = [0.0]

    def step() -> bool:
        now = time.monotonic()
        if now - last[0] < 0.1:
            return False
        last[0] = now
        try:
            written = copy.stat().st_size if copy.exists() else 0
            progress(min(written, total), total)
        except BaseException as exc:  # Cancelled, from the person's button
            stopped.append(exc)
            return True
        return False

    return step


def _sync_folder(folder: Path) -> None:
    """The rename itself on the disk (a power cut after it keeps the encrypted store)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
