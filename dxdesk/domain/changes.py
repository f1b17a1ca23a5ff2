"""What a write or an event changed in the store, said once for every panel to judge.

Like Anki's OpChanges: the store notes what each write touched (models/change_notice.py), the
event that caused it says where it came from, and one signal carries the value to every panel,
which decides for itself whether to read again, save what is typed first, or keep the screen
as it is (DESIGN §7). Plain data: no Qt, no database.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace


class Source(enum.Enum):
    """Where the change came from, which tells a panel whether it shows it already."""

    EDIT = "edit"  # a form or list of this window wrote it, and shows what it wrote
    UNDO = "undo"  # deleted records came back
    IMPORT = "import"  # a survey import wrote assessments (and contacts)
    SYNC = "sync"  # a sync ended (done, cancelled or failed): what it stored came from the server
    CONFLICT = "conflict"  # a conflict was settled in its dialog
    RESTORE = "restore"  # a backup replaced the store under the window
    LOGIN = "login"  # an account logged in: the assigned municipalities may differ


# Sources after which a form may show older values than the store holds.
REWRITING = frozenset({Source.IMPORT, Source.SYNC, Source.CONFLICT, Source.RESTORE})


@dataclass(frozen=True)
class Changes:
    """Which records changed, and how.

    ``municipalities`` names those whose records changed (none named: any may have).
    ``fields`` names the columns whose values changed (every column, for a record added or
    deleted outright). ``everything`` says the change is not itemised: any record may differ
    (a restored backup).
    """

    kinds: frozenset[str] = frozenset()
    municipalities: frozenset[str] = frozenset()
    fields: frozenset[str] = frozenset()
    source: Source = Source.EDIT
    everything: bool = False

    def touches(self, *kinds: str) -> bool:
        """Records of one of these kinds may have changed."""
        return self.everything or not self.kinds.isdisjoint(kinds)

    def concerns(self, municipality: str | None) -> bool:
        """Records of this municipality may have changed (or records of no municipality known).

        A write that names no municipality (a pending change alone) is taken to concern any.
        """
        if municipality is None:
            return False
        return self.everything or not self.municipalities or municipality in self.municipalities

    def wrote(self, kind: str, fields: frozenset[str] | set[str]) -> bool:
        """A record of ``kind`` was written in one of ``fields`` (an add or delete writes all)."""
        return self.everything or (kind in self.kinds and not self.fields.isdisjoint(fields))

    @property
    def rewrote(self) -> bool:
        """The store may now hold newer values than an open form shows."""
        return self.source in REWRITING and (self.everything or bool(self.kinds))

    @property
    def store_replaced(self) -> bool:
        return self.source is Source.RESTORE

    def from_source(self, source: Source) -> Changes:
        return replace(self, source=source)
