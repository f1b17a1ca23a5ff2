"""Where the local store lives: the user's data folder unless told otherwise."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path

DATA_DIR_ENV = "DXDESK_DATA_DIR"
DATABASE_NAME = "dxdesk.sqlite3"


def default_data_dir() -> Path:
    return user_data_path("DXDesk", appauthor=False, ensure_exists=False)


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``--data-dir`` wins over ``DXDESK_DATA_DIR``, which wins over the per-user folder."""
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get(DATA_DIR_ENV)
    if from_env:
        return Path(from_env).expanduser()
    return default_data_dir()


# What only the user may read: the store, its backups, the folders that hold them.
OWNER_ONLY_FILE = 0o600
OWNER_ONLY_DIR = 0o700


def make_owner_only_dir(folder: Path, *, tighten: bool = False) -> None:
    """Make ``folder`` (and its parents) readable by its owner only; with ``tighten``, one that
    was there already is made so too (a folder only DX Desk uses: not a --data-dir the user
    chose). Raises OSError; the caller says what the folder is for."""
    folder.mkdir(mode=OWNER_ONLY_DIR, parents=True, exist_ok=True)
    if tighten:
        folder.chmod(OWNER_ONLY_DIR)
