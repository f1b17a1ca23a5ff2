"""``dxdesk survey``: who has answered a fiscal year's survey, and every answer they gave."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from dxdesk.command_line import add_json, bilingual, print_json
from dxdesk.domain.fiscal_year import format_fiscal_year, parse_fiscal_year
from dxdesk.domain.roster import find_municipality, load_roster
from dxdesk.services.survey_status import (
    DefinitionSummary,
    MunicipalityStatus,
    SurveyStatus,
    survey_responses,
    survey_status,
)
from dxdesk.services.workspace import Workspace


def add_commands(commands: Any) -> None:
    survey = commands.add_parser(
        "survey",
        help=bilingual(
            "調査の回答状況（回答済み・未回答の市町村）と回答内容",
            "the survey's answers: who has answered, and what",
        ),
        examples=(
            "dxdesk survey status --fiscal-year R6",
            "dxdesk survey status --fiscal-year 2024 --json",
            "dxdesk survey responses --fiscal-year R6 --municipality みなべ --json",
        ),
    )
    actions = survey.add_subparsers(
        dest="survey_action", metavar="ACTION", required=True, title=bilingual("操作", "actions")
    )
    status = actions.add_parser(
        "status",
        help=bilingual(
            "年度の回答状況: 回答済みの市町村（元のファイル・回答日・取り込み日）と、"
            "督促する未回答の市町村",
            "who has answered the year's survey (from which file, when) and who has not "
            "(the list to send reminders to)",
        ),
        examples=(
            "dxdesk survey status --fiscal-year R6",
            "dxdesk survey status --fiscal-year 2024 --json",
        ),
    )
    _add_fiscal_year(status)
    add_json(status)

    responses = actions.add_parser(
        "responses",
        help=bilingual(
            "回答内容を JSON で出力する（市町村ごとに、設問番号ごとの設問文・値・表示）。"
            "出力は常に JSON（--json は省略可）",
            "print the answers as JSON (per municipality, keyed by question code, with the "
            "question's text, the value and its label); the output is always JSON "
            "(--json may be left out)",
        ),
        examples=(
            "dxdesk survey responses --fiscal-year R6 --json",
            "dxdesk survey responses --fiscal-year 2024 --municipality 302015 --json",
        ),
    )
    _add_fiscal_year(responses)
    responses.add_argument(
        "--municipality",
        metavar="NAME|CODE",
        help=bilingual(
            "この市町村の回答だけ（名前かコード）", "only this municipality's (name or code)"
        ),
    )
    add_json(responses)


def _add_fiscal_year(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--fiscal-year",
        required=True,
        metavar="N",
        help=bilingual("年度（2024、R6 など）", "fiscal year (2024, R6 …)"),
    )


def _cmd_survey(ws: Workspace, args: argparse.Namespace) -> None:
    fiscal_year = parse_fiscal_year(args.fiscal_year)
    if args.survey_action == "status":
        status = survey_status(ws, fiscal_year)
        if args.json:
            print_json(status.as_json())
        else:
            sys.stdout.write(status_text(status))
        return
    code = None
    if args.municipality:
        code = find_municipality(load_roster(), args.municipality).code
    listed = survey_responses(ws, fiscal_year, code)
    print_json(listed)
    if code is not None and not listed:
        name = ws.municipalities.get(code)["name"]
        sys.stderr.write(
            f"dxdesk: {name} の {format_fiscal_year(fiscal_year)} の回答はまだありません\n"
        )


def status_text(status: SurveyStatus) -> str:
    """A line per municipality, the counts, then the ones not answered, for the reminder."""
    year = format_fiscal_year(status.fiscal_year)
    lines = [f"{year} の調査（{definition_text(status.definition)}）"]
    lines += [_line(m) for m in status.municipalities]
    lines.append(
        f"回答済み {len(status.answered)} / {len(status.municipalities)} 団体、"
        f"未回答 {len(status.not_answered)} 団体"
    )
    if status.not_answered:
        lines.append("")
        lines.append(f"未回答の市町村（{len(status.not_answered)} 団体）:")
        lines += [f"  {m.name}（{m.region}）" for m in status.not_answered]
    return "\n".join(lines) + "\n"


def definition_text(summary: DefinitionSummary) -> str:
    match summary.origin:
        case "loaded":
            where = f"読み込んだ定義 {summary.source_name}"
        case "shipped":
            where = f"同梱の定義 {summary.source_name}"
        case _:
            where = "定義なし: アセスメント項目のみ"
    return f"{where}、{summary.questions} 問"


def _line(m: MunicipalityStatus) -> str:
    if not m.answered:
        return f"未回答   {m.name}"
    answered_on = "回答日不明" if m.answered_on is None else m.answered_on.isoformat()
    details = [f"{m.questions} 問中 {m.answered_questions} 問"]
    if m.imported_on is not None:
        details.append(f"取り込み {m.imported_on.isoformat()}")
    if m.respondent:
        details.append(f"回答者 {m.respondent}")
    source = m.source_name or "ファイル名なし"
    line = f"回答済み {m.name} {answered_on} {source}（{'、'.join(details)}）"
    if m.duplicates:
        others = "、".join(f"{name or 'ファイル名なし'}（{i}）" for i, name in m.duplicates)
        line += (
            f"\n         ※ 回答がほかに {len(m.duplicates)} 件あります: {others}。"
            "残さない回答を records delete survey_response ID で削除してください"
        )
    return line


COMMANDS: dict[str, Callable[[Workspace, argparse.Namespace], None]] = {"survey": _cmd_survey}
