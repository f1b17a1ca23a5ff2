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
import secrets
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
    """What an encryption of ``path`` stopped halfway left beside it (named after it): a
    temporary copy (removed), and a second name of the old plaintext file (see
    ``_drop_second_name``)."""
    for left in path.parent.glob(f"{ENCRYPTING_PREFIX}{path.name}-*"):
        with contextlib.suppress(OSError):
            left.unlink()
    for left in path.parent.glob(f"{PLAINTEXT_PREFIX}{path.name}-*"):
        with contextlib.suppress(OSError):
            _drop_second_name(left, path)


def _drop_second_name(aside: Path, path: Path) -> None:
    """The old plaintext file's second name: overwritten with zeros only when it is the file's
    last name and the store at ``path`` is another file, encrypted (the encryption went
    through). When it is still the store (not encrypted yet), or another name holds the same
    file (a restore put the store aside under ``dxdesk-before-restore-…``, a copy made by
    hand), only this name goes. Otherwise (the store missing, or plaintext again) it stays."""
    if (path.exists() and aside.samefile(path)) or aside.stat().st_nlink > 1:
        aside.unlink()
    elif path.exists() and not store_cipher.is_plaintext(path):
        store_cipher.shred(aside)


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
    stamp = secrets.token_hex(8)
    copy = path.with_name(f"{ENCRYPTING_PREFIX}{path.name}-{stamp}")
    stopped: list[BaseException] = []
    try:
        progress(0, total)
        store_cipher.encrypt_copy(
            path, copy, key, should_stop=_stepper(copy, total, progress, stopped)
        )
        if stopped:
            raise stopped[0]
        copy.chmod(OWNER_ONLY_FILE)
        _check_copy(copy, key, expected)
        store_cipher.fsync(copy)
        progress(total, total)
        aside = _second_name(path, stamp)
        copy.replace(path)
        durable = _sync_folder(path.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            copy.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            clear_leftovers(path)  # a second name made before the rename failed
        if stopped:
            raise stopped[0] from None
        raise
    # The zeros only once the rename is on the disk (a power cut must not leave the store's
    # name on the zeroed file); where the folder cannot be flushed (Windows), the next
    # opening does it. A file another application holds (Windows) waits for it too.
    if aside is not None and durable:
        with contextlib.suppress(OSError):
            _drop_second_name(aside, path)


def encrypt_old_copies(data_dir: Path, key: bytes) -> list[Path]:
    """The plaintext copies an older version left in the data folder, encrypted in place as
    the store was: the automatic backups (``backups/dxdesk-*.sqlite3``) and the stores a
    restore put aside (``dxdesk-before-restore-*.sqlite3``). Cheap when there are none (a
    few bytes read per file), so it runs at every opening: one killed halfway goes on at the
    next. A copy that cannot be encrypted (damaged) is left as it is. Returns those done."""
    done = []
    candidates = [
        *data_dir.glob("dxdesk-before-restore-*.sqlite3"),
        *(data_dir / "backups").glob("dxdesk-*.sqlite3"),
    ]
    for copy in candidates:
        if not store_cipher.is_plaintext(copy):
            continue
        try:
            encrypt_in_place(copy, key, lambda _done, _total: None)
        except (store_cipher.DatabaseError, CopyDiffers, OSError):
            continue
        done.append(copy)
    return done


def _second_name(path: Path, stamp: str) -> Path | None:
    """A second name of the plaintext file, to shred once it no longer is ``path``; None
    where the file system has no hard links (its old blocks are then left to it)."""
    aside = path.with_name(f"{PLAINTEXT_PREFIX}{path.name}-{stamp}")
    try:
        aside.hardlink_to(path)
    except OSError:
        return None
    return aside


def _stepper(
    copy: Path, total: int, progress: Progress, stopped: list[BaseException]
) -> Callable[[], bool]:
    """Tell ``progress`` the copy's size so far (from the copy's watcher thread); True, with
    the exception kept in ``stopped``, when it raises (``Cancelled``, the person's button)."""

    def step() -> bool:
        try:
            written = copy.stat().st_size if copy.exists() else 0
            progress(min(written, total), total)
        except BaseException as exc:
            stopped.append(exc)
            return True
        return False

    return step


def _sync_folder(folder: Path) -> bool:
    """The rename itself on the disk (a power cut after it keeps the encrypted store); False
    where a folder cannot be flushed."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return False
    try:
        os.fsync(fd)
    except OSError:
        return False
    finally:
        os.close(fd)
    return True
