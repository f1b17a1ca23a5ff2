"""A record of a municipality outside the account's assignment is refused when it is made.

The server would refuse it at the next sync, and the person would meet it as a conflict days
later. The assignment is what the device last heard from the server (the municipality table's
``assigned`` flag, set at login and by every pull, as tests/e2e show); here it is set as sync
sets it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select, update

from dxdesk.models.outbox_tables import PendingChange
from dxdesk.models.tables import MunicipalityRow
from dxdesk.services.records import InvalidRecord
from dxdesk.services.workspace import Workspace

WAKAYAMA, KAINAN, HASHIMOTO = "302015", "302023", "302031"
NOT_ASSIGNED = "和歌山市 (302015) は担当ではありません。担当: 海南市 (302023)、橋本市 (302031)"


def _assign(ws: Workspace, *codes: str) -> None:
    with ws.store.transaction() as session:
        session.execute(update(MunicipalityRow).values(assigned=MunicipalityRow.code.in_(codes)))


def _pending(ws: Workspace) -> int:
    with ws.store.session() as session:
        return session.scalar(select(func.count()).select_from(PendingChange)) or 0


def _visit(code: str) -> dict[str, Any]:
    return {"municipality": code, "date": "2026-11-20", "title": "窓口BPR"}


CREATES: dict[str, Callable[[str], dict[str, Any]]] = {
    "visit": _visit,
    "contact": lambda code: {"municipality": code, "name": "山本 太郎"},
    "assessment": lambda code: {"municipality": code, "fiscal_year": 2026},
    "followup": lambda code: {"municipality": code, "description": "資料を送る"},
}


@pytest.mark.parametrize("kind", sorted(CREATES))
def test_a_create_outside_the_assignment_is_refused_saying_why(
    workspace: Workspace, kind: str
) -> None:
    _assign(workspace, KAINAN, HASHIMOTO)
    facade = workspace.records(kind)
    with pytest.raises(InvalidRecord) as refused:
        facade.add(CREATES[kind](WAKAYAMA))
    assert str(refused.value) == NOT_ASSIGNED
    assert refused.value.refused == {"municipality": NOT_ASSIGNED}
    assert facade.list_records() == [] and _pending(workspace) == 0
    assert facade.add(CREATES[kind](KAINAN))["municipality"] == KAINAN


def test_children_of_a_visit_left_outside_the_assignment_are_refused(
    workspace: Workspace,
) -> None:
    """A visit made before the first login, in a municipality the account turned out not to
    have: it is kept (and shown) until a person decides, but nothing new is added to it."""
    visit = workspace.engagements.add(_visit(WAKAYAMA))
    _assign(workspace, KAINAN, HASHIMOTO)
    before = _pending(workspace)
    with pytest.raises(InvalidRecord, match="和歌山市 \\(302015\\) は担当ではありません"):
        workspace.interviews.add({"engagement": visit["id"], "interviewee": "課長"})
    with pytest.raises(InvalidRecord, match="担当ではありません"):
        workspace.follow_ups.add({"engagement": visit["id"], "description": "資料を送る"})
    assert _pending(workspace) == before


def test_moving_a_record_out_of_the_assignment_is_refused(workspace: Workspace) -> None:
    _assign(workspace, KAINAN, HASHIMOTO)
    visit = workspace.engagements.add(_visit(KAINAN))
    with pytest.raises(InvalidRecord, match="担当ではありません"):
        workspace.engagements.update(visit["id"], {"municipality": WAKAYAMA})
    assert workspace.engagements.get(visit["id"])["municipality"] == KAINAN
    workspace.engagements.update(visit["id"], {"municipality": HASHIMOTO})


def test_before_the_first_login_and_for_a_coordinator_everything_is_allowed(
    workspace: Workspace,
) -> None:
    workspace.engagements.add(_visit(WAKAYAMA))  # a new data folder: nothing known yet
    with workspace.store.session() as session:
        everything = list(session.scalars(select(MunicipalityRow.code)))
    _assign(workspace, *everything)  # a coordinator's scope is every municipality
    workspace.engagements.add(_visit(WAKAYAMA))
    assert len(workspace.engagements.list_records()) == 2


def test_prefecture_wide_records_may_name_any_municipality(workspace: Workspace) -> None:
    _assign(workspace, KAINAN)
    article = workspace.articles.add({"title": "書かない窓口", "municipality": WAKAYAMA})
    assert article["municipality"] == WAKAYAMA


def test_an_account_with_no_municipality_is_told_so(workspace: Workspace) -> None:
    _assign(workspace)
    with pytest.raises(InvalidRecord) as refused:
        workspace.engagements.add(_visit(WAKAYAMA))
    assert str(refused.value).startswith("和歌山市 (302015) は担当ではありません。担当: なし")
