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
