"""What the programme plans for a fiscal year (its ``programme_plan`` record's ``targets``):
how many of each group session, and how many uses of each national advisor scheme.

A target of a session held per region or per theme counts each region's or theme's sessions
(地域別よろず相談 twice a year in each 振興局, テーマ別よろず相談 three times for each theme);
the others count the year's sessions. A scheme's target is ``scheme.<code>``.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from dxdesk.domain.calendar_values import whole_number
from dxdesk.domain.errors import DomainError
from dxdesk.domain.national_schemes import national_schemes
from dxdesk.domain.vocabulary import GROUP_EVENT_TYPES

SCHEME_PREFIX: Final = "scheme."
PER_REGION: Final = frozenset({"regional_consultation"})
PER_THEME: Final = frozenset({"theme_consultation"})
# The group sessions a plan may count (a 定例 is planned by each municipality's cadence).
PLANNED_EVENT_TYPES: Final = MappingProxyType(
    {key: label for key, label in GROUP_EVENT_TYPES.items() if key != "regular_consultation"}
)
TARGET_LIMIT: Final = 10_000


class InvalidTargets(DomainError):
    pass


def target_label(key: str) -> str:
    """「地域別よろず相談（振興局ごと）」, 「国の制度: 地域情報化アドバイザー派遣」."""
    if key.startswith(SCHEME_PREFIX):
        code = key[len(SCHEME_PREFIX) :]
        return f"国の制度: {national_schemes().get(code, code)}"
    label = PLANNED_EVENT_TYPES.get(key, key)
    if key in PER_REGION:
        return f"{label}（振興局ごと）"
    if key in PER_THEME:
        return f"{label}（テーマごと）"
    return label


def target_keys() -> tuple[str, ...]:
    """Every key a plan may hold, sessions first, in the order a table shows them."""
    return (*PLANNED_EVENT_TYPES, *(SCHEME_PREFIX + code for code in national_schemes()))


def clean_targets(name: str, value: object) -> dict[str, int]:
    """A plan's targets: known keys (or their labels) to whole numbers 0〜10,000."""
    if not isinstance(value, Mapping):
        raise InvalidTargets(f"{name}は「項目: 回数」のオブジェクトで指定してください")
    by_label = {target_label(key): key for key in target_keys()}
    known = set(target_keys())
    cleaned: dict[str, int] = {}
    for raw_key, raw_count in value.items():
        key = str(raw_key).strip()
        key = by_label.get(key, key)
        if key not in known:
            raise InvalidTargets(
                f"{name}の項目 {raw_key!r} はありません（使えるもの: {', '.join(sorted(known))}）"
            )
        count = _count(raw_count)
        if count is None:
            raise InvalidTargets(
                f"{name}の {target_label(key)} は 0〜{TARGET_LIMIT:,} の整数で指定してください"
                f"（{raw_count!r}）"
            )
        cleaned[key] = count
    return cleaned


def _count(value: object) -> int | None:
    count = whole_number(value)
    return count if count is not None and 0 <= count <= TARGET_LIMIT else None
