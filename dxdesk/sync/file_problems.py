"""The problems the server gives for the bytes of attachments (dxdesk/wire/files.py), told
to the person in Japanese: the limit in MB, what to do next. api_client.py raises them."""

from __future__ import annotations

from typing import Any

from dxdesk.wire.files import FILE_TOO_LARGE, HASH_MISMATCH, QUOTA_EXCEEDED, UPLOAD_TOO_LONG

MB = 1024 * 1024


def megabytes(size: int) -> str:
    """A limit in whole MB, as the person reads it (100 MB, not 104857600)."""
    return f"{size / MB:,.0f} MB"


def file_refusal(status: int, code: str, problem: dict[str, Any], *, on_files: bool) -> str | None:
    """What to tell the person about a refused file (``on_files``: by the file endpoints, else
    an attachment's record in a push); None: the server's own words."""
    limit = problem.get("limit")
    if status == 413 and code == QUOTA_EXCEEDED and isinstance(limit, int):
        return (
            f"このアカウントの保存容量の上限（{megabytes(limit)}）を超えるため、サーバーが"
            "ファイルを受け付けませんでした。不要な添付を削除するか、管理者に相談してください"
        )
    if status == 413 and code == FILE_TOO_LARGE and isinstance(limit, int):
        return (
            f"ファイルが大きすぎるため、サーバーが受け付けませんでした（1 ファイル "
            f"{megabytes(limit)} まで）。分割するか小さくしてから添付し直してください"
        )
    if not on_files:
        return None
    if status == 413:
        return "ファイルが大きすぎるため、サーバーが受け付けませんでした"
    if status == 422 and code in (HASH_MISMATCH, UPLOAD_TOO_LONG):
        return (
            "送ったファイルの中身が記録と一致しないため、サーバーが受け付けませんでした。"
            "元のファイルを添付し直してください"
        )
    if status == 404:
        return (
            "サーバーにこのファイルがありません（削除されたか、担当外になったか、"
            "添付した端末からまだ送られていません）"
        )
    return None
