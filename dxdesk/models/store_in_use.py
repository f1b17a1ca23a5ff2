"""Who has the store open: a marker file beside it, locked while a process uses the store.

Each process that opens the store holds a shared lock on ``dxdesk.sqlite3.in-use`` until it
closes the store; the last one to close removes the file. So the file found at opening with
nobody holding it tells of an exit that did not close the store (a crash, a power cut: the OS
drops the dead process's lock), after which every page is checked once; and a restore, which
renames the store aside, takes the lock exclusively, so it is refused while the window or a
command has the store open (they would go on writing to the file put aside).

The locks are POSIX advisory locks (flock). Where there are none (Windows), the marker still
tells of an unclean exit, but not whether the store is open elsewhere.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

OWNER_ONLY_FILE = 0o600
IN_USE_SUFFIX = ".in-use"


class StoreInUse(Exception):
    """The store is open in another process (the window, or a command)."""


def in_use_marker(path: Path) -> Path:
    return path.with_name(path.name + IN_USE_SUFFIX)


def _lock(fd: int, *, exclusive: bool, wait: bool) -> bool:
    """Take (or change to) a shared or exclusive lock; False when ``wait`` is off and someone
    else holds a lock that stands in the way."""
    if sys.platform == "win32":
        return True
    import fcntl

    flags = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
    try:
        fcntl.flock(fd, flags if wait else flags | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def left_by_an_unclean_exit(path: Path) -> bool:
    """Whether the marker is there with nobody holding it."""
    marker = in_use_marker(path)
    try:
        fd = os.open(marker, os.O_RDWR)
    except FileNotFoundError:
        return False
    except OSError:
        return True  # unreadable marker: check the pages, to be safe
    try:
        return _lock(fd, exclusive=True, wait=False)
    finally:
        os.close(fd)  # closing drops the lock just taken


def hold(path: Path) -> int | None:
    """Mark the store open by this process until ``release``; None where the marker cannot be
    made (a read-only folder): only an optimisation and a guard is lost."""
    try:
        fd = os.open(in_use_marker(path), os.O_CREAT | os.O_RDWR, OWNER_ONLY_FILE)
    except OSError:
        return None
    _lock(fd, exclusive=False, wait=True)  # waits only for a restore under way
    return fd


def release(path: Path, fd: int | None) -> None:
    """This process closed the store cleanly: the last one out removes the marker."""
    if fd is None:
        return
    try:
        if _lock(fd, exclusive=True, wait=False):
            in_use_marker(path).unlink(missing_ok=True)
    finally:
        os.close(fd)


@contextlib.contextmanager
def exclusive(path: Path, own: int | None = None) -> Iterator[None]:
    """Nobody else has the store open while this runs (``own``: this process's hold, kept).

    Raises StoreInUse when another process has it open.
    """
    fd = own
    if fd is None:
        try:
            fd = os.open(in_use_marker(path), os.O_CREAT | os.O_RDWR, OWNER_ONLY_FILE)
        except OSError:
            yield
            return
    if not _lock(fd, exclusive=True, wait=False):
        if own is None:
            os.close(fd)
        raise StoreInUse(path)
    try:
        yield
    finally:
        if own is None:
            # Nobody has the store open: no marker (a restored store is checked already).
            in_use_marker(path).unlink(missing_ok=True)
            os.close(fd)
        else:
            _lock(fd, exclusive=False, wait=True)  # back to this process's shared hold
