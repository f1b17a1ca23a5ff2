from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from dxdesk.domain.catalog import load_catalog
from dxdesk.domain.errors import DomainError
from dxdesk.models.outbox_tables import PendingChange
from dxdesk.models.tables import AssessmentRow
from dxdesk.services.records import InvalidRecord
from dxdesk.services.workspace import Workspace


def _all(score_national: int, score_prefecture: int) -> dict[str, int]:
    catalog = load_catalog()
    return {
        item.code: score_national if item.category_id != "D" else score_prefecture
        for item in catalog.items
    }


def _assessment(ws: Workspace, **fields: Any) -> dict[str, Any]:
    return ws.assessments.add({"municipality": "302031", "fiscal_year": "R6", **fields})


def test_derived_values_come_from_the_scores(workspace: Workspace) -> None:
    full = _assessment(workspace, scores=_all(3, 3))
    assert (full["total"], full["maximum"], full["ratio"]) == (78, 78, 1.0)
    assert full["fiscal_year"] == 2024
    assert full["suggested_level"] == 4
    assert full["suggestion_reasons"]
    assert full["category_ratios"]["D"] == 1.0
    empty = _assessment(workspace, scores=_all(0, 0))
    assert (empty["total"], empty["suggested_level"]) == (0, 1)


@pytest.mark.parametrize(
    ("scores", "message"),
    [({"0-1": 5}, "0-1"), ({"D2": 2}, "D2"), ({"9-9": 1}, "9-9"), ({"0-1": True}, "0-1")],
)
def test_scores_outside_the_catalog_are_refused(
    workspace: Workspace, scores: dict[str, Any], message: str
) -> None:
    with pytest.raises(DomainError, match=message):
        _assessment(workspace, scores=scores)
    with workspace.store.session() as s:
        assert s.scalars(select(AssessmentRow)).all() == []


def test_scores_patch_item_by_item_and_are_tracked_per_item(workspace: Workspace) -> None:
    added = _assessment(workspace, scores={"0-1": 3, "0-3": 2, "D1": 3})
    with workspace.store.transaction() as s:  # as if pushed
        s.query(PendingChange).delete()
    updated = workspace.assessments.update(added["id"], {"scores": {"0-3": 3, "D1": None}})
    assert updated["scores"] == {"0-1": 3, "0-3": 3}
    assert updated["total"] == 6
    with workspace.store.session() as s:
        fields = set(s.scalars(select(PendingChange.field)))
    assert fields == {"scores.0-3", "scores.D1"}


def test_overriding_the_suggestion_needs_a_reason(workspace: Workspace) -> None:
    added = _assessment(workspace, scores=_all(3, 3))
    with pytest.raises(InvalidRecord, match="判断理由"):
        workspace.assessments.update(added["id"], {"level": 2})
    assert workspace.assessments.get(added["id"])["level"] is None
    confirmed = workspace.assessments.update(
        added["id"], {"level": 2, "level_reason": "体制が年度途中で縮小したため"}
    )
    assert (confirmed["level"], confirmed["suggested_level"]) == (2, 4)
    agreeing = workspace.assessments.update(added["id"], {"level": 4, "level_reason": ""})
    assert agreeing["level"] == 4


def test_level_must_be_one_of_the_four(workspace: Workspace) -> None:
    with pytest.raises(DomainError, match="1〜4"):
        _assessment(workspace, level=5)


def test_kpi_counts_the_latest_confirmed_level_per_municipality_and_year(
    workspace: Workspace,
) -> None:
    reason = {"level_reason": "判断"}
    workspace.assessments.add(
        {
            "municipality": "302015",
            "fiscal_year": 2024,
            "level": 2,
            "assessed_on": "2024-06-01",
            **reason,
        }
    )
    workspace.assessments.add(
        {
            "municipality": "302015",
            "fiscal_year": 2024,
            "level": 3,
            "assessed_on": "2024-11-01",
            **reason,
        }
    )
    workspace.assessments.add({"municipality": "302023", "fiscal_year": 2024, "level": 3, **reason})
    workspace.assessments.add({"municipality": "302031", "fiscal_year": 2023, "level": 1})
    unconfirmed = workspace.assessments.add({"municipality": "302040", "fiscal_year": 2024})
    assert unconfirmed["level"] is None
    kpi = workspace.assessments.kpi()
    assert kpi["levels"] == {
        "2023": {"1": 1, "2": 0, "3": 0, "4": 0},
        "2024": {"1": 0, "2": 0, "3": 2, "4": 0},
    }
    assert kpi["targets"] == {"2025": {"4": 12, "3": 18}}
