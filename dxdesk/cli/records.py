"""The ``dxdesk records`` command's parser: its actions and the kinds of record they take."""

from __future__ import annotations

from typing import Any

from dxdesk.command_line import UsageError, add_json, bilingual, in_language
from dxdesk.domain.records import KINDS

# The kinds' labels in English; the Japanese ones are the domain's.
_KIND_ENGLISH = {
    "visit": "engagement (visit, consultation, session)",
    "interview": "interview note",
    "followup": "follow-up item",
    "contact": "contact",
    "assessment": "assessment",
    "article": "knowledge base article",
    "event": "group session",
    "attachment": "attached file",
    "survey_definition": "survey definition (questions of a fiscal year)",
    "survey_response": "survey response (a municipality's answers of a fiscal year)",
}


def _kinds_text() -> str:
    width = max(len(kind) for kind in KINDS) + 2
    japanese = "\n".join(f"  {kind:<{width}}{spec.label}" for kind, spec in KINDS.items())
    english = "\n".join(f"  {kind:<{width}}{_KIND_ENGLISH.get(kind, kind)}" for kind in KINDS)
    return bilingual(f"記録の種類（KIND）:\n{japanese}", f"kinds of record (KIND):\n{english}")


def add_commands(commands: Any) -> None:
    kinds = list(KINDS)
    kind_help = bilingual("記録の種類（一覧は上）", "the kind of record (listed above)")
    id_help = bilingual("記録の id", "the record's id")
    records = commands.add_parser(
        "records",
        help=bilingual(
            "記録の一覧・参照・追加・更新・削除", "list, show, add, change and delete records"
        ),
        examples=(
            "dxdesk records list visit --municipality みなべ",
            "dxdesk records get visit ID",
            "dxdesk records add contact --json "
            """'{"municipality": "303917", "name": "山本 健一"}'""",
        ),
    )
    records.description = _with_kinds(records.description)
    actions = records.add_subparsers(
        dest="action", metavar="ACTION", required=True, title=bilingual("操作", "actions")
    )

    listing = _action(
        actions,
        "list",
        bilingual("記録の一覧（新しい順）", "list records (newest first)"),
        "dxdesk records list visit --municipality みなべ --json",
        "dxdesk records list article",
    )
    listing.add_argument("kind", choices=kinds, metavar="KIND", help=kind_help)
    listing.add_argument(
        "--municipality",
        metavar="NAME|CODE",
        help=bilingual(
            "この市町村の記録だけ（名前かコード）", "only this municipality's (name or code)"
        ),
    )
    add_json(listing)

    get = _action(
        actions,
        "get",
        bilingual("記録を 1 件表示する（JSON）", "show one record (JSON)"),
        "dxdesk records get assessment ID",
    )
    get.add_argument("kind", choices=kinds, metavar="KIND", help=kind_help)
    get.add_argument("id", help=id_help)

    add = _action(
        actions,
        "add",
        bilingual("記録を追加する", "add a record"),
        "dxdesk records add visit --json "
        """'{"municipality": "303917", "date": "2025-06-12", "summary": "窓口BPR"}'""",
        "dxdesk records add followup --json - < followup.json",
    )
    add.add_argument("kind", choices=kinds, metavar="KIND", help=kind_help)
    add.add_argument(
        "--json",
        dest="payload",
        required=True,
        metavar="OBJ|-",
        help=bilingual(
            "記録の内容（JSON オブジェクト、- なら標準入力）",
            "the record as a JSON object (- reads stdin)",
        ),
    )

    update = _action(
        actions,
        "update",
        bilingual("記録の一部を書き換える", "change some fields of a record"),
        """dxdesk records update visit ID --json '{"notes": "追記"}'""",
    )
    update.add_argument("kind", choices=kinds, metavar="KIND", help=kind_help)
    update.add_argument("id", help=id_help)
    update.add_argument(
        "--json",
        dest="payload",
        required=True,
        metavar="PATCH|-",
        help=bilingual(
            "変える項目だけの JSON オブジェクト（- なら標準入力）",
            "a JSON object of the fields to change (- reads stdin)",
        ),
    )

    remove = _action(
        actions,
        "delete",
        bilingual(
            "記録を削除する（次の同期で他の端末からも消える）",
            "delete a record (everywhere, at the next sync)",
        ),
        "dxdesk records delete visit ID",
    )
    remove.add_argument("kind", choices=kinds, metavar="KIND", help=kind_help)
    remove.add_argument("id", help=id_help)


def _action(actions: Any, name: str, help_text: str, *examples: str) -> Any:
    parser = actions.add_parser(name, help=help_text, examples=examples)
    parser.description = _with_kinds(help_text)
    return parser


def _with_kinds(text: str) -> str:
    kinds = _kinds_text()
    return bilingual(
        f"{text}\n\n{kinds}", f"{in_language(text, 'en')}\n\n{in_language(kinds, 'en')}"
    )


def refuse_attachment_add(kind: str) -> None:
    """An attachment is its bytes and its record together: ``dxdesk attach`` makes both."""
    if kind == "attachment":
        raise UsageError(
            "添付ファイルは dxdesk attach KIND ID FILE... で添付してください"
            "（ファイルの中身と記録を一緒に作ります）"
        )
