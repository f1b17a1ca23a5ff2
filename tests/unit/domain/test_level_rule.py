import json
from pathlib import Path
from typing import Any

import pytest

from dxdesk.domain.catalog import Catalog, Category, Item, Scale, ScaleOption, load_catalog
from dxdesk.domain.errors import CatalogError, ScoreOutOfScale
from dxdesk.domain.level_rule import (
    CategoryRatioAtLeast,
    ItemsAtLeast,
    LevelCriteria,
    LevelRule,
    TotalRatioAtLeast,
    load_level_rule,
    suggest_level,
)

NATIONAL = [
    "0-1",
    "0-3",
    "1-1",
    "2-1",
    "2-3",
    "3-1",
    "3-2",
    "3-3",
    "3-4",
    "3-5",
    "3-6",
    "3-7",
    "3-9",
    "3-11",
    "3-12",
    "3-13",
    "5-1",
    "5-7",
]
PREFECTURE = [f"D{n}" for n in range(1, 9)]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog("2024")


@pytest.fixture(scope="module")
def rule() -> LevelRule:
    return load_level_rule("2024")


def scores(national: int, **overrides: int) -> dict[str, int]:
    """Every national item at ``national``, every D item at 0, then the overrides.

    Overrides use underscores for hyphens: ``i3_1=2`` sets item 3-1.
    """
    result = dict.fromkeys(NATIONAL, national) | dict.fromkeys(PREFECTURE, 0)
    for key, value in overrides.items():
        result[key.removeprefix("i").replace("_", "-")] = value
    return result


def test_the_bundled_rule(rule: LevelRule) -> None:
    assert rule.catalog_version == "2024"
    assert [c.level for c in rule.levels] == [4, 3, 2, 1]
    assert rule.levels[0].conditions[0] == TotalRatioAtLeast(0.70)
    assert rule.levels[-1].conditions == ()


def test_full_marks_suggest_4(rule: LevelRule, catalog: Catalog) -> None:
    suggestion = suggest_level(rule, catalog, scores(3, **dict.fromkeys(PREFECTURE, 3)))
    assert suggestion.level == 4
    assert suggestion.reasons == (
        "得点率 100%（基準 70% 以上）",
        "他団体への発信・展開（D1/D3/D4/D5）: 4 項目が 3 点（基準 2 項目以上）",
    )


def test_just_above_70_percent_suggests_4(rule: LevelRule, catalog: Catalog) -> None:
    # 54 - 5 + 6 = 55 points; 55/78 = 70.5 %
    s = scores(3, D1=3, D3=3, i3_1=2, i3_2=2, i3_3=2, i3_4=2, i3_5=2)
    assert sum(s.values()) == 55
    suggestion = suggest_level(rule, catalog, s)
    assert suggestion.level == 4
    assert suggestion.reasons[0] == "得点率 71%（基準 70% 以上）"  # rounded half up
    assert suggestion.reasons[1].endswith("2 項目が 3 点（基準 2 項目以上）")


def test_just_below_70_percent_falls_to_3_and_says_why(rule: LevelRule, catalog: Catalog) -> None:
    # One point less: 54/78 = 69.2 %
    s = scores(3, D1=3, D3=3, i3_1=2, i3_2=2, i3_3=2, i3_4=2, i3_5=2, i3_6=2)
    suggestion = suggest_level(rule, catalog, s)
    assert suggestion.level == 3
    assert suggestion.reasons == (
        "得点率 69%（基準 50% 以上）",
        "外部支援の活用（5-7/D7）: 1 項目が 2 点以上（基準 1 項目以上）",
        "4 共創 に届かない理由: 得点率 69%（基準 70% 以上）",
    )


def test_high_ratio_without_outreach_is_3(rule: LevelRule, catalog: Catalog) -> None:
    suggestion = suggest_level(rule, catalog, scores(3, D1=3, D7=3))
    assert suggestion.level == 3
    assert suggestion.reasons[-1] == (
        "4 共創 に届かない理由: "
        "他団体への発信・展開（D1/D3/D4/D5）: 1 項目が 3 点（基準 2 項目以上）"
    )


def test_no_outside_support_is_2(rule: LevelRule, catalog: Catalog) -> None:
    # 52/78 = 66.7 %, but neither 5-7 nor D7
    suggestion = suggest_level(rule, catalog, scores(3, i5_7=1))
    assert suggestion.level == 2
    assert suggestion.reasons == (
        "得点率 67%（基準 25% 以上）",
        "3 協働 に届かない理由: 外部支援の活用（5-7/D7）: 0 項目が 2 点以上（基準 1 項目以上）",
    )


def test_d7_alone_counts_as_outside_support(rule: LevelRule, catalog: Catalog) -> None:
    assert suggest_level(rule, catalog, scores(3, i5_7=0, D7=3)).level == 3


def test_quarter_is_2_and_below_is_1(rule: LevelRule, catalog: Catalog) -> None:
    # 17 + 3 = 20 points, 25.6 %
    two = suggest_level(rule, catalog, scores(1, i5_7=0, D2=3))
    assert two.level == 2
    assert two.reasons == (
        "得点率 26%（基準 25% 以上）",
        "3 協働 に届かない理由: 得点率 26%（基準 50% 以上）",
    )
    # 17 points, 21.8 %
    one = suggest_level(rule, catalog, scores(1, i5_7=0))
    assert one.level == 1
    assert one.reasons == ("2 支援 に届かない理由: 得点率 22%（基準 25% 以上）",)


def test_unanswered_items_are_reported_and_count_as_zero(rule: LevelRule, catalog: Catalog) -> None:
    partial = dict.fromkeys(NATIONAL[:13], 3)  # 39/78 = 50 %, but no 5-7 or D7
    suggestion = suggest_level(rule, catalog, partial)
    assert suggestion.level == 2
    assert suggestion.reasons[-1] == "未回答 13 項目（0 点として計算）"
    assert suggest_level(rule, catalog, {}).reasons[-1] == "未回答 26 項目（0 点として計算）"


def test_scores_are_validated(rule: LevelRule, catalog: Catalog) -> None:
    with pytest.raises(ScoreOutOfScale):
        suggest_level(rule, catalog, {"D1": 2})


def _ten_item_catalog() -> Catalog:
    yes_no = Scale("yn", "有無", (ScaleOption(3, "有"), ScaleOption(0, "無")))
    items = tuple(
        Item(f"Q{n}", "A" if n <= 5 else "B", yes_no, f"質問{n}", f"Q{n}") for n in range(1, 11)
    )
    return Catalog("t", "試験", (yes_no,), (Category("A", "前半"), Category("B", "後半")), items)


def _answers(*threes: int) -> dict[str, int]:
    """All ten items of the test catalog answered: 3 for the numbers given, else 0."""
    return {f"Q{n}": 3 if n in threes else 0 for n in range(1, 11)}


def _rule(*conditions_4: Any, catalog_version: str = "t") -> LevelRule:
    return LevelRule(
        "t",
        catalog_version,
        (
            LevelCriteria(1, ()),
            LevelCriteria(2, ()),
            LevelCriteria(3, ()),
            LevelCriteria(4, tuple(conditions_4)),
        ),
    )


def test_exactly_70_percent_meets_a_70_percent_threshold() -> None:
    catalog = _ten_item_catalog()
    rule = _rule(TotalRatioAtLeast(0.7))
    seven = _answers(1, 2, 3, 4, 5, 6, 7)  # 21/30, exactly 0.7
    assert suggest_level(rule, catalog, seven).level == 4
    assert suggest_level(rule, catalog, seven).reasons == ("得点率 70%（基準 70% 以上）",)
    six = _answers(1, 2, 3, 4, 5, 6)
    assert suggest_level(rule, catalog, six).level == 3


def test_thresholds_off_the_whole_percent_show_decimals() -> None:
    catalog = _ten_item_catalog()
    rule = _rule(TotalRatioAtLeast(0.705))
    seven = _answers(1, 2, 3, 4, 5, 6, 7)
    suggestion = suggest_level(rule, catalog, seven)
    assert suggestion.level == 3
    assert suggestion.reasons == ("4 共創 に届かない理由: 得点率 70.0%（基準 70.5% 以上）",)


def test_a_ratio_that_rounds_up_to_an_unmet_threshold_shows_the_places_it_lacks(
    catalog: Catalog,
) -> None:
    # 55/78 = 70.51 % reads 71 % everywhere, but is short of a 71 % threshold: say 70.5 %.
    s = scores(3, D1=3, D3=3, i3_1=2, i3_2=2, i3_3=2, i3_4=2, i3_5=2)
    rule = _rule(TotalRatioAtLeast(0.71), catalog_version=catalog.version)
    assert suggest_level(rule, catalog, s).reasons == (
        "4 共創 に届かない理由: 得点率 70.5%（基準 71% 以上）",
    )
    met = _rule(TotalRatioAtLeast(0.70), catalog_version=catalog.version)
    assert suggest_level(met, catalog, s).reasons == ("得点率 71%（基準 70% 以上）",)


def test_category_ratio_condition() -> None:
    catalog = _ten_item_catalog()
    rule = _rule(CategoryRatioAtLeast("B", 0.6), CategoryRatioAtLeast("A", 0.2, "前半の取組"))
    met = suggest_level(rule, catalog, _answers(1, 6, 7, 8))
    assert met.level == 4
    assert met.reasons == (
        "後半の得点率 60%（基準 60% 以上）",
        "前半の取組の得点率 20%（基準 20% 以上）",
    )
    unmet = suggest_level(rule, catalog, _answers(1, 6, 7))
    assert unmet.level == 3
    assert unmet.reasons[0] == "4 共創 に届かない理由: 後半の得点率 40%（基準 60% 以上）"


def test_rule_and_catalog_must_belong_together(catalog: Catalog) -> None:
    with pytest.raises(CatalogError, match="カタログ t"):
        suggest_level(_rule(), catalog, {})


def test_rule_structure_is_checked_when_built() -> None:
    with pytest.raises(CatalogError, match="4・3・2・1"):
        LevelRule("t", "t", (LevelCriteria(4, ()), LevelCriteria(1, ())))
    with pytest.raises(CatalogError, match="支援分類 1"):
        LevelRule(
            "t",
            "t",
            (
                LevelCriteria(4, ()),
                LevelCriteria(3, ()),
                LevelCriteria(2, ()),
                LevelCriteria(1, (TotalRatioAtLeast(0.1),)),
            ),
        )
    with pytest.raises(CatalogError, match="0〜1"):
        TotalRatioAtLeast(70)
    with pytest.raises(CatalogError, match="min_count"):
        ItemsAtLeast(("D1", "D3"), 3, 3, "発信")


def _write_rule(directory: Path, change: Any) -> None:
    data = json.loads((directory / "level-rule-2024.json").read_text(encoding="utf-8"))
    data["version"] = "2099"
    change(data)
    (directory / "level-rule-2099.json").write_text(json.dumps(data), encoding="utf-8")


def _unknown_item(data: dict[str, Any]) -> None:
    data["levels"][0]["conditions"][1]["items"].append("D9")


def _level_twice(data: dict[str, Any]) -> None:
    data["levels"][1]["level"] = 4


def _level_missing(data: dict[str, Any]) -> None:
    del data["levels"][2]


def _threshold_as_percent(data: dict[str, Any]) -> None:
    data["levels"][0]["conditions"][0]["value"] = 70


def _negative_threshold(data: dict[str, Any]) -> None:
    data["levels"][2]["conditions"][0]["value"] = -0.1


def _floor_with_condition(data: dict[str, Any]) -> None:
    data["levels"][3]["conditions"] = [{"type": "total_ratio_at_least", "value": 0.1}]


def _unknown_type(data: dict[str, Any]) -> None:
    data["levels"][2]["conditions"][0]["type"] = "total_at_least"


def _unknown_category(data: dict[str, Any]) -> None:
    data["levels"][2]["conditions"].append(
        {"type": "category_ratio_at_least", "category": "7", "value": 0.5}
    )


def _unreachable_min_score(data: dict[str, Any]) -> None:
    data["levels"][1]["conditions"][1]["min_score"] = 4


def _missing_catalog(data: dict[str, Any]) -> None:
    data["catalog"] = "2030"


def _string_min_count(data: dict[str, Any]) -> None:
    data["levels"][0]["conditions"][1]["min_count"] = "2"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_unknown_item, "項目 D9"),
        (_level_twice, "4・3・2・1"),
        (_level_missing, "4・3・2・1"),
        (_threshold_as_percent, "0〜1"),
        (_negative_threshold, "0〜1"),
        (_floor_with_condition, "支援分類 1 には条件を書かない"),
        (_unknown_type, "total_at_least"),
        (_unknown_category, "分類 7"),
        (_unreachable_min_score, "満点 3"),
        (_missing_catalog, "カタログ 2030"),
        (_string_min_count, "min_count は整数"),
    ],
)
def test_malformed_rule_files_are_rejected(assessment_dir: Path, change: Any, message: str) -> None:
    _write_rule(assessment_dir, change)
    with pytest.raises(CatalogError, match=message) as caught:
        load_level_rule("2099", assessment_dir)
    assert str(caught.value).startswith("level-rule-2099.json")
    assert "level-rule-2099.json" not in str(caught.value)[len("level-rule-2099.json") :]


def test_latest_rule_is_the_default(assessment_dir: Path) -> None:
    def lower_bar(data: dict[str, Any]) -> None:
        data["levels"][0]["conditions"][0]["value"] = 0.6

    _write_rule(assessment_dir, lower_bar)
    rule = load_level_rule(directory=assessment_dir)
    assert rule.version == "2099"
    catalog = load_catalog("2024", assessment_dir)
    s = scores(2, D1=3, D3=3, D7=3)  # 36 + 9 = 45 points, 57.7 %
    assert suggest_level(rule, catalog, s).level == 3
    s = scores(2, D1=3, D3=3, D7=3, i3_1=3, i3_2=3)  # 47 points, 60.3 %
    assert suggest_level(rule, catalog, s).level == 4
