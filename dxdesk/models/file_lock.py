"""Locks that make one process's (or thread's) work on a file exclude another's.

``FolderLock``: one holder at a time for a folder, across the threads of this process (a
re-entrant threading lock) and across processes (an OS lock on a file in the folder), so the
window and ``dxdesk`` in a terminal exclude each other too. The file store takes one around
"what do records name … delete the rest" (the prune) and around "copy in … commit" (an attach),
so that a prune never deletes bytes a record has just come to name.

``lock_open_file``: an OS lock on an open file, for as long as it is open (a download's partial
file: two processes must not append to one).

POSIX uses ``fcntl.flock``; Windows ``msvcrt.locking`` on the file's first byte.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from dxdesk.models.paths import OWNER_ONLY_FILE

LOCK_NAME = ".lock"

if sys.platform == "win32":  # pragma: no cover - the app ships for Windows; the tests run on Linux
    import msvcrt

    def _os_lock(fd: int, *, wait: bool = True) -> bool:
        os.lseek(fd, 0, os.SEEK_SET)
        while True:
            try:
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
                return True
            except OSError:
                if not wait:
                    return False
                time.sleep(0.05)

    def _os_unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _os_lock(fd: int, *, wait: bool = True) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _os_unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


class _Held:
    """The state of one folder's lock in this process."""

    def __init__(self) -> None:
        self.thread_lock = threading.RLock()
        self.depth = 0
        self.fd = -1


_registry_lock = threading.Lock()
_registry: dict[str, _Held] = {}


def _held_for(folder: Path) -> _Held:
    key = os.path.normcase(folder.resolve())
    with _registry_lock:
        return _registry.setdefault(key, _Held())


@contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold ``folder``'s lock (see the module's docstring); re-entrant within a thread.
    ``folder`` must exist. Raises OSError when the lock file cannot be opened."""
    held = _held_for(folder)
    with held.thread_lock:
        if held.depth == 0:
            fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, OWNER_ONLY_FILE)
            try:
                _os_lock(fd)
            except BaseException:
                os.close(fd)
                raise
            held.fd = fd
        held.depth += 1
        try:
            yield
        finally:
            held.depth -= 1
            if held.depth == 0:
                fd, held.fd = held.fd, -1
                try:
                    _os_unlock(fd)
                finally:
                    os.close(fd)


def lock_open_file(file: IO[bytes], *, wait: bool = True) -> bool:
    """Take an OS lock on ``file`` (released when it is closed); False when another holds it
    and ``wait`` is False."""
    return _os_lock(file.fileno(), wait=wait)
