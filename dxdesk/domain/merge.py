"""Three-way merge of one field: the value both sides last agreed on, theirs and mine.

Both the server (when a push meets a newer value) and the app (when a pull meets a local edit)
decide with this one rule, so they agree on what merges and what goes to a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import merge3

from dxdesk.domain.records import FieldType


class Outcome(StrEnum):
    UNCHANGED = "unchanged"  # mine is what is already there
    TAKE_MINE = "take_mine"  # only my side changed the field
    KEEP_THEIRS = "keep_theirs"  # only their side changed it
    MERGED = "merged"  # both changed a long text in different places
    CONFLICT = "conflict"  # both changed it differently: a person decides


@dataclass(frozen=True)
class FieldMerge:
    outcome: Outcome
    value: object  # the value the field should hold; theirs on a conflict

    @property
    def conflict(self) -> bool:
        return self.outcome is Outcome.CONFLICT


def merge_field(field_type: FieldType, *, base: object, theirs: object, mine: object) -> FieldMerge:
    """Values are compared in their JSON form (dates as ISO strings)."""
    if mine == theirs:
        return FieldMerge(Outcome.UNCHANGED, theirs)
    if theirs == base:
        return FieldMerge(Outcome.TAKE_MINE, mine)
    if mine == base:
        return FieldMerge(Outcome.KEEP_THEIRS, theirs)
    if (
        field_type is FieldType.LONG_TEXT
        and isinstance(base, str)
        and isinstance(theirs, str)
        and isinstance(mine, str)
    ):
        merged = merge_text(base, theirs, mine)
        if merged is not None:
            return FieldMerge(Outcome.MERGED, merged)
    return FieldMerge(Outcome.CONFLICT, theirs)


def merge_text(base: str, theirs: str, mine: str) -> str | None:
    """Line-wise three-way merge; None when both sides changed the same or touching lines."""
    merger = merge3.Merge3(
        base.splitlines(keepends=True),
        theirs.splitlines(keepends=True),
        mine.splitlines(keepends=True),
    )
    lines: list[str] = []
    for group in merger.merge_groups():
        if group[0] == "conflict":
            return None
        lines.extend(group[1])
    return "".join(lines)
