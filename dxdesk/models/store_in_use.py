"""Who has the store open: one marker file beside it for each process that has it open.

A process that opens the store makes its own marker, ``dxdesk.sqlite3.in-use-<random>``, and
holds an exclusive lock on it from before it opens the store until it has closed it, then
removes it. Nobody else locks that marker for longer than a test, and nobody changes a lock
once taken (changing a flock from shared to exclusive gives it up first: a refused restore in
the window used to leave the window holding nothing, and the next restore went ahead under it).

- A restore, which renames the store aside, goes ahead only when every marker other than its
  own process's can be locked: no other process has the store open (it would go on writing to
  the file put aside). The restoring process's own hold is kept as it is.
- A marker that nobody holds is what an exit that did not close the store leaves (a crash, a
  power cut: the OS drops a dead process's locks). The next opening reads every page once, and
  removes the marker when they are good; one that is refused leaves it for the next opening.
- Markers are made, and the others tested, under the gate: an exclusive lock on the data folder
  itself, never removed. So a marker is locked by its owner before anyone else can see it, and
  no process starts to hold the store between a restore's test and its rename.

The locks are POSIX advisory locks (flock), which belong to an open file: two opens in one
process are two holders. Where there are none (Windows) every marker but one's own looks held by
nobody: the markers still tell of an unclean exit (and a store open elsewhere is checked as if
it were one), but no restore is refused.
"""

from __future__ import annotations

import contextlib
import enum
import os
import secrets
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from dxdesk.models.paths import OWNER_ONLY_FILE

IN_USE_INFIX = ".in-use-"


class StoreInUse(Exception):
    """The store is open in another process (the window, or a command)."""


@dataclass(frozen=True, eq=False)
class Hold:
    """This process's hold on the store: its own marker, locked through ``fd``."""

    marker: Path
    fd: int
    # The markers found held by nobody when this hold was taken: exits that did not close the
    # store, since the last opening that read every page.
    unclean_exits: tuple[Path, ...]


class _Marker(enum.Enum):
    HELD = "held"  # its process has the store open
    GONE = "gone"  # its process closed the store meanwhile
    LEFT = "left"  # its process ended without closing the store


def _lock(fd: int, *, exclusive: bool, wait: bool) -> bool:
    """Take a shared or exclusive lock; False when ``wait`` is off and someone else holds a
    lock that stands in the way."""
    if sys.platform == "win32":
        return True
    import fcntl

    flags = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
    try:
        fcntl.flock(fd, flags if wait else flags | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


@contextlib.contextmanager
def _gate(path: Path) -> Iterator[None]:
    """One process at a time makes its marker or tests the others'. Held for a few file
    operations only, so it is waited for."""
    try:
        fd: int | None = os.open(path.parent, os.O_RDONLY)
    except OSError:
        fd = None  # a folder cannot be opened as a file (Windows, which has no locks anyway)
    try:
        if fd is not None:
            _lock(fd, exclusive=True, wait=True)
        yield
    finally:
        if fd is not None:
            os.close(fd)  # closing lets go of the gate


def _markers(path: Path) -> list[Path]:
    prefix = path.name + IN_USE_INFIX
    try:
        return sorted(p for p in path.parent.iterdir() if p.name.startswith(prefix))
    except OSError:
        return []


def _state(marker: Path) -> _Marker:
    """Whether a marker's process still has the store open; asked under the gate."""
    try:
        fd = os.open(marker, os.O_RDWR)
    except FileNotFoundError:
        return _Marker.GONE
    except OSError:
        return _Marker.LEFT  # an unreadable marker: count it as an unclean exit, to be safe
    try:
        if not _lock(fd, exclusive=True, wait=False):
            return _Marker.HELD
        # Its owner removed it and let go just now (closing takes no gate): a clean close.
        return _Marker.LEFT if os.fstat(fd).st_nlink > 0 else _Marker.GONE
    finally:
        os.close(fd)  # closing drops the lock just taken


def hold(path: Path) -> Hold | None:
    """Mark the store open by this process until ``release``, and find the exits that did not
    close it; None where no marker can be made (a full disk): the opening then reads every
    page, and a restore elsewhere is not refused for this process."""
    with _gate(path):
        marker = path.with_name(path.name + IN_USE_INFIX + secrets.token_hex(8))
        try:
            fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_RDWR, OWNER_ONLY_FILE)
        except OSError:
            return None
        _lock(fd, exclusive=True, wait=True)  # nobody else knows of it yet: at once
        unclean = tuple(
            other for other in _markers(path) if other != marker and _state(other) is _Marker.LEFT
        )
    return Hold(marker=marker, fd=fd, unclean_exits=unclean)


def pages_checked(hold: Hold | None) -> None:
    """Every page of the store was read and found good after ``hold`` was taken: the unclean
    exits it found no longer call for that (their markers go)."""
    if hold is None:
        return
    for marker in hold.unclean_exits:
        with contextlib.suppress(OSError):
            marker.unlink(missing_ok=True)


def release(hold: Hold | None) -> None:
    """This process closed the store (or gave up opening it)."""
    if hold is None:
        return
    if sys.platform == "win32":
        os.close(hold.fd)  # Windows removes no open file
        with contextlib.suppress(OSError):
            hold.marker.unlink(missing_ok=True)
        return
    try:
        # Removed before the lock goes: never a moment where it looks left by an unclean exit.
        hold.marker.unlink(missing_ok=True)
    except OSError:
        pass  # left behind, it costs the next opening one reading of every page
    finally:
        os.close(hold.fd)


@contextlib.contextmanager
def exclusive(path: Path, own: Hold | None = None) -> Iterator[None]:
    """Nobody else has the store open while this runs, nor starts to (``own``: this process's
    hold, kept as it is). Raises StoreInUse when another process has it open."""
    with _gate(path):
        mine = None if own is None else own.marker
        left = []
        for marker in _markers(path):
            if marker == mine:
                continue
            state = _state(marker)
            if state is _Marker.HELD:
                raise StoreInUse(path)
            if state is _Marker.LEFT:
                left.append(marker)
        yield
        # The store now there is not the one those exits left (a restored one is checked).
        for marker in left:
            with contextlib.suppress(OSError):
                marker.unlink(missing_ok=True)
