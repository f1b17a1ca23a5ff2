"""Erasing the data folder (sync/wipe.py): everything goes, read-only files and folders too;
what cannot go is reported by path; a home folder is refused."""

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
    (folder / "link").symlink_to(folder.parent / "outside")


def test_everything_in_the_data_folder_goes_and_nothing_outside(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    (tmp_path / "outside").write_text("not DX Desk's")
    _fill(folder)
    report = erase_data_folder(folder)
    assert report.left == () and not folder.exists()
    assert (tmp_path / "outside").read_text() == "not DX Desk's"  # a link is not followed
    assert report.removed == 10
    assert erase_data_folder(folder).left == ()  # again: nothing there, nothing wrong


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


def test_a_home_folder_is_not_emptied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "keep.txt").write_text("mine")
    report = erase_data_folder(tmp_path)
    assert report.removed == 0 and report.left and (tmp_path / "keep.txt").exists()
