"""Automatic backups (issue 17, finding 9): generations kept as Anki keeps them, checked copies,
and a restore that keeps the current store aside. Clocks are fixed: no test sleeps."""

from __future__ import annotations

import hashlib
import sqlite3
import stat
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from dxdesk.models.backups import (
    META_RESTORED,
    BackupRefused,
    backup_name,
    generations_to_keep,
    list_backups,
    restore_backup,
    restore_into,
    take_backup,
)
from dxdesk.models.paths import DATABASE_NAME
from dxdesk.models.store import StoreError, StoreUnreadable, open_store
from dxdesk.services.workspace import open_workspace
from dxdesk.sync import wipe
from tests.store_damage import damage_a_table_page

JST = timezone(timedelta(hours=9))
NOW = datetime(2026, 12, 6, 18, 0, tzinfo=JST)


def _hours_ago(*hours: float) -> list[datetime]:
    return [NOW - timedelta(hours=h) for h in hours]


def test_the_newest_four_are_kept_whatever_their_age() -> None:
    # A laptop left in a drawer for three months: its last backups are all it has.
    taken = [NOW - timedelta(days=90 + n) for n in range(6)]
    kept = generations_to_keep(taken, NOW)
    assert kept == set(taken[:4])


def test_a_day_of_editing_keeps_the_newest_four_and_one_per_day() -> None:
    # Every 30 minutes for a working day today, and the same on each of the six days before.
    taken = [
        NOW.replace(hour=9) - timedelta(days=day) + timedelta(minutes=30 * n)
        for day in range(7)
        for n in range(16)
    ]
    kept = generations_to_keep(taken, NOW)
    newest = sorted(taken, reverse=True)
    assert set(newest[:4]) <= kept
    # One a day for the last 4 days (today and the 3 before): each day's newest.
    for day in range(4):
        date = (NOW - timedelta(days=day)).date()
        of_day = [t for t in taken if t.astimezone(JST).date() == date]
        assert max(of_day) in kept
    # Days 4 to 6 fall in the first week: one for that week (its newest).
    assert len(kept) == 4 + 3 + 1
    assert max(t for t in taken if t.date() == (NOW - timedelta(days=4)).date()) in kept


def test_one_a_week_for_a_month_beyond_the_days_and_nothing_older() -> None:
    # A backup every other day at 17:00 for two months.
    taken = {d: NOW - timedelta(days=d, hours=1) for d in range(0, 60, 2)}
    kept = generations_to_keep(list(taken.values()), NOW)
    # The newest four (days 0-6); today and 2 days ago are also their day's; then the newest
    # of each week before the 4 days (days 3-9, 10-16, 17-23, 24-30 ago).
    assert kept == {taken[d] for d in (0, 2, 4, 6, 10, 18, 24)}


def test_days_are_the_laptops_days_not_utcs() -> None:
    # 08:30 and 09:30 in Japan are one day there (5 December), two in UTC.
    morning = datetime(2026, 12, 5, 8, 30, tzinfo=JST)
    later = datetime(2026, 12, 5, 9, 30, tzinfo=JST)
    today = [datetime(2026, 12, 6, h, tzinfo=JST) for h in range(9, 13)]
    kept = generations_to_keep([morning, later, *today], NOW)
    assert later in kept
    assert morning not in kept


def _store_with_visits(data: Path, titles: list[str]) -> list[str]:
    ws = open_workspace(data)
    try:
        return [
            str(
                ws.engagements.add({"municipality": "303917", "date": "2025-06-12", "title": t})[
                    "id"
                ]
            )
            for t in titles
        ]
    finally:
        ws.close()


def _titles(data: Path) -> list[str]:
    ws = open_workspace(data)
    try:
        return sorted(r["title"] for r in ws.engagements.list_records())
    finally:
        ws.close()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_backup_is_owner_only_listed_and_pruned(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _store_with_visits(data, ["一"])
    store = open_store(data)
    try:
        moments = [NOW - timedelta(days=d) for d in (60, 50, 40, 3, 2, 1)] + [NOW]
        for moment in moments:
            take_backup(store, now=moment)
    finally:
        store.close()
    folder = data / "backups"
    assert _mode(folder) == 0o700
    listed = list_backups(data)
    assert [b.taken_at for b in listed] == sorted(
        [m.astimezone(UTC) for m in moments if NOW - m < timedelta(days=35)], reverse=True
    )
    assert all(_mode(b.path) == 0o600 for b in listed)
    assert sorted(p.name for p in folder.iterdir()) == sorted(b.path.name for b in listed)
    assert listed[0].path.name == backup_name(NOW)


def test_a_damaged_store_is_not_backed_up_and_the_good_generations_stay(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _store_with_visits(data, ["一", "二"])
    store = open_store(data)
    try:
        for days in (3, 2, 1):
            take_backup(store, now=NOW - timedelta(days=days))
    finally:
        store.close()
    good = {
        b.path.name: hashlib.sha256(b.path.read_bytes()).hexdigest() for b in list_backups(data)
    }
    damage_a_table_page(data / DATABASE_NAME)
    store = open_store(data)  # the cheap check at opening sees a sound header
    try:
        # Days later: the prune would drop the oldest one, if a backup were made.
        with pytest.raises(StoreUnreadable):
            take_backup(store, now=NOW + timedelta(days=40))
    finally:
        store.close()
    after = {
        b.path.name: hashlib.sha256(b.path.read_bytes()).hexdigest() for b in list_backups(data)
    }
    assert after == good
    assert sorted(p.name for p in (data / "backups").iterdir()) == sorted(good)


def test_restore_keeps_the_current_store_aside_and_marks_the_next_sync(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _store_with_visits(data, ["一"])
    store = open_store(data)
    try:
        backup = take_backup(store, now=NOW)
    finally:
        store.close()
    _store_with_visits(data, ["二"])
    current = hashlib.sha256((data / DATABASE_NAME).read_bytes()).hexdigest()

    restored = restore_backup(data, backup.path.name, now=NOW + timedelta(hours=1))
    assert restored.kept_aside is not None
    assert restored.kept_aside.parent == data
    assert hashlib.sha256(restored.kept_aside.read_bytes()).hexdigest() == current
    assert _mode(data / DATABASE_NAME) == 0o600
    assert _titles(data) == ["一"]
    store = open_store(data)
    try:
        assert store.meta(META_RESTORED)
    finally:
        store.close()


@pytest.mark.parametrize(
    "content",
    [b"", b"date,summary\n2025-06-12,BPR\n", None],
    ids=["0 bytes", "a text file", "another SQLite database"],
)
def test_a_file_that_is_not_a_backup_is_refused_and_nothing_changes(
    tmp_path: Path, content: bytes | None
) -> None:
    data = tmp_path / "data"
    _store_with_visits(data, ["一"])
    before = {p.name: p.read_bytes() for p in data.iterdir() if p.is_file()}
    other = tmp_path / "other.sqlite3"
    if content is None:
        connection = sqlite3.connect(other)
        connection.execute("CREATE TABLE t (x)")
        connection.commit()
        connection.close()
    else:
        other.write_bytes(content)
    with pytest.raises(BackupRefused) as refused:
        restore_backup(data, str(other))
    assert "\n" not in str(refused.value) and str(other) in str(refused.value)
    assert {p.name: p.read_bytes() for p in data.iterdir() if p.is_file()} == before


def test_a_clock_set_back_prunes_no_backup_dated_after_it() -> None:
    # Laptop clocks are wrong (DESIGN §4): a backup named later than "now" is not old.
    later = [NOW + timedelta(days=d) for d in (1, 2, 3, 4, 5, 6)]
    earlier = [NOW - timedelta(days=d) for d in range(1, 10)]
    kept = generations_to_keep([*later, *earlier], NOW)
    assert set(later) <= kept
    assert NOW - timedelta(days=1) in kept  # and today's generations are counted as ever


def test_a_store_erased_by_another_process_is_not_backed_up_again(tmp_path: Path) -> None:
    """A command told to wipe erases the data folder while the window has its store open:
    the window's next automatic backup must not write the records back to the disk."""
    data = tmp_path / "data"
    store = open_store(data)
    try:
        take_backup(store, now=NOW)
        restore_into(store, list_backups(data)[0].path.name, now=NOW)  # replaced, by us
        take_backup(store, now=NOW + timedelta(hours=1))  # still this process's store
        wipe.erase_data_folder(data)  # what the other process does
        with pytest.raises(StoreError, match="消去"):
            take_backup(store, now=NOW + timedelta(hours=2))
        assert not data.exists()
    finally:
        store.close()
