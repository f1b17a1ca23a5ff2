"""A store that cannot be read is never replaced (issue 17, finding 8).

Every command, and the window's start, refuse it in one line with exit status 2: no traceback,
nothing written to the file, nothing made beside it (no new empty store, no -wal, no renamed
copy). A data folder without a store is still a new one, created as before.
"""

from __future__ import annotations

import hashlib
import os
import random
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from dxdesk.cli.main import main
from dxdesk.models.paths import DATABASE_NAME
from dxdesk.models.store import StoreUnreadable, open_store
from tests.child_process import run
from tests.store_damage import damage_a_table_page

FLIPS = 5000
SEED = 17


def _make_store(data: Path) -> Path:
    """A real store with a few records in it, closed (no -wal left)."""
    for n in range(3):
        payload = f'{{"municipality": "303917", "date": "2025-06-1{n}", "summary": "窓口BPR {n}"}}'
        assert main(["--data-dir", str(data), "records", "add", "visit", "--json", payload]) == 0
    path = data / DATABASE_NAME
    assert path.is_file() and path.stat().st_size > 0
    return path


def _flip_bytes(path: Path) -> None:
    """5,000 bytes inverted at places chosen by a fixed seed, anywhere in the file."""
    content = bytearray(path.read_bytes())
    rng = random.Random(SEED)
    for _ in range(FLIPS):
        content[rng.randrange(len(content))] ^= 0xFF
    path.write_bytes(bytes(content))


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _cut_short(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:40])


def _not_a_database(path: Path) -> None:
    path.write_text("date,summary\n2025-06-12,窓口BPR\n", encoding="utf-8")


DAMAGE: dict[str, Callable[[Path], None]] = {
    "5000 flipped bytes": _flip_bytes,
    "0 bytes": _empty,
    "cut to 40 bytes": _cut_short,
    "a text file": _not_a_database,
    "a damaged table page": damage_a_table_page,
}


def _snapshot(folder: Path) -> dict[str, str]:
    """Every file in the folder by name, with its content's hash."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


@pytest.fixture(params=list(DAMAGE), ids=list(DAMAGE))
def broken(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """A data folder whose store has been damaged one way; returns the folder."""
    data = tmp_path / "data"
    DAMAGE[request.param](_make_store(data))
    return data


def _dxdesk(data: Path, *args: str) -> tuple[int, str]:
    done = run(
        [sys.executable, "-m", "dxdesk", "--data-dir", str(data), *args],
        text=True,
        capture_output=True,
        timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.stdout == ""
    return done.returncode, done.stderr


@pytest.mark.parametrize(
    "command", [["municipalities"], ["records", "list", "visit"]], ids=" ".join
)
def test_a_command_on_an_unreadable_store_says_so_in_one_line_and_touches_nothing(
    broken: Path, command: list[str]
) -> None:
    before = _snapshot(broken)
    status, err = _dxdesk(broken, *command)
    assert status == 2, err
    assert "Traceback" not in err
    assert err.count("\n") == 1 and err.endswith("\n"), err
    assert err.startswith("dxdesk: エラー: ")
    assert str(broken / DATABASE_NAME) in err
    assert "読めません" in err and "dxdesk backups" in err and "dxdesk restore FILE" in err
    assert _snapshot(broken) == before  # the same bytes, and no file made beside it


# A store whose header is sound opens without reading every page (a start-up cost): damage
# deeper in is found by the backup the window makes at start (tests/gui/test_backups_ui.py).
UNREADABLE_AT_OPENING = [name for name in DAMAGE if name != "a damaged table page"]


@pytest.mark.parametrize("damage", UNREADABLE_AT_OPENING)
def test_the_window_smoke_start_on_an_unreadable_store_exits_at_once(
    tmp_path: Path, damage: str
) -> None:
    broken = tmp_path / "data"
    DAMAGE[damage](_make_store(broken))
    before = _snapshot(broken)
    status, err = _dxdesk(broken, "--smoke")
    assert status == 2, err
    assert "Traceback" not in err
    assert err.count("\n") == 1, err
    assert str(broken / DATABASE_NAME) in err
    assert _snapshot(broken) == before


def test_open_store_refuses_an_empty_file_but_creates_a_new_folder(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / DATABASE_NAME).write_bytes(b"")
    with pytest.raises(StoreUnreadable) as refused:
        open_store(empty)
    assert refused.value.path == empty / DATABASE_NAME
    assert _snapshot(empty) == {DATABASE_NAME: hashlib.sha256(b"").hexdigest()}

    fresh = tmp_path / "fresh"
    store = open_store(fresh)  # no store yet: a new data folder, made as always
    try:
        assert store.is_empty() and store.meta("device_id")
    finally:
        store.close()
    assert (fresh / DATABASE_NAME).stat().st_size > 0


def test_a_healthy_store_still_opens_after_the_check(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _make_store(data)
    assert main(["--data-dir", str(data), "records", "list", "visit", "--json"]) == 0
