"""Who has the store open (models/store_in_use.py): a restore is refused while any other process
has the store open, whatever was refused or closed before it; an exit that did not close the store
is found at the next opening."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from dxdesk.models.backups import BackupRefused, restore_backup, restore_into, take_backup
from dxdesk.models.migrations_runner import upgrade_to_head
from dxdesk.models.paths import DATABASE_NAME
from dxdesk.models.store import Store, StoreUnreadable, open_store
from dxdesk.models.store_key import KEY_FILE
from tests.child_process import TIMEOUT, run, stop
from tests.store_damage import damage_a_table_page
from tests.unit.models.test_store_opening import _exit_without_closing

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
REFUSED = 2  # `dxdesk restore`'s exit status for a refusal


@pytest.fixture
def data_with_backup(tmp_path: Path) -> tuple[Path, Path]:
    """A data folder whose store has one backup; returns (the folder, the backup)."""
    data = tmp_path / "data"
    store = open_store(data)
    try:
        backup = take_backup(store, now=NOW).path
    finally:
        store.close()
    return data, backup


def _restore_command(data: Path, backup: Path) -> subprocess.CompletedProcess[str]:
    """`dxdesk restore` in a process of its own, as from a terminal."""
    return run(
        [sys.executable, "-m", "dxdesk", "--data-dir", str(data), "restore", backup.name],
        capture_output=True,
        text=True,
    )


def _assert_refused(done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode == REFUSED, (done.returncode, done.stdout, done.stderr)
    assert "閉じてから" in done.stderr, done.stderr


@pytest.fixture
def command_holding_the_store() -> Iterator[Callable[[Path], subprocess.Popen[str]]]:
    """Start a process (a command, say `dxdesk sync`) that opens the store and keeps it open
    until a line comes on its stdin; it says "open" once it holds the store."""
    started: list[subprocess.Popen[str]] = []

    def start(data: Path) -> subprocess.Popen[str]:
        script = textwrap.dedent(
            f"""
            import sys
            from pathlib import Path
            from dxdesk.models.store import open_store

            store = open_store(Path({str(data)!r}))
            print("open", flush=True)
            sys.stdin.readline()
            store.close()
            """
        )
        process = subprocess.Popen(
            [sys.executable, "-c", script],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        started.append(process)
        assert process.stdout is not None
        line = process.stdout.readline()  # ends at the child's exit too
        assert line == "open\n", process.communicate(timeout=TIMEOUT)[1]
        return process

    yield start
    for process in started:
        stop(process)


def _close(process: subprocess.Popen[str]) -> None:
    _out, err = process.communicate("close\n", timeout=TIMEOUT)
    assert process.returncode == 0, err


def test_the_windows_refused_restore_keeps_its_hold(
    data_with_backup: tuple[Path, Path],
    command_holding_the_store: Callable[[Path], subprocess.Popen[str]],
) -> None:
    # A command holds the store; the window's own restore is refused. The window still has the
    # store open, so a `dxdesk restore` from a terminal is refused, before and after the command
    # ends: it would put aside the file the window goes on writing to.
    data, backup = data_with_backup
    command = command_holding_the_store(data)
    window = open_store(data)
    try:
        with pytest.raises(BackupRefused):
            restore_into(window, backup.name)
        assert window.meta("device_id")  # the window's store is as it was, and usable
        _assert_refused(_restore_command(data, backup))
        _close(command)
        _assert_refused(_restore_command(data, backup))
    finally:
        window.close()
    done = _restore_command(data, backup)
    assert done.returncode == 0, done.stderr


def test_the_window_restores_under_itself_when_nobody_else_has_the_store_open(
    data_with_backup: tuple[Path, Path],
    command_holding_the_store: Callable[[Path], subprocess.Popen[str]],
) -> None:
    data, backup = data_with_backup
    window = open_store(data)
    try:
        restored = restore_into(window, backup.name)
        assert restored.kept_aside is not None and restored.kept_aside.exists()
        # And the window holds the restored store as it held the one before.
        _assert_refused(_restore_command(data, backup))
        command = command_holding_the_store(data)
        with pytest.raises(BackupRefused):
            restore_into(window, backup.name)
        _close(command)
        restore_into(window, backup.name)
    finally:
        window.close()


def test_a_restore_while_a_process_opens_the_store_is_refused(
    data_with_backup: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # From the moment a process starts opening the store (migrating it, loading the roster) it
    # holds it: a restore in that moment would replace the file under it.
    data, backup = data_with_backup
    refusals: list[subprocess.CompletedProcess[str]] = []

    def restore_meanwhile(connection: Any) -> None:
        if not refusals:
            refusals.append(_restore_command(data, backup))
        upgrade_to_head(connection)

    monkeypatch.setattr("dxdesk.models.store.upgrade_to_head", restore_meanwhile)
    store = open_store(data)
    store.close()
    assert len(refusals) == 1
    _assert_refused(refusals[0])


def test_a_store_closed_while_another_process_is_opening_it_stays_held(
    data_with_backup: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Driven in order: B starts opening (its marker made, not yet locked); A, the last one
    # holding the store, closes it; B locks its marker. B holds the store: a restore is refused.
    # (Two opens in one process stand for two processes: the locks are per open file.)
    data, backup = data_with_backup
    first = open_store(data)
    real_open = os.open
    pending: list[Store] = [first]

    def open_then_close_the_first(file: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        fd = real_open(file, flags, *args, **kwargs)
        beside_the_store = Path(os.fsdecode(file)).name.startswith(DATABASE_NAME + ".in-use")
        if pending and beside_the_store and flags & os.O_CREAT:
            pending.pop().close()
        return fd

    monkeypatch.setattr(os, "open", open_then_close_the_first)
    second = open_store(data)
    monkeypatch.undo()
    try:
        assert not pending  # the first closed in the middle of the second's opening
        with pytest.raises(BackupRefused):
            restore_backup(data, backup.name)
    finally:
        second.close()
    restore_backup(data, backup.name)


def test_an_unclean_exit_is_found_while_the_store_is_open_elsewhere(tmp_path: Path) -> None:
    data = tmp_path / "data"
    window = open_store(data)
    try:
        _exit_without_closing(data)  # a command that crashed beside the open window
        damage_a_table_page(data / DATABASE_NAME)
        with pytest.raises(StoreUnreadable):
            open_store(data)
        with pytest.raises(StoreUnreadable):
            open_store(data)  # refused again: nothing counted the store as checked
    finally:
        window.close()


def test_a_store_open_elsewhere_is_not_an_unclean_exit(tmp_path: Path) -> None:
    # The window open is no reason for every command to read every page.
    data = tmp_path / "data"
    window = open_store(data)
    try:
        damage_a_table_page(data / DATABASE_NAME)
        open_store(data).close()
    finally:
        window.close()


def test_after_an_unclean_exit_is_checked_the_next_opening_trusts_the_pages(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    open_store(data).close()
    _exit_without_closing(data)
    open_store(data).close()  # every page read, and found good
    damage_a_table_page(data / DATABASE_NAME)
    open_store(data).close()  # only the header read
    assert sorted(p.name for p in data.iterdir()) == [KEY_FILE, DATABASE_NAME]


def test_a_refused_opening_leaves_no_hold(tmp_path: Path) -> None:
    # The window's start offers the newest backup when the store cannot be opened: its own
    # failed opening must not stand in the way of that restore.
    data = tmp_path / "data"
    store = open_store(data)
    try:
        backup = take_backup(store, now=NOW).path
    finally:
        store.close()
    (data / DATABASE_NAME).write_bytes(b"")
    with pytest.raises(StoreUnreadable):
        open_store(data)
    assert sorted(p.name for p in data.iterdir() if p.is_file()) == [KEY_FILE, DATABASE_NAME]
    restore_backup(data, backup.name)
    open_store(data).close()
