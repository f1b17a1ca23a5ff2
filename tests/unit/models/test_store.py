from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from dxdesk.models.paths import DATA_DIR_ENV, resolve_data_dir
from dxdesk.models.store import StoreError, open_store
from dxdesk.models.store_key import KEY_FILE
from dxdesk.services.workspace import Workspace, open_workspace
from tests.store_files import connect_store


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_store_is_owner_only_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    store = open_store(tmp_path / "data")
    try:
        assert _mode(store.data_dir) == 0o700
        assert _mode(store.path) == 0o600
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.execute(text("SELECT count(*) FROM municipality")).scalar() == 30
        store.set_meta("probe", "x")  # a write makes the -wal file
        wal = store.path.with_name(store.path.name + "-wal")
        assert wal.exists()
        assert _mode(wal) == 0o600
    finally:
        store.close()


def test_reopening_keeps_data_and_identity(
    tmp_path: Path, visit_payload: dict[str, object]
) -> None:
    ws = open_workspace(tmp_path)
    visit = ws.engagements.add(visit_payload)
    device = ws.store.meta("device_id")
    ws.close()
    again = open_workspace(tmp_path)
    try:
        assert again.engagements.get(visit["id"])["notes"] == "第1段落\n\n第2段落"
        assert again.store.meta("device_id") == device
        assert len(again.municipalities.overview()) == 30
    finally:
        again.close()


def test_data_dir_that_is_a_file_is_refused(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="フォルダ"):
        open_store(blocker)


def test_garbage_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    (tmp_path / "dxdesk.sqlite3").write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="読めません"):
        open_store(tmp_path)
    assert (tmp_path / "dxdesk.sqlite3").read_bytes().startswith(b"this is not")


def test_store_from_a_newer_app_is_refused(tmp_path: Path) -> None:
    open_store(tmp_path).close()
    conn = connect_store(tmp_path / "dxdesk.sqlite3")
    with conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    conn.close()
    with pytest.raises(StoreError, match="更新"):
        open_store(tmp_path)


def test_data_dir_resolution_order(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "env"))
    assert resolve_data_dir(None) == tmp_path / "env"
    assert resolve_data_dir(str(tmp_path / "flag")) == tmp_path / "flag"
    monkeypatch.delenv(DATA_DIR_ENV)
    assert resolve_data_dir(None) not in (tmp_path / "env", tmp_path / "flag")


def test_backup_is_a_consistent_owner_only_copy(
    workspace: Workspace, tmp_path: Path, visit_payload: dict[str, object]
) -> None:
    visit = workspace.engagements.add(visit_payload)
    # A second connection holds a write transaction open while the backup runs.
    writer = connect_store(workspace.store.path)
    writer.isolation_level = None
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO store_meta(key, value) VALUES ('uncommitted', 'x')")
    try:
        target = workspace.store.backup(tmp_path / "copy.sqlite3")
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert _mode(target) == 0o600
    copy_dir = tmp_path / "restored"
    copy_dir.mkdir()
    target.replace(copy_dir / "dxdesk.sqlite3")
    # The copy is encrypted as the store is: it opens with the same key.
    shutil.copyfile(workspace.store.data_dir / KEY_FILE, copy_dir / KEY_FILE)
    restored = open_workspace(copy_dir)
    try:
        assert restored.engagements.get(visit["id"])["title"] == "窓口BPRの相談"
        assert restored.store.meta("uncommitted") is None
    finally:
        restored.close()
