"""Server migration 0004: what a server in use holds stays complete; downgrading drops the files."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from dxdesk.server.database import _alembic_config, connect, initialise, migrate
from dxdesk.server.tables import Record, ServerBase


def test_records_in_use_before_are_complete_and_pulled_as_before(database_url: str) -> None:
    database = connect(database_url)
    try:
        migrate(database, "0003_unassigned_grace")
        with database.engine.begin() as connection:
            connection.execute(text("INSERT INTO sync_clock (id, value) VALUES (1, 1)"))
            connection.execute(
                text(
                    "INSERT INTO record (id, kind, scope_code, fields, rev, scope_rev, deleted,"
                    " created_at, created_by, updated_at, updated_by)"
                    " VALUES ('r1', 'article', NULL, '{}', 1, 1, false, '2026-11-20 00:00:00',"
                    " 'tanaka', '2026-11-20 00:00:00', 'tanaka')"
                )
            )
        initialise(database)
        with database.transaction() as session:
            record = session.get(Record, "r1")
            assert record is not None and record.incomplete is False
        with database.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, ServerBase.metadata) == []
        with database.engine.begin() as connection:
            command.downgrade(_alembic_config(connection), "0003_unassigned_grace")
            tables = inspect(connection).get_table_names()
            columns = {c["name"] for c in inspect(connection).get_columns("record")}
        assert "file_chunk" not in tables and "stored_file" not in tables
        assert "incomplete" not in columns and "scope_rev" in columns
    finally:
        database.close()
