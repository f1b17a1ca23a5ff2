"""The wipe order in the middle of a sync (between pull pages), over TLS against the real server:
the sync stops at that answer and sends nothing more; the store is then sealed and erased."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from dxdesk.models.store import StoreError
from dxdesk.server import device_wipe
from dxdesk.services.workspace import open_workspace
from dxdesk.sync import wipe
from dxdesk.sync.api_client import SyncApiClient, WipeOrdered
from dxdesk.sync.engine import SyncEngine
from tests.server.fixtures import PASSWORD, RunningServer, add_user, new_id, push, visit_change

WAKAYAMA = "302015"


def test_an_order_between_pull_pages_stops_the_sync_there(
    server: RunningServer, tmp_path: Path
) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    with server.login("tanaka", "office") as office:
        assert push(office, *(visit_change(new_id(), WAKAYAMA) for _ in range(5))).is_success
    with server.client() as client:
        login = client.post(
            "/api/v1/login", json={"user": "tanaka", "password": PASSWORD, "device_name": "pc"}
        ).json()
    asked: list[tuple[str, int]] = []

    def answered(response: httpx.Response) -> None:
        asked.append((response.request.url.path, response.status_code))
        if [path for path, _ in asked].count("/api/v1/sync/pull") == 1:
            with server.database.transaction() as session:  # the operator, at this moment
                device_wipe.request_wipe(session, device_id=login["device_id"], operator="op")

    data_dir = tmp_path / "laptop"
    ws = open_workspace(data_dir)
    try:
        ws.store.clear_records()
        client = server.client(event_hooks={"response": [answered]})
        engine = SyncEngine(ws.store, SyncApiClient(client, token=login["token"]), page_size=2)
        with pytest.raises(WipeOrdered) as order:
            engine.sync()
        client.close()
        assert order.value.device_id == login["device_id"]
        # Nothing after the answer that carried the order.
        assert asked[-2:] == [("/api/v1/sync/pull", 200), ("/api/v1/sync/pull", 401)]
        wipe.seal(ws.store)
        report = wipe.complete(order.value, data_dir)
        assert report.left == () and not data_dir.exists()
        with pytest.raises(StoreError):
            ws.store.meta("sync_server")
        assert not data_dir.exists()
    finally:
        ws.close()
