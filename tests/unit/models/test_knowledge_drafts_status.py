"""「ナレッジとして共有」 only from a held consultation: one that is planned (予定) or was
cancelled (中止) taught nothing yet, so starting a draft and publishing one are refused with a
message that says why and what to do, and nothing is written."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dxdesk.domain.errors import DomainError
from dxdesk.services.knowledge_drafts import KnowledgeDrafts
from dxdesk.services.workspace import Workspace, open_workspace

SHIRAHAMA = "304018"


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = open_workspace(tmp_path)
    yield workspace
    workspace.close()


def _visit(ws: Workspace, status: str) -> str:
    payload = {
        "municipality": SHIRAHAMA,
        "date": "2026-05-10",
        "status": status,
        "title": "RPA の横展開",
        "summary": "給与事務に RPA を入れる",
        "themes": ["業務効率化"],
    }
    return str(ws.engagements.add(payload)["id"])


@pytest.mark.parametrize(
    ("status", "message"),
    [
        ("planned", "まだ予定（未実施）のため、ナレッジとして共有できません。実施したあとで"),
        ("cancelled", "中止になったため、ナレッジとして共有できません"),
    ],
    ids=["planned", "cancelled"],
)
def test_a_consultation_not_held_cannot_be_shared(ws: Workspace, status: str, message: str) -> None:
    visit = _visit(ws, status)
    drafts = KnowledgeDrafts(ws)
    with pytest.raises(DomainError, match=message):
        drafts.start(visit)
    assert not drafts.has_draft(visit) and ws.articles.list_records() == []


def test_a_draft_begun_when_held_is_refused_once_set_back_to_planned(ws: Workspace) -> None:
    visit = _visit(ws, "held")
    drafts = KnowledgeDrafts(ws)
    draft = drafts.start(visit)
    draft.fields["body"] = "書きかけ"
    drafts.save(draft)

    ws.engagements.update(visit, {"status": "planned"})  # entered as held by mistake
    with pytest.raises(DomainError, match="予定"):
        drafts.start(visit)
    with pytest.raises(DomainError, match="予定"):
        drafts.publish(draft)
    assert ws.articles.list_records() == [] and drafts.has_draft(visit)  # kept, unpublished

    ws.engagements.update(visit, {"status": "held"})  # held after all: the draft comes back
    assert drafts.start(visit).fields["body"] == "書きかけ"
    article = drafts.publish(draft)
    assert article["engagements"] == [visit] and not drafts.has_draft(visit)
