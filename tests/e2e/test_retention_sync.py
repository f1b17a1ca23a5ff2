"""A sync clears the content of what was deleted longer ago than the retention period, once the
server has the delete, and leaves alone a delete still waiting to go up."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from dxdesk.models.base import utc_now
from dxdesk.models.tables import ContactRow
from dxdesk.server.database import ServerDatabase
from dxdesk.server.dev_tls import DevCertificates
from dxdesk.server.settings import Settings
from dxdesk.services.workspace import open_workspace
from tests.e2e.test_cli_sync import Cli
from tests.server.fixtures import RunningServer, add_user, serve_in_thread
from tests.store_files import files_holding

WAKAYAMA = "302015"
OLD = timedelta(days=91)


def _age(data_dir: Path, record_id: str, ago: timedelta = OLD) -> None:
    """As if the delete had been made ``ago`` (three months unless told)."""
    ws = open_workspace(data_dir)
    try:
        with ws.store.transaction() as session:
            session.execute(
                update(ContactRow)
                .where(ContactRow.id == record_id)
                .values(updated_at=utc_now() - ago)
            )
    finally:
        ws.close()


def test_a_sync_purges_old_tombstones_the_server_has(
    server: RunningServer,
    real_keychain: None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    cli = Cli(tmp_path / "laptop", capsys, monkeypatch)
    assert cli.login(server, "tanaka")[0] == 0
    payload = {"municipality": WAKAYAMA, "name": "森", "phone": "0739-55-0142"}
    contact = json.loads(cli("records", "add", "contact", "--json", json.dumps(payload))[1])
    assert cli("sync")[0] == 0
    assert cli("records", "delete", "contact", contact["id"])[0] == 0
    _age(tmp_path / "laptop", contact["id"])
    assert files_holding(tmp_path / "laptop", "0739-55-0142")  # still here, unsent

    assert cli("sync")[0] == 0  # the delete goes up first, then the purge clears it

    assert files_holding(tmp_path / "laptop", "0739-55-0142") == []


def test_a_delete_pulled_from_another_laptop_is_kept_for_the_whole_period(
    server: RunningServer,
    real_keychain: None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    first = Cli(tmp_path / "first", capsys, monkeypatch)
    second = Cli(tmp_path / "second", capsys, monkeypatch)
    assert first.login(server, "tanaka")[0] == 0
    assert second.login(server, "tanaka")[0] == 0
    payload = {"municipality": WAKAYAMA, "name": "森", "phone": "0739-55-0142"}
    contact = json.loads(first("records", "add", "contact", "--json", json.dumps(payload))[1])
    assert first("sync")[0] == 0 and second("sync")[0] == 0
    _age(tmp_path / "second", contact["id"])  # its last edit, months ago
    assert first("records", "delete", "contact", contact["id"])[0] == 0
    assert first("sync")[0] == 0

    assert second("sync")[0] == 0  # the delete arrives: its period starts now, here too

    assert files_holding(tmp_path / "second", "0739-55-0142")


def test_the_laptop_keeps_to_the_period_the_server_tells(
    server_db: ServerDatabase,
    dev_tls: DevCertificates,
    real_keychain: None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = Settings(
        database_url=server_db.engine.url.render_as_string(False), retention_days=30
    )
    with serve_in_thread(server_db, dev_tls, settings) as server:
        add_user(server.database, "tanaka", codes=(WAKAYAMA,))
        cli = Cli(tmp_path / "laptop", capsys, monkeypatch)
        assert cli.login(server, "tanaka")[0] == 0
        payload = {"municipality": WAKAYAMA, "name": "森", "phone": "0739-55-0142"}
        contact = json.loads(cli("records", "add", "contact", "--json", json.dumps(payload))[1])
        assert cli("records", "delete", "contact", contact["id"])[0] == 0
        # Before any sync: the default period, under which a 40-day-old delete stays.
        _age(tmp_path / "laptop", contact["id"], timedelta(days=40))
        dry = json.loads(cli("purge", "--dry-run", "--json")[1])
        assert dry["retention_days"] == 90 and dry["records"] == {}
        assert cli("sync")[0] == 0  # the delete goes up; the server tells 30 days
        _age(tmp_path / "laptop", contact["id"], timedelta(days=40))
        assert cli("sync")[0] == 0  # the purge after it keeps to 30 days
        told = json.loads(cli("purge", "--dry-run", "--json")[1])
        assert told["retention_days"] == 30
    assert files_holding(tmp_path / "laptop", "0739-55-0142") == []
