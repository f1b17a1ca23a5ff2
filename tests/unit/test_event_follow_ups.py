"""A follow-up taken at a group session is for one of its participants: checked whenever the
follow-up's event, municipality or engagement changes, and a participant with follow-ups of the
session cannot be taken out of it."""

from __future__ import annotations

import pytest

from dxdesk.services.records import InvalidRecord
from dxdesk.services.workspace import Workspace

WAKAYAMA, KAINAN, HASHIMOTO = "302015", "302023", "302031"


def _event(ws: Workspace) -> str:
    return str(
        ws.events.add(
            {
                "type": "regional_consultation",
                "date": "2025-10-14",
                "title": "地域別よろず相談（海草）",
                "participants": [WAKAYAMA, KAINAN],
            }
        )["id"]
    )


def test_moving_a_follow_up_to_a_municipality_outside_the_event_is_refused(
    workspace: Workspace,
) -> None:
    event = _event(workspace)
    item = workspace.follow_ups.add(
        {"municipality": KAINAN, "description": "資料を共有", "event": event}
    )["id"]
    with pytest.raises(InvalidRecord, match=f"市町村 {HASHIMOTO} は合同の場「地域別"):
        workspace.follow_ups.update(item, {"municipality": HASHIMOTO})
    visit = workspace.engagements.add(
        {"municipality": HASHIMOTO, "date": "2025-10-20", "title": "訪問"}
    )["id"]
    with pytest.raises(InvalidRecord, match="参加市町村ではありません"):
        workspace.follow_ups.update(item, {"engagement": visit})
    assert workspace.follow_ups.get(item)["municipality"] == KAINAN
    # Within the event's participants it moves.
    workspace.follow_ups.update(item, {"municipality": WAKAYAMA})
    assert workspace.follow_ups.get(item)["municipality"] == WAKAYAMA


def test_a_participant_with_follow_ups_of_the_event_stays_in_it(workspace: Workspace) -> None:
    event = _event(workspace)
    workspace.follow_ups.add({"municipality": KAINAN, "description": "資料", "event": event})
    with pytest.raises(InvalidRecord, match=r"海南市（302023）1件") as refused:
        workspace.events.update(event, {"participants": [WAKAYAMA]})
    assert "参加市町村から外せません" in refused.value.refused["participants"]
    assert sorted(workspace.events.get(event)["participants"]) == [WAKAYAMA, KAINAN]
    # One without follow-ups goes; adding one is always fine.
    workspace.events.update(event, {"participants": [KAINAN, HASHIMOTO]})
    assert sorted(workspace.events.get(event)["participants"]) == [KAINAN, HASHIMOTO]
