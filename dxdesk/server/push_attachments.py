"""What a push may do to an attachment's record (issue 19); its bytes are attachment_files.py's.

An attachment hangs on a live parent the caller may write and goes where it goes; its size is
within the server's limit per file; what it is (its bytes and its parent) never changes after
its create, and restored with other bytes it waits for them again (incomplete).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from dxdesk.server.body_limit import size_text
from dxdesk.server.change_refused import ChangeRefused
from dxdesk.server.tables import Record
from dxdesk.server.write_scope import Access

ATTACHMENT = "attachment"
# What an attachment is: its bytes and where it hangs. None of it changes after its create.
_FIXED_FIELDS = frozenset({"parent_kind", "parent", "size", "sha256"})


def other_bytes(kind: str, before: Mapping[str, Any], after: Mapping[str, Any]) -> bool:
    """Whether a restore gives an attachment other bytes: its id's, they must come again."""
    return kind == ATTACHMENT and (before.get("sha256"), before.get("size")) != (
        after.get("sha256"),
        after.get("size"),
    )


def refuse_large_file(kind: str, values: Mapping[str, Any], limit: int) -> None:
    size = values.get("size")
    if kind == ATTACHMENT and isinstance(size, int) and size > limit:
        raise ChangeRefused(
            413,
            "file-too-large",
            f"ファイルが大きすぎます（このサーバーの上限は 1 ファイル {size_text(limit)}）。"
            "小さく分けるか、管理者に上限を確認してください",
            limit=limit,
        )


def refuse_fixed_change(kind: str, touched: set[str]) -> None:
    if kind == ATTACHMENT and touched & _FIXED_FIELDS:
        raise ChangeRefused(
            422,
            "invalid-change",
            "添付ファイルの中身と添付先は変えられません（新しく添付し直してください）",
        )


def scope_of_parent(
    values: Mapping[str, Any],
    find: Callable[[str], Record | None],
    access: Callable[[Record], Access],
) -> str | None:
    """An attachment's parent, live and the caller's (else 404, like a forged id): its
    municipality, or None (prefecture-wide) for an article or an event."""
    parent_id, parent_kind = values.get("parent"), values.get("parent_kind")
    parent = find(parent_id) if isinstance(parent_id, str) else None
    if (
        parent is None
        or parent.kind != parent_kind
        or parent.deleted
        or access(parent) not in (Access.ASSIGNED, Access.GRACE)
    ):
        raise ChangeRefused(404, "reference-not-found", "添付先の記録が見つかりません")
    return parent.scope_code
