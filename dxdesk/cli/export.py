"""The export commands of ``dxdesk``: ``export xlsx -o FILE``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dxdesk.command_line import bilingual
from dxdesk.reports.xlsx_export import export_xlsx
from dxdesk.services.workspace import Workspace


def add_commands(commands: Any) -> None:
    export = commands.add_parser(
        "export",
        help=bilingual("記録をファイルに書き出す", "write the records to a file"),
        examples=("dxdesk export xlsx -o 記録.xlsx",),
    )
    formats = export.add_subparsers(
        dest="format", metavar="FORMAT", required=True, title=bilingual("形式", "formats")
    )
    xlsx = formats.add_parser(
        "xlsx",
        help=bilingual(
            "相談記録・ヒアリング・フォローアップ・アセスメントと添付ファイルの一覧を"
            " Excel ブックに",
            "engagements, interviews, follow-ups, assessments and the list of attached files"
            " as an Excel workbook",
        ),
        examples=("dxdesk export xlsx -o 記録.xlsx",),
    )
    xlsx.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="FILE",
        help=bilingual("書き出す .xlsx", "the .xlsx to write"),
    )


def _cmd_export(ws: Workspace, args: argparse.Namespace) -> None:
    match args.format:
        case "xlsx":
            path = Path(args.output)
            counts = export_xlsx(ws, path)
            summary = "、".join(f"{sheet} {n} 件" for sheet, n in counts.items())
            sys.stdout.write(f"Excel に書き出しました: {path}（{summary}）\n")


COMMANDS: dict[str, Callable[[Workspace, argparse.Namespace], None]] = {
    "export": _cmd_export,
}
