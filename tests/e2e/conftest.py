"""Laptops (real local stores and sync engines) against the real server over TLS."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from dxdesk.services.workspace import Workspace, open_workspace
from dxdesk.sync.api_client import SyncApiClient
from dxdesk.sync.conflicts import OpenConflict, open_conflicts
from dxdesk.sync.engine import SyncEngine, SyncSummary
from tests.server.fixtures import PASSWORD, RunningServer


@dataclass
class Laptop:
    workspace: Workspace
    engine: SyncEngine

    def sync(self) -> SyncSummary:
        return self.engine.sync()

    def conflicts(self) -> list[OpenConflict]:
        return open_conflicts(self.workspace.store)


@pytest.fixture
def laptops(server: RunningServer, tmp_path: Path) -> Iterator[object]:
    opened: list[Laptop] = []

    def make(user: str, name: str) -> Laptop:
        with server.client() as client:
            answer = client.post(
                "/api/v1/login", json={"user": user, "password": PASSWORD, "device_name": name}
            )
        assert answer.status_code == 200, answer.text
        workspace = open_workspace(tmp_path / name)
        workspace.store.clear_records()
        transport = SyncApiClient(server.client(), token=answer.json()["token"])
        laptop = Laptop(workspace, SyncEngine(workspace.store, transport, page_size=50))
        opened.append(laptop)
        return laptop

    yield make
    for laptop in opened:
        laptop.workspace.close()
