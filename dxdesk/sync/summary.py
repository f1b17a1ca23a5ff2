"""What one sync did, for the status bar, the log and the command line."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class SyncSummary:
    pushed: int = 0
    pulled: int = 0
    merged: int = 0
    conflicts: int = 0
    evicted: list[str] = field(default_factory=list)
    # Unassigned, but still holding edits the server refused: kept until a person decides.
    kept: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "pushed": self.pushed,
            "pulled": self.pulled,
            "merged": self.merged,
            "conflicts": self.conflicts,
            "evicted": self.evicted,
        }
