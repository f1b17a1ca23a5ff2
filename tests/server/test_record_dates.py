"""A date outside the years the programme records is refused when it is pushed, as on the
laptop; a record the server stored before that bound still syncs: it is pulled, and another of
its fields can be changed."""

from __future__ import annotations

from datetime import date

from dxdesk.domain.records import kind_spec
from dxdesk.models.record_values import columns_from_wire
from dxdesk.server.tables import Record
from tests.server.fixtures import RunningServer, add_user, new_id, pull_all, push, visit_change

WAKAYAMA = "302015"


def test_a_visit_dated_1925_is_refused_when_pushed(server: RunningServer) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    client = server.login("tanaka")
    answer = push(client, visit_change(new_id(), WAKAYAMA, date="1925-06-12"))
    assert answer.status_code == 422, answer.text
    assert "1925-06-12 は扱えません" in answer.json()["detail"]


def test_a_record_stored_with_an_early_date_still_syncs(server: RunningServer) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    client = server.login("tanaka")
    record_id = new_id()
    assert push(client, visit_change(record_id, WAKAYAMA)).status_code == 200
    with server.database.transaction() as session:  # as saved before dates were bounded
        record = session.get(Record, record_id)
        assert record is not None
        record.fields = {**record.fields, "date": "1925-06-12"}
    update = {
        "kind": "visit",
        "id": record_id,
        "op": "update",
        "base_rev": 1,
        "fields": {"title": {"base": "", "value": "窓口BPR"}},
    }
    answer = push(client, update)
    assert answer.status_code == 200, answer.text
    assert answer.json()["results"][0]["status"] == "applied"
    records, _ = pull_all(server.login("tanaka", "home"))
    (pulled,) = records
    assert pulled["fields"]["date"] == "1925-06-12"
    columns = columns_from_wire(kind_spec("visit"), pulled["fields"])  # as the laptop stores it
    assert (columns["date"], columns["title"]) == (date(1925, 6, 12), "窓口BPR")
