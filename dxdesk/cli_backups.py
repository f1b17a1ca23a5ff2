"""`dxdesk backups` and `dxdesk restore FILE`: the way back to an automatic backup.

Both work without opening the store, so that they work when it cannot be read.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dxdesk.command_line import add_json, bilingual, print_json
from dxdesk.models.backups import list_backups, restore_backup


def add_commands(commands: Any) -> None:
    listing = commands.add_parser(
        "backups",
        help=bilingual(
            "自動バックアップの一覧（新しい順。ウィンドウが起動時と編集中に作る）",
            "the automatic backups, newest first (the window makes them at start and while "
            "you edit)",
        ),
        examples=("dxdesk backups", "dxdesk backups --json"),
    )
    add_json(listing)
    restore = commands.add_parser(
        "restore",
        help=bilingual(
            "バックアップから記録を戻す（今のデータベースは別名で残す。DX Desk を閉じてから）。"
            "そのあと同期すると、バックアップより新しい記録がサーバーから戻る",
            "restore the records from a backup (the current database is kept under another "
            "name; close DX Desk first); the next sync brings back what the server has that "
            "is newer",
        ),
        examples=(
            "dxdesk restore dxdesk-20261206-090000.sqlite3",
            "dxdesk restore ~/copy.sqlite3",
        ),
    )
    restore.add_argument(
        "file",
        metavar="FILE",
        help=bilingual(
            "dxdesk backups に出る名前、またはバックアップのファイル",
            "a name that dxdesk backups lists, or a backup file",
        ),
    )


def _size(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def _cmd_backups(data_dir: Path, args: argparse.Namespace) -> None:
    backups = list_backups(data_dir)
    if args.json:
        print_json([b.as_json() for b in backups])
        return
    if not backups:
        sys.stdout.write(
            "バックアップはまだありません（ウィンドウを開くと作られます。"
            "手元にコピーを作るには dxdesk backup -o FILE）\n"
        )
        return
    for backup in backups:
        taken = backup.taken_at.astimezone().strftime("%Y-%m-%d %H:%M")
        sys.stdout.write(f"{backup.path.name}  {taken}  {_size(backup.size)}\n")


def _cmd_restore(data_dir: Path, args: argparse.Namespace) -> None:
    restored = restore_backup(data_dir, args.file)
    sys.stdout.write(f"バックアップから戻しました: {restored.backup}\n")
    if restored.kept_aside is not None:
        sys.stdout.write(f"それまでのデータベースは {restored.kept_aside} に残しました\n")
    sys.stdout.write(
        "同期すると、バックアップより新しい記録がサーバーから戻ります（dxdesk sync）\n"
    )


# Commands given the data folder, not an open store: they work when the store cannot be read.
COMMANDS: dict[str, Callable[[Path, argparse.Namespace], None]] = {
    "backups": _cmd_backups,
    "restore": _cmd_restore,
}
