"""How much of the attachments' bytes a sync fetches ahead of time: the person's budget.

Files of the advisor's municipalities (and prefecture-wide ones) attached within the last
``months`` months are downloaded during a sync, newest first, while their total stays within
``megabytes``; any other file is fetched when it is first opened. Kept in the store's metadata,
so it belongs to the data folder like the rest of the sync settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from dxdesk.models.store import Store

META_AHEAD_MONTHS: Final = "files_ahead_months"
META_AHEAD_MB: Final = "files_ahead_mb"
DEFAULT_MONTHS: Final = 12
DEFAULT_MEGABYTES: Final = 2048
MAX_MONTHS: Final = 120
MAX_MEGABYTES: Final = 1024 * 1024  # 1 TB: bounded only by what a disk holds


@dataclass(frozen=True)
class FileBudget:
    """``months`` 0 or ``megabytes`` 0: nothing is fetched ahead (only on opening)."""

    months: int = DEFAULT_MONTHS
    megabytes: int = DEFAULT_MEGABYTES

    @property
    def bytes(self) -> int:
        return self.megabytes * 1024 * 1024

    @property
    def off(self) -> bool:
        return self.months == 0 or self.megabytes == 0


def _number(text: str | None, default: int, largest: int) -> int:
    if text is None or not text.strip().isdigit():
        return default
    return min(int(text), largest)


def read_budget(store: Store) -> FileBudget:
    return FileBudget(
        months=_number(store.meta(META_AHEAD_MONTHS), DEFAULT_MONTHS, MAX_MONTHS),
        megabytes=_number(store.meta(META_AHEAD_MB), DEFAULT_MEGABYTES, MAX_MEGABYTES),
    )


def set_budget(store: Store, budget: FileBudget) -> None:
    if not (0 <= budget.months <= MAX_MONTHS and 0 <= budget.megabytes <= MAX_MEGABYTES):
        raise ValueError(f"budget out of range: {budget}")
    store.set_meta(META_AHEAD_MONTHS, str(budget.months))
    store.set_meta(META_AHEAD_MB, str(budget.megabytes))
