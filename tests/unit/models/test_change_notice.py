"""What a commit wrote, as one plain ``Changes`` (models/change_notice.py, domain/changes.py)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from dxdesk.domain.changes import Changes, Source
from dxdesk.domain.records import InvalidField
from dxdesk.models.outbox_tables import PendingChange
from dxdesk.models.tables import EngagementRow
from dxdesk.services.workspace import Workspace

WAKAYAMA = "302015"
HASHIMOTO = "302031"


def test_an_added_record_is_noted_with_its_municipality_and_every_column(
    workspace: Workspace,
) -> None:
    with workspace.collect_changes() as collector:
        workspace.engagements.add({"municipality": WAKAYAMA, "date": "2025-04-01"})
    changes = collector.changes()
    assert changes.kinds == {"visit"}
    assert changes.municipalities == {WAKAYAMA}
    assert {"date", "title", "notes", "deleted"} <= changes.fields
    assert changes.source is Source.EDIT


def test_an_update_names_only_the_columns_it_changed(workspace: Workspace) -> None:
    visit = workspace.engagements.add({"municipality": WAKAYAMA, "date": "2025-04-01"})
    with workspace.collect_changes() as collector:
        workspace.engagements.update(visit["id"], {"notes": "メモ"})
    changes = collector.changes()
    assert changes.kinds == {"visit"} and "notes" in changes.fields
    assert "date" not in changes.fields and "title" not in changes.fields
    assert not changes.wrote("visit", {"date"})
    assert changes.wrote("visit", {"notes"})


def test_a_delete_and_a_child_record_name_their_municipality(workspace: Workspace) -> None:
    visit = workspace.engagements.add({"municipality": HASHIMOTO, "date": "2025-04-01"})
    with workspace.collect_changes() as collector:
        workspace.interviews.add({"engagement": visit["id"], "interviewee": "情報政策課"})
    assert collector.changes().municipalities == {HASHIMOTO}
    with workspace.collect_changes() as collector:
        workspace.engagements.delete(visit["id"])
    changes = collector.changes()
    assert "visit" in changes.kinds and "deleted" in changes.fields
    assert changes.concerns(HASHIMOTO) and not changes.concerns(WAKAYAMA)


def test_a_refused_write_notes_nothing(workspace: Workspace) -> None:
    with workspace.collect_changes() as collector, pytest.raises(InvalidField):
        workspace.engagements.add({"municipality": WAKAYAMA})  # no date: refused
    assert collector.changes() == Changes()


def test_a_push_changes_no_record_anyone_sees(workspace: Workspace) -> None:
    """A push gives the record its server revision and clears its pending change: the sync
    tells neither (``pending=False``); an edit's pending change alone still counts."""
    visit = workspace.engagements.add({"municipality": WAKAYAMA, "date": "2025-04-01"})
    with workspace.collect_changes() as collector, workspace.store.transaction() as session:
        row = session.get(EngagementRow, visit["id"])
        assert row is not None
        row.server_rev = 7
        for pending in session.scalars(select(PendingChange)):
            session.delete(pending)
    assert collector.changes(pending=False) == Changes()
    assert collector.changes().kinds == {"visit"}


def test_only_the_unit_of_work_that_commits_collects_it(workspace: Workspace) -> None:
    """A commit belongs to the collector of its own thread's unit of work: another thread's
    write (a sync on the network worker) is not collected, nor one made where none is set."""
    workspace.engagements.add({"municipality": HASHIMOTO, "date": "2025-04-01"})  # no collector
    with workspace.collect_changes() as collector:
        other = threading.Thread(
            target=lambda: workspace.assessments.add(
                {"municipality": HASHIMOTO, "fiscal_year": 2025}
            )
        )
        other.start()
        other.join()
        workspace.engagements.add({"municipality": WAKAYAMA, "date": "2025-04-02"})
        with workspace.collect_changes() as inner:
            workspace.contacts.add({"municipality": WAKAYAMA, "name": "情報政策課"})
    assert collector.changes().kinds == {"visit"}
    assert collector.changes().municipalities == {WAKAYAMA}
    assert inner.changes().kinds == {"contact"}


def test_what_a_source_says_to_a_panel() -> None:
    edit = Changes(kinds=frozenset({"assessment"}), municipalities=frozenset({WAKAYAMA}))
    assert edit.touches("assessment") and not edit.touches("visit")
    assert not edit.rewrote  # the form that wrote it shows it
    imported = edit.from_source(Source.IMPORT)
    assert imported.rewrote and imported.concerns(WAKAYAMA)
    assert not imported.concerns(HASHIMOTO)
    synced = Changes(source=Source.SYNC, everything=True)
    assert synced.rewrote and synced.touches("visit") and synced.concerns(HASHIMOTO)
    assert not Changes(source=Source.SYNC).rewrote  # a sync that brought nothing
    assert Changes(source=Source.RESTORE, everything=True).store_replaced
