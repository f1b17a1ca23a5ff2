"""Wiping this laptop when the server orders it (a laptop revoked as lost: wire/wipe.py).

The order stops the sync at the request it answered (api_client.WipeOrdered); nothing more is
sent. Who holds the store closes it first and seals it, so that nothing opens it again (SQLite
would make a new empty file), then erases: the keychain entries of the account, and everything in
the data folder (the store with its -wal and -shm, backups, attachment files, files opened from
it, the window's settings). What could not be deleted is reported, never hidden.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from dxdesk.models import backup_keys, store_cipher, store_key
from dxdesk.models.store import Store, StoreError
from dxdesk.sync import credentials
from dxdesk.sync.api_client import WipeOrdered

SEALED_MESSAGE: Final = (
    "この端末のデータは、管理者の指示で消去されました（紛失した端末として登録が取り消されています）"
)


@dataclass(frozen=True)
class WipeReport:
    data_dir: Path
    removed: int  # files and folders deleted
    left: tuple[tuple[str, str], ...]  # (path, why) of what could not be deleted

    def notice(self) -> str:
        """One line for the person: what happened, and what is left if anything."""
        line = (
            "この端末は紛失として管理者に登録を取り消され、消去を指示されました。"
            f"データフォルダ {self.data_dir} のデータ・バックアップ・添付ファイルと"
            "ログイン情報を消去しました（何も送信していません）"
        )
        if self.left:
            shown = "、".join(f"{path}（{why}）" for path, why in self.left[:5])
            more = f" ほか {len(self.left) - 5} 件" if len(self.left) > 5 else ""
            line += (
                f"。消去できなかったもの {len(self.left)} 件: {shown}{more}。手で削除してください"
            )
        return line


def seal(store: Store) -> None:
    """Close ``store`` so that no later call opens it again: each raises StoreError instead."""
    store.close()
    store_cipher.seal(store.engine, lambda: StoreError(SEALED_MESSAGE))


def complete(order: WipeOrdered, data_dir: Path) -> WipeReport:
    """Erase the keychain entries named by ``order`` and the data folder (closed and sealed
    by the caller)."""
    left = list(forget_login(order.server, order.user))
    backup_keys.forget_backup_key(data_dir)  # the backups' key: the backups go with the folder
    store_key.forget(data_dir)  # the store's key: the keychain's entry and this process's copy
    report = erase_data_folder(data_dir)
    return WipeReport(report.data_dir, report.removed, (*left, *report.left))


def forget_login(server: str, user: str) -> list[tuple[str, str]]:
    """Delete the account's token and device key from the keychain; those still there after."""
    if not server or not user:
        return []
    credentials.delete_token(server, user)
    credentials.delete_device_key(server, user)
    left = []
    if credentials.load_token(server, user) is not None:
        left.append((f"キーチェーン {credentials.SERVICE}", "削除できません"))
    if credentials.load_device_key(server, user) is not None:
        left.append((f"キーチェーン {credentials.DEVICE_KEY_SERVICE}", "削除できません"))
    return left


# What DX Desk keeps in a data folder: the store and its -wal, -shm, in-use markers, copies
# set aside by a restore and temporary files (all named dxdesk… or .dxdesk…), the attachments,
# files opened from them, the backups, the window's settings. Nothing else is touched: a
# --data-dir may be a folder that holds the person's own files too.
OWN_NAMES: Final = frozenset({"backups", "files", "opened", "ui.ini"})
OWN_PREFIXES: Final = ("dxdesk", ".dxdesk")


def is_own(name: str) -> bool:
    return name in OWN_NAMES or name.startswith(OWN_PREFIXES)


def erase_data_folder(data_dir: Path) -> WipeReport:
    """Delete what DX Desk keeps in ``data_dir`` (``is_own``), then the folder itself when
    nothing else is left in it; missing files are no error."""
    folder = data_dir.expanduser().absolute()
    eraser = _Eraser()
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        return WipeReport(folder, 0, ((str(folder), "フォルダではありません"),))
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return WipeReport(folder, 0, ())
    except OSError:
        _make_writable(folder)
        entries = list(os.scandir(folder))
    for entry in entries:
        if not is_own(entry.name):
            continue
        path = Path(entry.path)
        if entry.is_dir(follow_symlinks=False):
            eraser.empty(path)
            eraser.remove(path, os.rmdir)
        else:  # a file, or a link (removed, never followed)
            eraser.remove(path, os.unlink)
    with os.scandir(folder) as left:
        empty = next(left, None) is None
    if empty and folder.resolve() != Path.home().resolve():
        eraser.remove(folder, os.rmdir)  # the person's own files keep the folder
    return WipeReport(folder, eraser.removed, tuple(eraser.left))


class _Eraser:
    def __init__(self) -> None:
        self.removed = 0
        self.left: list[tuple[str, str]] = []

    def empty(self, folder: Path) -> None:
        try:
            entries = list(os.scandir(folder))
        except FileNotFoundError:
            return
        except PermissionError:
            _make_writable(folder)
            try:
                entries = list(os.scandir(folder))
            except OSError as exc:
                self.left.append((str(folder), exc.strerror or type(exc).__name__))
                return
        for entry in entries:
            path = Path(entry.path)
            if entry.is_dir(follow_symlinks=False):
                self.empty(path)
                self.remove(path, os.rmdir)
            else:  # a file, or a link (removed, never followed)
                self.remove(path, os.unlink)

    def remove(self, path: Path, remove: Any) -> None:
        try:
            remove(path)
        except FileNotFoundError:
            return
        except OSError:
            # A read-only file (Windows refuses it) or folder: made writable, then once more.
            _make_writable(path.parent)
            _make_writable(path)
            try:
                remove(path)
            except FileNotFoundError:
                return
            except OSError as exc:
                self.left.append((str(path), exc.strerror or type(exc).__name__))
                return
        self.removed += 1


def _make_writable(path: Path) -> None:
    try:
        mode = path.lstat().st_mode
        if not stat.S_ISLNK(mode):
            path.chmod(stat.S_IMODE(mode) | stat.S_IRWXU)
    except OSError:
        pass  # what still fails is reported by the caller's retry
