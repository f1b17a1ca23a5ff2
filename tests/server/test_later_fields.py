"""A record stored before protocol 2 gained its kind's calendar fields needs no migration: its
first edit of one merges against the empty value every laptop shows for it."""

from __future__ import annotations

from sqlalchemy.orm.attributes import flag_modified

from dxdesk.server.tables import Record
from tests.server.fixtures import RunningServer, add_user, new_id, push, visit_change

KAINAN = "302023"
CALENDAR_FIELDS = ("status", "start_time", "end_time", "place", "scheme")


def test_a_record_stored_before_the_calendar_takes_its_first_status_and_times(
    server: RunningServer,
) -> None:
    add_user(server.database, "tanaka", codes=(KAINAN,))
    client = server.login("tanaka")
    visit = new_id()
    assert push(client, visit_change(visit, KAINAN, title="窓口BPR")).status_code == 200
    with server.database.transaction() as session:  # as protocol 1 stored it
        record = session.get(Record, visit)
        assert record is not None
        for name in CALENDAR_FIELDS:
            del record.fields[name]
        flag_modified(record, "fields")
    # The bases a laptop sends: the defaults it filled in when it pulled the record.
    change = {
        "kind": "visit",
        "id": visit,
        "op": "update",
        "fields": {
            "status": {"base": "held", "value": "planned"},
            "start_time": {"base": None, "value": "10:00"},
            "place": {"base": "", "value": "海南市役所"},
        },
    }
    answer = push(client, change)
    assert answer.status_code == 200, answer.text
    [result] = answer.json()["results"]
    assert (result["status"], result["conflicts"]) == ("applied", [])
    with server.database.transaction() as session:
        stored = session.get(Record, visit)
        assert stored is not None
        assert {name: stored.fields[name] for name in CALENDAR_FIELDS} == {
            "status": "planned",
            "start_time": "10:00",
            "end_time": None,
            "place": "海南市役所",
            "scheme": None,
        }
        assert stored.fields["title"] == "窓口BPR"
