import json
from pathlib import Path
from typing import Any

import pytest

from dxdesk.domain.catalog import Catalog, catalog_versions, load_catalog
from dxdesk.domain.errors import (
    CatalogError,
    DomainError,
    ScoreOutOfScale,
    UnknownCategory,
    UnknownItem,
)
from dxdesk.domain.scoring import summarize

# Copied from the programme's item list (reference/assessment-items.md), independently of the
# JSON file, so a typo in either shows up here.
REFERENCE_QUESTIONS = {
    "0-1": "基本的な考え方：組織内において、DXに関する定義を行っていますか？",
    "0-3": "DXに関する認識共有・機運醸成の研修を実施したことはありますか？",
    "1-1": "DX推進にかかる計画・指針等を策定していますか？",
    "2-1": "DX推進の責任者(例：CDO等)を配置していますか？",
    "2-3": "DX推進担当部門を設置していますか？",
    "3-1": "システム標準化対象の20業務の対応状況を教えてください。",
    "3-2": "マイナンバーカードの普及促進をしていますか？",
    "3-3": "行政手続きのオンライン化を推進していますか？",
    "3-4": "AI（生成AIを含む）を活用していますか？",
    "3-5": "RPAを活用していますか？",
    "3-6": "テレワークを推進していますか？",
    "3-7": "セキュリティ対策はどのくらい徹底していますか？",
    "3-9": (
        "デジタル田園都市国家構想の実現に向けたデジタル実装の取組の推進・"
        "地域社会のデジタル化の取組を行なっていますか？"
    ),
    "3-11": "デジタルデバイド対策を推進していますか？",
    "3-12": "BPRを推進していますか？",
    "3-13": "オープンデータ・官民データ活用を推進していますか？",
    "5-1": "DX推進のための人材育成・確保方針は策定していますか？",
    "5-7": "DX推進にかかる外部人材を活用していますか？",
    "D1": "他団体向けの講演・研修の実施",
    "D2": "個別研修・ワークショップ実施",
    "D3": "自団体の取り組みの発信・視察の受け入れ",
    "D4": "ガイドライン等文書の他団体への展開",
    "D5": "他団体に向けた事例共有",
    "D6": "IT系資格取得支援制度の有無",
    "D7": "国のアドバイザー派遣制度活用",
    "D8": "首長・副首長との意見交換実施",
}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog("2024")


def test_26_items_18_national_8_prefecture_maximum_78(catalog: Catalog) -> None:
    assert len(catalog.items) == 26
    assert sum(1 for i in catalog.items if i.scale.id == "national") == 18
    assert [i.code for i in catalog.items if i.scale.id == "prefecture"] == [
        f"D{n}" for n in range(1, 9)
    ]
    assert catalog.max_total == 78


def test_questions_match_the_reference_in_order(catalog: Catalog) -> None:
    assert {i.code: i.question for i in catalog.items} == REFERENCE_QUESTIONS
    assert catalog.codes == tuple(REFERENCE_QUESTIONS)


def test_scales(catalog: Catalog) -> None:
    national = catalog.item("0-1").scale
    prefecture = catalog.item("D1").scale
    assert national.values == frozenset({0, 1, 2, 3})
    assert prefecture.values == frozenset({0, 3})
    assert national.maximum == prefecture.maximum == 3
    assert national.label_for(1) == "時期は未定だが推進を検討中"
    assert prefecture.label_for(3) == "実績が1件以上ある"
    with pytest.raises(ScoreOutOfScale):
        prefecture.label_for(2)


def test_categories_follow_the_leading_number_of_the_code(catalog: Catalog) -> None:
    assert [(c.id, c.name) for c in catalog.categories] == [
        ("0", "認識共有・機運醸成"),
        ("1", "全体方針の決定"),
        ("2", "推進体制の整備"),
        ("3", "DXの取組の実行"),
        ("5", "デジタル人材の育成・確保"),
        ("D", "和歌山県独自指標"),
    ]
    for item in catalog.items:
        assert item.category_id == ("D" if item.code.startswith("D") else item.code.split("-")[0])
    assert [i.code for i in catalog.items_in("5")] == ["5-1", "5-7"]
    assert len(catalog.items_in("3")) == 11
    with pytest.raises(UnknownCategory):
        catalog.items_in("4")


def test_short_labels_are_unique_and_short(catalog: Catalog) -> None:
    shorts = [i.short for i in catalog.items]
    assert len(set(shorts)) == 26
    assert all(0 < len(s) <= 10 for s in shorts)
    assert catalog.item("2-1").short == "CDO配置"
    assert catalog.item("D8").short == "首長との意見交換"


def test_item_lookup_tolerates_width_and_case(catalog: Catalog) -> None:
    assert catalog.item("ｄ２").code == "D2"
    assert catalog.item("３－１").code == "3-1"
    with pytest.raises(UnknownItem, match="3-8"):
        catalog.item("3-8")


def test_validate_scores_returns_catalog_order(catalog: Catalog) -> None:
    clean = catalog.validate_scores({"D2": "３", "0-1": 2, "Ｄ１": 0, "3-1": None, "1-1": " 1 "})
    assert clean == {"0-1": 2, "1-1": 1, "D1": 0, "D2": 3}
    assert list(clean) == ["0-1", "1-1", "D1", "D2"]


def test_two_on_a_prefecture_item_is_rejected_with_its_scale(catalog: Catalog) -> None:
    with pytest.raises(ScoreOutOfScale) as caught:
        catalog.validate_scores({"D2": 2})
    assert str(caught.value) == "項目 D2 の値 2 は尺度にありません（0 または 3）"


@pytest.mark.parametrize(
    ("scores", "error"),
    [
        ({"0-1": 5}, ScoreOutOfScale),
        ({"0-1": -1}, ScoreOutOfScale),
        ({"0-1": True}, ScoreOutOfScale),
        ({"D1": False}, ScoreOutOfScale),
        ({"0-1": "x"}, ScoreOutOfScale),
        ({"0-1": "推進している"}, ScoreOutOfScale),
        ({"0-1": 3.0}, ScoreOutOfScale),
        ({"0-1": "2.5"}, ScoreOutOfScale),
        ({"0-1": ""}, ScoreOutOfScale),
        ({"9-9": 3}, UnknownItem),
        ({"D2": 3, "d2": 0}, DomainError),
    ],
)
def test_validate_scores_rejects(
    catalog: Catalog, scores: dict[str, object], error: type[DomainError]
) -> None:
    with pytest.raises(error):
        catalog.validate_scores(scores)


def test_national_message_lists_all_values(catalog: Catalog) -> None:
    with pytest.raises(ScoreOutOfScale, match="（0、1、2 または 3）"):
        catalog.validate_scores({"0-1": 5})


def test_catalog_is_cached() -> None:
    assert load_catalog() is load_catalog("2024")


def _edit(directory: Path, version: str, change: Any) -> None:
    data = json.loads((directory / "catalog-2024.json").read_text(encoding="utf-8"))
    data["version"] = version
    change(data)
    (directory / f"catalog-{version}.json").write_text(json.dumps(data), encoding="utf-8")


def test_a_new_catalog_version_adds_items_without_code_changes(assessment_dir: Path) -> None:
    def add_item(data: dict[str, Any]) -> None:
        data["items"].append(
            {
                "code": "3-14",
                "category": "3",
                "scale": "national",
                "question": "生成AIの利用指針を策定していますか？",
                "short": "生成AI指針",
            }
        )
        data["items"][0]["question"] = "DXの定義を組織内で共有していますか？"

    _edit(assessment_dir, "2025", add_item)
    assert catalog_versions(assessment_dir) == ("2024", "2025")
    latest = load_catalog(directory=assessment_dir)
    assert latest.version == "2025"
    assert len(latest.items) == 27
    assert latest.max_total == 81
    assert latest.item("0-1").question == "DXの定義を組織内で共有していますか？"
    assert latest.validate_scores({"3-14": 2}) == {"3-14": 2}
    assert summarize(latest, {"3-14": 3}).category("3").maximum == 36
    # The older year's survey is still read with its own catalog.
    with pytest.raises(UnknownItem):
        load_catalog("2024", assessment_dir).item("3-14")


def test_versions_sort_by_number_not_by_text(assessment_dir: Path) -> None:
    for version in ("2025", "999"):
        _edit(assessment_dir, version, lambda data: None)
    assert catalog_versions(assessment_dir) == ("999", "2024", "2025")


def test_unknown_version_lists_the_known_ones() -> None:
    with pytest.raises(CatalogError, match="2024"):
        load_catalog("2030")


def test_no_catalog_at_all(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="catalog-"):
        load_catalog(directory=tmp_path)


def _duplicate_code(data: dict[str, Any]) -> None:
    data["items"][1]["code"] = "0-1"


def _unknown_scale(data: dict[str, Any]) -> None:
    data["items"][3]["scale"] = "city"


def _unknown_category(data: dict[str, Any]) -> None:
    data["items"][3]["category"] = "9"


def _empty_options(data: dict[str, Any]) -> None:
    data["scales"][1]["options"] = []


def _duplicate_option(data: dict[str, Any]) -> None:
    data["scales"][1]["options"].append({"value": 3, "label": "重複"})


def _missing_question(data: dict[str, Any]) -> None:
    del data["items"][5]["question"]


def _string_value(data: dict[str, Any]) -> None:
    data["scales"][0]["options"][0]["value"] = "3"


def _empty_category(data: dict[str, Any]) -> None:
    data["categories"].append({"id": "4", "name": "空の分類"})


def _wrong_version(data: dict[str, Any]) -> None:
    data["version"] = "2024"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_duplicate_code, "項目 0-1 が重複"),
        (_unknown_scale, "尺度 city"),
        (_unknown_category, "分類 9"),
        (_empty_options, "選択肢がありません"),
        (_duplicate_option, "重複"),
        (_missing_question, r"items\[5\]: question がありません"),
        (_string_value, "value は整数"),
        (_empty_category, "分類 4"),
        (_wrong_version, "ファイル名"),
    ],
)
def test_malformed_catalog_files_are_rejected(
    assessment_dir: Path, change: Any, message: str
) -> None:
    _edit(assessment_dir, "2099", change)
    with pytest.raises(CatalogError, match=message) as caught:
        load_catalog("2099", assessment_dir)
    assert str(caught.value).startswith("catalog-2099.json")


def test_invalid_json_names_the_line(assessment_dir: Path) -> None:
    (assessment_dir / "catalog-2099.json").write_text('{\n"version": "2099",\n}', encoding="utf-8")
    with pytest.raises(CatalogError, match="3 行目"):
        load_catalog("2099", assessment_dir)
