"""What the file endpoints' tests share: attachments pushed, bytes sent in chunks."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import httpx

from tests.server.fixtures import RunningServer, add_user, new_id, push, visit_change

MINE, THEIRS = "302015", "302023"  # 和歌山市 for tanaka, 海南市 for suzuki


def attachment_change(
    attachment_id: str,
    parent: str,
    data: bytes,
    *,
    parent_kind: str = "visit",
    name: str = "計画案 2026.pdf",
    size: int | None = None,
    sha256: str | None = None,
) -> dict[str, Any]:
    values = {
        "parent_kind": parent_kind,
        "parent": parent,
        "name": name,
        "media_type": "application/pdf",
        "size": len(data) if size is None else size,
        "sha256": hashlib.sha256(data).hexdigest() if sha256 is None else sha256,
    }
    return {
        "kind": "attachment",
        "id": attachment_id,
        "op": "create",
        "fields": {name: {"value": value} for name, value in values.items()},
    }


@dataclass
class Office:
    """tanaka (和歌山市) with a visit, and suzuki, a colleague on 海南市 only."""

    server: RunningServer
    tanaka: httpx.Client
    suzuki: httpx.Client
    visit: str

    def attach(self, data: bytes, client: httpx.Client | None = None, **kwargs: Any) -> str:
        """A new attachment of the visit (or of ``parent``), pushed; its id."""
        attachment_id = new_id()
        parent = kwargs.pop("parent", self.visit)
        answer = push(
            client or self.tanaka, attachment_change(attachment_id, parent, data, **kwargs)
        )
        assert answer.status_code == 200, answer.text
        return attachment_id


def office(server: RunningServer) -> Office:
    add_user(server.database, "tanaka", codes=(MINE,))
    add_user(server.database, "suzuki", codes=(THEIRS,))
    tanaka = server.login("tanaka")
    visit = new_id()
    assert push(tanaka, visit_change(visit, MINE)).status_code == 200
    return Office(server, tanaka, server.login("suzuki"), visit)


def upload_path(attachment_id: str) -> str:
    return f"/api/v1/files/{attachment_id}/upload"


def put(client: httpx.Client, attachment_id: str, offset: int, data: bytes) -> httpx.Response:
    return client.put(
        upload_path(attachment_id),
        params={"offset": offset},
        content=data,
        headers={"Content-Type": "application/octet-stream"},
    )


def upload_all(
    client: httpx.Client, attachment_id: str, data: bytes, chunk: int = 3 * 1024 * 1024
) -> httpx.Response:
    """Every byte in chunks of ``chunk``; the last answer."""
    answer = put(client, attachment_id, 0, b"") if not data else None
    for offset in range(0, len(data), chunk):
        answer = put(client, attachment_id, offset, data[offset : offset + chunk])
        assert answer.status_code == 200, answer.text
    assert answer is not None
    return answer
