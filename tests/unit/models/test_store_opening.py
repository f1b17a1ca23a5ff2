"""Opening the store (issue 17, finding 8's loose ends): a new store is made under a temporary
name, so a first start killed halfway leaves nothing at the store's name; every page is read
at opening only after an exit that did not close the store."""

from __future__ import annotations

import shutil
import sys
import textwrap
from pathlib import Path

import pytest

import dxdesk.models.store as store_module
from dxdesk.models.paths import DATABASE_NAME
from dxdesk.models.store import Store, StoreUnreadable, open_store
from dxdesk.models.store_key import KEY_FILE
from tests.child_process import run
from tests.store_damage import damage_a_table_page

KILLED = 9


def _start_killed_while_creating(data: Path) -> None:
    """A first start that dies (os._exit, as a SIGKILL would) while the new store is being
    filled: after the empty file was made, before its tables were."""
    script = textwrap.dedent(
        f"""
        import os
        from pathlib import Path
        import dxdesk.models.store as store

        def killed(_connection):
            os._exit({KILLED})

        store.upgrade_to_head = killed
        store.open_store(Path({str(data)!r}))
        """
    )
    done = run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == KILLED, done.stderr


def test_a_first_start_killed_before_its_first_write_leaves_no_store(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _start_killed_while_creating(data)
    assert not (data / DATABASE_NAME).exists()
    store = open_store(data)  # the next start makes the store, as on a first start
    try:
        assert store.meta("device_id") and store.is_empty()
    finally:
        store.close()
    assert sorted(p.name for p in data.iterdir()) == [KEY_FILE, DATABASE_NAME]  # no leftovers


def _exit_without_closing(data: Path) -> None:
    script = (
        "import os, pathlib, dxdesk.models.store as s; "
        f"s.open_store(pathlib.Path({str(data)!r})); os._exit(0)"
    )
    done = run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_after_an_unclean_exit_every_page_is_checked_at_opening(tmp_path: Path) -> None:
    data = tmp_path / "data"
    open_store(data).close()
    _exit_without_closing(data)
    damage_a_table_page(data / DATABASE_NAME)
    with pytest.raises(StoreUnreadable):
        open_store(data)


def test_after_a_clean_close_only_the_header_is_read(tmp_path: Path) -> None:
    # The damage is found where every page is read anyway: the backup at the window's start.
    data = tmp_path / "data"
    open_store(data).close()
    assert sorted(p.name for p in data.iterdir()) == [KEY_FILE, DATABASE_NAME]
    damage_a_table_page(data / DATABASE_NAME)
    store = open_store(data)
    try:
        (marker,) = data.glob(DATABASE_NAME + ".in-use-*")  # this process's, owner-only
        assert marker.stat().st_mode & 0o077 == 0
    finally:
        store.close()


def test_a_store_made_meanwhile_by_another_start_is_not_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two first starts at once (the window and a command): the one that finishes second takes
    # the store the first made, which may hold a record already, instead of replacing it.
    other = tmp_path / "other"
    first = open_store(other)
    device = first.meta("device_id")
    first.close()
    data = tmp_path / "data"
    data.mkdir()  # one data folder, so one key: the other start made it
    shutil.copyfile(other / KEY_FILE, data / KEY_FILE)
    real_load = store_module._load_reference_data

    def made_meanwhile(store: Store) -> None:
        real_load(store)
        if store.path.name.startswith(".dxdesk-new-"):
            shutil.copyfile(other / DATABASE_NAME, data / DATABASE_NAME)

    monkeypatch.setattr(store_module, "_load_reference_data", made_meanwhile)
    second = open_store(data)
    try:
        assert second.meta("device_id") == device
    finally:
        second.close()
    assert sorted(p.name for p in data.iterdir()) == [KEY_FILE, DATABASE_NAME]
