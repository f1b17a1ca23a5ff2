"""What a data folder may do with the survey, by the role the server gave its user at the last
sync (store meta ``sync_role``; absent in a folder never synced, which is its own secretariat).

An advisor's laptop holds only its municipalities' answers: it neither loads a definition (the
server refuses that too) nor makes the prefecture's figures, which it cannot see whole.
"""

from __future__ import annotations

from typing import Final

from dxdesk.models.store import META_SYNC_ROLE, Store

ADVISOR_ROLE: Final = "advisor"
WHOLE_PREFECTURE_ROLES: Final = frozenset({"coordinator", "admin"})


def is_advisor(store: Store) -> bool:
    return store.meta(META_SYNC_ROLE) == ADVISOR_ROLE


def sees_whole_prefecture(store: Store) -> bool:
    """Every municipality's answers are here: a coordinator's folder, or one never synced."""
    role = store.meta(META_SYNC_ROLE)
    return role is None or role in WHOLE_PREFECTURE_ROLES
