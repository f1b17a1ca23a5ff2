"""How values read on screen: fiscal years as "R7 (2025)", levels as "4 共創"."""

from __future__ import annotations

from typing import Any

from dxdesk.domain.fiscal_year import format_fiscal_year
from dxdesk.domain.support_levels import format_level
from dxdesk.domain.vocabulary import ENGAGEMENT_TYPES, FOLLOW_UP_STATUSES, MODES


def level_text(level: int | None) -> str:
    return "" if level is None else format_level(level)


def fiscal_year_text(fiscal_year: int | None) -> str:
    return "" if fiscal_year is None else format_fiscal_year(fiscal_year)


def engagement_type_text(record: dict[str, Any]) -> str:
    return ENGAGEMENT_TYPES.get(record["type"], record["type"])


def mode_text(record: dict[str, Any]) -> str:
    return MODES.get(record["mode"], record["mode"])


def status_text(record: dict[str, Any]) -> str:
    return FOLLOW_UP_STATUSES.get(record["status"], record["status"])
