"""What a form saves: the valid fields at once, each refused one kept on this device with its
reason, until a later edit saves it; every field at fault is named, by its label too."""

from __future__ import annotations

import pytest

from dxdesk.domain.errors import DomainError
from dxdesk.domain.records import clean_fields, kind_spec
from dxdesk.models.workspace import Workspace


def test_every_refused_field_is_named_with_a_reason_that_does_not_name_it() -> None:
    with pytest.raises(DomainError) as caught:
        clean_fields(
            kind_spec("visit"),
            {"date": "2025-13-01", "title": "x" * 501, "summary": "ok"},
            partial=True,
        )
    assert set(caught.value.refused) == {"date", "title"}
    assert caught.value.labels == {"date": "日付", "title": "件名"}
    assert not any(
        "title" in reason or "date" in reason for reason in caught.value.refused.values()
    )


def test_valid_fields_are_saved_and_the_refused_one_waits(workspace: Workspace) -> None:
    assessment = workspace.assessments.add({"municipality": "302015", "fiscal_year": 2025})
    outcome = workspace.assessments.save_edits(
        assessment["id"], {"level": 4, "assessor": "山本", "level_reason": ""}
    )
    assert outcome.record is not None and outcome.record["assessor"] == "山本"
    assert outcome.record["level"] is None
    assert list(outcome.unsaved) == ["level"] and outcome.unsaved["level"].value == 4
    assert "判断理由" in outcome.unsaved["level"].reason
    assert "level" not in outcome.unsaved["level"].reason
    [kept] = workspace.assessments.kept_edits()
    assert (kept.record_id, kept.what, kept.municipality) == (
        assessment["id"],
        "R7 (2025)",
        "和歌山市",
    )
    assert kept.labels == ["支援分類"]

    # The reason makes it valid: both are saved and nothing waits any more.
    outcome = workspace.assessments.save_edits(
        assessment["id"], {"level": 4, "level_reason": "面談で確認した"}
    )
    assert outcome.unsaved == {} and workspace.assessments.kept_edits() == []
    assert workspace.assessments.get(assessment["id"])["level"] == 4


def test_deleting_a_record_forgets_what_waited_in_it(workspace: Workspace) -> None:
    visit = workspace.engagements.add({"municipality": "302015", "date": "2025-06-12"})
    workspace.engagements.save_edits(visit["id"], {"title": "x" * 501})
    assert [k.record_id for k in workspace.engagements.kept_edits()] == [visit["id"]]
    workspace.engagements.delete(visit["id"])
    assert workspace.engagements.kept_edits() == []
