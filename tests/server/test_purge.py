"""``dxdesk-server purge``: deleted records' content leaves the server after the retention
period; what sync needs and who/when stay, and laptops still converge over TLS."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from dxdesk.server.cli import main
from dxdesk.server.file_storage import DatabaseFileStorage
from dxdesk.server.purge import purge
from dxdesk.server.tables import AuditEntry, Conflict, FileChunk, PushLog, Record
from dxdesk.sql_common import utc_now
from tests.server.files_fixtures import MINE, Office, office, upload_all
from tests.server.fixtures import RunningServer, new_id, pull_all, push

PHONE = "073-555-0199"
SECRET_NOTE = "退職予定をここだけの話として伺った"


@pytest.fixture
def here(server: RunningServer) -> Office:
    return office(server)


def _contact(record_id: str, op: str = "create", **fields: Any) -> dict[str, Any]:
    values = {"municipality": MINE, "name": "山田花子", "phone": PHONE, **fields}
    if op != "create":
        values = fields
    return {
        "kind": "contact",
        "id": record_id,
        "op": op,
        "fields": {name: {"value": value} for name, value in values.items()},
    }


def _ok(answer: Any) -> dict[str, Any]:
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def _rev(here: Office, record_id: str) -> int:
    with here.server.database.transaction() as session:
        record = session.get(Record, record_id)
        assert record is not None
        return record.rev


def _age(here: Office, record_id: str, days: int) -> None:
    """Make a deletion ``days`` old: the server's clock cannot be turned back in a test."""
    with here.server.database.transaction() as session:
        session.execute(
            update(Record)
            .where(Record.id == record_id)
            .values(updated_at=utc_now() - timedelta(days=days))
        )


def _run(here: Office, capsys: pytest.CaptureFixture[str], *options: str) -> dict[str, Any]:
    url = here.server.database.engine.url.render_as_string(hide_password=False)
    assert main(["--db", url, "purge", "--json", *options]) == 0
    report: dict[str, Any] = json.loads(capsys.readouterr().out)
    return report


def _everything_stored(here: Office) -> str:
    """Every value the server keeps about records, conflicts and pushes, as one text."""
    with here.server.database.transaction() as session:
        parts: list[Any] = [record.fields for record in session.scalars(select(Record))]
        parts += [[row.base, row.theirs, row.mine] for row in session.scalars(select(Conflict))]
        parts += [log.response for log in session.scalars(select(PushLog))]
        parts += [[row.detail, row.fields] for row in session.scalars(select(AuditEntry))]
    return json.dumps(parts, ensure_ascii=False)


def test_purge_clears_content_keeps_sync_and_laptops_converge(
    here: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    contact, kept = new_id(), new_id()
    _ok(push(here.tanaka, _contact(contact), _contact(kept, phone="073-000-0000")))
    notes = {"notes": {"value": SECRET_NOTE, "base": ""}}
    _ok(push(here.tanaka, {"kind": "contact", "id": contact, "op": "update", "fields": notes}))
    # A second laptop of the same advisor pulls the contact, then goes offline.
    offline = here.server.login("tanaka", device="offline laptop")
    records, page = pull_all(offline)
    assert any(r["id"] == contact and r["fields"]["phone"] == PHONE for r in records)
    # A delete meeting an edit it did not see stores a conflict holding the whole record.
    stale = _ok(push(here.tanaka, {"kind": "contact", "id": contact, "op": "delete"}))
    assert stale["results"][0]["status"] == "conflict"
    _ok(
        push(
            here.tanaka,
            {"kind": "contact", "id": contact, "op": "delete", "base_rev": _rev(here, contact)},
        )
    )
    data = os.urandom(5000)
    attachment = here.attach(data)
    upload_all(here.tanaka, attachment, data)
    _ok(
        push(
            here.tanaka,
            {
                "kind": "attachment",
                "id": attachment,
                "op": "delete",
                "base_rev": _rev(here, attachment),
            },
        )
    )
    assert PHONE in _everything_stored(here) and SECRET_NOTE in _everything_stored(here)

    # Deleted just now: within the period, nothing goes.
    assert _run(here, capsys)["total"] == 0
    _age(here, contact, days=91)
    _age(here, attachment, days=91)
    revs = {contact: _rev(here, contact), attachment: _rev(here, attachment)}

    dry = _run(here, capsys, "--dry-run")
    assert dry["dry_run"] and dry["records"] == {"attachment": 1, "contact": 1}
    assert PHONE in _everything_stored(here)  # a dry run changes nothing

    report = _run(here, capsys)
    assert report["records"] == {"attachment": 1, "contact": 1}
    assert report["files"] == 1 and report["file_bytes"] == len(data)
    assert report["conflicts"] == 1 and report["push_answers"] >= 2
    stored = _everything_stored(here)
    assert PHONE not in stored and SECRET_NOTE not in stored
    assert "073-000-0000" in stored  # the live contact is untouched
    url = here.server.database.engine.url
    if url.get_backend_name() == "sqlite":  # nor in the trial server's file or its log
        database = Path(str(url.database))
        for path in database.parent.glob(database.name + "*"):
            assert PHONE.encode() not in path.read_bytes(), path.name
    with here.server.database.transaction() as session:
        for record_id, rev in revs.items():
            record = session.get(Record, record_id)
            assert record is not None
            assert (record.deleted, record.rev, record.fields) == (True, rev, {})
            assert record.created_by == record.updated_by == "tanaka"
        assert not session.scalars(select(FileChunk).where(FileChunk.file_id == attachment)).all()
        # The audit trail keeps who did what when, and says the content was purged.
        actions = session.scalars(
            select(AuditEntry.action).where(AuditEntry.record_id == contact).order_by(AuditEntry.id)
        ).all()
    assert actions == ["create", "update", "delete", "purge"]

    # Idempotent: nothing left to clear.
    assert _run(here, capsys)["total"] == 0

    # The advisor's laptop pulls nothing new: the purge took no revision.
    _, after = pull_all(here.tanaka)
    more, _ = pull_all(here.tanaka, after["cursor"])
    assert more == []
    # A new laptop's first pull has no tombstones at all.
    fresh, _ = pull_all(here.server.login("tanaka", device="new laptop"))
    assert {contact, attachment}.isdisjoint(r["id"] for r in fresh)
    # The offline laptop's edit of the purged contact is the usual delete-vs-edit conflict.
    edit = _ok(push(offline, _contact(contact, "update", phone="073-555-0100")))
    result = edit["results"][0]
    assert (result["status"], result["deleted"]) == ("conflict", True)
    assert result["conflicts"][0]["reason"] == "deleted"
    assert result["conflicts"][0]["mine"] == {"phone": "073-555-0100"}
    tombstones, _ = pull_all(offline, page["cursor"])
    assert [(r["id"], r["deleted"], r["fields"]) for r in tombstones if r["id"] == contact] == [
        (contact, True, {})
    ]
    # Keeping that edit is a create over the tombstone, as before the purge.
    restored = _ok(push(offline, _contact(contact, phone="073-555-0100")))
    assert restored["results"][0]["status"] == "applied"
    back, _ = pull_all(here.tanaka, after["cursor"])
    assert [(r["id"], r["deleted"], r["fields"]["phone"]) for r in back] == [
        (contact, False, "073-555-0100")
    ]


def test_purge_goes_batch_by_batch_and_skips_what_was_restored(here: Office) -> None:
    ids = [new_id() for _ in range(7)]
    _ok(push(here.tanaka, *[_contact(record_id) for record_id in ids]))
    _ok(
        push(
            here.tanaka,
            *[{"kind": "contact", "id": i, "op": "delete", "base_rev": _rev(here, i)} for i in ids],
        )
    )
    for record_id in ids:
        _age(here, record_id, days=200)
    _ok(push(here.tanaka, _contact(ids[0], phone="restored")))  # restored: live again
    storage = DatabaseFileStorage(here.server.database)
    report = purge(
        here.server.database,
        storage,
        older_than=timedelta(days=90),
        operator="operator:test",
        batch_size=3,
    )
    assert report.records == {"contact": 6}
    with here.server.database.transaction() as session:
        live = session.get(Record, ids[0])
        assert live is not None and live.fields["phone"] == "restored"
    again = purge(
        here.server.database, storage, older_than=timedelta(days=90), operator="operator:test"
    )
    assert again.total == 0


def test_a_bad_retention_period_is_one_line(
    here: Office, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = here.server.database.engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("DXDESK_SERVER_RETENTION_DAYS", "ninety")
    assert main(["--db", url, "purge"]) == 1
    assert "DXDESK_SERVER_RETENTION_DAYS" in capsys.readouterr().err
    monkeypatch.setenv("DXDESK_SERVER_RETENTION_DAYS", "30")
    assert main(["--db", url, "purge", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["retention_days"] == 30
