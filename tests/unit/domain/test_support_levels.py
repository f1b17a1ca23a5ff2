import json
from pathlib import Path

import pytest

from dxdesk.domain.errors import CatalogError, DomainError
from dxdesk.domain.roster import load_roster
from dxdesk.domain.support_levels import (
    format_level,
    kpi_targets,
    load_support_level_table,
    programme_observed_levels,
    support_level,
    support_levels,
)


def test_four_levels_highest_first() -> None:
    assert [(s.level, s.name) for s in support_levels()] == [
        (4, "共創"),
        (3, "協働"),
        (2, "支援"),
        (1, "関与"),
    ]
    assert support_level(3).definition == "課題を判断して整理し、外部支援を活用できる団体"
    assert support_level(1).definition == "課題の整理をはじめ、全体的に関与が必要な団体"


def test_format_level() -> None:
    assert format_level(4) == "4 共創"
    assert format_level(1) == "1 関与"


@pytest.mark.parametrize("level", [0, 5, -1, True])
def test_unknown_level(level: int) -> None:
    with pytest.raises(DomainError, match="1〜4"):
        support_level(level)


def test_programme_figures() -> None:
    assert programme_observed_levels() == {
        2023: {4: 2, 3: 10, 2: 12, 1: 6},
        2024: {4: 6, 3: 22, 2: 2, 1: 0},
    }
    assert kpi_targets() == {2025: {4: 12, 3: 18}}


def test_every_year_accounts_for_all_municipalities() -> None:
    municipalities = len(load_roster())
    for counts in (*programme_observed_levels().values(), *kpi_targets().values()):
        assert sum(counts.values()) == municipalities


def test_callers_get_copies() -> None:
    kpi_targets()[2025][4] = 99
    assert kpi_targets()[2025][4] == 12


def test_a_missing_level_is_rejected(assessment_dir: Path) -> None:
    path = assessment_dir / "support-levels.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    del data["levels"][2]
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CatalogError, match="4・3・2・1"):
        load_support_level_table(path)


def test_a_bad_count_is_rejected(assessment_dir: Path) -> None:
    path = assessment_dir / "support-levels.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["targets"][0]["counts"]["5"] = 1
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CatalogError, match="支援分類 5"):
        load_support_level_table(path)
