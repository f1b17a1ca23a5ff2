"""``dxdesk search QUERY``: visits, interview notes, follow-ups, contacts and articles."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from dxdesk.domain.fiscal_year import parse_fiscal_year
from dxdesk.domain.municipality_codes import validate_code
from dxdesk.models.know_who import know_who
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
    who = commands.add_parser("know-who", help="誰が、どの市町村で、どのテーマに詳しいか")
    who.add_argument("--theme", metavar="THEME")
    who.add_argument("--municipality", metavar="CODE")
    who.add_argument("--text", default="", help="氏名・所属・役割などの語で絞り込む")
    who.add_argument("--json", action="store_true")


def _cmd_search(ws: Workspace, args: argparse.Namespace) -> None:
    hits = search(
        ws.store,
        args.query,
        kind=args.kind,
        municipality=validate_code(args.municipality) if args.municipality else None,
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


def _cmd_know_who(ws: Workspace, args: argparse.Namespace) -> None:
    people = know_who(
        ws.store,
        theme=args.theme,
        municipality=validate_code(args.municipality) if args.municipality else None,
        text=args.text,
    )
    if args.json:
        result = [person.as_json() for person in people]
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
        return
    for person in people:
        where = person.municipality_name or "県全体"
        about = "、".join(person.themes) or "（テーマなし）"
        details = "・".join(p for p in (person.organisation, person.role, person.contact) if p)
        sys.stdout.write(f"{person.name}  {where}  {about}\n")
        if details:
            sys.stdout.write(f"    {details}\n")
        for source in person.sources:
            sys.stdout.write(f"    出典: {KIND_LABELS[source.kind]} {source.label}\n")
    sys.stdout.write(f"{len(people)} 人\n")


KIND_LABELS = {"article": "ナレッジ", "contact": "連絡先", "interview": "ヒアリング"}

COMMANDS: dict[str, Callable[[Workspace, argparse.Namespace], None]] = {
    "search": _cmd_search,
    "know-who": _cmd_know_who,
}
