"""The ``dxdesk`` command: the app's window, and every capability of it without one."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from dxdesk import __version__, cli_export, cli_reports, cli_search, cli_survey, cli_sync
from dxdesk.domain.errors import DomainError
from dxdesk.domain.fiscal_year import format_fiscal_year
from dxdesk.domain.records import KINDS
from dxdesk.domain.support_levels import format_level
from dxdesk.models.paths import resolve_data_dir
from dxdesk.models.store import StoreError
from dxdesk.models.workspace import Workspace, open_workspace
from dxdesk.sync.transport import SyncError

EXIT_USAGE = 2


class UsageError(Exception):
    """Bad input on the command line; printed as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line, not argparse's usage block: scripts read stderr too.
        self.exit(EXIT_USAGE, f"{self.prog}: {message}\n")


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="dxdesk", description="DX Desk — 市町村DXアドバイザーの業務アプリ")
    parser.add_argument("--version", action="version", version=f"dxdesk {__version__}")
    parser.add_argument(
        "--data-dir", metavar="DIR", help="データフォルダ（既定: 利用者のデータフォルダ）"
    )
    parser.add_argument("--demo", action="store_true", help="デモ用データフォルダで開く")
    parser.add_argument(
        "--smoke", action="store_true", help="ウィンドウを表示して終了する（動作確認用）"
    )
    parser.add_argument(
        "--lang",
        choices=("ja", "en"),
        help="表示言語（ja: 日本語、en: English）。指定すると次回以降も使う",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    seed = commands.add_parser("seed-demo", help="空のデータフォルダにデモデータを入れる")
    seed.add_argument("--force", action="store_true", help="データがあっても入れ直す")

    municipalities = commands.add_parser("municipalities", help="担当市町村の一覧")
    municipalities.add_argument("--json", action="store_true")

    records = commands.add_parser("records", help="記録の一覧・参照・追加・更新・削除")
    actions = records.add_subparsers(
        dest="action", metavar="ACTION", required=True, parser_class=_Parser
    )
    kinds = list(KINDS)
    listing = actions.add_parser("list")
    listing.add_argument("kind", choices=kinds, metavar="KIND")
    listing.add_argument("--municipality", metavar="CODE")
    listing.add_argument("--json", action="store_true")
    get = actions.add_parser("get")
    get.add_argument("kind", choices=kinds, metavar="KIND")
    get.add_argument("id")
    add = actions.add_parser("add")
    add.add_argument("kind", choices=kinds, metavar="KIND")
    add.add_argument("--json", dest="payload", required=True, metavar="OBJ|-")
    update = actions.add_parser("update")
    update.add_argument("kind", choices=kinds, metavar="KIND")
    update.add_argument("id")
    update.add_argument("--json", dest="payload", required=True, metavar="PATCH|-")
    remove = actions.add_parser("delete")
    remove.add_argument("kind", choices=kinds, metavar="KIND")
    remove.add_argument("id")

    kpi = commands.add_parser("kpi", help="支援分類ごとの団体数（年度別）と目標")
    kpi.add_argument("--json", action="store_true")

    cli_sync.add_commands(commands)
    cli_survey.add_commands(commands)
    cli_export.add_commands(commands)
    cli_reports.add_commands(commands)
    cli_search.add_commands(commands)

    backup = commands.add_parser("backup", help="データベースの一貫したコピーを作る")
    backup.add_argument("-o", "--output", required=True, metavar="FILE")
    return parser


def _print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def _read_json(text: str) -> Any:
    source = sys.stdin.read() if text == "-" else text
    try:
        return json.loads(source)
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"JSON が読めません（{exc.lineno} 行 {exc.colno} 列: {exc.msg}）"
        ) from None


def _cmd_seed_demo(ws: Workspace, args: argparse.Namespace) -> None:
    from dxdesk.demo_data import seed_demo

    if not ws.store.is_empty() and not args.force:
        raise UsageError(
            f"{ws.store.data_dir} には既にデータがあります。入れ直すときは --force を付けてください"
        )
    counts = seed_demo(ws, replace=args.force)
    sys.stdout.write(
        "デモデータを入れました: " + "、".join(f"{k} {n} 件" for k, n in counts.items()) + "\n"
    )


def _cmd_municipalities(ws: Workspace, args: argparse.Namespace) -> None:
    rows = ws.municipalities.overview()
    if args.json:
        _print_json(rows)
        return
    for m in rows:
        level = (
            "-"
            if m["level"] is None
            else f"{format_level(m['level'])} {format_fiscal_year(m['level_fiscal_year'])}"
        )
        sys.stdout.write(
            f"{m['code']}  {m['name']}\t{m['region']}\t分類 {level}\t"
            f"最終相談 {m['last_engagement'] or '-'}\t未完了 {m['open_follow_ups']}\n"
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
                _print_json(rows)
            else:
                for row in rows:
                    sys.stdout.write(_summary_line(row) + "\n")
        case "get":
            _print_json(facade.get(args.id))
        case "add":
            _print_json(facade.add(_object(_read_json(args.payload))))
        case "update":
            _print_json(facade.update(args.id, _object(_read_json(args.payload))))
        case "delete":
            facade.delete(args.id)
            sys.stdout.write(f"削除しました: {args.kind} {args.id}\n")


def _code(text: str) -> str:
    from dxdesk.domain.municipality_codes import validate_code

    return validate_code(text)


def _object(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise UsageError("JSON オブジェクト（{...}）を指定してください")
    return value


def _cmd_kpi(ws: Workspace, args: argparse.Namespace) -> None:
    table = ws.assessments.kpi()
    if args.json:
        _print_json(table)
        return
    sys.stdout.write("年度\t4 共創\t3 協働\t2 支援\t1 関与\n")
    for fy, levels in table["levels"].items():
        counts = "\t".join(str(levels[str(level)]) for level in (4, 3, 2, 1))
        sys.stdout.write(f"{format_fiscal_year(int(fy))}\t{counts}\n")
    for fy, target in table["targets"].items():
        counts = "\t".join(str(target.get(str(level), "-")) for level in (4, 3, 2, 1))
        sys.stdout.write(f"目標 {format_fiscal_year(int(fy))}\t{counts}\n")


def _cmd_backup(ws: Workspace, args: argparse.Namespace) -> None:
    target = ws.store.backup(Path(args.output))
    sys.stdout.write(f"バックアップを作りました: {target}\n")


COMMANDS: dict[str, Callable[[Workspace, argparse.Namespace], None]] = {
    "seed-demo": _cmd_seed_demo,
    "municipalities": _cmd_municipalities,
    "records": _cmd_records,
    "kpi": _cmd_kpi,
    "backup": _cmd_backup,
    **cli_sync.COMMANDS,
    **cli_survey.COMMANDS,
    **cli_export.COMMANDS,
    **cli_reports.COMMANDS,
    **cli_search.COMMANDS,
}
EXIT_SYNC_FAILED = 1
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
    args = _build_parser().parse_args(argv)
    try:
        if args.command is None:
            from dxdesk.ui.app import run_app

            return run_app(
                data_dir=_data_dir(args), demo=args.demo, smoke=args.smoke, lang=args.lang
            )
        ws = open_workspace(_data_dir(args))
        try:
            COMMANDS[args.command](ws, args)
        finally:
            ws.close()
    except (DomainError, StoreError, UsageError) as exc:
        sys.stderr.write(f"dxdesk: エラー: {_one_line(str(exc))}\n")
        return EXIT_USAGE
    except SyncError as exc:
        sys.stderr.write(f"dxdesk: 同期できません: {_one_line(str(exc))}\n")
        return EXIT_SYNC_FAILED
    except BrokenPipeError:
        # The reader went away (`dxdesk search … | head`): stop quietly, and point stdout at
        # nothing so the flush at exit does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    return 0


def _one_line(message: str) -> str:
    return " ".join(message.split())


if __name__ == "__main__":
    raise SystemExit(main())
