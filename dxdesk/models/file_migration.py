"""Attachments an older version stored in plaintext, encrypted in place (issue 23).

At the store's opening (models/store.py ``open_store``), before the store itself is encrypted:
every file of ``files/`` and of the backups' ``backups/files/`` without the encrypted format's
header is sealed with the folder's file key under its own name (``FileStore.encrypt_in_place``:
a temporary file, flushed, renamed; a kill leaves each file whole, plaintext or encrypted, and
the next opening goes on). The data folder's files go first, so that a backup's file that was a
hard link to one becomes a link to its encrypted file again rather than a second copy. When a
folder that holds files is done, a marker in it (``DONE_MARKER``) says so and later openings
look at that one name; a folder with no file yet is only listed. Before the store's encryption, so
that a cancel there (``Cancelled`` from ``progress``) leaves the store as it was, as the window
tells the person; the files done by then stay encrypted and are read as they are.

A copy made by hand by an older version (its ``FILE.files/`` folder, outside the data folder) is
the person's and is left as it is; a restore from it takes its files in encrypted.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from dxdesk.domain.progress import Progress, no_progress
from dxdesk.models.file_cipher import key_id_of
from dxdesk.models.file_store import FILES_DIR, FileProblem, FileStore
from dxdesk.models.file_writing import fsync_dir
from dxdesk.models.paths import OWNER_ONLY_FILE

log = logging.getLogger(__name__)

DONE_MARKER = ".encrypted"  # in a file store's folder: every file in it was encrypted by then
BACKUPS_FILES = ("backups", "files")  # models/backups.py BACKUPS_DIR, backup_files.py's folder


def encrypt_old_files(data_dir: Path, key: bytes, progress: Progress = no_progress) -> int:
    """Encrypt the plaintext files an older version left under ``data_dir`` with the store's
    ``key`` (see the module's docstring); returns how many were. ``progress`` hears (bytes
    done, bytes in all) and may raise (Cancelled: what is done stays done)."""
    files = FileStore(data_dir / FILES_DIR, key)
    kept = FileStore(data_dir.joinpath(*BACKUPS_FILES), key)
    waiting = [each for each in (files, kept) if _waiting(each)]
    if not waiting:
        return 0
    scanned = {each.root: _stored_and_plaintext(each) for each in waiting}
    old = [(each, sha256) for each in waiting for sha256 in scanned[each.root][1]]
    sizes = [_size(each, sha256) for each, sha256 in old]
    total = sum(sizes)
    done = count = 0
    failed: set[Path] = set()
    for (each, sha256), size in zip(old, sizes, strict=True):
        progress(done, total)
        try:
            with each.exclusive():
                each.encrypt_in_place(sha256, twin=files if each is kept else None)
            count += 1
        except (FileProblem, OSError) as exc:  # a full disk, a file held open (Windows)
            log.warning("attachment %s not encrypted yet: %s", sha256[:12], exc)
            failed.add(each.root)
        done += size
    progress(total, total)
    for each in waiting:
        if each.root not in failed and scanned[each.root][0]:  # an empty one: no marker yet
            _mark_done(each.root)
    return count


def _waiting(files: FileStore) -> bool:
    return files.root.is_dir() and not (files.root / DONE_MARKER).exists()


def _mark_done(root: Path) -> None:
    marker = root / DONE_MARKER
    try:
        fd = os.open(marker, os.O_WRONLY | os.O_CREAT, OWNER_ONLY_FILE)
        os.close(fd)
        fsync_dir(root)
    except OSError as exc:  # the next opening looks again: harmless
        log.warning("%s not written: %s", marker, exc)


def _stored_and_plaintext(files: FileStore) -> tuple[int, list[str]]:
    """How many files ``files`` holds, and those of them still plaintext."""
    held, old = 0, []
    for sha256 in files.stored():
        held += 1
        try:
            if key_id_of(files.path(sha256)) is None:
                old.append(sha256)
        except OSError:
            continue  # gone meanwhile
    return held, old


def _size(files: FileStore, sha256: str) -> int:
    try:
        return files.path(sha256).stat().st_size
    except OSError:
        return 0
