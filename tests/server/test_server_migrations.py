"""The server's schema: migrations build exactly the models; released samples upgrade."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from dxdesk.server.database import (
    DatabaseError,
    ServerDatabase,
    connect,
    initialise,
    is_current,
    migrate,
)
from dxdesk.server.dev_tls import DevCertificates
from dxdesk.server.tables import Record, ServerBase
from tests.server.fixtures import serve_in_thread
from tests.server.make_sample_database import FIXTURES, SAMPLE_PASSWORD

SAMPLES = sorted(FIXTURES.glob("server-*.sqlite3"))


def test_migrations_build_exactly_the_models(server_db: ServerDatabase) -> None:
    with server_db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, ServerBase.metadata) == []


def test_there_is_a_sample_of_the_first_schema() -> None:
    assert FIXTURES / "server-0001.sqlite3" in SAMPLES


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_a_released_database_upgrades_and_keeps_accounts_and_records(
    sample: Path, tmp_path: Path, dev_tls: DevCertificates
) -> None:
    path = tmp_path / "server.sqlite3"
    shutil.copy(sample, path)
    database = connect(f"sqlite:///{path}")
    initialise(database)
    assert is_current(database)
    with database.transaction() as session:
        record = session.get(Record, "00000000-0000-4000-8000-000000000001")
        assert record is not None and record.fields["title"] == "サンプル訪問"
    with serve_in_thread(database, dev_tls) as server, server.client() as client:
        answer = client.post(
            "/api/v1/login",
            json={"user": "sample", "password": SAMPLE_PASSWORD, "device_name": "pc"},
        )
    assert answer.status_code == 200
    database.close()


# A server in use at schema 0001: accounts with devices (one revoked), the municipalities each
# device holds, its push log, records live and deleted, a conflict, a failed login, the audit.
# Each table's 0001 columns, ordered by its key; every row must come through every migration.
FIRST_SCHEMA_ROWS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "municipality": (
        "code, name, region",
        "code",
        ("'302015', '和歌山市', '海草'", "'302023', '海南市', '海草'"),
    ),
    "sync_clock": ("id, value", "id", ("1, 3",)),
    "account": (
        "id, name, role, password_hash, disabled, created_at",
        "id",
        (
            "1, 'tanaka', 'advisor', 'h1', false, '2026-11-01 00:00:00'",
            "2, 'suzuki', 'coordinator', 'h2', false, '2026-11-02 00:00:00'",
        ),
    ),
    "assignment": ("account_id, code", "account_id, code", ("1, '302015'",)),
    "device": (
        "id, account_id, name, token_hash, created_at, expires_at, last_seen_at, revoked_at",
        "id",
        (
            "'d1', 1, 'office', 't1', '2026-11-01 00:00:00', '2027-05-01 00:00:00',"
            " '2026-11-20 00:00:00', NULL",
            "'d2', 1, 'home', 't2', '2026-11-01 00:00:00', '2027-05-01 00:00:00', NULL,"
            " '2026-11-10 00:00:00'",
            "'d3', 2, 'pc', 't3', '2026-11-02 00:00:00', '2027-05-02 00:00:00', NULL, NULL",
        ),
    ),
    "device_scope": (
        "device_id, code",
        "device_id, code",
        ("'d1', '302015'", "'d1', '302023'", "'d2', '302015'"),
    ),
    "push_log": (
        "push_id, device_id, at, response",
        "push_id",
        (
            "'p1', 'd1', '2026-11-20 00:00:00', '{\"results\": []}'",
            "'p2', 'd3', '2026-11-21 00:00:00', '{\"results\": []}'",
        ),
    ),
    "record": (
        "id, kind, scope_code, previous_scope_code, fields, rev, deleted, created_at,"
        " created_by, updated_at, updated_by, updated_device",
        "id",
        (
            "'r1', 'visit', '302015', NULL, '{\"title\": \"訪問\"}', 1, false,"
            " '2026-11-20 00:00:00', 'tanaka', '2026-11-20 00:00:00', 'tanaka', 'd1'",
            "'r2', 'visit', '302023', '302015', '{}', 2, false,"
            " '2026-11-20 00:00:00', 'tanaka', '2026-11-21 00:00:00', 'suzuki', 'd3'",
            "'r3', 'knowledge', NULL, NULL, '{}', 3, true,"
            " '2026-11-20 00:00:00', 'suzuki', '2026-11-21 00:00:00', 'suzuki', NULL",
        ),
    ),
    "conflict": (
        "id, push_id, record_id, kind, field, reason, base, theirs, mine, account, device_id, at",
        "id",
        (
            "1, 'p1', 'r1', 'visit', 'title', 'both-changed', '\"a\"', '\"b\"', '\"c\"',"
            " 'tanaka', 'd1', '2026-11-20 00:00:00'",
        ),
    ),
    "login_failure": (
        "id, account_name, address, at",
        "id",
        ("1, 'tanaka', '127.0.0.1', '2026-11-20 00:00:00'",),
    ),
    "audit": (
        "id, at, account, device_id, action, kind, record_id, fields, detail",
        "id",
        ("1, '2026-11-20 00:00:00', 'tanaka', 'd1', 'create', 'visit', 'r1', '{}', ''",),
    ),
}


def _first_schema_rows(database: ServerDatabase) -> dict[str, list[tuple[object, ...]]]:
    with database.engine.connect() as connection:
        return {
            table: [
                tuple(row)
                for row in connection.execute(text(f"SELECT {columns} FROM {table} ORDER BY {key}"))
            ]
            for table, (columns, key, _) in FIRST_SCHEMA_ROWS.items()
        }


def _database_in_use_at_0001(url: str) -> ServerDatabase:
    database = connect(url)
    migrate(database, "0001")
    with database.engine.begin() as connection:
        for table, (columns, _, rows) in FIRST_SCHEMA_ROWS.items():
            for row in rows:
                connection.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({row})"))
    return database


def test_a_server_in_use_upgrades_with_every_row(database_url: str) -> None:
    """Migrations that rebuild a table other tables refer to (SQLite copies it, drops the old
    one and renames the copy) keep every row, and every reference, of a server in use."""
    database = _database_in_use_at_0001(database_url)
    try:
        before = _first_schema_rows(database)
        assert all(len(before[t]) == len(rows) for t, (_, _, rows) in FIRST_SCHEMA_ROWS.items())
        initialise(database)
        assert is_current(database)
        after = _first_schema_rows(database)
        # The roster's other municipalities are added after the migration.
        assert set(before.pop("municipality")) <= set(after.pop("municipality"))
        assert after == before
        with database.engine.connect() as connection:
            # The rebuilt tables' references (device_scope, push_log -> device) are the models'.
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, ServerBase.metadata) == []
            if database.engine.dialect.name == "sqlite":
                assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
                assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        with database.transaction() as session:
            record = session.get(Record, "r1")
            assert record is not None and record.scope_rev == 1
    finally:
        database.close()


def test_a_broken_reference_after_migrating_undoes_the_migration(tmp_path: Path) -> None:
    """SQLite checks no reference while it migrates (a rebuilt table is dropped and renamed);
    they are all checked before the migration commits, and a broken one (here one let in
    before) undoes it, saying where."""
    database = _database_in_use_at_0001(f"sqlite:///{tmp_path / 'server.sqlite3'}")
    try:
        with database.engine.connect() as connection:
            raw = connection.connection.driver_connection
            assert raw is not None
            raw.execute("PRAGMA foreign_keys = OFF")
            raw.execute("INSERT INTO device_scope (device_id, code) VALUES ('gone', '302015')")
            raw.execute("PRAGMA foreign_keys = ON")
        with pytest.raises(DatabaseError, match="device_scope"):
            initialise(database)
        with database.engine.connect() as connection:
            assert MigrationContext.configure(connection).get_current_revision() == "0001"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        database.close()
