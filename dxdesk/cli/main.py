"""The ``dxdesk`` command: the app's window, and every capability of it without one."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.exc import DatabaseError as SQLAlchemyDatabaseError

from dxdesk import __version__
from dxdesk.cli import attachments as cli_attachments
from dxdesk.cli import backups as cli_backups
from dxdesk.cli import export as cli_export
from dxdesk.cli import import_records as cli_import_records
from dxdesk.cli import purge as cli_purge
from dxdesk.cli import records as cli_records
from dxdesk.cli import reports as cli_reports
from dxdesk.cli import schedule as cli_schedule
from dxdesk.cli import search as cli_search
from dxdesk.cli import survey as cli_survey
from dxdesk.cli import survey_answers as cli_survey_answers
from dxdesk.cli import survey_definition as cli_survey_definition
from dxdesk.cli import survey_template as cli_survey_template
from dxdesk.cli import sync as cli_sync
from dxdesk.cli.backup_copy import key_for_copy
from dxdesk.cli.store_unlock import unlock_store
from dxdesk.command_line import (
    DEFAULT_LANGUAGE,
    EXIT_USAGE,
    LANGUAGES,
    Parser,
    UsageError,
    add_json,
    add_version,
    bilingual,
    choose_language,
    one_line,
    option_value,
    print_json,
    run_command,
)
from dxdesk.domain.errors import DomainError
from dxdesk.domain.fiscal_year import format_fiscal_year
from dxdesk.domain.roster import find_municipality, load_roster
from dxdesk.domain.support_levels import format_level
from dxdesk.models import store_key
from dxdesk.models.backup_files import beside
from dxdesk.models.backups import copy_with_files
from dxdesk.models.paths import resolve_data_dir
from dxdesk.models.store import StoreError, StoreUnreadable, is_unreadable_error
from dxdesk.services.workspace import Workspace, open_workspace
from dxdesk.sync import wipe
from dxdesk.sync.api_client import SyncError, WipeOrdered


def _build_parser(language: str = DEFAULT_LANGUAGE) -> argparse.ArgumentParser:
    parser = Parser.in_language(language)(
        prog="dxdesk",
        description=bilingual(
            "DX Desk — 市町村DXアドバイザーの業務アプリ（コマンドなしでウィンドウを開く）",
            "DX Desk — the municipal DX advisors' desk (opens the window without a command)",
        ),
        examples=(
            "dxdesk --demo",
            "dxdesk seed-demo",
            "dxdesk --data-dir X records list visit --municipality みなべ",
            "dxdesk --lang en records --help",
        ),
    )
    add_version(parser, __version__)
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=bilingual(
            "データフォルダ（既定: DXDESK_DATA_DIR、なければ利用者のデータフォルダ）",
            "data folder (default: DXDESK_DATA_DIR, else the user's data folder)",
        ),
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help=bilingual("デモ用データフォルダで開く", "open the demo data folder"),
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help=bilingual(
            "ウィンドウを表示して終了する（動作確認用）", "show the window and exit (a smoke test)"
        ),
    )
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        help=bilingual(
            "表示言語（ja: 日本語、en: English）。ウィンドウでは次回以降も使う",
            "language (ja: Japanese, en: English); the window keeps it for the next start",
        ),
    )
    commands = parser.add_subparsers(
        dest="command", metavar="COMMAND", title=bilingual("コマンド", "commands")
    )

    seed = commands.add_parser(
        "seed-demo",
        help=bilingual(
            "空のデータフォルダにデモデータを入れる", "fill an empty data folder with demo data"
        ),
        examples=("dxdesk --data-dir demo seed-demo", "dxdesk --data-dir demo seed-demo --force"),
    )
    seed.add_argument(
        "--force",
        action="store_true",
        help=bilingual("データがあっても入れ直す", "replace the data that is there"),
    )

    municipalities = commands.add_parser(
        "municipalities",
        help=bilingual(
            "担当市町村の一覧（支援分類、最終相談日、未完了のフォローアップ）",
            "your municipalities (support level, last engagement, open follow-ups)",
        ),
        examples=("dxdesk municipalities", "dxdesk municipalities --json"),
    )
    add_json(municipalities)
    cli_schedule.add_commands(commands)

    cli_records.add_commands(commands)
    cli_attachments.add_commands(commands)

    kpi = commands.add_parser(
        "kpi",
        help=bilingual(
            "支援分類ごとの団体数（年度別）と目標",
            "municipalities per support level and fiscal year, and the targets",
        ),
        examples=("dxdesk kpi", "dxdesk kpi --json"),
    )
    add_json(kpi)

    cli_sync.add_commands(commands)
    cli_survey_template.add_commands(commands)
    cli_survey.add_commands(commands)
    cli_survey_definition.add_commands(commands)
    cli_survey_answers.add_commands(commands)
    cli_import_records.add_commands(commands)
    cli_export.add_commands(commands)
    cli_reports.add_commands(commands)
    cli_search.add_commands(commands)
    cli_purge.add_commands(commands)

    backup = commands.add_parser(
        "backup",
        help=bilingual(
            "データベースの一貫したコピーを暗号化して作る（アプリの使用中でも可。"
            "添付ファイルは横の FILE.files フォルダへ。先に dxdesk backup-passphrase set）",
            "make a consistent, encrypted copy of the database (also while the app runs; the "
            "attached files go in a FILE.files folder beside it; run dxdesk backup-passphrase "
            "set first)",
        ),
        examples=(
            "dxdesk backup -o copy.dxbackup",
            "dxdesk backup --passphrase-stdin -o copy.dxbackup",
        ),
    )
    backup.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="FILE",
        help=bilingual("コピーの書き出し先", "the file to write the copy to"),
    )
    backup.add_argument(
        "--passphrase-stdin",
        action="store_true",
        help=bilingual(
            "バックアップの合言葉を標準入力の1行から読む（キーチェーンのない端末で）",
            "read the backup passphrase from one line of stdin (where there is no keychain)",
        ),
    )
    cli_backups.add_commands(commands)
    return parser


def _read_json(text: str) -> Any:
    source = sys.stdin.read() if text == "-" else text
    try:
        return json.loads(source)
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"JSON が読めません（{exc.lineno} 行 {exc.colno} 列: {exc.msg}）"
        ) from None


def _cmd_seed_demo(ws: Workspace, args: argparse.Namespace) -> None:
    from dxdesk.reports.demo_files import seed_demo_with_files

    if not ws.store.is_empty() and not args.force:
        raise UsageError(
            f"{ws.store.data_dir} には既にデータがあります。入れ直すときは --force を付けてください"
        )
    counts = seed_demo_with_files(ws, replace=args.force)
    sys.stdout.write(
        "デモデータを入れました: " + "、".join(f"{k} {n} 件" for k, n in counts.items()) + "\n"
    )


def _cmd_municipalities(ws: Workspace, args: argparse.Namespace) -> None:
    rows = ws.municipalities.overview()
    if args.json:
        print_json(rows)
        return
    for m in rows:
        level = (
            "-"
            if m["level"] is None
            else f"{format_level(m['level'])} {format_fiscal_year(m['level_fiscal_year'])}"
        )
        overdue = "\t期限超過" if m["overdue"] else ""
        sys.stdout.write(
            f"{m['code']}  {m['name']}\t{m['region']}\t分類 {level}\t"
            f"最終相談 {m['last_engagement'] or '-'}\t次回予定 {m['next_planned'] or '-'}\t"
            f"未完了 {m['open_follow_ups']}{overdue}\n"
        )


def _summary_line(record: dict[str, Any]) -> str:
    preferred = (
        "date",
        "fiscal_year",
        "municipality",
        "title",
        "name",
        "interviewee",
        "description",
        "status",
        "level",
    )
    parts = [str(record[k]) for k in preferred if record.get(k) not in (None, "", [])]
    return "  ".join([record["id"], *parts])


def _cmd_records(ws: Workspace, args: argparse.Namespace) -> None:
    facade = ws.records(args.kind)
    match args.action:
        case "list":
            municipality = None
            if args.municipality:
                municipality = ws.municipalities.get(_code(args.municipality))["code"]
            rows = facade.list_records(municipality=municipality)
            if args.json:
                print_json(rows)
            else:
                for row in rows:
                    sys.stdout.write(_summary_line(row) + "\n")
        case "get":
            print_json(facade.get(args.id))
        case "add":
            cli_records.refuse_attachment_add(args.kind)
            print_json(facade.add(_object(_read_json(args.payload))))
        case "update":
            print_json(facade.update(args.id, _object(_read_json(args.payload))))
        case "delete":
            facade.delete(args.id)
            sys.stdout.write(f"削除しました: {args.kind} {args.id}\n")


def _code(text: str) -> str:
    return find_municipality(load_roster(), text).code


def _object(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise UsageError("JSON オブジェクト（{...}）を指定してください")
    return value


def _cmd_kpi(ws: Workspace, args: argparse.Namespace) -> None:
    table = ws.assessments.kpi()
    if args.json:
        print_json(table)
        return
    sys.stdout.write("年度\t4 共創\t3 協働\t2 支援\t1 関与\n")
    for fy, levels in table["levels"].items():
        counts = "\t".join(str(levels[str(level)]) for level in (4, 3, 2, 1))
        sys.stdout.write(f"{format_fiscal_year(int(fy))}\t{counts}\n")
    for fy, target in table["targets"].items():
        counts = "\t".join(str(target.get(str(level), "-")) for level in (4, 3, 2, 1))
        sys.stdout.write(f"目標 {format_fiscal_year(int(fy))}\t{counts}\n")


def _cmd_backup(ws: Workspace, args: argparse.Namespace) -> None:
    target = copy_with_files(
        ws.store, Path(args.output), key=key_for_copy(ws.store.data_dir, args.passphrase_stdin)
    )
    sys.stdout.write(f"バックアップを作りました: {target}\n")
    files = beside(target, ws.store.key)
    if files.root.is_dir():
        sys.stdout.write(f"添付ファイルは {files.root} に入れました\n")


COMMANDS: dict[str, Callable[[Workspace, argparse.Namespace], None]] = {
    "seed-demo": _cmd_seed_demo,
    "municipalities": _cmd_municipalities,
    "records": _cmd_records,
    "kpi": _cmd_kpi,
    "backup": _cmd_backup,
    **cli_schedule.COMMANDS,
    **cli_attachments.COMMANDS,
    **cli_sync.COMMANDS,
    **cli_survey_template.COMMANDS,
    **cli_survey.COMMANDS,
    **cli_survey_definition.COMMANDS,
    **cli_survey_answers.COMMANDS,
    **cli_import_records.COMMANDS,
    **cli_export.COMMANDS,
    **cli_reports.COMMANDS,
    **cli_search.COMMANDS,
    **cli_purge.COMMANDS,
}
EXIT_SYNC_FAILED = 1
EXIT_WIPED = 3  # the server ordered this laptop, revoked as lost, wiped (sync/wipe.py)
EXIT_BROKEN_PIPE = 1  # as a shell pipeline expects of a writer whose reader left


def _data_dir(args: argparse.Namespace) -> Path:
    if args.demo and not args.data_dir:
        from dxdesk.models.paths import default_data_dir

        return default_data_dir().with_name(default_data_dir().name + "-demo")
    return resolve_data_dir(args.data_dir)


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    argv = sys.argv[1:] if argv is None else list(argv)
    args = _build_parser(_language(argv)).parse_args(argv)
    return run_command(
        "dxdesk", lambda: _run(args), file_error_status=EXIT_USAGE, error_prefix="エラー: "
    )


def _run(args: argparse.Namespace) -> int:
    try:
        if args.command is None:
            store_key.fetch_ahead(_data_dir(args))  # while Qt loads
            from dxdesk.ui.app import run_app

            return run_app(
                data_dir=_data_dir(args), demo=args.demo, smoke=args.smoke, lang=args.lang
            )
        if args.command in cli_backups.COMMANDS:
            if args.command == "restore":
                unlock_store(_data_dir(args))
            cli_backups.COMMANDS[args.command](_data_dir(args), args)
            return 0
        unlock_store(_data_dir(args))
        ws = open_workspace(_data_dir(args))
        try:
            COMMANDS[args.command](ws, args)
        except (SQLAlchemyDatabaseError, UnicodeDecodeError) as exc:
            # Damage the check at opening could not see (the file changed under the command):
            # the same one line as a store found damaged at the start, never a traceback.
            if not is_unreadable_error(exc):
                raise
            raise StoreUnreadable(ws.store.path) from None
        finally:
            ws.close()
    except (DomainError, StoreError, UsageError) as exc:
        sys.stderr.write(f"dxdesk: エラー: {one_line(str(exc))}\n")
        return EXIT_USAGE
    except WipeOrdered as order:  # the store is closed (above): nothing was sent after the order
        report = wipe.complete(order, _data_dir(args))
        sys.stderr.write(f"dxdesk: {one_line(report.notice())}\n")
        return EXIT_WIPED
    except SyncError as exc:
        sys.stderr.write(f"dxdesk: 同期できません: {one_line(str(exc))}\n")
        return EXIT_SYNC_FAILED
    except BrokenPipeError:
        # The reader went away (`dxdesk search … | head`): stop quietly, and point stdout at
        # nothing so the flush at exit does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    return 0


def _language(argv: Sequence[str]) -> str:
    """--lang, else the language chosen in the window for this data folder, else Japanese."""
    data_dir = option_value(argv, "--data-dir")
    settings = _data_dir(argparse.Namespace(data_dir=data_dir, demo="--demo" in argv))
    return choose_language(argv, settings / "ui.ini")


if __name__ == "__main__":
    raise SystemExit(main())
