"""What a commit wrote, as one plain ``Changes`` (models/change_notice.py, domain/changes.py)."""

from __future__ import annotations

import pytest

from dxdesk.domain.changes import Changes, Source
from dxdesk.domain.records import InvalidField
from dxdesk.services.workspace import Workspace

WAKAYAMA = "302015"
HASHIMOTO = "302031"


def test_an_added_record_is_noted_with_its_municipality_id_and_every_column(
    workspace: Workspace,
) -> None:
    take = workspace.watch_changes()
    visit = workspace.engagements.add({"municipality": WAKAYAMA, "date": "2025-04-01"})
    changes = take()
    assert changes.kinds == {"visit"}
    assert changes.municipalities == {WAKAYAMA}
    assert visit["id"] in changes.record_ids
    assert {"date", "title", "notes", "deleted"} <= changes.fields
    assert changes.source is Source.EDIT
    assert take() == Changes()  # taken once


def test_an_update_names_only_the_columns_it_changed(workspace: Workspace) -> None:
    visit = workspace.engagements.add({"municipality": WAKAYAMA, "date": "2025-04-01"})
    take = workspace.watch_changes()
    workspace.engagements.update(visit["id"], {"notes": "メモ"})
    changes = take()
    assert changes.kinds == {"visit"} and "notes" in changes.fields
    assert "date" not in changes.fields and "title" not in changes.fields
    assert not changes.wrote("visit", {"date"})
    assert changes.wrote("visit", {"notes"})


def test_a_delete_and_a_child_record_name_their_municipality(workspace: Workspace) -> None:
    visit = workspace.engagements.add({"municipality": HASHIMOTO, "date": "2025-04-01"})
    take = workspace.watch_changes()
    workspace.interviews.add({"engagement": visit["id"], "interviewee": "情報政策課"})
    assert take().municipalities == {HASHIMOTO}
    workspace.engagements.delete(visit["id"])
    changes = take()
    assert "visit" in changes.kinds and "deleted" in changes.fields
    assert changes.concerns(HASHIMOTO) and not changes.concerns(WAKAYAMA)


def test_a_refused_write_notes_nothing(workspace: Workspace) -> None:
    take = workspace.watch_changes()
    with pytest.raises(InvalidField):
        workspace.engagements.add({"municipality": WAKAYAMA})  # no date: refused
    assert take() == Changes()


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
    merged = edit.merged(Changes(kinds=frozenset({"visit"}), source=Source.UNDO))
    assert merged.kinds == {"assessment", "visit"} and merged.source is Source.UNDO
