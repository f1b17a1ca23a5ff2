"""Support levels (支援分類) and the programme's KPI, read from support-levels.json."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TypeAlias

from dxdesk.domain.data_files import JsonObject, read_json_object
from dxdesk.domain.errors import DomainError, InvalidFiscalYear
from dxdesk.domain.fiscal_year import parse_fiscal_year
from dxdesk.resources import resource_path

LEVELS = (4, 3, 2, 1)


@dataclass(frozen=True)
class SupportLevel:
    level: int
    name: str
    definition: str


# (fiscal year, ((level, municipalities), ...)); tuples so the cached table cannot be altered.
LevelCounts: TypeAlias = tuple[tuple[int, tuple[tuple[int, int], ...]], ...]


@dataclass(frozen=True)
class SupportLevelTable:
    levels: tuple[SupportLevel, ...]  # 4 first
    observed: LevelCounts
    targets: LevelCounts


def default_support_levels_path() -> Path:
    return resource_path("assessment", "support-levels.json")


@cache
def load_support_level_table(path: Path | None = None) -> SupportLevelTable:
    root = read_json_object(path or default_support_levels_path())
    levels = tuple(
        SupportLevel(e.integer("level"), e.text("name"), e.text("definition"))
        for e in root.children("levels")
    )
    if sorted((s.level for s in levels), reverse=True) != list(LEVELS):
        raise root.error("levels には 4・3・2・1 を 1 回ずつ書いてください")
    return SupportLevelTable(
        levels=tuple(sorted(levels, key=lambda s: -s.level)),
        observed=_counts(root, "observed"),
        targets=_counts(root, "targets"),
    )


def _counts(root: JsonObject, key: str) -> LevelCounts:
    years: dict[int, tuple[tuple[int, int], ...]] = {}
    for entry in root.children(key):
        try:
            fiscal_year = parse_fiscal_year(entry.integer("fiscal_year"))
        except InvalidFiscalYear as e:
            raise entry.error(str(e)) from e
        if fiscal_year in years:
            raise entry.error(f"{fiscal_year} 年度が重複しています")
        counts = entry.child("counts")
        per_level: list[tuple[int, int]] = []
        for raw_level in counts.data:
            if raw_level not in {str(level) for level in LEVELS}:
                raise counts.error(f"支援分類 {raw_level} はありません（1〜4）")
            count = counts.integer(raw_level)
            if count < 0:
                raise counts.error(f"市町村数 {count} は 0 以上にしてください")
            per_level.append((int(raw_level), count))
        years[fiscal_year] = tuple(sorted(per_level, reverse=True))
    return tuple(sorted(years.items()))


def _as_dict(counts: LevelCounts) -> dict[int, dict[int, int]]:
    return {year: dict(per_level) for year, per_level in counts}


def support_levels() -> tuple[SupportLevel, ...]:
    """All four levels, 4 共創 first."""
    return load_support_level_table().levels


def support_level(level: int) -> SupportLevel:
    for candidate in support_levels():
        if candidate.level == level and not isinstance(level, bool):
            return candidate
    raise DomainError(f"支援分類 {level!r} はありません（1〜4 で指定してください）")


def format_level(level: int) -> str:
    """ "4 共創": number and name, as advisors say it."""
    return f"{level} {support_level(level).name}"


def kpi_targets() -> dict[int, dict[int, int]]:
    """Fiscal year -> level -> number of municipalities the programme aims for."""
    return _as_dict(load_support_level_table().targets)


def programme_observed_levels() -> dict[int, dict[int, int]]:
    """Fiscal year -> level -> number of municipalities, as the programme reported them.

    These are the published figures from before the app existed; later years are counted
    from the levels advisors confirm.
    """
    return _as_dict(load_support_level_table().observed)
