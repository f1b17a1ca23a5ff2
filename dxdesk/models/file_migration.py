"""Attachments an older version stored in plaintext, encrypted in place (issue 23).

At the store's opening (models/store.py ``open_store``), once per data folder: every file of
``files/`` and of the backups' ``backups/files/`` without the encrypted format's header is
sealed with the folder's file key under its own name (``FileStore.encrypt_in_place``: a
temporary file, flushed, renamed; a kill leaves each file whole, plaintext or encrypted, and the
next opening goes on). The data folder's files go first, so that a backup's file that was a hard
link to one becomes a link to its encrypted file again rather than a second copy. When every
file is done, the store's meta says so (``FILES_ENCRYPTED``) and later openings read one row;
an opening with no file folder reads nothing at all.

A copy made by hand by an older version (its ``FILE.files/`` folder, outside the data folder) is
the person's and is left as it is; a restore from it takes its files in encrypted.
"""

from __future__ import annotations

import logging

from dxdesk.domain.progress import Progress, no_progress
from dxdesk.models.backup_files import backup_file_store
from dxdesk.models.backups import backups_dir
from dxdesk.models.file_cipher import key_id_of
from dxdesk.models.file_store import FileProblem, FileStore, file_store_of
from dxdesk.models.store import Store

log = logging.getLogger(__name__)

FILES_ENCRYPTED = "files_encrypted"  # store_meta: every stored file was encrypted by then


def encrypt_old_files(store: Store, progress: Progress = no_progress) -> int:
    """Encrypt the plaintext files an older version left (see the module's docstring);
    returns how many were. ``progress`` hears (bytes done, bytes in all) and may raise
    (Cancelled: the files done so far stay encrypted, the rest plaintext, until next time)."""
    files = file_store_of(store)
    kept = backup_file_store(backups_dir(store.data_dir), store.key)
    if not files.root.is_dir() and not kept.root.is_dir():
        return 0
    if store.meta(FILES_ENCRYPTED) is not None:
        return 0
    old = [(each, sha256) for each in (files, kept) for sha256 in _plaintext(each)]
    sizes = {(each.root, sha256): _size(each, sha256) for each, sha256 in old}
    total = sum(sizes.values())
    done = count = 0
    failed = False
    for each, sha256 in old:
        progress(done, total)
        try:
            with each.exclusive():
                each.encrypt_in_place(sha256, twin=files if each is kept else None)
            count += 1
        except (FileProblem, OSError) as exc:  # a full disk, a file held open (Windows)
            log.warning("attachment %s not encrypted yet: %s", sha256[:12], exc)
            failed = True
        done += sizes[(each.root, sha256)]
    progress(total, total)
    if not failed:
        store.set_meta(FILES_ENCRYPTED, "1")
    return count


def _plaintext(files: FileStore) -> list[str]:
    old = []
    for sha256 in files.stored():
        try:
            if key_id_of(files.path(sha256)) is None:
                old.append(sha256)
        except OSError:
            continue  # gone meanwhile
    return old


def _size(files: FileStore, sha256: str) -> int:
    try:
        return files.path(sha256).stat().st_size
    except OSError:
        return 0
