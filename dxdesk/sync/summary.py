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
    # The bytes of attachments (sync/files.py): sent and confirmed, received ahead of time,
    # refused by the server (each also a conflict), not received this time (the next sync
    # tries again).
    files_sent: int = 0
    files_received: int = 0
    files_refused: int = 0
    files_failed: int = 0
    # Why fetching ahead stopped, when it was this laptop's side (a full disk), in Japanese.
    files_problem: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "pushed": self.pushed,
            "pulled": self.pulled,
            "merged": self.merged,
            "conflicts": self.conflicts,
            "evicted": self.evicted,
            "files_sent": self.files_sent,
            "files_received": self.files_received,
            "files_refused": self.files_refused,
        } | ({"files_problem": self.files_problem} if self.files_problem else {})
