"""Locks that make one process's (or thread's) work on a file exclude another's.

``FolderLock``: one holder at a time for a folder, across the threads of this process (a
re-entrant threading lock) and across processes (an OS lock on a file in the folder), so the
window and ``dxdesk`` in a terminal exclude each other too. The file store takes one around
"what do records name … delete the rest" (the prune) and around "copy in … commit" (an attach),
so that a prune never deletes bytes a record has just come to name.

``path_lock``: the same for any lock file (a download's: two processes must not append to one
partial file).

POSIX uses ``fcntl.flock``; Windows ``msvcrt.locking`` on the file's first byte.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

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
    """The state of one lock file's lock in this process."""

    def __init__(self) -> None:
        self.thread_lock = threading.RLock()
        self.users = 0  # threads holding or waiting for it (the entry goes at 0)
        self.depth = 0
        self.fd = -1


_registry_lock = threading.Lock()
_registry: dict[str, _Held] = {}


@contextmanager
def path_lock(lock_file: Path) -> Iterator[None]:
    """Hold the lock named by ``lock_file`` (created if missing, never removed: another process
    may be waiting on it) across this process's threads and across processes; re-entrant
    within a thread. Its folder must exist. Raises OSError when it cannot be opened."""
    key = os.path.normcase(lock_file.resolve())
    with _registry_lock:
        held = _registry.setdefault(key, _Held())
        held.users += 1
    try:
        with held.thread_lock:
            if held.depth == 0:
                fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, OWNER_ONLY_FILE)
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
    finally:
        with _registry_lock:
            held.users -= 1
            if held.users == 0:
                del _registry[key]


def folder_lock(folder: Path) -> AbstractContextManager[None]:
    """The lock of ``folder`` (its file ``LOCK_NAME``), as ``path_lock``."""
    return path_lock(folder / LOCK_NAME)
