"""Automatic backups of the local store, and restoring one (issue 17, finding 9).

As Anki keeps them: a checked, consistent copy (SQLite's backup API) in the data folder's
``backups/`` (owner-only), at the window's start and after every BACKUP_INTERVAL of editing,
pruned to a few generations after each new one (``generations_to_keep``). A restore puts the
current store aside under another name first, and marks the restored store so that its next
sync pulls everything newer before it pushes anything (``META_RESTORED``, read by the sync
engine): the server's newer records come back, and the backup's own pending changes are merged
with them instead of being pushed over them. The attachments' bytes are in the backups too,
once for all generations (models/backup_files.py), and a restore puts them back.

Encrypted backups (issue 23): once a passphrase is chosen (models/backup_keys.py), a generation
is ``dxdesk-<time>.dxbackup``, the store's checked copy made in memory (no plaintext copy on
disk) and encrypted under the data folder's backup key (models/backup_crypto.py), its header
carrying the key wrapped by the passphrase and the recovery code; the plaintext generations are
removed then. Before a passphrase is chosen, ``take_backup`` writes a ``.sqlite3`` copy
encrypted with the store's own key, as the store is (it restores on this data folder only; the
window does not take one then: it waits and asks for the passphrase). Old plaintext backups
still restore (encrypted as they are put in place); those an older version left in backups/ are
encrypted at the store's opening (models/store_encrypting.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import re
import secrets
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from alembic.script import ScriptDirectory

from dxdesk.domain.progress import Progress, no_progress
from dxdesk.models import backup_files, backup_keys, store_cipher, store_in_use, store_key
from dxdesk.models.backup_crypto import (
    MAGIC,
    BackupCryptoError,
    BackupKey,
    Damaged,
    WrongSecret,
    decrypt,
    encrypt,
    read_header,
    unwrap_key,
)
from dxdesk.models.file_store import FileProblem
from dxdesk.models.file_writing import TempFile
from dxdesk.models.migrations_runner import alembic_config
from dxdesk.models.paths import DATABASE_NAME, OWNER_ONLY_FILE, make_owner_only_dir
from dxdesk.models.store import (
    Store,
    StoreError,
    StoreUnreadable,
    is_unreadable_error,
    prepare_store,
)
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

_NAME = re.compile(r"^dxdesk-(\d{8}-\d{6})\.(sqlite3|dxbackup)$")
ENCRYPTED_SUFFIX = ".dxbackup"
_STAMP = "%Y%m%d-%H%M%S"


GONE_MESSAGE = "データフォルダの記録がほかのプロセスで消去されたため、バックアップを作りません"


class BackupRefused(StoreError):
    """A file given to restore is not a DX Desk backup this version can use; nothing changed."""


class SecretNeeded(BackupRefused):
    """The backup is encrypted and this laptop has not its key: ask the passphrase."""


class WrongPassphrase(BackupRefused):
    pass


SECRET_NEEDED_MESSAGE = (
    "このバックアップは暗号化されています。バックアップの合言葉か回復コードを入力してください"
)
WRONG_PASSPHRASE_MESSAGE = (
    "合言葉または回復コードが違います。何も変えていません。"
    "バックアップを作った端末で決めた合言葉か、そのとき表示された回復コードを入力してください"
)


@dataclass(frozen=True)
class Backup:
    path: Path
    taken_at: datetime  # aware UTC, from the file's name
    size: int
    encrypted: bool = False

    def as_json(self) -> dict[str, object]:
        return {
            "file": self.path.name,
            "path": str(self.path),
            "taken_at": self.taken_at.isoformat(),
            "size": self.size,
            "encrypted": self.encrypted,
        }


@dataclass(frozen=True)
class Restored:
    backup: Path
    kept_aside: Path | None  # the store that was there, under its new name (None: there was none)
    files: backup_files.RestoredFiles  # the attachments put back, and those a sync brings


def backups_dir(data_dir: Path) -> Path:
    return data_dir / BACKUPS_DIR


def backup_name(moment: datetime, *, encrypted: bool = False) -> str:
    suffix = ENCRYPTED_SUFFIX if encrypted else ".sqlite3"
    return f"dxdesk-{moment.astimezone(UTC).strftime(_STAMP)}{suffix}"


def is_encrypted(path: Path) -> bool:
    try:
        with path.open("rb") as file:
            return file.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


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
        found.append(
            Backup(
                path=path,
                taken_at=taken,
                size=path.stat().st_size,
                encrypted=path.suffix == ENCRYPTED_SUFFIX,
            )
        )
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


def prune(data_dir: Path, now: datetime, key: bytes) -> list[Path]:
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
    folder = backups_dir(data_dir)
    backup_files.prune_files(folder, [p for p in left if p.suffix != ENCRYPTED_SUFFIX], key)
    backup_files.prune_encrypted(
        folder, _hidden_names([p for p in left if p.suffix == ENCRYPTED_SUFFIX])
    )
    return removed


def _hidden_names(generations: list[Path]) -> set[str] | None:
    """The hidden names of the files these encrypted generations name (their headers); None
    when one cannot be read (it may name any file)."""
    names: set[str] = set()
    for path in generations:
        try:
            with path.open("rb") as file:
                header, _raw = read_header(file)
            files = header["files"]
            if not isinstance(files, list):
                return None
        except (OSError, Damaged, KeyError):
            return None
        names |= {name for name in files if isinstance(name, str)}
    return names


def _owner_only_folder(folder: Path) -> Path:
    try:
        make_owner_only_dir(folder, tighten=True)
    except OSError as exc:
        raise StoreError(f"バックアップのフォルダ {folder} を作れません: {exc.strerror}") from None
    return folder


def _key_if_set_up(
    data_dir: Path, key: BackupKey | None, passphrase: str | None
) -> BackupKey | None:
    """The backup key to encrypt with: ``key`` if given, else the data folder's once a
    passphrase is chosen (PassphraseNeeded with no keychain and no ``passphrase``); None
    before that (a plaintext copy, as before issue 23)."""
    if key is not None or not backup_keys.is_set_up(data_dir):
        return key
    return backup_keys.key_for_backup(data_dir, passphrase=passphrase)


def take_backup(
    store: Store,
    *,
    now: datetime | None = None,
    progress: Progress = no_progress,
    key: BackupKey | None = None,
    passphrase: str | None = None,
) -> Backup:
    """A checked copy of the store in backups/, then the old generations pruned.

    A store whose pages are damaged raises StoreUnreadable (the copy is checked) before
    anything in backups/ is touched: its good generations stay as they were. The files its
    attachments name are kept with it (backup_files.py). Encrypted (``.dxbackup``) once a
    passphrase is chosen; the plaintext generations go then.
    """
    now = now or utc_now().astimezone()
    if now.tzinfo is None:
        raise ValueError("take_backup needs an aware time")
    if store.gone():  # erased by another process (a wipe): nothing is written back
        raise StoreError(GONE_MESSAGE)
    key = _key_if_set_up(store.data_dir, key, passphrase)
    folder = _owner_only_folder(backups_dir(store.data_dir))
    if key is None:
        target = store.backup(folder / backup_name(now), progress=progress)
        try:
            backup_files.keep_files(store.data_dir, folder, target, store.key)
        finally:
            prune(store.data_dir, now, store.key)
    else:
        target = folder / backup_name(now, encrypted=True)
        named = _write_encrypted(store, target, key, progress)
        try:
            root = backup_files.encrypted_root(folder)
            backup_files.keep_encrypted(store.data_dir, root, key, named, store_key=store.key)
            for plaintext in list_backups(store.data_dir):
                if not plaintext.encrypted:  # its contents are in the encrypted one now
                    plaintext.path.unlink(missing_ok=True)
        finally:
            prune(store.data_dir, now, store.key)
    return Backup(
        path=target,
        taken_at=now.astimezone(UTC).replace(microsecond=0),
        size=target.stat().st_size,
        encrypted=key is not None,
    )


def copy_with_files(
    store: Store,
    target: Path,
    *,
    progress: Progress = no_progress,
    key: BackupKey | None = None,
    passphrase: str | None = None,
) -> Path:
    """A copy made by hand (``dxdesk backup -o``): the store's checked copy at ``target`` and
    the files its attachments name in ``<target>.files/`` beside it (backup_files.py);
    encrypted like the automatic ones once a passphrase is chosen."""
    key = _key_if_set_up(store.data_dir, key, passphrase)
    if key is None:
        copy = store.backup(target, progress=progress)
        backup_files.copy_beside(store.data_dir, copy, store.key)
        return copy
    target = target.expanduser().resolve()
    if target == store.path.resolve() or target.is_dir() or not target.parent.is_dir():
        store.backup(target, progress=progress)  # refuses each of these in its own words
    named = _write_encrypted(store, target, key, progress)
    backup_files.keep_encrypted(
        store.data_dir, backup_files.beside_root(target), key, named, store_key=store.key
    )
    return target


def _write_encrypted(store: Store, target: Path, key: BackupKey, progress: Progress) -> set[str]:
    """The store's checked copy, encrypted at ``target`` (whole or not at all); returns the
    sha256 of the files it names. The copy is an SQLCipher file under the backup's own
    database key (``database_key``) before the backup key seals it: no plaintext on disk."""
    copy, named = _checked_copy(store, target.parent, key, progress)
    try:
        header = {
            "content": "database",
            "database": DATABASE_SQLCIPHER,
            "wraps": backup_keys.wraps_of(store.data_dir),
            "files": sorted(key.hidden_name(sha256) for sha256 in named),
        }
        temp = TempFile(target.parent)
        try:
            with copy.open("rb") as source:
                encrypt(key, source, temp.file, header)
            temp.finish()
            temp.keep(target)
        except BaseException:
            temp.discard()
            raise
    finally:
        copy.unlink(missing_ok=True)
    return named


# The payload of a .dxbackup since the store is encrypted: an SQLCipher file under
# ``database_key``. Older ones hold a plaintext SQLite file (their header has no "database").
DATABASE_SQLCIPHER = "sqlcipher-4"


def database_key(key: BackupKey) -> bytes:
    """The key of the database inside a backup, derived from the backup key (one key is never
    used by two ciphers)."""
    return hmac.new(key.raw, b"dxdesk backup database", hashlib.sha256).digest()


def _checked_copy(
    store: Store, folder: Path, key: BackupKey, progress: Progress
) -> tuple[Path, set[str]]:
    """The store's pages copied (SQLite's backup API, safe while the app writes) into an
    encrypted file in ``folder`` and checked whole, as Store.backup checks its copy: a damaged
    store raises StoreUnreadable. Returns the copy and the files it names."""
    fd, name = tempfile.mkstemp(prefix=".dxdesk-backup-", dir=folder)
    os.close(fd)
    copy = Path(name)
    try:
        copy.chmod(OWNER_ONLY_FILE)
        source = store_cipher.connect(store.path, store.key)
        try:
            target = store_cipher.connect(copy, database_key(key))
            try:
                source.backup(
                    target,
                    pages=256,
                    progress=lambda _status, remaining, total: progress(total - remaining, total),
                )
                target.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file
                verdict = target.execute("PRAGMA quick_check(1)").fetchone()
                if verdict is None or verdict[0] != "ok":
                    raise StoreUnreadable(store.path)
                named = backup_files.names_in(target)
            finally:
                target.close()
        finally:
            source.close()
    except (store_cipher.DatabaseError, UnicodeDecodeError) as exc:
        copy.unlink(missing_ok=True)
        if is_unreadable_error(exc):
            raise StoreUnreadable(store.path) from None
        raise
    except BaseException:
        copy.unlink(missing_ok=True)
        raise
    return copy, named


def check_store(store: Store) -> None:
    """Read every page of the store (what a backup at start does), writing nothing: the
    window's start before a passphrase is chosen. StoreUnreadable when damaged."""
    try:
        connection = store_cipher.connect(store.path, store.key, read_only=True)
        try:
            verdict = connection.execute("PRAGMA quick_check(1)").fetchone()
        finally:
            connection.close()
    except (store_cipher.DatabaseError, UnicodeDecodeError) as exc:
        if is_unreadable_error(exc):
            raise StoreUnreadable(store.path) from None
        raise
    if verdict is None or verdict[0] != "ok":
        raise StoreUnreadable(store.path)


def find_backup(data_dir: Path, file: str) -> Path:
    """A backup by path, or by its name in backups/ (as `dxdesk backups` lists them)."""
    given = Path(file).expanduser()
    if given.is_file():
        return given
    in_folder = backups_dir(data_dir) / file
    if given.name == file and in_folder.is_file():
        return in_folder
    raise BackupRefused(f"バックアップ {file} がありません（dxdesk backups で一覧を見られます）")


def _refused(path: Path, why: str) -> BackupRefused:
    return BackupRefused(f"{path} は DX Desk のバックアップとして使えません（{why}）")


def unlock(data_dir: Path, backup: Path, secret: str | None = None) -> BackupKey | None:
    """The key that opens ``backup``: None for a plaintext one; this laptop's own key when it
    is the one; else the key unwrapped with ``secret`` (the passphrase or the recovery code).
    SecretNeeded without a secret, WrongPassphrase with a wrong one; nothing changes."""
    if not is_encrypted(backup):
        return None
    header = _header(backup)
    saved = backup_keys.saved_key(data_dir)
    if saved is not None and saved.key_id == header.get("key_id"):
        return saved
    if secret is None:
        raise SecretNeeded(SECRET_NEEDED_MESSAGE)
    wraps = header.get("wraps")
    if not isinstance(wraps, list):
        raise _refused(backup, "鍵の情報がありません")
    try:
        key = unwrap_key(wraps, secret)
    except WrongSecret:
        raise WrongPassphrase(WRONG_PASSPHRASE_MESSAGE) from None
    except Damaged as exc:
        raise _refused(backup, str(exc)) from None
    if key.key_id != header.get("key_id"):
        raise _refused(backup, "鍵の情報が壊れています")
    return key


def _header(backup: Path) -> dict[str, object]:
    try:
        with backup.open("rb") as file:
            header, _raw = read_header(file)
    except OSError as exc:
        raise _refused(backup, exc.strerror or type(exc).__name__) from None
    except Damaged as exc:
        raise _refused(backup, str(exc)) from None
    return header


def check_backup(path: Path, key: bytes | None, *, shown: Path | None = None) -> None:
    """Refuse, in one line, a file that is not a whole DX Desk store this version can open
    (``shown``: the name to give in the message, when ``path`` is its decrypted copy). A
    plaintext file needs no key; an encrypted one opens with ``key``, the data folder's (a
    copy of this data folder's store), or is refused."""

    def refused(why: str) -> BackupRefused:
        return _refused(shown or path, why)

    try:
        with path.open("rb") as file:
            header = file.read(store_cipher.PAGE_BYTES)
    except OSError as exc:
        raise refused(exc.strerror or type(exc).__name__) from None
    plaintext = header.startswith(store_cipher.SQLITE_MAGIC) and len(header) >= 100
    if not plaintext and len(header) < store_cipher.PAGE_BYTES:
        raise refused("SQLite のデータベースではありません")
    if not plaintext and key is None:
        raise refused("暗号化されていて、この端末の鍵では開けません")
    try:
        connection = store_cipher.connect(path, None if plaintext else key, read_only=True)
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
    except (store_cipher.DatabaseError, UnicodeDecodeError) as exc:
        if not plaintext and getattr(exc, "sqlite_errorname", "") == "SQLITE_NOTADB":
            raise refused("暗号化されていて、この端末の鍵では開けません") from None
        raise refused("読めません") from None
    if device is None:
        raise refused("DX Desk の記録がありません")
    if revision is None or revision[0] not in _known_revisions():
        raise refused("新しい版の DX Desk で作られています。DX Desk を更新してください")


def _known_revisions() -> set[str]:
    """The schema revisions this version of DX Desk knows."""
    scripts = ScriptDirectory.from_config(alembic_config())
    return {script.revision for script in scripts.walk_revisions()}


def restore_backup(
    data_dir: Path,
    file: str,
    *,
    now: datetime | None = None,
    secret: str | None = None,
    key: BackupKey | None = None,
) -> Restored:
    """Put ``file`` (a path, or a name in backups/) in place of the store.

    The backup is checked first; one that is not a DX Desk backup is refused and nothing
    changes. The current store, with its -wal and -shm, is renamed to
    dxdesk-before-restore-<time>.sqlite3 beside it, never deleted. The store must not be open
    in another process (the window, a command): that is refused, as it would go on writing to
    the file put aside. ``restore_into`` restores under this process's own open store.

    An encrypted backup opens with ``key`` (from ``unlock``), this laptop's own key, or
    ``secret`` (the passphrase or the recovery code); it is decrypted and checked whole before
    anything changes. Restored on a data folder with no passphrase yet, its passphrase becomes
    this one's.
    """
    return _restore(data_dir, file, now=now, own=None, secret=secret, key=key)


def _restore(
    data_dir: Path,
    file: str,
    *,
    now: datetime | None,
    own: store_in_use.Hold | None,
    secret: str | None = None,
    key: BackupKey | None = None,
) -> Restored:
    now = now or utc_now()
    backup = find_backup(data_dir, file)
    path = data_dir / DATABASE_NAME
    if path.exists() and backup.resolve() == path.resolve():
        raise BackupRefused(f"{backup} は今のデータベースそのものです")
    encrypted = is_encrypted(backup)
    if encrypted:
        key = key or unlock(data_dir, backup, secret)
    else:
        check_backup(backup, known_store_key(data_dir))
    if not data_dir.is_dir():  # a restore on a new laptop, before anything else
        _owner_only_folder(data_dir)
    # The restored store is encrypted with this data folder's key (a new one on a new laptop,
    # discarded when the restore is refused).
    new_key = not store_key.has_key(data_dir)
    lost_key: Path | None = None
    try:
        store_raw = store_key.key_for(data_dir, create=True)
    except store_key.KeyLost:
        # The store here cannot be opened anyway (it is put aside): a new key for the restored
        # one, the lost key's file kept beside (put back if the restore is refused).
        lost_key = store_key.set_aside_lost(data_dir, now.astimezone(UTC).strftime(_STAMP))
        new_key = True
        store_raw = store_key.key_for(data_dir, create=True)
    placed = False
    tmp = data_dir / f".dxdesk-restore-{secrets.token_hex(8)}.sqlite3"
    try:
        if encrypted and key is not None:
            _decrypt_database(backup, key, tmp, store_raw)
        elif store_cipher.is_plaintext(backup):
            store_cipher.encrypt_copy(backup, tmp, store_raw)
        else:
            shutil.copyfile(backup, tmp)  # encrypted with this data folder's key already
        tmp.chmod(OWNER_ONLY_FILE)
        connection = store_cipher.connect(tmp, store_raw)
        try:
            with connection:
                connection.execute(
                    "INSERT OR REPLACE INTO store_meta (key, value) VALUES (?, ?)",
                    (META_RESTORED, now.astimezone(UTC).isoformat()),
                )
            connection.execute("PRAGMA journal_mode = DELETE")
        finally:
            connection.close()
        try:
            with store_in_use.exclusive(path, own):
                # The files first: a failure (a full disk) then leaves the store as it was,
                # never a restored database short of files. Extra files in the store, named
                # by their contents, are harmless.
                files = _restore_files(data_dir, tmp, backup, key if encrypted else None, store_raw)
                kept_aside = _put_aside(path, now)
                tmp.replace(path)
                placed = True  # from here the new key is the restored store's: never discarded
                if encrypted and key is not None:
                    with contextlib.suppress(OSError, BackupRefused, StoreError):
                        _adopt_passphrase(data_dir, backup, key)  # the next backups' wraps
        except store_in_use.StoreInUse:
            raise BackupRefused(
                "DX Desk のウィンドウかほかのコマンドがこのデータフォルダの記録を開いています。"
                "閉じてから復元してください"
            ) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        if new_key and not placed:
            store_key.discard(data_dir)
            if lost_key is not None:
                lost_key.replace(store_key.key_file(data_dir))
        raise
    return Restored(backup=backup, kept_aside=kept_aside, files=files)


def known_store_key(data_dir: Path) -> bytes | None:
    """The data folder's store key when it has one (a copy of its own store opens with it)."""
    if not store_key.has_key(data_dir):
        return None
    try:
        return store_key.key_for(data_dir)
    except store_key.StoreKeyError:
        return None


def _decrypt_database(backup: Path, key: BackupKey, tmp: Path, store_raw: bytes) -> None:
    """``backup`` decrypted into ``tmp``, encrypted with the store's key ``store_raw``, and
    checked whole; refused when any part fails. The database inside is an SQLCipher file
    (re-keyed here); an older backup's plaintext one is encrypted through a temporary file,
    overwritten once done."""
    raw = tmp.with_name(tmp.name + ".raw")
    try:
        with backup.open("rb") as source, raw.open("wb") as target:
            raw.chmod(OWNER_ONLY_FILE)
            decrypt(key, source, target)
        if _header(backup).get("database") == DATABASE_SQLCIPHER:
            connection = store_cipher.connect(raw, database_key(key))
            try:
                connection.execute(store_cipher.rekey_pragma(store_raw))
                connection.execute("PRAGMA journal_mode = DELETE")
            finally:
                connection.close()
            raw.replace(tmp)
        else:
            store_cipher.encrypt_copy(raw, tmp, store_raw)
    except WrongSecret:
        raise WrongPassphrase(WRONG_PASSPHRASE_MESSAGE) from None
    except BackupCryptoError as exc:
        raise _refused(backup, str(exc)) from None
    except store_cipher.DatabaseError:
        raise _refused(backup, "読めません") from None
    finally:
        if raw.exists():
            store_cipher.shred(raw)
    check_backup(tmp, store_raw, shown=backup)


def _adopt_passphrase(data_dir: Path, backup: Path, key: BackupKey) -> None:
    """A data folder with no passphrase yet takes the restored backup's: its next backups are
    encrypted as before, with the same passphrase and recovery code."""
    if backup_keys.is_set_up(data_dir):
        return
    wraps = _header(backup).get("wraps")
    if isinstance(wraps, list):
        backup_keys.adopt(data_dir, key, wraps)


def _restore_files(
    data_dir: Path, database: Path, backup: Path, key: BackupKey | None, store_raw: bytes
) -> backup_files.RestoredFiles:
    try:
        if key is not None:
            roots = [
                backup_files.encrypted_root(backups_dir(data_dir)),
                backup_files.beside_root(backup),
            ]
            named = backup_files.named_files(database, store_raw)
            return backup_files.restore_encrypted(data_dir, key, named, roots, store_key=store_raw)
        return backup_files.restore_files(
            data_dir, backups_dir(data_dir), database, store_raw, restored_from=backup
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


def restore_into(
    store: Store,
    file: str,
    *,
    now: datetime | None = None,
    secret: str | None = None,
    key: BackupKey | None = None,
) -> Restored:
    """Restore ``file`` under an open store (the window's restore): its connections are closed,
    the file replaced, and the same engine then opens the restored one (migrated if older).

    The caller makes sure nothing else uses the store meanwhile (the window runs this on its one
    database worker, with no sync running).
    """
    backup = find_backup(store.data_dir, file)
    # Before the store is closed: a refusal (a wrong passphrase) changes nothing.
    key = key or unlock(store.data_dir, backup, secret)
    if key is None:
        check_backup(backup, store.key)
    store.engine.dispose()
    restored = _restore(store.data_dir, str(backup), now=now, own=store.in_use, key=key)
    prepare_store(store, check_pages=False)  # the backup was checked whole
    store.note_identity()  # the restored file is this process's store now
    return restored
