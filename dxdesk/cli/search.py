"""``dxdesk search QUERY``: visits, interview notes, follow-ups, contacts, articles and attached
files (by name and by the text inside them; a file's hit names the record it is attached to)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from dxdesk.command_line import add_json, bilingual, positive_count, print_json
from dxdesk.domain.fiscal_year import parse_fiscal_year
from dxdesk.domain.records import kind_spec
from dxdesk.domain.roster import find_municipality, load_roster
from dxdesk.domain.vocabulary import RECORD_STATUSES
from dxdesk.services.know_who import know_who
from dxdesk.services.search import KINDS, search
from dxdesk.services.workspace import Workspace


def add_commands(commands: Any) -> None:
    find = commands.add_parser(
        "search",
        help=bilingual(
            "記録を検索する（1〜2 文字の語でも可）",
            "search the records (words of 1–2 characters too)",
        ),
        examples=(
            "dxdesk search 人材 --json",
            "dxdesk search 窓口 --kind visit --municipality 白浜 --fiscal-year R7",
        ),
    )
    find.add_argument(
        "query",
        help=bilingual(
            "検索語（空白で区切るとすべてを含む記録）",
            "the words (separated by spaces: records with all of them)",
        ),
    )
    find.add_argument(
        "--kind",
        choices=KINDS,
        help=bilingual("この種類の記録だけ", "only records of this kind"),
    )
    _add_municipality(find)
    _add_theme(find)
    find.add_argument(
        "--fiscal-year",
        metavar="N",
        help=bilingual("この年度の記録だけ（2025、R7）", "only this fiscal year's (2025, R7)"),
    )
    find.add_argument(
        "--limit",
        type=positive_count,
        default=50,
        help=bilingual("表示する件数（既定: 50）", "how many to show (default: 50)"),
    )
    add_json(find)
    who = commands.add_parser(
        "know-who",
        help=bilingual(
            "誰が、どの市町村で、どのテーマに詳しいか",
            "who knows about which theme, in which municipality",
        ),
        examples=(
            'dxdesk know-who --theme "DX人材育成・確保"',
            "dxdesk know-who --municipality みなべ --text 係長 --json",
        ),
    )
    _add_theme(who)
    _add_municipality(who)
    who.add_argument(
        "--text",
        default="",
        help=bilingual(
            "氏名・所属・役割などの語で絞り込む",
            "only people whose name, organisation or role has it",
        ),
    )
    add_json(who)


def _add_municipality(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--municipality",
        metavar="NAME|CODE",
        help=bilingual("この市町村だけ（名前かコード）", "only this municipality (name or code)"),
    )


def _add_theme(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--theme", metavar="THEME", help=bilingual("このテーマだけ", "only this theme")
    )


def _code(text: str | None) -> str | None:
    return None if text is None else find_municipality(load_roster(), text).code


def _cmd_search(ws: Workspace, args: argparse.Namespace) -> None:
    hits = search(
        ws.store,
        args.query,
        kind=args.kind,
        municipality=_code(args.municipality),
        theme=args.theme,
        fiscal_year=parse_fiscal_year(args.fiscal_year) if args.fiscal_year else None,
        limit=args.limit,
    )
    if args.json:
        print_json([hit.as_json() for hit in hits])
        return
    for hit in hits:
        # A consultation (or its file) not held says so: 予定 or 中止.
        label = RECORD_STATUSES.get(hit.status or "")
        status = f"（{label}）" if label else ""
        sys.stdout.write(f"[{hit.kind}] {hit.title}{status}  {hit.id}\n")
        if hit.parent_kind is not None:
            parent = kind_spec(hit.parent_kind).label
            sys.stdout.write(f"    {parent}「{hit.parent_title or ''}」に添付  {hit.parent_id}\n")
        sys.stdout.write(f"    {hit.snippet}\n")
    sys.stdout.write(f"{len(hits)} 件\n")


def _cmd_know_who(ws: Workspace, args: argparse.Namespace) -> None:
    people = know_who(
        ws.store,
        theme=args.theme,
        municipality=_code(args.municipality),
        text=args.text,
    )
    if args.json:
        print_json([person.as_json() for person in people])
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
