"""`dxdesk backups` and `dxdesk restore FILE`: the way back to an automatic backup.

Both work when the store cannot be read: a restore opens it only to count the changes not yet
sent, which it would put aside out of the app's reach, and goes on without asking if it cannot.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy.exc import DatabaseError as SQLAlchemyDatabaseError

from dxdesk.command_line import UsageError, add_json, bilingual, print_json
from dxdesk.models import backup_keys, store_key
from dxdesk.models.backups import (
    SecretNeeded,
    check_backup,
    find_backup,
    known_store_key,
    list_backups,
    restore_backup,
    unlock,
)
from dxdesk.models.paths import DATABASE_NAME
from dxdesk.models.store import StoreError, is_unreadable_error, open_store


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
            "dxdesk restore --force dxdesk-20261206-090000.sqlite3",
        ),
    )
    restore.add_argument(
        "--force",
        action="store_true",
        help=bilingual(
            "まだ同期していない変更があっても復元する（その変更は別名で残すデータベースにだけ"
            "残り、DX Desk からは読めない。先に dxdesk sync を）",
            "restore even when changes are not yet synced (they stay only in the database "
            "kept under another name, which DX Desk cannot read; run dxdesk sync first)",
        ),
    )
    _add_passphrase_stdin(
        restore,
        bilingual(
            "暗号化されたバックアップの合言葉（または回復コード）を標準入力の1行から読む",
            "read the encrypted backup's passphrase (or recovery code) from one line of stdin",
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

    passphrase = commands.add_parser(
        "backup-passphrase",
        help=bilingual(
            "バックアップの合言葉を決める（一度だけ。回復コードを一度だけ表示する）。"
            "決めたあとのバックアップは暗号化される",
            "choose the backups' passphrase (once; shows a recovery code once); backups are "
            "encrypted from then on",
        ),
        examples=(
            "dxdesk backup-passphrase set",
            "dxdesk backup-passphrase change",
            "dxdesk backup-passphrase status",
        ),
    )
    passphrase.add_argument(
        "action",
        choices=("set", "change", "status"),
        help=bilingual(
            "set: 決める / change: 変える（今の合言葉か回復コードで） / status: 決めてあるか",
            "set: choose it / change: change it (with the current one or the recovery code) / "
            "status: is it set",
        ),
    )
    _add_passphrase_stdin(
        passphrase,
        bilingual(
            "合言葉を標準入力から読む（change: 2行。今の合言葉、新しい合言葉）",
            "read the passphrase from stdin (change: two lines, the current one and the new one)",
        ),
    )
    _add_store_passphrase(commands)


def _add_store_passphrase(commands: Any) -> None:
    store = commands.add_parser(
        "store-passphrase",
        help=bilingual(
            "記録の合言葉を変える（キーチェーンのない端末で、起動のたびに入力するもの）",
            "change the records' passphrase (a laptop without a keychain asks it at each start)",
        ),
        examples=("dxdesk store-passphrase change",),
    )
    store.add_argument("action", choices=("change",), help=bilingual("変える", "change it"))
    _add_passphrase_stdin(
        store,
        bilingual(
            "標準入力の2行から読む（今の合言葉、新しい合言葉）",
            "read two lines of stdin (the current passphrase, the new one)",
        ),
    )


def _cmd_store_passphrase(data_dir: Path, args: argparse.Namespace) -> None:
    if not store_key.has_passphrase(data_dir):
        raise UsageError(store_key.NO_PASSPHRASE_MESSAGE)
    current = read_passphrase(args.passphrase_stdin, prompt="今の記録の合言葉: ")
    passphrase = read_passphrase(args.passphrase_stdin, prompt="新しい記録の合言葉: ", confirm=True)
    store_key.change_passphrase(data_dir, current, passphrase)
    sys.stdout.write("記録の合言葉を変えました。次の起動からは新しい合言葉を入力してください\n")


def _add_passphrase_stdin(parser: argparse.ArgumentParser, help_text: str) -> None:
    parser.add_argument("--passphrase-stdin", action="store_true", help=help_text)


def read_passphrase(from_stdin: bool, *, prompt: str, confirm: bool = False) -> str:
    """One line of stdin, or asked at the terminal (twice when ``confirm``)."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise UsageError("合言葉を入力する端末がありません。--passphrase-stdin で渡してください")
    try:
        first = getpass.getpass(prompt)
        if confirm and getpass.getpass("もう一度: ") != first:
            raise UsageError("合言葉が一致しません。何も変えていません")
    except EOFError:
        raise UsageError("合言葉が入力されませんでした") from None
    return first


def _cmd_backup_passphrase(data_dir: Path, args: argparse.Namespace) -> None:
    if args.action == "status":
        if backup_keys.is_set_up(data_dir):
            sys.stdout.write(
                "バックアップの合言葉は決めてあります（バックアップは暗号化されます）\n"
            )
        else:
            sys.stdout.write(f"{backup_keys.NOT_SET_UP_MESSAGE}\n")
        return
    if args.action == "change":
        _change_passphrase(data_dir, args)
        return
    if backup_keys.is_set_up(data_dir):
        raise UsageError(
            "バックアップの合言葉はもう決まっています（変えるときは backup-passphrase change）"
        )
    passphrase = read_passphrase(
        args.passphrase_stdin, prompt="バックアップの合言葉: ", confirm=True
    )
    done = backup_keys.set_up(data_dir, passphrase)
    sys.stdout.write(
        "バックアップの合言葉を決めました。これからのバックアップは暗号化されます。\n"
        "回復コード（合言葉を忘れたときに使います。今だけ表示します。紙に書いて別に保管してください）:\n"
        f"  {done.recovery_code}\n"
    )
    if not done.in_keychain:
        sys.stdout.write(
            "この端末にはキーチェーンがないため、バックアップのたびに合言葉を入力してください\n"
        )


def _change_passphrase(data_dir: Path, args: argparse.Namespace) -> None:
    """The current passphrase (or the recovery code) first, then the new one (twice at a
    terminal; with --passphrase-stdin, two lines: the current one, then the new one)."""
    if not backup_keys.is_set_up(data_dir):
        raise UsageError(backup_keys.NOT_SET_UP_MESSAGE)
    current = read_passphrase(args.passphrase_stdin, prompt="今の合言葉（または回復コード）: ")
    passphrase = read_passphrase(args.passphrase_stdin, prompt="新しい合言葉: ", confirm=True)
    backup_keys.change_passphrase(data_dir, current, passphrase)
    sys.stdout.write(
        "バックアップの合言葉を変えました。これからのバックアップは新しい合言葉で開けます"
        "（回復コードは同じです。前に作ったバックアップは前の合言葉か回復コードで開けます）\n"
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
        sealed = "暗号化" if backup.encrypted else "暗号化なし"
        sys.stdout.write(f"{backup.path.name}  {taken}  {_size(backup.size)}  {sealed}\n")


def _unsent_count(data_dir: Path) -> int:
    """Records with changes not yet sent in the store a restore would put aside; 0 when there
    is no store or it cannot be read (then the restore is the way back, with nothing to ask)."""
    if not (data_dir / DATABASE_NAME).exists():
        return 0
    try:
        store = open_store(data_dir)
    except StoreError:
        return 0
    try:
        return store.pending_record_count()
    except SQLAlchemyDatabaseError as exc:
        if is_unreadable_error(exc):
            return 0
        raise
    finally:
        store.close()


def _cmd_restore(data_dir: Path, args: argparse.Namespace) -> None:
    backup = find_backup(data_dir, args.file)
    # The passphrase first (a wrong one says so and changes nothing), then the questions.
    try:
        key = unlock(data_dir, backup)
    except SecretNeeded:
        secret = read_passphrase(
            args.passphrase_stdin, prompt="バックアップの合言葉（または回復コード）: "
        )
        key = unlock(data_dir, backup, secret)
    if not args.force:
        if key is None:
            check_backup(backup, known_store_key(data_dir))  # a file that is no backup says so
        unsent = _unsent_count(data_dir)
        if unsent:
            raise UsageError(
                f"まだ同期していない変更が {unsent} 件の記録にあります。復元すると、それらは"
                "別名で残すデータベースにだけ残り、DX Desk からは読めません。"
                "先に dxdesk sync で送るか、それでも復元するときは --force を付けてください"
            )
    restored = restore_backup(data_dir, str(backup), key=key)
    sys.stdout.write(f"バックアップから戻しました: {restored.backup}\n")
    if restored.kept_aside is not None:
        sys.stdout.write(f"それまでのデータベースは {restored.kept_aside} に残しました\n")
    if restored.files.put_back:
        sys.stdout.write(f"添付ファイル {restored.files.put_back} 件をバックアップから戻しました\n")
    if restored.files.missing:
        sys.stdout.write(
            f"添付ファイル {restored.files.missing} 件はバックアップにありません"
            "（サーバーに送ってあれば、同期のあと開くときに受け取れます）\n"
        )
    sys.stdout.write(
        "同期すると、バックアップより新しい記録がサーバーから戻ります（dxdesk sync）\n"
    )


# Commands given the data folder, not an open store: they work when the store cannot be read.
COMMANDS: dict[str, Callable[[Path, argparse.Namespace], None]] = {
    "backups": _cmd_backups,
    "restore": _cmd_restore,
    "backup-passphrase": _cmd_backup_passphrase,
    "store-passphrase": _cmd_store_passphrase,
}
