"""Opening the server's database (PostgreSQL or SQLite), migrating it, loading the roster."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, make_url, select
from sqlalchemy.exc import ArgumentError, OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from dxdesk.domain.roster import load_roster
from dxdesk.server.tables import Municipality, SyncClock
from dxdesk.sql_common import configure_sqlite

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class DatabaseError(Exception):
    """The database cannot be used; the message says what to do."""


@dataclass(eq=False)
class ServerDatabase:
    engine: Engine

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    @property
    def is_postgresql(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def close(self) -> None:
        self.engine.dispose()


def connect(url: str) -> ServerDatabase:
    """An engine for ``url``; for SQLite the file's folder is made, readable by the owner only."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseError(f"データベースの URL {url!r} が読めません") from None
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            path = Path(parsed.database)
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not path.exists():
                os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        engine = create_engine(parsed)
        configure_sqlite(engine)
    elif parsed.get_backend_name() == "postgresql":
        engine = create_engine(parsed, pool_size=10, max_overflow=20, pool_pre_ping=True)
    else:
        raise DatabaseError(
            "PostgreSQL（postgresql+psycopg://…）か SQLite（sqlite:///…）を指定してください"
        )
    return ServerDatabase(engine)


def _alembic_config(connection: Connection | None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def is_current(database: ServerDatabase) -> bool:
    head = ScriptDirectory.from_config(_alembic_config(None)).get_current_head()
    with database.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision() == head


def migrate(database: ServerDatabase, revision: str = "head") -> None:
    """Migrate the schema to ``revision`` in one transaction: the one way migrations run.

    On SQLite, foreign keys are off while they run: SQLite alters a table by copying it,
    dropping the old one and renaming the copy, and with them on, dropping a table other tables
    refer to (device, by device_scope and push_log) fails.
    The pragma is ignored inside a transaction, so it is set on the connection before it begins
    and set back after; env.py checks every reference before the migration commits.
    """
    sqlite = database.engine.dialect.name == "sqlite"
    with database.engine.connect() as connection:
        if sqlite:
            _set_sqlite_foreign_keys(connection, on=False)
        try:
            with connection.begin():
                command.upgrade(_alembic_config(connection), revision)
        finally:
            if sqlite:
                try:
                    _set_sqlite_foreign_keys(connection, on=True)
                except BaseException:
                    connection.invalidate()  # never back to the pool with foreign keys off
                    raise


def _set_sqlite_foreign_keys(connection: Connection, *, on: bool) -> None:
    # On the driver's connection, which begins no transaction (configure_sqlite): through
    # SQLAlchemy the statement would begin one, and inside one SQLite ignores the pragma.
    assert not connection.in_transaction()
    driver = connection.connection.driver_connection
    assert driver is not None
    driver.execute(f"PRAGMA foreign_keys = {'ON' if on else 'OFF'}")
    if driver.execute("PRAGMA foreign_keys").fetchone() != (int(on),):
        raise DatabaseError(f"SQLite の外部キーを{'有効' if on else '無効'}にできません")


def initialise(database: ServerDatabase) -> None:
    """Create or migrate the schema, then add roster municipalities not yet present."""
    try:
        migrate(database)
    except OperationalError as exc:
        raise DatabaseError(f"データベースに接続できません: {exc.orig}") from None
    except ProgrammingError as exc:
        raise DatabaseError(f"スキーマを作れません（権限を確認してください）: {exc.orig}") from None
    with database.transaction() as session:
        have = set(session.scalars(select(Municipality.code)))
        for m in load_roster():
            if m.code not in have:
                session.add(Municipality(code=m.code, name=m.name, region=m.region))
        if session.get(SyncClock, 1) is None:
            session.add(SyncClock(id=1, value=0))
