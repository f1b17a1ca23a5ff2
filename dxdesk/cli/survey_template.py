"""``dxdesk survey-template``: the answer sheet sent to municipalities."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from dxdesk.command_line import bilingual
from dxdesk.domain.catalog import load_catalog
from dxdesk.domain.fiscal_year import fiscal_year_of, format_fiscal_year, parse_fiscal_year
from dxdesk.imports.template import template_municipalities, write_template
from dxdesk.models.store import StoreError
from dxdesk.services.survey_definitions import StoredDefinition, year_definition
from dxdesk.services.workspace import Workspace


def add_commands(commands: Any) -> None:
    template = commands.add_parser(
        "survey-template",
        help=bilingual(
            "調査の回答票（.xlsx、その年度の調査の定義の全設問、担当市町村の行つき）を作る",
            "make the survey answer sheet (.xlsx: every question of the year's survey"
            " definition, a row per municipality of yours)",
        ),
        examples=("dxdesk survey-template -o 回答票.xlsx --fiscal-year R7",),
    )
    template.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="FILE",
        help=bilingual("書き出す .xlsx", "the .xlsx to write"),
    )
    template.add_argument(
        "--fiscal-year",
        metavar="N",
        help=bilingual("年度（既定: 今年度）", "fiscal year (default: this one)"),
    )


def _fiscal_year(text: str | None) -> int | None:
    return None if text is None else parse_fiscal_year(text)


def _cmd_survey_template(ws: Workspace, args: argparse.Namespace) -> None:
    year = _fiscal_year(args.fiscal_year) or fiscal_year_of(date.today())
    catalog = load_catalog()
    stored = year_definition(ws.store, year, catalog)
    municipalities = template_municipalities(ws)
    try:
        path = write_template(
            Path(args.output),
            definition=stored.definition,
            catalog=catalog,
            municipalities=municipalities,
            fiscal_year=year,
        )
    except OSError as exc:
        raise StoreError(f"{args.output} に書き込めません（{exc.strerror}）") from None
    sys.stdout.write(
        f"{format_fiscal_year(year)} の回答票を作りました: {path}（{len(municipalities)} 市町村）\n"
        f"設問: {len(stored.definition.questions)} 問（{definition_origin(stored)}）\n"
    )


def definition_origin(stored: StoredDefinition) -> str:
    """Which definition a year's questions come from, as a person needs to know it."""
    if stored.id is not None:
        return f"読み込んだ定義「{stored.source_name}」" if stored.source_name else "読み込んだ定義"
    if stored.source_name:
        return f"同梱の定義「{stored.source_name}」"
    return (
        "アセスメント項目のみ。この年度の調査の定義はまだありません"
        "（dxdesk survey-definition load FILE で読み込めます）"
    )


COMMANDS: dict[str, Callable[[Workspace, argparse.Namespace], None]] = {
    "survey-template": _cmd_survey_template,
}
