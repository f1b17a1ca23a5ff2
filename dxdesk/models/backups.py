"""Automatic backups of the local store, and restoring one (issue 17, finding 9).

As Anki keeps them: a checked, consistent copy (SQLite's backup API) in the data folder's
``backups/`` (owner-only), at the window's start and after every BACKUP_INTERVAL of editing,
pruned to a few generations after each new one (``generations_to_keep``). A restore puts the
current store aside under another name first, and marks the restored store so that its next
sync pulls everything newer before it pushes anything (``META_RESTORED``, read by the sync
engine): the server's newer records come back, and the backup's own pending changes are merged
with them instead of being pushed over them. The attachments' bytes are in the backups too,
once for all generations (models/backup_files.py), and a restore puts them back.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from alembic.script import ScriptDirectory

from dxdesk.domain.progress import Progress, no_progress
from dxdesk.models import backup_files, store_in_use
from dxdesk.models.file_store import FileProblem
from dxdesk.models.migrations_runner import alembic_config
from dxdesk.models.paths import DATABASE_NAME, OWNER_ONLY_FILE, make_owner_only_dir
from dxdesk.models.store import Store, StoreError, prepare_store
from dxdesk.sql_common import utc_now

BACKUPS_DIR = "backups"
# Backups while someone edits: one after this much time with writes in it (the window's timer).
BACKUP_INTERVAL = timedelta(minutes=30)
# The generations kept: the newest RECENT whatever their age; the newest of each of the last
# DAYS days (the laptop's calendar days, today included); the newest of each of the WEEKS
# weeks before those days. About a month in all, and never fewer than RECENT.
RECENT = 4
DAYS = 4
WEEKS = 4
# Set in a restored store until its first sync has pulled (dxdesk/sync/engine.py).
META_RESTORED = "sync_restored"

_NAME = re.compile(r"^dxdesk-(\d{8}-\d{6})\.sqlite3$")
_STAMP = "%Y%m%d-%H%M%S"
_SQLITE_MAGIC = b"SQLite format 3\x00"


class BackupRefused(StoreError):
    """A file given to restore is not a DX Desk backup this version can use; nothing changed."""


@dataclass(frozen=True)
class Backup:
    path: Path
    taken_at: datetime  # aware UTC, from the file's name
    size: int

    def as_json(self) -> dict[str, object]:
        return {
            "file": self.path.name,
            "path": str(self.path),
            "taken_at": self.taken_at.isoformat(),
            "size": self.size,
        }


@dataclass(frozen=True)
class Restored:
    backup: Path
    kept_aside: Path | None  # the store that was there, under its new name (None: there was none)
    files: backup_files.RestoredFiles  # the attachments put back, and those a sync brings


def backups_dir(data_dir: Path) -> Path:
    return data_dir / BACKUPS_DIR


def backup_name(moment: datetime) -> str:
    return f"dxdesk-{moment.astimezone(UTC).strftime(_STAMP)}.sqlite3"


def taken_at(path: Path) -> datetime | None:
    """When a backup was taken, from its name (None: not a name this module gives)."""
    match = _NAME.match(path.name)
    if match is None:
        return None
    return datetime.strptime(match.group(1), _STAMP).replace(tzinfo=UTC)


def list_backups(data_dir: Path) -> list[Backup]:
    """The backups in the data folder, newest first (other files there are not ours)."""
    folder = backups_dir(data_dir)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        taken = taken_at(path)
        if taken is None or not path.is_file():
            continue
        found.append(Backup(path=path, taken_at=taken, size=path.stat().st_size))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def generations_to_keep(taken: Iterable[datetime], now: datetime) -> set[datetime]:
    """Which of the backups taken at these moments to keep, at ``now`` (an aware time in the
    laptop's zone: its calendar days are the days counted)."""
    zone = now.tzinfo
    # Dated after now: the clock was set back (laptop clocks are wrong); such a backup is not
    # old, so it stays, and the generations are counted among the others.
    moments = list(taken)
    ahead = {moment for moment in moments if moment > now}
    newest_first = sorted((moment for moment in moments if moment <= now), reverse=True)
    kept = ahead | set(newest_first[:RECENT])
    today = now.date()
    first_day = today - timedelta(days=DAYS - 1)
    days: dict[date, datetime] = {}
    weeks: dict[int, datetime] = {}
    for moment in newest_first:
        day = moment.astimezone(zone).date()
        if first_day <= day <= today:
            days.setdefault(day, moment)
        elif day < first_day:
            week = (first_day - day).days // 7
            if week < WEEKS:
                weeks.setdefault(week, moment)
    return kept | set(days.values()) | set(weeks.values())


def prune(data_dir: Path, now: datetime) -> list[Path]:
    """Remove the backups the policy no longer keeps, and the attachments' bytes none of those
    left names; returns the backups removed."""
    backups = list_backups(data_dir)
    keep = generations_to_keep([b.taken_at for b in backups], now)
    removed = []
    for backup in backups:
        if backup.taken_at not in keep:
            backup.path.unlink(missing_ok=True)
            removed.append(backup.path)
    left = [backup.path for backup in backups if backup.path not in removed]
    backup_files.prune_files(backups_dir(data_dir), left)
    return removed


def _owner_only_folder(folder: Path) -> Path:
    try:
        make_owner_only_dir(folder, tighten=True)
    except OSError as exc:
        raise StoreError(f"バックアップのフォルダ {folder} を作れません: {exc.strerror}") from None
    return folder


def take_backup(
    store: Store, *, now: datetime | None = None, progress: Progress = no_progress
) -> Backup:
    """A checked copy of the store in backups/, then the old generations pruned.

    A store whose pages are damaged raises StoreUnreadable (Store.backup checks its copy)
    before anything in backups/ is touched: its good generations stay as they were. The files
    its attachments name are kept with it (backup_files.py).
    """
    now = now or utc_now().astimezone()
    if now.tzinfo is None:
        raise ValueError("take_backup needs an aware time")
    folder = _owner_only_folder(backups_dir(store.data_dir))
    target = store.backup(folder / backup_name(now), progress=progress)
    try:
        backup_files.keep_files(store.data_dir, folder, target)
    finally:
        prune(store.data_dir, now)
    return Backup(
        path=target,
        taken_at=now.astimezone(UTC).replace(microsecond=0),
        size=target.stat().st_size,
    )


def copy_with_files(store: Store, target: Path, *, progress: Progress = no_progress) -> Path:
    """A copy made by hand (``dxdesk backup -o``): the store's checked copy at ``target`` and
    the files its attachments name in ``<target>.files/`` beside it (backup_files.py)."""
    copy = store.backup(target, progress=progress)
    backup_files.copy_beside(store.data_dir, copy)
    return copy


def find_backup(data_dir: Path, file: str) -> Path:
    """A backup by path, or by its name in backups/ (as `dxdesk backups` lists them)."""
    given = Path(file).expanduser()
    if given.is_file():
        return given
    in_folder = backups_dir(data_dir) / file
    if given.name == file and in_folder.is_file():
        return in_folder
    raise BackupRefused(f"バックアップ {file} がありません（dxdesk backups で一覧を見られます）")


def check_backup(path: Path) -> None:
    """Refuse, in one line, a file that is not a whole DX Desk store this version can open."""

    def refused(why: str) -> BackupRefused:
        return BackupRefused(f"{path} は DX Desk のバックアップとして使えません（{why}）")

    try:
        with path.open("rb") as file:
            header = file.read(100)
    except OSError as exc:
        raise refused(exc.strerror or type(exc).__name__) from None
    if len(header) < 100 or not header.startswith(_SQLITE_MAGIC):
        raise refused("SQLite のデータベースではありません")
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            verdict = connection.execute("PRAGMA quick_check(1)").fetchone()
            if verdict is None or verdict[0] != "ok":
                raise refused("壊れています")
            tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master")}
            if not {"store_meta", "alembic_version", "engagement"} <= tables:
                raise refused("DX Desk の記録がありません")
            revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            device = connection.execute(
                "SELECT value FROM store_meta WHERE key = 'device_id'"
            ).fetchone()
        finally:
            connection.close()
    except (sqlite3.DatabaseError, UnicodeDecodeError):
        raise refused("読めません") from None
    if device is None:
        raise refused("DX Desk の記録がありません")
    if revision is None or revision[0] not in _known_revisions():
        raise refused("新しい版の DX Desk で作られています。DX Desk を更新してください")


def _known_revisions() -> set[str]:
    """The schema revisions this version of DX Desk knows."""
    scripts = ScriptDirectory.from_config(alembic_config())
    return {script.revision for script in scripts.walk_revisions()}


def restore_backup(data_dir: Path, file: str, *, now: datetime | None = None) -> Restored:
    """Put ``file`` (a path, or a name in backups/) in place of the store.

    The backup is checked first; one that is not a DX Desk backup is refused and nothing
    changes. The current store, with its -wal and -shm, is renamed to
    dxdesk-before-restore-<time>.sqlite3 beside it, never deleted. The store must not be open
    in another process (the window, a command): that is refused, as it would go on writing to
    the file put aside. ``restore_into`` restores under this process's own open store.
    """
    return _restore(data_dir, file, now=now, own=None)


def _restore(
    data_dir: Path, file: str, *, now: datetime | None, own: store_in_use.Hold | None
) -> Restored:
    now = now or utc_now()
    backup = find_backup(data_dir, file)
    path = data_dir / DATABASE_NAME
    if path.exists() and backup.resolve() == path.resolve():
        raise BackupRefused(f"{backup} は今のデータベースそのものです")
    check_backup(backup)
    fd, name = tempfile.mkstemp(prefix=".dxdesk-restore-", suffix=".sqlite3", dir=data_dir)
    os.close(fd)
    tmp = Path(name)
    try:
        tmp.chmod(OWNER_ONLY_FILE)
        shutil.copyfile(backup, tmp)
        connection = sqlite3.connect(tmp)
        try:
            with connection:
                connection.execute(
                    "INSERT OR REPLACE INTO store_meta (key, value) VALUES (?, ?)",
                    (META_RESTORED, now.astimezone(UTC).isoformat()),
                )
        finally:
            connection.close()
        try:
            with store_in_use.exclusive(path, own):
                # The files first: a failure (a full disk) then leaves the store as it was,
                # never a restored database short of files. Extra files in the store, named
                # by their contents, are harmless.
                files = _restore_files(data_dir, tmp, backup)
                kept_aside = _put_aside(path, now)
                tmp.replace(path)
        except store_in_use.StoreInUse:
            raise BackupRefused(
                "DX Desk のウィンドウかほかのコマンドがこのデータフォルダの記録を開いています。"
                "閉じてから復元してください"
            ) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return Restored(backup=backup, kept_aside=kept_aside, files=files)


def _restore_files(data_dir: Path, database: Path, backup: Path) -> backup_files.RestoredFiles:
    try:
        return backup_files.restore_files(
            data_dir, backups_dir(data_dir), database, restored_from=backup
        )
    except FileProblem as exc:
        raise FileProblem(
            f"添付ファイルを戻せないため、復元していません（今の記録はそのままです）。{exc}"
        ) from None


def _put_aside(path: Path, now: datetime) -> Path | None:
    """Rename the store and its -wal/-shm together (a -wal left at the store's name would be
    replayed into the restored file)."""
    if not path.exists():
        for suffix in ("-wal", "-shm", "-journal"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        return None
    stamp = now.astimezone(UTC).strftime(_STAMP)
    aside = path.with_name(f"dxdesk-before-restore-{stamp}.sqlite3")
    n = 1
    while aside.exists():
        n += 1
        aside = path.with_name(f"dxdesk-before-restore-{stamp}-{n}.sqlite3")
    for suffix in ("-wal", "-shm", "-journal"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.replace(aside.with_name(aside.name + suffix))
    path.replace(aside)
    return aside


def restore_into(store: Store, file: str, *, now: datetime | None = None) -> Restored:
    """Restore ``file`` under an open store (the window's restore): its connections are closed,
    the file replaced, and the same engine then opens the restored one (migrated if older).

    The caller makes sure nothing else uses the store meanwhile (the window runs this on its one
    database worker, with no sync running).
    """
    backup = find_backup(store.data_dir, file)
    check_backup(backup)  # before the store is closed: a refusal changes nothing
    store.engine.dispose()
    restored = _restore(store.data_dir, str(backup), now=now, own=store.in_use)
    prepare_store(store, check_pages=False)  # the backup was checked whole
    return restored
