"""The automatic backups carry the attachments' bytes: each content once for all generations,
pruned with the generations that named it, put back (verified) by a restore. Clocks are fixed."""

from __future__ import annotations

import io
import json
import os
import stat
import sys
import textwrap
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete

from dxdesk.cli.main import main
from dxdesk.models import backup_keys, store_key
from dxdesk.models.backup_crypto import KdfCost
from dxdesk.models.backup_files import (
    BACKUP_FILES_DIR,
    NamesUnknown,
    RestoredFiles,
    backup_file_store,
    named_files,
)
from dxdesk.models.backups import (
    backups_dir,
    copy_with_files,
    list_backups,
    restore_backup,
    take_backup,
)
from dxdesk.models.file_store import FileStore
from dxdesk.models.tables import AttachmentRow
from dxdesk.services.workspace import Workspace, open_workspace
from tests.small_disk import run_on_small_disk
from tests.store_files import stored_bytes

JST = timezone(timedelta(hours=9))
NOW = datetime(2026, 12, 6, 18, 0, tzinfo=JST)
PASSPHRASE = "和歌山の青い海2026"


@pytest.fixture
def visit(workspace: Workspace, visit_payload: dict[str, object]) -> dict[str, Any]:
    return workspace.engagements.add(visit_payload)


def attach(ws: Workspace, visit: dict[str, Any], path: Path, data: bytes) -> dict[str, Any]:
    path.write_bytes(data)
    (made,) = ws.attachments.attach("visit", visit["id"], [path])
    return made


def kept(ws: Workspace) -> FileStore:
    return backup_file_store(backups_dir(ws.store.data_dir), ws.store.key)


def data_files(data_dir: Path) -> FileStore:
    """The data folder's file store, opened with its key (the workspace closed)."""
    return FileStore(data_dir / "files", store_key.key_for(data_dir))


def test_a_backup_keeps_the_files_once_for_all_generations(
    workspace: Workspace, visit: dict[str, Any], tmp_path: Path
) -> None:
    plan = attach(workspace, visit, tmp_path / "計画案.pdf", b"%PDF plan")
    take_backup(workspace.store, now=NOW)
    store = kept(workspace)
    assert store.root == workspace.store.data_dir / "backups" / BACKUP_FILES_DIR
    assert list(store.stored()) == [plan["sha256"]]
    assert stored_bytes(store, plan["sha256"]) == b"%PDF plan"
    assert stat.S_IMODE(store.root.stat().st_mode) == 0o700
    # On one file system a kept file is the data folder's own (a hard link): no space twice.
    live = workspace.files.path(plan["sha256"])
    assert live.samefile(store.path(plan["sha256"]))
    photo = attach(workspace, visit, tmp_path / "写真.png", b"\x89PNG photo")
    take_backup(workspace.store, now=NOW + timedelta(minutes=30))
    assert sorted(store.stored()) == sorted([plan["sha256"], photo["sha256"]])
    assert len(list_backups(workspace.store.data_dir)) == 2
    # The bytes stay in the backups when the data folder lets them go.
    live.unlink()
    assert stored_bytes(store, plan["sha256"]) == b"%PDF plan"


def test_files_go_with_the_last_generation_that_named_them(
    workspace: Workspace, visit: dict[str, Any], tmp_path: Path
) -> None:
    old = attach(workspace, visit, tmp_path / "古い.pdf", b"old bytes")
    take_backup(workspace.store, now=NOW - timedelta(days=120))
    with workspace.store.transaction() as session:  # gone for good, as an eviction does
        session.execute(delete(AttachmentRow))
    new = attach(workspace, visit, tmp_path / "新しい.pdf", b"new bytes")
    for n in range(3):
        take_backup(workspace.store, now=NOW - timedelta(hours=n))
    assert kept(workspace).has(old["sha256"])  # the old generation is still among the newest 4
    take_backup(workspace.store, now=NOW + timedelta(hours=1))
    assert len(list_backups(workspace.store.data_dir)) == 4
    assert list(kept(workspace).stored()) == [new["sha256"]]


def test_a_restore_puts_the_files_back_verified(
    tmp_path: Path, visit_payload: dict[str, object]
) -> None:
    data_dir = tmp_path / "data"
    ws = open_workspace(data_dir)
    try:
        visit = ws.engagements.add(visit_payload)
        good = attach(ws, visit, tmp_path / "計画案.pdf", b"%PDF plan")
        bad = attach(ws, visit, tmp_path / "壊れる.pdf", b"to be damaged")
        backup = take_backup(ws.store, now=NOW)
        store = kept(ws)
        # The data folder loses both (a new laptop, a wiped folder); one kept copy is damaged.
        for made in (good, bad):
            ws.files.path(made["sha256"]).unlink()
        store.path(bad["sha256"]).write_bytes(b"to be damagex")
    finally:
        ws.close()
    restored = restore_backup(data_dir, backup.path.name)
    assert restored.files == RestoredFiles(put_back=1, missing=1)
    files = data_files(data_dir)
    assert stored_bytes(files, good["sha256"]) == b"%PDF plan"
    assert not files.has(bad["sha256"])  # the sync fetches it instead


def test_the_restore_command_says_what_came_back(
    tmp_path: Path, visit_payload: dict[str, object], capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "data"
    ws = open_workspace(data_dir)
    try:
        visit = ws.engagements.add(visit_payload)
        made = attach(ws, visit, tmp_path / "計画案.pdf", b"%PDF plan")
        backup = take_backup(ws.store, now=NOW)
        ws.files.path(made["sha256"]).unlink()
    finally:
        ws.close()
    assert main(["--data-dir", str(data_dir), "backups"]) == 0
    assert backup.path.name in capsys.readouterr().out
    assert main(["--data-dir", str(data_dir), "restore", "--force", backup.path.name]) == 0
    out = capsys.readouterr().out
    assert "添付ファイル 1 件をバックアップから戻しました" in out
    assert data_files(data_dir).has(made["sha256"])


def test_a_copy_made_by_hand_takes_its_files_beside_it_and_a_restore_of_it_brings_them(
    tmp_path: Path,
    visit_payload: dict[str, object],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data_dir = tmp_path / "data"
    ws = open_workspace(data_dir)
    try:
        visit = ws.engagements.add(visit_payload)
        made = attach(ws, visit, tmp_path / "計画案.pdf", b"%PDF plan")
    finally:
        ws.close()
    backup_keys.set_up(data_dir, PASSPHRASE, cost=KdfCost(n=2**10))
    usb = tmp_path / "usb"
    usb.mkdir()
    copy = usb / "copy.dxbackup"
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{PASSPHRASE}\n"))
    assert main(["--data-dir", str(data_dir), "backup", "--passphrase-stdin", "-o", str(copy)]) == 0
    assert f"添付ファイルは {usb / 'copy.dxbackup.files'} に入れました" in capsys.readouterr().out
    [carried] = [p for p in (usb / "copy.dxbackup.files").rglob("*") if p.is_file()]
    assert b"%PDF plan" not in carried.read_bytes()  # encrypted, under a name that hides its hash
    assert made["sha256"] not in str(carried)
    # Another laptop (a new data folder) restores the copy: the file comes with it.
    other = tmp_path / "other"
    other.mkdir()
    restored = restore_backup(other, str(copy), secret=PASSPHRASE)
    assert restored.files == RestoredFiles(put_back=1, missing=0)
    ws = open_workspace(other)
    try:
        assert ws.attachments.list_for("visit", visit["id"])[0]["present"]
        assert stored_bytes(ws.files, made["sha256"]) == b"%PDF plan"
    finally:
        ws.close()


def test_between_file_systems_the_files_are_copied_and_checked(tmp_path: Path) -> None:
    other_fs = Path("/dev/shm")
    if not other_fs.is_dir() or other_fs.stat().st_dev == tmp_path.stat().st_dev:
        pytest.skip("no second file system here")
    key = bytes(range(32))  # one data folder's key for both
    source = FileStore(tmp_path / "files", key)
    (tmp_path / "a.pdf").write_bytes(b"bytes to keep")
    sha = source.add_file(tmp_path / "a.pdf").sha256
    target_root = Path(os.path.realpath(other_fs)) / f"dxdesk-test-{os.getpid()}-{tmp_path.name}"
    try:
        target = FileStore(target_root, key)
        assert target.take_from(source, sha)
        assert stored_bytes(target, sha) == b"bytes to keep"
        assert not target.path(sha).samefile(source.path(sha))
        # A damaged source is not copied: a copy would carry a name its bytes are not.
        other = FileStore(tmp_path / "other", key)
        (tmp_path / "b.pdf").write_bytes(b"bytes to damage")
        damaged = other.add_file(tmp_path / "b.pdf").sha256
        other.path(damaged).write_bytes(b"bytes to damagE")
        assert not target.take_from(other, damaged)
        assert not target.has(damaged)
        assert list(target.stored()) == [sha]
        assert [p for p in target.root.rglob("*") if p.is_file()] == [target.path(sha)]
    finally:
        for path in sorted(target_root.rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
        if target_root.exists():
            target_root.rmdir()


_FULL_DISK_RESTORE = textwrap.dedent(
    """
    import hashlib, json, os, shutil, sys
    from pathlib import Path
    from dxdesk.cli.main import main
    small, prepared, copy = (Path(arg) for arg in sys.argv[1:4])
    data = small / "data"
    data.mkdir()
    shutil.copyfile(prepared / "dxdesk.sqlite3", data / "dxdesk.sqlite3")
    shutil.copyfile(prepared / "dxdesk-store-key.json", data / "dxdesk-store-key.json")
    before = hashlib.sha256((data / "dxdesk.sqlite3").read_bytes()).hexdigest()
    room = os.statvfs(small)
    # Room for the database's copy, not for the 1.5 MB file it names.
    room_left = (1 << 20) + copy.stat().st_size
    (small / "filler").write_bytes(bytes(room.f_bavail * room.f_frsize - room_left))
    code = main(["--data-dir", str(data), "restore", "--force", str(copy)])
    after = hashlib.sha256((data / "dxdesk.sqlite3").read_bytes()).hexdigest()
    left = sorted(p.name for p in data.iterdir() if p.is_file())
    print(json.dumps({"code": code, "same": before == after, "left": left}))
    """
)


def test_a_restore_onto_a_disk_that_fills_changes_nothing(
    tmp_path: Path, visit_payload: dict[str, object], capsys: pytest.CaptureFixture[str]
) -> None:
    """A real full disk (a 6 MB tmpfs in a user and mount namespace of its own): the files
    are put back before the database is, so a restore that cannot put them back leaves the
    store as it was, never restored without its files."""
    prepared = tmp_path / "prepared"
    ws = open_workspace(prepared)
    try:
        visit = ws.engagements.add(visit_payload)
        attach(ws, visit, tmp_path / "大きな資料.pdf", os.urandom(3 << 19))  # 1.5 MB
        copy = tmp_path / "usb" / "copy.sqlite3"
        copy.parent.mkdir()
        copy_with_files(ws.store, copy)  # a copy before a passphrase: under the store's key
        ws.engagements.add({**visit_payload, "title": "コピーのあとの記録"})
    finally:
        ws.close()
    capsys.readouterr()
    mount = tmp_path / "small"
    mount.mkdir()
    script = tmp_path / "restore.py"
    script.write_text(_FULL_DISK_RESTORE, encoding="utf-8")
    done = run_on_small_disk(mount, "6m", script, mount, prepared, copy)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.splitlines()[-1])
    assert result == {"code": 2, "same": True, "left": ["dxdesk-store-key.json", "dxdesk.sqlite3"]}
    assert "復元していません（今の記録はそのままです）" in done.stderr
    assert "ディスクの空きが足りない" in done.stderr


def test_a_generation_that_cannot_be_read_keeps_every_file(
    workspace: Workspace, visit: dict[str, Any], tmp_path: Path
) -> None:
    """Which files an unreadable backup names is not known: none is pruned (it could be the
    only copy of one), and reading it says so rather than naming none."""
    old = attach(workspace, visit, tmp_path / "古い.pdf", b"old bytes")
    first = take_backup(workspace.store, now=NOW - timedelta(hours=2))
    with workspace.store.transaction() as session:  # gone for good, as an eviction does
        session.execute(delete(AttachmentRow))
    first.path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)  # damaged on disk
    with pytest.raises(NamesUnknown, match="添付ファイルの一覧を読めません"):
        named_files(first.path, workspace.store.key)
    take_backup(workspace.store, now=NOW)
    assert kept(workspace).has(old["sha256"])


def test_a_copy_made_by_hand_leaves_out_a_damaged_file(
    tmp_path: Path,
    visit_payload: dict[str, object],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data_dir = tmp_path / "data"
    ws = open_workspace(data_dir)
    try:
        visit = ws.engagements.add(visit_payload)
        good = attach(ws, visit, tmp_path / "計画案.pdf", b"%PDF plan")
        bad = attach(ws, visit, tmp_path / "壊れる.pdf", b"to be damaged")
        ws.files.path(bad["sha256"]).write_bytes(b"to be damagex")
    finally:
        ws.close()
    backup_keys.set_up(data_dir, PASSPHRASE, cost=KdfCost(n=2**10))
    copy = tmp_path / "copy.dxbackup"
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{PASSPHRASE}\n"))
    assert main(["--data-dir", str(data_dir), "backup", "--passphrase-stdin", "-o", str(copy)]) == 0
    capsys.readouterr()
    # Only the good file went (never the damaged bytes under the name of what they were).
    other = tmp_path / "other"
    other.mkdir()
    restored = restore_backup(other, str(copy), secret=PASSPHRASE)
    assert restored.files == RestoredFiles(put_back=1, missing=1)
    assert list(data_files(other).stored()) == [good["sha256"]]
