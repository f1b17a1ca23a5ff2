"""A list item the server stored before items were bounded to 500 characters still syncs: a
laptop pulls the record, and its edits go up, the long list as their base included."""

from __future__ import annotations

from pathlib import Path

from dxdesk.domain.records import SHORT_TEXT_LIMIT
from dxdesk.server.tables import Record
from dxdesk.services.workspace import open_workspace
from dxdesk.sync.api_client import SyncApiClient
from dxdesk.sync.engine import SyncEngine
from tests.server.fixtures import (
    PASSWORD,
    RunningServer,
    add_user,
    new_id,
    pull_all,
    push,
    visit_change,
)

WAKAYAMA = "302015"
LONG_THEME = "窓口BPR・庁内BPR" + "あ" * SHORT_TEXT_LIMIT


def test_a_record_stored_with_a_long_list_item_pulls_and_can_be_edited(
    server: RunningServer, tmp_path: Path
) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    visit = new_id()
    answer = push(server.login("tanaka", "office"), visit_change(visit, WAKAYAMA, title="相談"))
    assert answer.status_code == 200, answer.text
    with server.database.transaction() as session:  # as stored before items were bounded
        record = session.get(Record, visit)
        assert record is not None
        record.fields = {**record.fields, "themes": [LONG_THEME, "DX推進体制"]}

    with server.client() as client:
        login = client.post(
            "/api/v1/login", json={"user": "tanaka", "password": PASSWORD, "device_name": "pc"}
        )
    assert login.status_code == 200, login.text
    workspace = open_workspace(tmp_path / "laptop")
    try:
        workspace.store.clear_records()
        transport = SyncApiClient(server.client(), token=login.json()["token"])
        engine = SyncEngine(workspace.store, transport, page_size=50)
        assert engine.sync().pulled == 1
        assert workspace.engagements.get(visit)["themes"] == [LONG_THEME, "DX推進体制"]

        workspace.engagements.update(visit, {"notes": "次回は1月"})
        assert engine.sync().pushed == 1
        workspace.engagements.update(visit, {"themes": ["DX推進体制"]})  # base: the long list
        assert engine.sync().pushed == 1
    finally:
        workspace.close()

    records, _ = pull_all(server.login("tanaka", "home"))
    (pulled,) = records
    assert pulled["fields"]["notes"] == "次回は1月"
    assert pulled["fields"]["themes"] == ["DX推進体制"]


def test_the_stored_long_list_is_a_valid_base(server: RunningServer) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    client = server.login("tanaka")
    visit = new_id()
    assert push(client, visit_change(visit, WAKAYAMA)).status_code == 200
    with server.database.transaction() as session:
        record = session.get(Record, visit)
        assert record is not None
        record.fields = {**record.fields, "themes": [LONG_THEME]}
    update = {
        "kind": "visit",
        "id": visit,
        "op": "update",
        "base_rev": 1,
        "fields": {"themes": {"base": [LONG_THEME], "value": ["DX推進体制"]}},
    }
    answer = push(client, update)
    assert answer.status_code == 200, answer.text
    assert answer.json()["results"][0]["status"] == "applied"


def test_a_new_long_list_item_is_still_refused(server: RunningServer) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    answer = push(server.login("tanaka"), visit_change(new_id(), WAKAYAMA, themes=[LONG_THEME]))
    assert answer.status_code == 422, answer.text
    assert "長すぎます" in answer.json()["detail"]
