"""Scope for bytes is the scope of records; an attachment reaches pulls once its bytes are in."""

from __future__ import annotations

import hashlib
import os
from datetime import timedelta

import pytest

from dxdesk.server import admin
from dxdesk.server.tables import Record
from tests.server.files_fixtures import (
    MINE,
    THEIRS,
    Office,
    attachment_change,
    office,
    put,
    upload_all,
)
from tests.server.fixtures import RunningServer, add_user, new_id, pull_all, push, visit_change


@pytest.fixture
def here(server: RunningServer) -> Office:
    return office(server)


def _pulled(client: object, attachment_id: str) -> list[dict[str, object]]:
    records, _ = pull_all(client)  # type: ignore[arg-type]
    return [r for r in records if r["id"] == attachment_id]


def _rev(here: Office, record_id: str) -> int:
    with here.server.database.transaction() as session:
        record = session.get(Record, record_id)
        assert record is not None
        return record.rev


def test_a_colleague_not_assigned_gets_404_as_for_an_unknown_id(here: Office) -> None:
    data = os.urandom(10_000)
    attachment_id = here.attach(data)
    upload_all(here.tanaka, attachment_id, data)
    assert here.tanaka.get(f"/api/v1/files/{attachment_id}").content == data
    unknown = here.suzuki.get(f"/api/v1/files/{new_id()}")
    forged = here.suzuki.get(f"/api/v1/files/{attachment_id}", headers={"Range": "bytes=0-"})
    assert forged.status_code == unknown.status_code == 404
    assert forged.json()["type"] == unknown.json()["type"]
    assert forged.json()["detail"] == unknown.json()["detail"]
    assert _pulled(here.suzuki, attachment_id) == []
    # Asked for by its hash, or by anything that is no id, it is the same 404 again.
    sha256 = hashlib.sha256(data).hexdigest()
    for path in (sha256, f"{sha256}/upload", "x" * 300):
        answer = here.suzuki.get(f"/api/v1/files/{path}")
        assert answer.status_code == 404, (path, answer.text)
        assert answer.json()["detail"] == unknown.json()["detail"]
    answer = here.suzuki.put(f"/api/v1/files/{sha256}/upload?offset=0", content=b"x")
    assert answer.status_code == 404


def test_an_attachment_goes_where_its_parent_is_and_no_further(here: Office) -> None:
    # Said to be 海南市's: it is the visit's, 和歌山市's, whatever the laptop sends.
    attachment_id = new_id()
    change = attachment_change(attachment_id, here.visit, b"memo")
    change["fields"]["municipality"] = {"value": THEIRS}
    answer = push(here.tanaka, change)
    assert answer.status_code == 200, answer.text
    assert answer.json()["results"][0]["fields"]["municipality"] == MINE
    with here.server.database.transaction() as session:
        assert session.get(Record, attachment_id).scope_code == MINE  # type: ignore[union-attr]
    # suzuki cannot hang a file on tanaka's visit, nor on a visit that is not one.
    for parent, kind in ((here.visit, "visit"), (new_id(), "visit"), (here.visit, "followup")):
        forged = push(here.suzuki, attachment_change(new_id(), parent, b"x", parent_kind=kind))
        assert forged.status_code == 404, forged.text
        assert forged.json()["type"].endswith("/reference-not-found")
    forged = push(
        here.tanaka, attachment_change(new_id(), here.visit, b"x", parent_kind="followup")
    )
    assert forged.status_code == 404


def test_what_an_attachment_is_does_not_change(here: Office) -> None:
    attachment_id = here.attach(b"plan")
    rev = _rev(here, attachment_id)
    with here.server.database.transaction() as session:
        stored = session.get(Record, attachment_id).fields  # type: ignore[union-attr]
    for name, value in (("sha256", "0" * 64), ("size", 99), ("parent", new_id())):
        change = {
            "kind": "attachment",
            "id": attachment_id,
            "op": "update",
            "base_rev": rev,
            "fields": {name: {"value": value, "base": stored[name]}},
        }
        answer = push(here.tanaka, change)
        assert answer.status_code == 422, (name, answer.text)
    renamed = {
        "kind": "attachment",
        "id": attachment_id,
        "op": "update",
        "base_rev": rev,
        "fields": {"name": {"value": "計画案（確定）.pdf", "base": "計画案 2026.pdf"}},
    }
    assert push(here.tanaka, renamed).json()["results"][0]["status"] == "applied"


def test_a_prefecture_wide_attachment_is_everyones(here: Office) -> None:
    article = new_id()
    made = push(
        here.tanaka,
        {"kind": "article", "id": article, "op": "create", "fields": {"title": {"value": "手引"}}},
    )
    assert made.status_code == 200, made.text
    data = os.urandom(50_000)
    attachment_id = here.attach(data, parent=article, parent_kind="article")
    upload_all(here.tanaka, attachment_id, data)
    pulled = _pulled(here.suzuki, attachment_id)
    assert len(pulled) == 1 and pulled[0]["municipality"] is None
    assert pulled[0]["fields"]["municipality"] is None  # type: ignore[index]
    assert here.suzuki.get(f"/api/v1/files/{attachment_id}").content == data
    # suzuki may attach to it as well.
    assert here.attach(b"note", client=here.suzuki, parent=article, parent_kind="article")


def test_an_incomplete_attachment_is_pulled_only_once_its_bytes_are_in(
    here: Office, server: RunningServer
) -> None:
    add_user(server.database, "sato", role="coordinator")
    other_laptop = server.login("tanaka", device="home")
    coordinator = server.login("sato")
    data = os.urandom(2 * 1024 * 1024 + 5)
    attachment_id = here.attach(data)
    created_rev = _rev(here, attachment_id)
    # A first pull (backfill), and the stream after it: neither brings it yet.
    records, page = pull_all(other_laptop)
    assert attachment_id not in {r["id"] for r in records}
    assert push(here.tanaka, visit_change(new_id(), MINE)).status_code == 200
    records, page = pull_all(other_laptop, page["cursor"])
    assert attachment_id not in {r["id"] for r in records}
    assert _pulled(coordinator, attachment_id) == []
    assert here.tanaka.get(f"/api/v1/files/{attachment_id}").status_code == 404
    upload_all(here.tanaka, attachment_id, data, chunk=1024 * 1024)
    records, _ = pull_all(other_laptop, page["cursor"])
    (pulled,) = [r for r in records if r["id"] == attachment_id]
    assert isinstance(pulled["rev"], int) and pulled["rev"] > created_rev
    assert pulled["fields"]["size"] == len(data)
    assert len(_pulled(coordinator, attachment_id)) == 1
    assert other_laptop.get(f"/api/v1/files/{attachment_id}").content == data


def test_the_tombstone_of_an_incomplete_attachment_goes(here: Office) -> None:
    attachment_id = here.attach(b"never sent")
    _, page = pull_all(here.tanaka)
    deleted = push(
        here.tanaka,
        {
            "kind": "attachment",
            "id": attachment_id,
            "op": "delete",
            "base_rev": _rev(here, attachment_id),
        },
    )
    assert deleted.status_code == 200, deleted.text
    records, _ = pull_all(here.tanaka, page["cursor"])
    assert [(r["id"], r["deleted"]) for r in records] == [(attachment_id, True)]
    assert here.tanaka.get(f"/api/v1/files/{attachment_id}/upload").status_code == 404


def test_a_deleted_attachments_bytes_are_not_served(here: Office) -> None:
    data = b"%PDF-1.7 old"
    attachment_id = here.attach(data)
    upload_all(here.tanaka, attachment_id, data)
    rev = _rev(here, attachment_id)
    push(here.tanaka, {"kind": "attachment", "id": attachment_id, "op": "delete", "base_rev": rev})
    assert here.tanaka.get(f"/api/v1/files/{attachment_id}").status_code == 404


@pytest.mark.parametrize("grace_days", [14, 0])
def test_after_an_unassignment_a_laptop_sends_the_bytes_it_held_within_the_grace(
    here: Office, grace_days: int
) -> None:
    """Like a push: the laptop may still send the bytes of what it made there while the grace
    runs (the files then leave it), never after; and reads nothing there any more."""
    data = os.urandom(4000)
    attachment_id = here.attach(data)
    pull_all(here.tanaka)
    with here.server.database.transaction() as session:
        admin.unassign(session, name="tanaka", codes=[MINE], grace=timedelta(days=grace_days))
    answer = put(here.tanaka, attachment_id, 0, data)
    if grace_days:
        assert answer.status_code == 200 and answer.json()["complete"] is True, answer.text
    else:
        assert answer.status_code == 404, answer.text
    assert here.tanaka.get(f"/api/v1/files/{attachment_id}").status_code == 404
