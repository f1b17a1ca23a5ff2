"""``dxdesk survey-definition``: the survey's definition as a workbook the secretariat edits —
check it, load it as the year's, list what is loaded, export the year's to edit."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from dxdesk.command_line import add_json, bilingual, print_json
from dxdesk.domain.fiscal_year import format_fiscal_year, parse_fiscal_year
from dxdesk.domain.survey_definition import SurveyDefinition
from dxdesk.imports.definition_loads import DefinitionRefused, load_definition
from dxdesk.imports.definition_workbook import read_definition_workbook, write_definition_workbook
from dxdesk.imports.survey import Problem
from dxdesk.models.store import StoreError
from dxdesk.services.survey_definition_loads import DefinitionLoad
from dxdesk.services.survey_definitions import (
    StoredDefinition,
    loaded_definitions,
    shipped_definition,
    shipped_definition_paths,
    year_definition,
)
from dxdesk.services.workspace import Workspace

EXIT_PROBLEMS = 1


def add_commands(commands: Any) -> None:
    command = commands.add_parser(
        "survey-definition",
        help=bilingual(
            "調査の定義（設問・選択肢の .xlsx）を確かめる・読み込む・一覧・書き出す",
            "the survey's definition (questions and choices, .xlsx): check, load, list, export",
        ),
        examples=(
            "dxdesk survey-definition export --fiscal-year R6 -o 調査定義.xlsx",
            "dxdesk survey-definition check 調査定義.xlsx",
            "dxdesk survey-definition load 調査定義.xlsx",
            "dxdesk survey-definition list",
        ),
    )
    actions = command.add_subparsers(
        dest="action", metavar="ACTION", required=True, title=bilingual("操作", "actions")
    )
    check = actions.add_parser(
        "check",
        help=bilingual(
            "定義のファイルを確かめる（問題をシート・行・列で示す。何も読み込まない）",
            "check a definition file (every problem by sheet, row and column; loads nothing)",
        ),
        examples=("dxdesk survey-definition check 調査定義.xlsx --json",),
    )
    _file(check)
    add_json(check)
    load = actions.add_parser(
        "load",
        help=bilingual(
            "定義をその年度の定義にする（事務局のみ。問題があれば何もしない）",
            "make a definition its fiscal year's (the secretariat only; nothing if it has "
            "problems)",
        ),
        examples=("dxdesk survey-definition load 調査定義.xlsx",),
    )
    _file(load)
    add_json(load)
    listing = actions.add_parser(
        "list",
        help=bilingual(
            "読み込んだ定義と同梱の定義の一覧（年度ごとに使うものに *）",
            "the loaded and the shipped definitions (* marks each year's)",
        ),
        examples=("dxdesk survey-definition list --json",),
    )
    add_json(listing)
    export = actions.add_parser(
        "export",
        help=bilingual(
            "年度の定義を .xlsx に書き出す（編集して load できる）",
            "write a fiscal year's definition as .xlsx (edit it, then load it)",
        ),
        examples=("dxdesk survey-definition export --fiscal-year 2025 -o 調査定義.xlsx",),
    )
    export.add_argument(
        "--fiscal-year",
        required=True,
        metavar="N",
        help=bilingual("年度（例: R6、2024）", "fiscal year (e.g. R6, 2024)"),
    )
    export.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="FILE",
        help=bilingual("書き出す .xlsx", "the .xlsx to write"),
    )


def _file(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", metavar="FILE", help=bilingual("定義のファイル（.xlsx）", "the definition (.xlsx)")
    )


def _cmd(ws: Workspace, args: argparse.Namespace) -> None:
    match args.action:
        case "check":
            _check(Path(args.file), args.json)
        case "load":
            _load(ws, Path(args.file), args.json)
        case "list":
            _list(ws, args.json)
        case "export":
            _export(ws, parse_fiscal_year(args.fiscal_year), Path(args.output))


def _check(path: Path, as_json: bool) -> None:
    check = read_definition_workbook(path, catalog=None)
    if as_json:
        print_json(
            {
                "file": str(path),
                "sha256": check.sha256,
                "ok": check.ok,
                "summary": None if check.definition is None else _summary(check.definition),
                "problems": [p.as_json() for p in check.problems],
                "notes": check.notes,
            }
        )
    else:
        _print_problems(check.problems)
        for note in check.notes:
            sys.stdout.write(f"注意: {note}\n")
        if check.definition is not None:
            sys.stdout.write(f"問題はありません: {_summary_line(check.definition)}\n")
    if check.problems:
        if not as_json:
            sys.stderr.write(f"dxdesk: 問題が {len(check.problems)} 件あります\n")
        raise SystemExit(EXIT_PROBLEMS)


def _load(ws: Workspace, path: Path, as_json: bool) -> None:
    try:
        loaded = load_definition(ws, path)
    except DefinitionRefused as refused:
        if not refused.problems:
            raise
        if as_json:
            print_json({"file": str(path), "loaded": False, "problems": _as_json(refused.problems)})
        else:
            _print_problems(refused.problems)
        sys.stderr.write(f"dxdesk: {refused}\n")
        raise SystemExit(EXIT_PROBLEMS) from None
    if as_json:
        print_json({"file": str(path), "loaded": not loaded.unchanged, **loaded.as_json()})
        return
    _print_load(path, loaded)


def _print_load(path: Path, loaded: DefinitionLoad) -> None:
    out = sys.stdout.write
    year = format_fiscal_year(loaded.fiscal_year)
    if loaded.unchanged:
        out(f"{path.name} は既に {year} の定義です（変更なし）\n")
    else:
        size = f"{loaded.questions} 問・{loaded.pages} ページ"
        out(f"{year} の定義にしました: {path.name}（{size}）\n")
        if loaded.changes:
            out(f"{loaded.previous_source} からの変更 {len(loaded.changes)} 件:\n")
            for change in loaded.changes:
                out(f"  {change}\n")
        else:
            out(f"{loaded.previous_source} から設問の変更はありません\n")
        out("次の同期で、すべてのアドバイザーに届きます\n")
    if loaded.responses_under_older:
        out(
            f"{year} の回答 {loaded.responses_under_older} 件は以前の定義で取り込まれています"
            "（その定義のまま読めます。新しい設問で読むには取り込み直してください）\n"
        )


def _list(ws: Workspace, as_json: bool) -> None:
    loaded = loaded_definitions(ws.store)
    years = sorted({d.definition.fiscal_year for d in loaded} | set(shipped_definition_paths()))
    current = {year: year_definition(ws.store, year) for year in years}
    entries = list(loaded)
    for year in shipped_definition_paths():
        shipped = shipped_definition(year)
        if shipped is not None:
            entries.append(shipped)
    entries.sort(key=lambda d: -d.definition.fiscal_year)
    if as_json:
        print_json([_entry_json(d, current) for d in entries])
        return
    if not entries:
        sys.stdout.write("定義はありません（アセスメント項目だけで読みます）\n")
    for entry in entries:
        mark = "*" if _is_current(entry, current) else " "
        origin = (
            "同梱" if entry.id is None else ("読み込み" if entry.synced else "読み込み（未同期）")
        )
        when = "" if entry.loaded_at is None else f" {entry.loaded_at:%Y-%m-%d %H:%M}"
        sys.stdout.write(
            f"{mark} {format_fiscal_year(entry.definition.fiscal_year)}  {origin}{when}  "
            f"{entry.source_name}  {_summary_line(entry.definition)}  {entry.id or '-'}\n"
        )


def _export(ws: Workspace, year: int, path: Path) -> None:
    stored = year_definition(ws.store, year)
    try:
        write_definition_workbook(stored.definition, path)
    except OSError as exc:
        raise StoreError(f"{path} に書き込めません（{exc.strerror or exc}）") from None
    origin = (
        "同梱の定義"
        if stored.id is None and stored.source_name
        else "アセスメント項目のみの定義"
        if stored.id is None
        else f"読み込み済みの定義（{stored.source_name}）"
    )
    sys.stdout.write(
        f"{format_fiscal_year(year)} の{origin}を書き出しました: {path}"
        f"（{_summary_line(stored.definition, with_year=False)}）\n"
    )


def _is_current(entry: StoredDefinition, current: dict[int, StoredDefinition]) -> bool:
    now = current.get(entry.definition.fiscal_year)
    return now is not None and (now.id, now.source_name) == (entry.id, entry.source_name)


def _entry_json(entry: StoredDefinition, current: dict[int, StoredDefinition]) -> dict[str, Any]:
    return {
        "id": entry.id,
        "fiscal_year": entry.definition.fiscal_year,
        "origin": "shipped" if entry.id is None else "loaded",
        "current": _is_current(entry, current),
        "source_name": entry.source_name,
        "source_sha256": entry.source_sha256,
        "loaded_at": None if entry.loaded_at is None else entry.loaded_at.isoformat(),
        "synced": entry.synced,
        **_summary(entry.definition),
    }


def _summary(definition: SurveyDefinition) -> dict[str, Any]:
    return {
        "fiscal_year": definition.fiscal_year,
        "title": definition.title,
        "questions": len(definition.questions),
        "pages": len(definition.pages),
        "scored": len(definition.scored),
        "to_confirm": sum(1 for q in definition.questions if q.to_confirm),
    }


def _summary_line(definition: SurveyDefinition, *, with_year: bool = True) -> str:
    s = _summary(definition)
    confirm = f"、要確認 {s['to_confirm']} 問" if s["to_confirm"] else ""
    title = f"「{s['title']}」" if s["title"] else ""
    year = format_fiscal_year(s["fiscal_year"]) if with_year else ""
    size = f"{s['questions']} 問・{s['pages']} ページ（採点項目 {s['scored']}{confirm}）"
    return f"{year}{title} {size}".strip()


def problem_line(problem: Problem) -> str:
    """「設問 12 行目 E 列: …」: where, as Excel shows it, then what is wrong."""
    where = problem.sheet
    if problem.row is not None:
        where += f" {problem.row} 行目"
    if problem.column is not None:
        where += f" {problem.column} 列"
    return f"{where}: {problem.message}"


def _print_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        sys.stdout.write(problem_line(problem) + "\n")


def _as_json(problems: Sequence[Any]) -> list[Any]:
    return [p.as_json() for p in problems]


COMMANDS: dict[str, Callable[[Workspace, argparse.Namespace], None]] = {
    "survey-definition": _cmd,
}
