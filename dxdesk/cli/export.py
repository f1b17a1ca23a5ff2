"""The export commands of ``dxdesk``: ``export xlsx -o FILE``, ``export csv KIND -o FILE`` and
``export ics -o FILE [--from DATE] [--to DATE] [--mine]``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dxdesk.command_line import bilingual
from dxdesk.domain.record_fields import parse_date
from dxdesk.reports.calendar_export import write_calendar
from dxdesk.reports.csv_export import export_csv
from dxdesk.reports.xlsx_export import KIND_SHEETS, export_xlsx
from dxdesk.services.workspace import Workspace


def add_commands(commands: Any) -> None:
    export = commands.add_parser(
        "export",
        help=bilingual("記録をファイルに書き出す", "write the records to a file"),
        examples=(
            "dxdesk export xlsx -o 記録.xlsx",
            "dxdesk export csv contact -o 連絡先.csv",
            "dxdesk export ics -o 予定.ics --mine",
        ),
    )
    formats = export.add_subparsers(
        dest="format", metavar="FORMAT", required=True, title=bilingual("形式", "formats")
    )
    xlsx = formats.add_parser(
        "xlsx",
        help=bilingual(
            "相談記録・ヒアリング・フォローアップ・連絡先・アセスメント・ナレッジ・合同の場・"
            "定例の間隔・年度計画と添付ファイルの一覧を Excel ブックに（A4 横で印刷できます）",
            "engagements, interviews, follow-ups, contacts, assessments, articles, group"
            " sessions, cadences, yearly plans and the list of attached files as an Excel"
            " workbook (prints on A4 landscape)",
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
    _add_csv(formats)
    _add_ics(formats)


def _add_csv(formats: Any) -> None:
    csv = formats.add_parser(
        "csv",
        help=bilingual(
            "1 種類の記録を CSV に（Excel ブックのそのシートと同じ列。UTF-8 BOM 付き。"
            "= + - @ で始まる文字は先頭に ' を付けて数式にならないように）",
            "one kind of record as CSV (the columns of its sheet in the workbook; UTF-8 with a"
            " BOM; text starting with = + - @ behind an apostrophe so it is not a formula)",
        ),
        examples=("dxdesk export csv contact -o 連絡先.csv", "dxdesk export csv visit -o 相談.csv"),
    )
    csv.add_argument(
        "kind",
        metavar="KIND",
        help=bilingual(
            f"記録の種類（{', '.join(KIND_SHEETS)}）", f"the kind ({', '.join(KIND_SHEETS)})"
        ),
    )
    csv.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="FILE",
        help=bilingual("書き出す .csv", "the .csv to write"),
    )


def _add_ics(formats: Any) -> None:
    ics = formats.add_parser(
        "ics",
        help=bilingual(
            "予定・実施・中止の相談と合同の場、フォローアップの期限を"
            " Outlook や Google カレンダーに取り込める iCalendar ファイルに"
            "（時刻のあるものは日本時間で、ないものは終日。"
            "メモや概要は含めません。取り込み直すと予定が更新されます）",
            "planned, held and cancelled consultations and group events, and follow-ups' due"
            " dates, as an iCalendar file for Outlook or Google Calendar (timed ones in"
            " Asia/Tokyo, the others all day; no notes or summaries; importing again updates"
            " the entries)",
        ),
        examples=(
            "dxdesk export ics -o 予定.ics",
            "dxdesk export ics -o 予定.ics --from 2025-04-01 --to 2026-03-31 --mine",
        ),
    )
    ics.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="FILE",
        help=bilingual("書き出す .ics", "the .ics to write"),
    )
    ics.add_argument(
        "--from",
        dest="start",
        metavar="DATE",
        help=bilingual("この日以降のみ（例: 2025-04-01）", "only from this date on (inclusive)"),
    )
    ics.add_argument(
        "--to",
        dest="end",
        metavar="DATE",
        help=bilingual("この日までのみ（例: 2026-03-31）", "only up to this date (inclusive)"),
    )
    ics.add_argument(
        "--mine",
        action="store_true",
        help=bilingual(
            "この端末の担当市町村の分だけ（合同の場は担当市町村が参加するもの）",
            "only this laptop's assigned municipalities (events: one of them takes part)",
        ),
    )


def _cmd_export(ws: Workspace, args: argparse.Namespace) -> None:
    match args.format:
        case "xlsx":
            path = Path(args.output)
            counts = export_xlsx(ws, path)
            summary = "、".join(f"{sheet} {n} 件" for sheet, n in counts.items())
            sys.stdout.write(f"Excel に書き出しました: {path}（{summary}）\n")
        case "csv":
            path = Path(args.output)
            rows = export_csv(ws, args.kind, path)
            sys.stdout.write(f"CSV に書き出しました: {path}（{rows} 件）\n")
        case "ics":
            path = Path(args.output)
            start = parse_date(args.start, field="--from") if args.start else None
            end = parse_date(args.end, field="--to") if args.end else None
            counts = write_calendar(ws, path, start=start, end=end, mine=args.mine).counts
            sys.stdout.write(
                f"カレンダーを書き出しました: {path}（相談 {counts['visit']} 件、"
                f"合同の場 {counts['event']} 件、期限 {counts['follow_up']} 件）\n"
            )


COMMANDS: dict[str, Callable[[Workspace, argparse.Namespace], None]] = {
    "export": _cmd_export,
}
