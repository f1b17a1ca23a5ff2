"""``dxdesk search QUERY``: visits, interview notes, follow-ups, contacts and articles."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from dxdesk.domain.fiscal_year import parse_fiscal_year
from dxdesk.models.search import KINDS, search
from dxdesk.models.workspace import Workspace


def add_commands(commands: Any) -> None:
    find = commands.add_parser("search", help="記録を検索する（1〜2 文字の語でも可）")
    find.add_argument("query", help="検索語（空白で区切るとすべてを含む記録）")
    find.add_argument("--kind", choices=KINDS)
    find.add_argument("--municipality", metavar="CODE")
    find.add_argument("--theme", metavar="THEME")
    find.add_argument("--fiscal-year", metavar="N")
    find.add_argument("--limit", type=int, default=50)
    find.add_argument("--json", action="store_true")


def _cmd_search(ws: Workspace, args: argparse.Namespace) -> None:
    hits = search(
        ws.store,
        args.query,
        kind=args.kind,
        municipality=args.municipality,
        theme=args.theme,
        fiscal_year=parse_fiscal_year(args.fiscal_year) if args.fiscal_year else None,
        limit=args.limit,
    )
    if args.json:
        result = [hit.as_json() for hit in hits]
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
        return
    for hit in hits:
        sys.stdout.write(f"[{hit.kind}] {hit.title}  {hit.id}\n    {hit.snippet}\n")
    sys.stdout.write(f"{len(hits)} 件\n")


COMMANDS: dict[str, Callable[[Workspace, argparse.Namespace], None]] = {"search": _cmd_search}
