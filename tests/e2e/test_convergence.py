"""Three devices edit, delete and sync in random order: they converge and lose nothing silently.

An edit may only disappear in three ways: someone overwrote it knowingly (their screen showed
it when they typed over it), it went into a conflict (kept there with both values), or its
record was deleted. The machine tracks which values were seen when overwritten and checks that
every other value is in the final state or in a conflict of some device.
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path
from typing import ClassVar

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select

from dxdesk.models.store import StoreError
from dxdesk.models.tables import SyncConflict
from dxdesk.services.workspace import Workspace, open_workspace
from dxdesk.sync.api_client import SyncApiClient
from dxdesk.sync.conflicts import open_conflicts, resolve
from dxdesk.sync.engine import SyncEngine
from tests.server.fixtures import PASSWORD, RunningServer, add_user

WAKAYAMA = "302015"
FIELDS = ("title", "notes")
DEVICES = 3


class Devices(RuleBasedStateMachine):
    server: ClassVar[RunningServer]
    root: ClassVar[Path]
    counter = itertools.count()

    records = Bundle("records")

    def __init__(self) -> None:
        super().__init__()
        run = next(self.counter)
        self.workspaces: list[Workspace] = []
        self.engines: list[SyncEngine] = []
        for index in range(DEVICES):
            with self.server.client() as client:
                token = client.post(
                    "/api/v1/login",
                    json={"user": "tanaka", "password": PASSWORD, "device_name": f"d{index}"},
                ).json()["token"]
            workspace = open_workspace(self.root / f"run{run}-device{index}")
            workspace.store.clear_records()
            self.workspaces.append(workspace)
            self.engines.append(
                SyncEngine(workspace.store, SyncApiClient(self.server.client(), token=token))
            )
        self.values = itertools.count()
        self.written: set[tuple[str, str, str]] = set()  # (record, field, value)
        self.overwritten: set[tuple[str, str, str]] = set()
        self.deleted: set[str] = set()

    def _value(self, device: int) -> str:
        return f"d{device}-v{next(self.values)}"

    @initialize(target=records)
    def shared_record(self) -> str:
        """One record every device holds from the start, so edits meet often."""
        record_id = self._add(0)
        for engine in self.engines:
            engine.sync()
        return record_id

    @rule(target=records, device=st.integers(0, DEVICES - 1))
    def create(self, device: int) -> str:
        return self._add(device)

    def _add(self, device: int) -> str:
        title = self._value(device)
        record = self.workspaces[device].engagements.add(
            {"municipality": WAKAYAMA, "date": "2026-11-20", "title": title}
        )
        self.written.add((record["id"], "title", title))
        return str(record["id"])

    @rule(record=records, device=st.integers(0, DEVICES - 1), field=st.sampled_from(FIELDS))
    def edit(self, record: str, device: int, field: str) -> None:
        try:
            before = self.workspaces[device].engagements.get(record)
        except StoreError:
            return  # not on this device (yet), or deleted here
        value = self._value(device)
        self.overwritten.add((record, field, before[field]))
        self.workspaces[device].engagements.update(record, {field: value})
        self.written.add((record, field, value))

    @rule(record=records, device=st.integers(0, DEVICES - 1))
    def delete(self, record: str, device: int) -> None:
        try:
            self.workspaces[device].engagements.delete(record)
        except StoreError:
            return
        self.deleted.add(record)

    @rule(device=st.integers(0, DEVICES - 1))
    def sync(self, device: int) -> None:
        self.engines[device].sync()

    @precondition(lambda self: any(open_conflicts(w.store) for w in self.workspaces))
    @rule(device=st.integers(0, DEVICES - 1), take=st.sampled_from(("mine", "theirs")))
    def resolve_one(self, device: int, take: str) -> None:
        conflicts = open_conflicts(self.workspaces[device].store)
        if conflicts:
            resolve(self.workspaces[device].store, conflicts[0].id, take=take)  # type: ignore[arg-type]

    @invariant()
    def nothing_half_written(self) -> None:
        for workspace in self.workspaces:
            assert workspace.store.meta("sync_outbox") in (None, "")

    def teardown(self) -> None:
        try:
            self._converge_and_check()
        finally:
            for engine in self.engines:
                engine._transport.close()
            for workspace in self.workspaces:
                workspace.close()

    def _converge_and_check(self) -> None:
        kept: set[tuple[str, str, str]] = set()
        for _ in range(4):
            for device, engine in enumerate(self.engines):
                engine.sync()
                for conflict in open_conflicts(self.workspaces[device].store):
                    resolve(self.workspaces[device].store, conflict.id, take="theirs")
        for workspace in self.workspaces:
            with workspace.store.session() as session:
                for row in session.scalars(select(SyncConflict)):
                    for side in (row.mine, row.theirs, row.base):
                        if isinstance(side, dict):
                            kept |= {(row.record_id, f, str(v)) for f, v in side.items()}
                        elif isinstance(side, str):
                            kept.add((row.record_id, row.field, side))
        states = [
            {r["id"]: (r["title"], r["notes"]) for r in w.engagements.list_records()}
            for w in self.workspaces
        ]
        assert states[0] == states[1] == states[2], "devices did not converge"
        assert all(w.store.pending_record_count() == 0 for w in self.workspaces)
        final = states[0]
        for record, field, value in self.written:
            if record in self.deleted or (record, field, value) in self.overwritten:
                continue
            present = record in final and final[record][FIELDS.index(field)] == value
            assert present or (record, field, value) in kept, (
                f"{field}={value!r} of {record} was lost without a conflict"
            )


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_three_devices_converge_and_lose_nothing_silently(
    server: RunningServer, tmp_path: Path
) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    Devices.server = server
    Devices.root = tmp_path
    run_state_machine_as_test(
        Devices,
        settings=settings(
            # The same examples on every run, so a CI run is repeatable; set
            # DXDESK_HYPOTHESIS_EXPLORE=1 to draw new ones (and run it in a loop to hunt).
            derandomize=not os.environ.get("DXDESK_HYPOTHESIS_EXPLORE"),
            max_examples=25,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
