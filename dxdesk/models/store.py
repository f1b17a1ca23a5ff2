"""The local SQLite store: opening it safely, migrating it, and copying it."""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import sqlite3
import tempfile
import uuid
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, delete, distinct, func, select
from sqlalchemy.exc import DatabaseError as SQLAlchemyDatabaseError
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from dxdesk.domain.progress import Progress, no_progress
from dxdesk.domain.roster import load_roster
from dxdesk.models.migrations_runner import NewerSchemaError, upgrade_to_head
from dxdesk.models.paths import DATABASE_NAME
from dxdesk.models.tables import MunicipalityRow, StoreMeta
from dxdesk.sql_common import configure_sqlite

OWNER_ONLY_FILE = 0o600
OWNER_ONLY_DIR = 0o700
# Set in store_meta by the demo data: a folder of made-up records must never sync.
META_DEMO = "demo_data"
# The account this folder syncs as (set at login): the author of what is written here after it.
META_SYNC_USER = "sync_user"


class StoreError(Exception):
    """The store cannot be used as asked; the message is for the person at the keyboard."""


def _create_owner_only(path: Path) -> None:
    """Create the file readable by its owner only before SQLite ever opens it.

    SQLite gives its -wal and -shm files the permissions of the database file, so they follow.
    """
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, OWNER_ONLY_FILE))


@dataclass(eq=False)
class Store:
    data_dir: Path
    path: Path
    engine: Engine

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
        from dxdesk.models.tables import PendingChange

        with self.session() as session:
            count = session.scalar(
                select(func.count(distinct(PendingChange.kind + ":" + PendingChange.record_id)))
            )
            return count or 0

    def has_pending(self, records: Collection[tuple[str, str]]) -> bool:
        """Whether any of these (kind, record id) has changes this device has not pushed."""
        from dxdesk.models.tables import PendingChange

        wanted = set(records)
        ids = sorted({record_id for _kind, record_id in wanted})
        with self.session() as session:
            for start in range(0, len(ids), _IDS_PER_QUERY):
                rows = session.execute(
                    select(PendingChange.kind, PendingChange.record_id).where(
                        PendingChange.record_id.in_(ids[start : start + _IDS_PER_QUERY])
                    )
                )
                if any((kind, record_id) in wanted for kind, record_id in rows):
                    return True
        return False

    def clear_records(self) -> None:
        """Forget every record and all sync bookkeeping (the roster stays): for re-seeding."""
        from dxdesk.models.kinds import KIND_TABLES
        from dxdesk.models.tables import PendingChange, RecordBase

        with self.transaction() as session:
            # Children before parents: interview notes and follow-ups point at engagements.
            for table in reversed(list(KIND_TABLES.values())):
                session.execute(delete(table))
            session.execute(delete(PendingChange))
            session.execute(delete(RecordBase))

    def backup(
        self, target: Path, *, progress: Progress = no_progress, pages_per_step: int = 256
    ) -> Path:
        """A consistent copy through SQLite's backup API; safe while the app writes.

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
            source = sqlite3.connect(self.path)
            try:
                dest = sqlite3.connect(tmp)
                try:
                    source.backup(
                        dest,
                        pages=pages_per_step,
                        progress=lambda _status, remaining, total: progress(
                            total - remaining, total
                        ),
                    )
                    dest.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file
                finally:
                    dest.close()
            finally:
                source.close()
            tmp.replace(target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return target

    def close(self) -> None:
        self.engine.dispose()


def _prepare_data_dir(data_dir: Path) -> None:
    try:
        data_dir.mkdir(mode=OWNER_ONLY_DIR, parents=True, exist_ok=True)
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


_IDS_PER_QUERY = 500  # well under SQLite's bound-parameter limit


def _json_dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def open_store(data_dir: Path) -> Store:
    """Open (creating and migrating as needed) the store in ``data_dir``."""
    _prepare_data_dir(data_dir)
    path = data_dir / DATABASE_NAME
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        raise StoreError(f"データベース {path} を読み書きできません（権限を確認してください）")
    _create_owner_only(path)
    # Japanese stays Japanese in JSON columns: escaped, each character took six bytes.
    engine = create_engine(f"sqlite:///{path}", json_serializer=_json_dumps)
    configure_sqlite(engine)
    store = Store(data_dir=data_dir, path=path, engine=engine)
    try:
        with engine.begin() as connection:
            upgrade_to_head(connection)
        _load_reference_data(store)
    except NewerSchemaError:
        engine.dispose()
        raise StoreError(
            f"{path} は新しい版の DX Desk で作られています。DX Desk を更新してください"
        ) from None
    except (OperationalError, SQLAlchemyDatabaseError) as exc:
        engine.dispose()
        raise StoreError(f"データベース {path} を開けません: {exc.orig}") from None
    return store
