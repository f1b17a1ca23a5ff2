"""How a group event (合同の場) reads wherever it is shown: its type, the people who came, and
the types one may choose for it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from dxdesk.domain.vocabulary import GROUP_EVENT_TYPES
from dxdesk.ui.format import vocabulary_text

# Kept for events stored before the programme's calendar; a 定例よろず相談 is now a consultation
# with one municipality, so it is offered only where a stored event has it.
LEGACY_EVENT_TYPE = "regular_consultation"


def people_count(record: Mapping[str, Any]) -> int:
    """The people who came, over all participants (0: not counted)."""
    return sum((record.get("attendance") or {}).values())


def event_type_text(record: Mapping[str, Any]) -> str:
    """地域別よろず相談, 合同研修, … in the UI's language (an unknown code as stored)."""
    kind = str(record.get("type") or "")
    return vocabulary_text(GROUP_EVENT_TYPES.get(kind, kind))


def event_type_choices(stored: Iterable[str] = ()) -> dict[str, str]:
    """The types to choose from (code → domain label): the legacy 定例よろず相談 only when one
    of the ``stored`` types is it, so that such an event still shows and keeps its type."""
    keep = set(stored)
    return {
        code: label
        for code, label in GROUP_EVENT_TYPES.items()
        if code != LEGACY_EVENT_TYPE or code in keep
    }
