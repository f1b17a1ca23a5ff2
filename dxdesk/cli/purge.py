"""``dxdesk purge``: the content of records deleted longer ago than the retention period leaves
this laptop's store (services/retention.py)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from dxdesk.command_line import add_json, bilingual, print_json
from dxdesk.services.retention import DEFAULT_RETENTION_DAYS, purge_deleted, retention_period
from dxdesk.services.workspace import Workspace


def _days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        days = -1
    if not 0 <= days <= 3650:
        raise argparse.ArgumentTypeError(f"0〜3650 の日数を指定してください: {text!r}")
    return days


def add_commands(commands: Any) -> None:
    purge = commands.add_parser(
        "purge",
        help=bilingual(
            "保存期間を過ぎた削除済みの記録の内容をこの端末から消す",
            "clear the content of records deleted longer ago than the retention period",
        ),
        examples=("dxdesk purge --dry-run", "dxdesk purge --days 30 --json"),
    )
    purge.add_argument(
        "--days",
        type=_days,
        default=None,
        metavar="DAYS",
        help=bilingual(
            "保存期間（既定: 最後の同期でサーバーが伝えた日数、"
            f"同期したことがなければ {DEFAULT_RETENTION_DAYS}）",
            "the retention period (default: the days the server told at the last sync, "
            f"else {DEFAULT_RETENTION_DAYS})",
        ),
    )
    purge.add_argument(
        "--dry-run",
        action="store_true",
        help=bilingual("数えるだけで何も変えない", "count only, change nothing"),
    )
    add_json(purge)


def _cmd_purge(ws: Workspace, args: argparse.Namespace) -> None:
    period = retention_period(ws.store) if args.days is None else timedelta(days=args.days)
    report = purge_deleted(ws.store, older_than=period, dry_run=args.dry_run)
    if args.json:
        print_json({"retention_days": period.days, **report.as_json()})
        return
    verb = "消去します（--dry-run: 何も変えていません）" if args.dry_run else "消去しました"
    print(f"削除から {period.days} 日を過ぎた記録 {report.total} 件の内容を{verb}")
    for kind, count in sorted(report.records.items()):
        print(f"  {kind}: {count} 件")
    if report.files:
        print(f"  添付ファイル: {report.files} 件")


COMMANDS: dict[str, Callable[[Workspace, argparse.Namespace], None]] = {"purge": _cmd_purge}
