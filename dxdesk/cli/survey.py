"""``dxdesk import-survey``: a survey's answers in (the answer sheet out: survey_template.py)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl.utils import column_index_from_string

from dxdesk.command_line import add_json, bilingual, print_json, row_numbers
from dxdesk.domain.fiscal_year import parse_fiscal_year
from dxdesk.imports.columns import Column, Role
from dxdesk.imports.plan import (
    Change,
    ImportPlan,
    ImportRefused,
    apply_plan,
    imported_when,
    read_plan,
)
from dxdesk.services.workspace import Workspace

EXIT_REFUSED = 1


def add_commands(commands: Any) -> None:
    survey = commands.add_parser(
        "import-survey",
        help=bilingual(
            "調査の回答ファイル（.xlsx / .xls / .ods / CSV）を取り込む（全部か、何もしないか）",
            "import survey answers (.xlsx / .xls / .ods / CSV), all or nothing",
        ),
        examples=(
            "dxdesk import-survey 回答.xlsx --dry-run",
            "dxdesk import-survey 回答.xlsx",
            "dxdesk import-survey forms.xlsx --fiscal-year 2025 --exclude-rows 7,9 --json",
        ),
    )
    survey.add_argument(
        "file", metavar="FILE", help=bilingual("回答のファイル", "the file of answers")
    )
    survey.add_argument(
        "--fiscal-year",
        metavar="N",
        help=bilingual("年度（ファイルから分かれば省略可）", "fiscal year (if the file lacks it)"),
    )
    survey.add_argument(
        "--dry-run",
        action="store_true",
        help=bilingual(
            "変わる内容を示すだけで書き込まない", "show what would change, write nothing"
        ),
    )
    add_json(survey)
    survey.add_argument(
        "--exclude-rows",
        metavar="N,N…",
        default="",
        help=bilingual(
            "取り込まない行（シートの行番号、カンマ区切り。12-15 のような範囲も可）",
            "rows to leave out (the sheet's row numbers, comma-separated; ranges like 12-15)",
        ),
    )
    survey.add_argument(
        "--exclude-error-rows",
        action="store_true",
        help=bilingual("エラーのある行を除いて取り込む", "leave out the rows with errors"),
    )
    survey.add_argument(
        "--column",
        action="append",
        default=[],
        metavar="COL=QUESTION",
        help=bilingual(
            "列の割り当てを指定する（設問番号か項目番号。例: F=Q5-2、F=3-4、"
            "取り込まない列は F=-）。繰り返し指定できる",
            "the question of a column (question or item code, e.g. F=Q5-2, F=3-4; "
            "F=- leaves it out); may be repeated",
        ),
    )


def _fiscal_year(text: str | None) -> int | None:
    return None if text is None else parse_fiscal_year(text)


def _rows(text: str) -> set[int]:
    try:
        return row_numbers(text)
    except ValueError:
        raise ImportRefused(
            f"--exclude-rows は行番号をカンマで区切って書いてください（例: 7,9 や 12-15）: {text}"
        ) from None


def _overrides(specs: list[str]) -> dict[int, str | None]:
    """ "F=3-4" or "6=Q5-2" (column letter or number) to {5: "3-4"}; "F=-" leaves the column
    out. The code is checked against the year's definition when the file is read."""
    overrides: dict[int, str | None] = {}
    for spec in specs:
        column, sep, item = spec.partition("=")
        column = column.strip().upper()
        try:
            index = int(column) - 1 if column.isdigit() else column_index_from_string(column) - 1
        except ValueError:
            index = -1
        if not sep or index < 0:
            raise ImportRefused(
                f"--column は「列=設問番号」の形で書いてください（例: F=Q5-2、F=-）: {spec}"
            )
        item = item.strip()
        overrides[index] = None if item in ("", "-") else item
    return overrides


def _cmd_import_survey(ws: Workspace, args: argparse.Namespace) -> None:
    plan = read_plan(
        ws,
        Path(args.file),
        fiscal_year=_fiscal_year(args.fiscal_year),
        exclude_rows=_rows(args.exclude_rows),
        exclude_problem_rows=args.exclude_error_rows,
        overrides=_overrides(args.column),
    )
    if args.dry_run:
        _report(plan, args.json, written=None)
        if plan.problems:
            raise SystemExit(EXIT_REFUSED)
        return
    if plan.problems:
        _report(plan, args.json, written=None)
        sys.stderr.write(
            f"dxdesk: エラーが {len(plan.problems)} 件あるため、何も書き込みませんでした"
            "（ファイルを直すか、--exclude-rows / --exclude-error-rows で行を除いてください）\n"
        )
        raise SystemExit(EXIT_REFUSED)
    stored = apply_plan(ws, plan)
    _report(
        plan,
        args.json,
        written=len(stored.created) + len(stored.updated),
        responses=len(stored.responses_created) + len(stored.responses_updated),
    )


ROLE_TEXT = {
    Role.CODE: "市町村コード",
    Role.NAME: "市町村名",
    Role.RESPONDENT: "回答者",
    Role.TIME: "回答日時",
    Role.META: "フォームの情報（取り込まない）",
    Role.IGNORED: "取り込まない",
    Role.UNMAPPED: "未割り当て",
}


def _report(
    plan: ImportPlan, as_json: bool, *, written: int | None, responses: int | None = None
) -> None:
    if as_json:
        result = plan.as_json()
        result["written"] = written
        result["responses_written"] = responses
        print_json(result)
        return
    out = sys.stdout.write
    survey = plan.survey
    out(f"{survey.path.name}: シート「{survey.sheet}」{survey.header_row} 行目が見出し\n")
    for note in plan.notes:
        out(f"  {note}\n")
    out(f"  列: {_columns_text(plan)}\n")
    for column in survey.columns:
        if column.role is Role.UNMAPPED or column.doubtful:
            out(f"    {column.letter} 列「{column.header}」: {_role_text(column)}\n")
    if plan.earlier is not None:
        out(
            f"  このファイルは {imported_when(plan.earlier)} に取り込み済みです。"
            "前回と同じ内容のため、何も変わりません\n"
        )
    for change in plan.changes:
        out(f"  {change.row} 行目 {change.name}: {_change_text(change)}\n")
        if change.cleared:
            out(f"    回答を消す設問（空欄）: {'、'.join(change.cleared)}\n")
    unanswered = [r.name for r in plan.rows if r.valid and not r.answers]
    if unanswered:
        out(f"  回答のない行（取り込みません）: {'、'.join(unanswered)}\n")
    for problem in plan.problems:
        where = f"{problem.row} 行目" if problem.row else "見出し"
        letter = f" {problem.column} 列" if problem.column else ""
        out(f"  エラー: {problem.sheet} {where}{letter}: {problem.message}\n")
    if written is None:
        return
    if plan.earlier is not None:
        out("取り込み済みのため、何も変えませんでした\n")
        return
    verb = "取り込み直しました" if plan.repeat == "changes" else "取り込みました"
    out(
        f"{verb}: {written} 件のアセスメントを書き込みました"
        f"（市町村の回答 {responses or 0} 件を保存）\n"
    )


def _change_text(change: Change) -> str:
    """ "更新 1-1: 1→3（回答 64 問。追加 2 問・変更 3 問・削除 1 問）"."""
    label = {"create": "新規", "update": "更新", "unchanged": "変更なし"}[change.action]
    items = "、".join(f"{k}: {'—' if b is None else b}→{a}" for k, (b, a) in change.scores.items())
    counts = [
        f"{word} {len(codes)} 問"
        for word, codes in (
            ("追加", change.added),
            ("変更", change.changed),
            ("削除", change.cleared),
        )
        if codes
    ]
    detail = f"。{'・'.join(counts)}" if counts and change.action != "create" else ""
    return f"{label} {items}（回答 {change.answered} 問{detail}）".replace(" （", "（")


def _columns_text(plan: ImportPlan) -> str:
    """ "設問 64、市町村名 1、回答日時 2、フォームの情報 3、未割り当て 1" in the roles' order."""
    counts: dict[str, int] = {}
    for column in plan.survey.columns:
        if column.role is Role.IGNORED and not column.header:
            continue  # an empty column
        key = "設問" if column.role is Role.QUESTION else ROLE_TEXT[column.role]
        counts[key] = counts.get(key, 0) + 1
    return "、".join(f"{k} {n}" for k, n in counts.items())


def _role_text(column: Column) -> str:
    if column.role is Role.QUESTION:
        return f"設問 {column.question}（要確認）"
    return ROLE_TEXT[column.role]


COMMANDS: dict[str, Callable[[Workspace, argparse.Namespace], None]] = {
    "import-survey": _cmd_import_survey,
}
