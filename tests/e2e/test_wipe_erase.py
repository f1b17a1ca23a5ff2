"""Erasing the data folder (sync/wipe.py): all that DX Desk keeps there goes, read-only files
and folders too; the person's own files in the folder stay; what cannot go is reported."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dxdesk.sync.wipe import erase_data_folder


def _fill(folder: Path) -> None:
    (folder / "backups" / "files").mkdir(parents=True)
    (folder / "dxdesk.sqlite3").write_bytes(b"store")
    (folder / "dxdesk.sqlite3-wal").write_bytes(b"wal")
    (folder / "backups" / "dxdesk-20261201.sqlite3").write_bytes(b"backup")
    locked = folder / "files" / "ab"
    locked.mkdir(parents=True)
    (locked / "abcdef").write_bytes(b"file")
    (locked / "abcdef").chmod(0o400)
    locked.chmod(0o500)  # a read-only folder: its entries cannot be unlinked as it is
    (folder / "dxdesk.sqlite3.in-use-1a2b").write_bytes(b"")
    (folder / ".dxdesk-new-x.sqlite3").write_bytes(b"tmp")
    (folder / "ui.ini").write_text("[ui]")
    (folder / "opened").mkdir()
    (folder / "files" / "link").symlink_to(folder.parent / "outside")


def test_everything_in_the_data_folder_goes_and_nothing_outside(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    (tmp_path / "outside").write_text("not DX Desk's")
    _fill(folder)
    report = erase_data_folder(folder)
    assert report.left == () and not folder.exists()
    assert (tmp_path / "outside").read_text() == "not DX Desk's"  # a link is not followed
    assert report.removed == 14
    assert erase_data_folder(folder).left == ()  # again: nothing there, nothing wrong


def test_the_persons_own_files_in_a_shared_folder_stay(tmp_path: Path) -> None:
    folder = tmp_path / "仕事"  # a --data-dir the person also keeps their own files in
    _fill(folder)
    (folder / "家計簿.xlsx").write_bytes(b"mine")
    (folder / "photos").mkdir()
    (folder / "photos" / "a.jpg").write_bytes(b"jpeg")

    report = erase_data_folder(folder)

    assert report.left == ()
    assert sorted(p.name for p in folder.iterdir()) == ["photos", "家計簿.xlsx"]
    assert (folder / "photos" / "a.jpg").read_bytes() == b"jpeg"


def test_what_cannot_be_deleted_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "data"
    _fill(folder)
    stuck = folder / "files" / "ab" / "abcdef"
    real_unlink = os.unlink

    def unlink(path: str | os.PathLike[str]) -> None:
        if Path(path) == stuck:
            raise PermissionError(13, "Permission denied", str(path))
        real_unlink(path)

    monkeypatch.setattr(os, "unlink", unlink)
    report = erase_data_folder(folder)
    assert [path for path, _ in report.left][:1] == [str(stuck)]
    assert not (folder / "dxdesk.sqlite3").exists() and not (folder / "backups").exists()
    assert "消去できなかったもの" in report.notice() and str(stuck) in report.notice()


def test_a_home_folder_keeps_all_but_dx_desks_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "keep.txt").write_text("mine")
    (tmp_path / "dxdesk.sqlite3").write_bytes(b"store")
    report = erase_data_folder(tmp_path)
    assert report.removed == 1 and report.left == () and (tmp_path / "keep.txt").exists()
    assert tmp_path.exists()
