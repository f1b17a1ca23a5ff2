"""`dxdesk attach` and `dxdesk attachments list|get|delete`: files attached to records.

``attach`` copies the files in (all or none, services/attachments.py), prints the new
attachments as JSON and extracts the text of those it can read for search; ``get`` writes an
attachment's bytes to a file, downloading them first with the stored login when they are not
on this laptop yet (sync/file_fetch.py).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from dxdesk.command_line import UsageError, add_json, bilingual, print_json
from dxdesk.domain.records import ATTACHMENT_PARENTS
from dxdesk.services.attachment_text import extract_missing
from dxdesk.services.attachments import FileExists
from dxdesk.services.records import Record
from dxdesk.services.workspace import Workspace
from dxdesk.sync.file_fetch import fetch_file

# The kinds a file is attached to, in English (the Japanese labels are the domain's).
_PARENTS_ENGLISH = {
    "visit": "engagement",
    "interview": "interview note",
    "followup": "follow-up item",
    "article": "knowledge base article",
    "event": "group session",
}


def _parents_text() -> str:
    japanese = "、".join(f"{kind}（{label}）" for kind, label in ATTACHMENT_PARENTS.items())
    english = ", ".join(f"{kind} ({_PARENTS_ENGLISH[kind]})" for kind in ATTACHMENT_PARENTS)
    return bilingual(f"添付先の種類: {japanese}", f"what files attach to: {english}")


def add_commands(commands: Any) -> None:
    parents = list(ATTACHMENT_PARENTS)
    kind_help = bilingual(
        "添付先の記録の種類（visit, interview, followup, article, event）",
        "the kind of the record (visit, interview, followup, article, event)",
    )
    parent_help = bilingual("添付先の記録の id", "the record's id")
    attach = commands.add_parser(
        "attach",
        help=bilingual(
            "記録にファイルを添付する（複数可。すべて添付するか、1 つも添付しない）",
            "attach files to a record (several at once; all of them or none)",
        ),
        examples=(
            "dxdesk attach visit ID 計画案.pdf ホワイトボード.jpg",
            "dxdesk attach article ID 手順書.docx",
        ),
    )
    attach.description = _parents_text()
    attach.add_argument("kind", choices=parents, metavar="KIND", help=kind_help)
    attach.add_argument("id", metavar="ID", help=parent_help)
    attach.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        type=Path,
        help=bilingual(
            "添付するファイル（写真の位置情報は取り除く）",
            "the files to attach (a photo's location is removed)",
        ),
    )

    attachments = commands.add_parser(
        "attachments",
        help=bilingual("添付ファイルの一覧・取り出し・削除", "list, get and delete attached files"),
        examples=(
            "dxdesk attachments list visit ID",
            "dxdesk attachments get ATTACHMENT_ID -o 計画案.pdf",
            "dxdesk attachments delete ATTACHMENT_ID",
        ),
    )
    actions = attachments.add_subparsers(
        dest="action", metavar="ACTION", required=True, title=bilingual("操作", "actions")
    )
    listing = actions.add_parser(
        "list",
        help=bilingual("記録の添付ファイルの一覧（新しい順）", "a record's files, newest first"),
        examples=("dxdesk attachments list visit ID --json",),
    )
    listing.description = _parents_text()
    listing.add_argument("kind", choices=parents, metavar="KIND", help=kind_help)
    listing.add_argument("id", metavar="ID", help=parent_help)
    add_json(listing)

    get = actions.add_parser(
        "get",
        help=bilingual(
            "添付ファイルを書き出す（この端末になければサーバーから受け取る）",
            "write an attached file out (downloaded first when it is not on this laptop)",
        ),
        examples=("dxdesk attachments get ATTACHMENT_ID -o 計画案.pdf",),
    )
    get.add_argument("attachment_id", metavar="ATTACHMENT_ID", help=_attachment_help())
    get.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="FILE",
        help=bilingual(
            "書き出し先（フォルダなら元の名前で）", "where to write it (a folder: under its name)"
        ),
    )
    get.add_argument(
        "--force",
        action="store_true",
        help=bilingual("同じ名前のファイルがあれば上書きする", "overwrite a file that is there"),
    )

    remove = actions.add_parser(
        "delete",
        help=bilingual(
            "添付ファイルを削除する（次の同期で他の端末からも消える）",
            "delete an attached file (everywhere, at the next sync)",
        ),
        examples=("dxdesk attachments delete ATTACHMENT_ID",),
    )
    remove.add_argument("attachment_id", metavar="ATTACHMENT_ID", help=_attachment_help())


def _attachment_help() -> str:
    return bilingual(
        "添付ファイルの id（attachments list で分かる）", "the attachment's id (from list)"
    )


def _cmd_attach(ws: Workspace, args: argparse.Namespace) -> None:
    made = ws.attachments.attach(args.kind, args.id, args.files)
    print_json([{key: record[key] for key in ("id", "name", "size", "sha256")} for record in made])
    sys.stdout.flush()
    # The text of what it can read, for search: the records are written whatever happens here,
    # and a file without readable text (a damaged PDF) is no error: what the readers log about
    # it (pypdf's own complaints too) stays off the command's stderr.
    with _logs_unshown():
        extract_missing(ws.store, limit=max(20, len(made)))


@contextmanager
def _logs_unshown() -> Iterator[None]:
    """No log record reaches stderr meanwhile: with no handler configured, Python's last
    resort would print every warning there."""
    root = logging.getLogger()
    quiet = logging.NullHandler()
    root.addHandler(quiet)
    try:
        yield
    finally:
        root.removeHandler(quiet)


def _cmd_attachments(ws: Workspace, args: argparse.Namespace) -> None:
    match args.action:
        case "list":
            parent_id = ws.attachments.require_parent(args.kind, args.id)
            rows = ws.attachments.list_for(args.kind, parent_id)
            if args.json:
                print_json(rows)
                return
            for row in rows:
                marks = [] if row["present"] else ["未取得"]
                marks += ["送信待ち"] if row["waiting"] else []
                fields = [row["id"], row["name"], format_size(row["size"]), row["media_type"]]
                sys.stdout.write("\t".join([*fields, *marks]) + "\n")
        case "get":
            record = ws.attachments.get(args.attachment_id)
            if not ws.files.has(record["sha256"]):
                fetch_file(ws.store, record["id"], progress=_progress(record["name"]))
                sys.stderr.write("\n")
            written = _save(ws, record, args.output, force=args.force)
            sys.stdout.write(f"書き出しました: {written}\n")
        case "delete":
            record = ws.attachments.get(args.attachment_id)
            ws.attachments.delete(record["id"])
            sys.stdout.write(f"削除しました: {record['name']}（{record['id']}）\n")


def _save(ws: Workspace, record: Record, output: str, *, force: bool) -> Path:
    """Write the attachment to ``output``: into it when it is a folder; ``out/`` names a
    folder, which must be there (never a file named ``out``)."""
    dest = Path(output)
    if output.endswith(("/", os.sep)) and not dest.is_dir():
        raise UsageError(f"書き出し先のフォルダ {output} がありません。先に作ってください")
    try:
        return ws.attachments.save_as(record["id"], dest, overwrite=force)
    except FileExists as exc:
        raise UsageError(f"{exc}。上書きするときは --force を付けてください") from None


def _progress(name: str) -> Callable[[int, int], None]:
    def report(done: int, total: int) -> None:
        sys.stderr.write(f"\r受信中 {name}: {format_size(done)} / {format_size(total)}")

    return report


def format_size(size: int) -> str:
    if size < 1024:
        return f"{size} バイト"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


COMMANDS: dict[str, Callable[[Workspace, argparse.Namespace], None]] = {
    "attach": _cmd_attach,
    "attachments": _cmd_attachments,
}
