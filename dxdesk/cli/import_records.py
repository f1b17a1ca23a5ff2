"""``dxdesk import-records KIND FILE``: past records (visits with their interview notes and
follow-ups, contacts, follow-ups, articles) in from a spreadsheet."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dxdesk.command_line import add_json, bilingual, print_json, row_numbers
from dxdesk.domain.roster import load_roster
from dxdesk.imports.records_import import apply_records, plan_records
from dxdesk.imports.records_kinds import SUPPORTED_KINDS, field_label
from dxdesk.imports.records_plan import RecordsPlan
from dxdesk.imports.records_sheet import field_of, refuse_kind
from dxdesk.imports.workbook import SurveyFileError
from dxdesk.services.workspace import Workspace

EXIT_REFUSED = 1


def add_commands(commands: Any) -> None:
    command = commands.add_parser(
        "import-records",
        help=bilingual(
            "Excel・CSV の過去の記録（相談記録・連絡先・フォローアップ・ナレッジ）を取り込む"
            "（同じファイルを取り込み直しても増えません）",
            "bring past records (visits, contacts, follow-ups, articles) in from Excel or CSV"
            " (importing the same file again adds nothing)",
        ),
        examples=(
            "dxdesk import-records visit 相談記録.xlsx --dry-run",
            "dxdesk import-records contact 連絡先.csv --column 担当=name",
            "dxdesk import-records visit 相談記録.xlsx --exclude-rows 12,15-17",
        ),
    )
    command.add_argument(
        "kind",
        metavar="KIND",
        help=bilingual(
            f"種類（{', '.join(SUPPORTED_KINDS)}）", f"the kind ({', '.join(SUPPORTED_KINDS)})"
        ),
    )
    command.add_argument(
        "file",
        metavar="FILE",
        help=bilingual(
            "取り込むファイル（.xlsx、.xls、.ods、.csv）", "the .xlsx, .xls, .ods or .csv file"
        ),
    )
    command.add_argument(
        "--dry-run",
        action="store_true",
        help=bilingual("書き込まずに結果だけ表示する", "show what would happen, write nothing"),
    )
    command.add_argument(
        "--column",
        action="append",
        default=[],
        metavar="HEADER=FIELD",
        help=bilingual(
            "見出しの列を項目に割り当てる（FIELD は項目名・ラベル・id、- で使わない）",
            "map a header to a field (name, label or id; - leaves the column out)",
        ),
    )
    command.add_argument(
        "--exclude-rows",
        metavar="N,N…",
        default="",
        help=bilingual(
            "取り込まない行（シートの行番号、カンマ区切り。12-15 のような範囲も可）",
            "rows to leave out (the sheet's row numbers, comma-separated; ranges like 12-15)",
        ),
    )
    command.add_argument(
        "--sheet",
        metavar="NAME",
        help=bilingual(
            "取り込むシート（省略すると見出しがいちばん合うシート）",
            "the sheet to import (default: the one whose header fits best)",
        ),
    )
    command.add_argument(
        "--exclude-error-rows",
        action="store_true",
        help=bilingual("エラーのある行を除いて取り込む", "leave out the rows with errors"),
    )
    add_json(command)


def _rows(text: str) -> set[int]:
    try:
        return row_numbers(text)
    except ValueError:
        raise SurveyFileError(
            f"--exclude-rows は行番号をカンマで区切って書いてください（例: 7,9 や 12-15）: {text}"
        ) from None


def _overrides(kind: str, specs: list[str]) -> dict[str | int, str | None]:
    overrides: dict[str | int, str | None] = {}
    for spec in specs:
        header, sep, target = spec.partition("=")
        if not sep or not header.strip():
            raise SurveyFileError(
                "--column は「見出し=項目」の形で書いてください"
                f"（例: 担当=advisor_attendees）: {spec}"
            )
        target = target.strip()
        overrides[header.strip()] = None if target in ("", "-") else field_of(kind, target)
    return overrides


def _report(plan: RecordsPlan, as_json: bool, written: int | None) -> None:
    if as_json:
        print_json({**plan.as_json(), "written": written})
        return
    out = sys.stdout
    out.write(f"シート「{plan.sheet}」（見出し {plan.header_row} 行目）\n")
    for column in plan.layout.columns:
        if column.guessed and column.field:
            label = field_label(plan.kind, column.field)
            out.write(
                f"推測: {column.letter} 列「{column.header}」→ {label}"
                "（違うときは --column で指定してください）\n"
            )
    for other in plan.other_sheets:
        out.write(f"ほかのシート「{other}」は取り込みません（--sheet {other} で取り込めます）\n")
    for label, value in plan.defaults.items():
        out.write(f"{label}の列がないため、すべて「{value}」とします\n")
    for problem in plan.problems:
        out.write(f"エラー: {problem}\n")
    if plan.skipped:
        out.write(f"除いた行: {'、'.join(map(str, plan.skipped))}\n")
    names = {m.code: m.name for m in load_roster()}
    by_place = Counter(c.municipality for c in plan.changes if c.action == "create")
    if by_place:
        out.write(
            "新規（市町村別）: "
            + "、".join(
                f"{names.get(code, code) if code else '県全体'} {n} 件"
                for code, n in sorted(by_place.items(), key=lambda item: item[0] or "")
            )
            + "\n"
        )
    for change in plan.changes:
        if change.action == "update":
            fields = "・".join(field_label(plan.kind, f) for f in change.changed)
            out.write(f"更新: {change.row} 行目（{fields}）\n")
        kept = [field_label(plan.kind, f) for f in change.kept]
        kept += [field_label(plan.kind, f"{c.kind}.{f}") for c in change.children for f in c.kept]
        if kept:
            out.write(
                f"アプリの内容を残す: {change.row} 行目（{'・'.join(kept)}。この PC で取り込んだ"
                "記録ではないため、ファイルの値で上書きしません）\n"
            )
    counts = (
        f"新規 {plan.count('create')} 件、更新 {plan.count('update')} 件、"
        f"変更なし {plan.count('unchanged')} 件"
    )
    if plan.count("deleted"):
        counts += f"、削除済みのため取り込まない {plan.count('deleted')} 件"
    children = plan.child_count("create") + plan.child_count("update")
    if children:
        counts += f"（ほかにヒアリング・フォローアップ {children} 件）"
    if written is None:
        out.write(f"取り込むと: {counts}（まだ何も書き込んでいません）\n")
    else:
        out.write(f"取り込みました: {counts}\n")


def _cmd_import_records(ws: Workspace, args: argparse.Namespace) -> None:
    refuse_kind(args.kind)
    overrides = _overrides(args.kind, args.column)
    excluded = _rows(args.exclude_rows)
    path = Path(args.file)
    plan = plan_records(ws, args.kind, path, overrides, skip_rows=excluded, sheet=args.sheet)
    if args.exclude_error_rows and plan.problem_rows():
        excluded |= set(plan.problem_rows())
        plan = plan_records(ws, args.kind, path, overrides, skip_rows=excluded, sheet=args.sheet)
    if args.dry_run or plan.problems:
        _report(plan, args.json, written=None)
        if plan.problems:
            if not args.dry_run:
                sys.stderr.write(
                    f"dxdesk: エラーが {len(plan.problems)} 件あるため、何も書き込みませんでした"
                    "（ファイルを直すか、--exclude-rows / --exclude-error-rows で"
                    "行を除いてください）\n"
                )
            raise SystemExit(EXIT_REFUSED)
        return
    written = apply_records(ws, plan)
    _report(plan, args.json, written=written)


COMMANDS: dict[str, Callable[[Workspace, argparse.Namespace], None]] = {
    "import-records": _cmd_import_records,
}
