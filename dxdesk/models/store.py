"""The local SQLite store: opening it safely, migrating it, and copying it.

The store's file is encrypted with the data folder's key (models/store_cipher.py,
models/store_key.py); an old plaintext store is encrypted at its first opening
(models/store_encrypting.py)."""

from __future__ import annotations

import contextlib
import getpass
import os
import tempfile
import uuid
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, Engine, delete, select
from sqlalchemy.exc import DatabaseError as SQLAlchemyDatabaseError
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from dxdesk.domain.progress import Progress, no_progress
from dxdesk.domain.roster import load_roster
from dxdesk.models import store_cipher, store_encrypting, store_in_use
from dxdesk.models.migrations_runner import NewerSchemaError, upgrade_to_head
from dxdesk.models.paths import DATABASE_NAME, OWNER_ONLY_FILE, make_owner_only_dir
from dxdesk.models.tables import MunicipalityRow, StoreMeta

# Set in store_meta by the demo data: a folder of made-up records must never sync.
META_DEMO = "demo_data"
# The account this folder syncs as (set at login): the author of what is written here after it.
META_SYNC_USER = "sync_user"
# The role the server gave this laptop's user at its last sync ("advisor", "coordinator",
# "admin"); absent before the first sync, when the data folder is its own.
META_SYNC_ROLE = "sync_role"


class StoreError(Exception):
    """The store cannot be used as asked; the message is for the person at the keyboard."""


# A plaintext SQLite database's header is 100 bytes long (store_cipher.SQLITE_MAGIC first).
_SQLITE_HEADER_SIZE = 100
# What SQLite says of a file whose content is damaged or is not a database at all.
_UNREADABLE_ERRORS = ("SQLITE_CORRUPT", "SQLITE_NOTADB")


class StoreUnreadable(StoreError):
    """A file is at the store's path but cannot be read: damaged, truncated, emptied, foreign.

    Nothing touches it: it is not renamed, not replaced and not written to, and no new store is
    made in its place (an empty new store would look like lost records, and the next start
    would no longer say anything was wrong). Whoever reads the message decides what to do.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(unreadable_store_message(path))


def unreadable_store_message(path: Path) -> str:
    """One line: what is wrong, that the file is kept as it is, and the way back (the
    automatic backups, listed by `dxdesk backups` and restored by `dxdesk restore`). The
    window has its own wording of it (dxdesk/ui/app.py, translated) and offers the newest
    backup right there."""
    return (
        f"データフォルダの記録 {path} が読めません（壊れています）。"
        "ファイルには手を付けず、そのまま残してあります。"
        "自動バックアップから戻せます: dxdesk backups で一覧を見て、"
        "dxdesk restore FILE で復元してください（今のファイルは別名で残します）。"
        "復元のあと同期すると、サーバーにある新しい記録も戻ります"
    )


def is_unreadable_error(exc: BaseException) -> bool:
    """Whether an error from SQLite (raw or wrapped by SQLAlchemy) means a damaged file."""
    if isinstance(exc, SQLAlchemyDatabaseError):
        exc = exc.orig if isinstance(exc.orig, BaseException) else exc
    if isinstance(exc, UnicodeDecodeError):
        # A damaged header makes SQLite answer in garbage bytes, which sqlite3 cannot decode.
        return True
    if not isinstance(exc, store_cipher.DatabaseError):
        return False
    name = getattr(exc, "sqlite_errorname", "")
    return name in _UNREADABLE_ERRORS or (
        isinstance(name, str) and name.startswith("SQLITE_CORRUPT")
    )


def _check_header(path: Path, *, encrypted: bool) -> bool:
    """Refuse a file at the store's path that is not an SQLite database, before SQLite opens it;
    True when it is a plaintext one (an old store, to encrypt).

    SQLite takes an empty file for a new database and would fill it: a store emptied to 0 bytes
    would come back as a new, empty one. So would a file cut short, or another kind of file. An
    encrypted store (``encrypted``: its folder has a key) shows no header: its first page must
    be whole; a plaintext one must have SQLite's header.
    """
    try:
        with path.open("rb") as file:
            header = file.read(store_cipher.PAGE_BYTES)
    except FileNotFoundError:
        return False  # no store yet: a new data folder
    except OSError as exc:
        raise StoreError(f"データベース {path} を読めません: {exc.strerror}") from None
    if header.startswith(store_cipher.SQLITE_MAGIC) and len(header) >= _SQLITE_HEADER_SIZE:
        return True
    if not encrypted or len(header) < store_cipher.PAGE_BYTES:
        raise StoreUnreadable(path)
    return False


@dataclass(eq=False)
class Store:
    data_dir: Path
    path: Path
    engine: Engine
    key: bytes = field(repr=False)
    # This process's hold on the store (its in-use marker, store_in_use.py), while it is open.
    in_use: store_in_use.Hold | None = field(default=None, repr=False)
    # The file opened (device, inode): ``gone`` tells when another process removed it (a
    # wipe ordered to a command while the window has it open).
    identity: tuple[int, int] | None = field(default=None, repr=False)

    def note_identity(self) -> None:
        """Remember the file now at the store's path as the one this process uses."""
        self.identity = file_identity(self.path)

    def gone(self) -> bool:
        """Whether the store's file was removed or replaced under this process (a wipe by
        another process): nothing more is written to the data folder then."""
        return self.identity is not None and file_identity(self.path) != self.identity

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """One short session per unit of work, committed at the end or rolled back whole."""
        with self.session() as session, session.begin():
            yield session

    def meta(self, key: str) -> str | None:
        with self.session() as session:
            row = session.get(StoreMeta, key)
            return None if row is None else row.value

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as session:
            session.merge(StoreMeta(key=key, value=value))

    def is_empty(self) -> bool:
        """True when nobody has recorded anything yet (roster and metadata do not count)."""
        from dxdesk.models.kinds import KIND_TABLES

        with self.session() as session:
            return all(
                session.scalar(select(table.id).limit(1)) is None for table in KIND_TABLES.values()
            )

    def pending_record_count(self) -> int:
        """How many records have changes this device has not yet pushed."""
        from dxdesk.models import outbox

        with self.session() as session:
            return outbox.pending_record_count(session)

    def has_pending(self, records: Collection[tuple[str, str]]) -> bool:
        """Whether any of these (kind, record id) has changes this device has not pushed."""
        from dxdesk.models import outbox

        with self.session() as session:
            return outbox.has_pending(session, records)

    def clear_records(self) -> None:
        """Forget every record and all sync bookkeeping (the roster stays): for re-seeding."""
        from dxdesk.models import outbox
        from dxdesk.models.kinds import KIND_TABLES

        with self.transaction() as session:
            # Children before parents: interview notes and follow-ups point at engagements.
            for table in reversed(list(KIND_TABLES.values())):
                session.execute(delete(table))
            outbox.forget_all(session)

    def backup(
        self, target: Path, *, progress: Progress = no_progress, pages_per_step: int = 256
    ) -> Path:
        """A consistent copy through SQLite's backup API; safe while the app writes. The copy is
        encrypted with the store's key, as the store is.

        The copy is checked (PRAGMA quick_check, every page) before it takes ``target``'s
        name: a damaged store raises StoreUnreadable and leaves nothing, so a backup of it
        never replaces a good one. This is the store's full check, where reading every page
        costs nothing more (the copy read them all).

        ``progress`` hears (pages copied, pages in all) after each step; when it raises
        (``Cancelled``), the copy stops and no file is left at ``target``.
        """
        target = target.expanduser().resolve()
        if target == self.path.resolve():
            raise StoreError("バックアップ先が元のデータベースと同じです")
        if not target.parent.is_dir():
            raise StoreError(f"バックアップ先のフォルダ {target.parent} がありません")
        if target.is_dir():
            raise StoreError(
                f"バックアップ先 {target} はフォルダです（ファイル名まで指定してください）"
            )
        fd, tmp_name = tempfile.mkstemp(prefix=".dxdesk-backup-", dir=target.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            tmp.chmod(OWNER_ONLY_FILE)
            source = store_cipher.connect(self.path, self.key)
            try:
                dest = store_cipher.connect(tmp, self.key)
                try:
                    source.backup(
                        dest,
                        pages=pages_per_step,
                        progress=lambda _status, remaining, total: progress(
                            total - remaining, total
                        ),
                    )
                    dest.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file
                    verdict = dest.execute("PRAGMA quick_check(1)").fetchone()
                finally:
                    dest.close()
            finally:
                source.close()
            if verdict is None or verdict[0] != "ok":
                raise StoreUnreadable(self.path)
            tmp.replace(target)
        except (store_cipher.DatabaseError, UnicodeDecodeError) as exc:
            tmp.unlink(missing_ok=True)
            if is_unreadable_error(exc):
                raise StoreUnreadable(self.path) from None
            raise
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return target

    def close(self) -> None:
        self.engine.dispose()
        # Closed cleanly: the next opening trusts the pages it finds (see open_store).
        in_use, self.in_use = self.in_use, None
        store_in_use.release(in_use)


def file_identity(path: Path) -> tuple[int, int] | None:
    try:
        found = path.stat()
    except OSError:
        return None
    return (found.st_dev, found.st_ino)


def _prepare_data_dir(data_dir: Path) -> None:
    try:
        make_owner_only_dir(data_dir)
    except OSError as exc:
        raise StoreError(f"データフォルダ {data_dir} を作れません: {exc.strerror}") from None
    if not data_dir.is_dir():
        raise StoreError(f"データフォルダ {data_dir} はフォルダではありません")
    if not os.access(data_dir, os.R_OK | os.W_OK | os.X_OK):
        raise StoreError(
            f"データフォルダ {data_dir} を読み書きできません（権限を確認してください）"
        )


def _load_reference_data(store: Store) -> None:
    with store.transaction() as session:
        have = set(session.scalars(select(MunicipalityRow.code)))
        for m in load_roster():
            if m.code not in have:
                session.add(
                    MunicipalityRow(
                        code=m.code,
                        name=m.name,
                        kana=m.kana,
                        kind=m.kind,
                        gun=m.gun,
                        region=m.region,
                        population=m.population,
                    )
                )
        if session.get(StoreMeta, "device_id") is None:
            session.add(StoreMeta(key="device_id", value=str(uuid.uuid4())))
        if session.get(StoreMeta, "author") is None:
            session.add(StoreMeta(key="author", value=_login_name()))


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


# A new store is made under this prefix and takes the store's name only when complete.
_NEW_STORE_PREFIX = ".dxdesk-new-"


def open_store(data_dir: Path, *, progress: Progress = no_progress) -> Store:
    """Open (creating, encrypting and migrating as needed) the store in ``data_dir``.

    At opening only the header is read (a few bytes): reading every page (PRAGMA quick_check)
    took ~95 ms on a 107 MB store at each start. The pages are read whole where that is
    affordable: after an exit that did not close the store (an in-use marker is still there,
    held by nobody: store_in_use.py), and in every backup (Store.backup checks its copy),
    which the window makes at start.

    The key comes from the keychain (models/store_key.py); PassphraseNeeded where none holds
    it, and the caller asks the person (``store_key.unlock``) and opens again. An old
    plaintext store is encrypted first, ``progress`` hearing (bytes, total) and allowed to
    raise (``Cancelled``: the plaintext store stays as it was); before it, the attachments'
    files an older version left plaintext (``progress`` hears them too).

    This process holds the store from before it first reads it: a restore elsewhere is refused
    from then on, not only once the store is migrated and ready. An opening that fails lets go.
    """
    from dxdesk.models import file_migration, store_key

    _prepare_data_dir(data_dir)
    path = data_dir / DATABASE_NAME
    in_use = store_in_use.hold(path)
    try:
        if path.exists() and not os.access(path, os.R_OK | os.W_OK):
            raise StoreError(f"データベース {path} を読み書きできません（権限を確認してください）")
        plaintext = _check_header(path, encrypted=store_key.has_key(data_dir))
        key = store_key.key_for(data_dir, create=plaintext or not path.exists())
        # The attachments an older version left plaintext first (a marker's look once done):
        # a cancel there leaves the store as it was (models/file_migration.py).
        file_migration.encrypt_old_files(data_dir, key, progress)
        if plaintext:
            _encrypt(path, key, in_use, progress)
        else:
            store_encrypting.clear_leftovers(path)
        store_encrypting.encrypt_old_copies(data_dir, key)
        if not path.exists():
            _create_store(data_dir, path, key)
        # No marker of its own (a full disk): whether an exit was unclean is unknown.
        check_pages = in_use is None or bool(in_use.unclean_exits)
        store = Store(
            data_dir=data_dir,
            path=path,
            engine=store_cipher.engine(path, key),
            key=key,
            in_use=in_use,
        )
        prepare_store(store, check_pages=check_pages)
        store.note_identity()
    except BaseException:
        store_in_use.release(in_use)
        raise
    if check_pages:
        store_in_use.pages_checked(in_use)
    return store


def needs_encrypting(data_dir: Path) -> bool:
    """Whether opening this data folder's store first encrypts it (an old plaintext store):
    seconds for a large one, worth a progress bar."""
    return store_cipher.is_plaintext(data_dir / DATABASE_NAME)


def _encrypt(path: Path, key: bytes, own: store_in_use.Hold | None, progress: Progress) -> None:
    """The old plaintext store encrypted in place, with nobody else holding it meanwhile."""
    try:
        with store_in_use.exclusive(path, own):
            store_encrypting.encrypt_in_place(path, key, progress)
    except store_in_use.StoreInUse:
        raise StoreError(
            "DX Desk のウィンドウかほかのコマンドがこのデータフォルダの記録を開いています。"
            "閉じてからもう一度開いてください（記録を暗号化します）"
        ) from None
    except (store_cipher.DatabaseError, UnicodeDecodeError) as exc:
        if is_unreadable_error(exc):
            raise StoreUnreadable(path) from None
        raise StoreError(f"データベース {path} を暗号化できません: {exc}") from None
    except store_encrypting.CopyDiffers:
        raise StoreError(
            f"データベース {path} の暗号化した写しが元と合わないため、元のまま残しました"
        ) from None
    except OSError as exc:
        raise StoreError(
            f"データベース {path} を暗号化できません（元のまま残しました）: {exc.strerror}"
        ) from None


def _create_store(data_dir: Path, path: Path, key: bytes) -> None:
    """Make a new store under a temporary name and give it the store's name when complete.

    A first start stopped halfway (killed, power cut) leaves at most a temporary file, removed
    at the next start, never a half-made or 0-byte file at the store's name that would then
    be refused as unreadable. The file is owner-only before SQLite opens it; SQLite gives its
    -wal and -shm files the permissions of the database file, so they follow.
    """
    for left in data_dir.glob(_NEW_STORE_PREFIX + "*"):
        left.unlink(missing_ok=True)
    fd, name = tempfile.mkstemp(prefix=_NEW_STORE_PREFIX, suffix=".sqlite3", dir=data_dir)
    os.close(fd)
    tmp = Path(name)
    try:
        tmp.chmod(OWNER_ONLY_FILE)
        engine = store_cipher.engine(tmp, key)
        try:
            prepare_store(
                Store(data_dir=data_dir, path=tmp, engine=engine, key=key), check_pages=False
            )
        finally:
            engine.dispose()  # the last connection's close folds the -wal into the file
        _take_name(tmp, path)
    finally:
        for leftover in (tmp, *(tmp.with_name(tmp.name + s) for s in ("-wal", "-shm"))):
            leftover.unlink(missing_ok=True)


def _take_name(tmp: Path, path: Path) -> None:
    """Give the new store the store's name, unless another start made one meanwhile (a
    hard link never replaces: the store the other start may have written to stays)."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        return  # theirs is the store; ours, still empty, goes
    except OSError:
        # A file system without hard links: the same, less strictly.
        if not path.exists():
            tmp.replace(path)


def prepare_store(store: Store, *, check_pages: bool) -> None:
    """Bring an open store's file to use: its pages checked when asked, its schema migrated,
    the roster and the device's identity in place. On an error, the engine is disposed."""
    path, engine = store.path, store.engine
    try:
        with engine.begin() as connection:
            if check_pages:
                _check_pages(connection, path)
            upgrade_to_head(connection)
        _load_reference_data(store)
    except StoreUnreadable:
        engine.dispose()
        raise
    except NewerSchemaError:
        engine.dispose()
        raise StoreError(
            f"{path} は新しい版の DX Desk で作られています。DX Desk を更新してください"
        ) from None
    except (OperationalError, SQLAlchemyDatabaseError, UnicodeDecodeError) as exc:
        engine.dispose()
        if is_unreadable_error(exc):
            raise StoreUnreadable(path) from None
        orig = exc.orig if isinstance(exc, SQLAlchemyDatabaseError) else exc
        raise StoreError(f"データベース {path} を開けません: {orig}") from None


def _check_pages(connection: Connection, path: Path) -> None:
    """Read every page once before anything is written: a damaged store is refused whole, not
    migrated or added to, nor found broken halfway through a command."""
    verdict = connection.exec_driver_sql("PRAGMA quick_check(1)").scalar()
    if verdict != "ok":
        raise StoreUnreadable(path)
