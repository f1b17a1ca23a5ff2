"""What a form saves: the valid fields at once, each refused one kept on this device with its
reason, until a later edit saves it; every field at fault is named, by its label too."""

from __future__ import annotations

import uuid

import pytest

from dxdesk.domain.errors import DomainError
from dxdesk.domain.record_fields import clean_fields
from dxdesk.domain.records import kind_spec
from dxdesk.services.workspace import Workspace


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


def test_clearing_the_reason_under_a_level_that_needs_it_keeps_the_reason_by_its_label(
    workspace: Workspace,
) -> None:
    """The rule names the field the patch holds: never the CLI message with level_reason."""
    assessment = workspace.assessments.add(
        {"municipality": "302015", "fiscal_year": 2025, "level": 3, "level_reason": "方針"}
    )
    outcome = workspace.assessments.save_edits(assessment["id"], {"level_reason": ""})
    assert list(outcome.unsaved) == ["level_reason"]
    reason = outcome.unsaved["level_reason"].reason
    assert "提案" in reason and "level" not in reason
    assert workspace.assessments.get(assessment["id"])["level_reason"] == "方針"


def test_the_assignment_refusal_names_the_municipality_by_its_label(
    workspace: Workspace,
) -> None:
    from sqlalchemy import update

    from dxdesk.models.tables import MunicipalityRow
    from dxdesk.services.records import InvalidRecord

    with workspace.store.transaction() as session:
        session.execute(update(MunicipalityRow).values(assigned=MunicipalityRow.code == "302023"))
    with pytest.raises(InvalidRecord) as refused:
        workspace.engagements.add({"municipality": "302015", "date": "2025-06-12"})
    assert refused.value.labels == {"municipality": "市町村"}


def test_edits_of_a_record_that_is_gone_are_neither_kept_nor_named(
    workspace: Workspace,
) -> None:
    from dxdesk.models.tables import EngagementRow

    visit = workspace.engagements.add({"municipality": "302015", "date": "2025-06-12"})
    workspace.engagements.save_edits(visit["id"], {"title": "x" * 501})
    with workspace.store.transaction() as session:  # as a pulled tombstone leaves it
        row = session.get(EngagementRow, visit["id"])
        assert row is not None
        row.deleted = True
    assert workspace.engagements.kept_edits() == []
    outcome = workspace.engagements.save_edits(visit["id"], {"title": "x" * 501})
    assert outcome.gone and outcome.unsaved == {} and outcome.record is None
    assert workspace.engagements.kept_edits() == []
    never = workspace.engagements.save_edits(str(uuid.uuid4()), {"title": "件名"})
    assert never.gone and workspace.engagements.kept_edits() == []
