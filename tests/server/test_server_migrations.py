"""The server's schema: migrations build exactly the models; released samples upgrade."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from dxdesk.server.database import ServerDatabase, connect, initialise, is_current
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
