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


def initialise(database: ServerDatabase) -> None:
    """Create or migrate the schema, then add roster municipalities not yet present."""
    try:
        with database.engine.begin() as connection:
            command.upgrade(_alembic_config(connection), "head")
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
