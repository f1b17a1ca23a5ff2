"""``dxdesk-server purge-files``: the bytes of attachments deleted long enough ago leave the
database; a restore after it waits for the bytes again."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import func, select

from dxdesk.server.cli import main
from dxdesk.server.tables import AuditEntry, FileChunk, Record
from tests.server.files_fixtures import Office, attachment_change, office, upload_all
from tests.server.fixtures import RunningServer, pull_all, push


@pytest.fixture
def here(server: RunningServer) -> Office:
    return office(server)


def _purge(here: Office, days: int, capsys: pytest.CaptureFixture[str]) -> str:
    url = here.server.database.engine.url.render_as_string(hide_password=False)
    assert main(["--db", url, "purge-files", "--days", str(days)]) == 0
    out: str = capsys.readouterr().out
    return out


def _delete(here: Office, attachment_id: str) -> None:
    with here.server.database.transaction() as session:
        rev = session.get(Record, attachment_id).rev  # type: ignore[union-attr]
    answer = push(
        here.tanaka, {"kind": "attachment", "id": attachment_id, "op": "delete", "base_rev": rev}
    )
    assert answer.status_code == 200, answer.text


def _chunks(here: Office, attachment_id: str) -> int:
    with here.server.database.transaction() as session:
        return (
            session.scalar(
                select(func.count())
                .select_from(FileChunk)
                .where(FileChunk.file_id == attachment_id)
            )
            or 0
        )


def test_deleted_files_bytes_go_and_a_restore_waits_for_them(
    here: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    kept, gone = os.urandom(3000), os.urandom(2 * 1024 * 1024)
    kept_id, gone_id = here.attach(kept), here.attach(gone)
    upload_all(here.tanaka, kept_id, kept)
    upload_all(here.tanaka, gone_id, gone)
    _delete(here, gone_id)
    assert "0 件" in _purge(here, 90, capsys)  # deleted just now: kept for a restore
    assert _chunks(here, gone_id) == 2
    out = _purge(here, 0, capsys)
    assert "1 件" in out and "2.0 MB" in out
    assert _chunks(here, gone_id) == 0 and _chunks(here, kept_id) == 1
    with here.server.database.transaction() as session:
        assert session.scalars(
            select(AuditEntry.record_id).where(AuditEntry.action == "purge-file")
        ).all() == [gone_id]
    assert here.tanaka.get(f"/api/v1/files/{kept_id}").content == kept
    # Restored (a laptop kept its edit over the deletion): pulled again once the bytes are back.
    _, page = pull_all(here.tanaka)
    restored = push(here.tanaka, attachment_change(gone_id, here.visit, gone))
    assert restored.status_code == 200, restored.text
    records, page = pull_all(here.tanaka, page["cursor"])
    assert gone_id not in {r["id"] for r in records}
    assert upload_all(here.tanaka, gone_id, gone).json()["complete"] is True
    records, _ = pull_all(here.tanaka, page["cursor"])
    assert [(r["id"], r["deleted"]) for r in records] == [(gone_id, False)]
    assert here.tanaka.get(f"/api/v1/files/{gone_id}").content == gone
