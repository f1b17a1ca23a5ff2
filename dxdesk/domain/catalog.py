"""The assessment catalog: items, their categories and answer scales, read from versioned data.

Each year's survey may add, drop or reword items, so the catalog lives in
``resources/assessment/catalog-<version>.json`` and code never names an item.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from dxdesk.domain.data_files import JsonObject, read_json_object, versions_in
from dxdesk.domain.errors import (
    CatalogError,
    DomainError,
    ScoreOutOfScale,
    UnknownCategory,
    UnknownItem,
)
from dxdesk.domain.text import normalize_digits
from dxdesk.resources import resource_path

_FILE_PREFIX = "catalog"


def describe_values(values: Iterable[int]) -> str:
    """The allowed values as error messages list them: "0 または 3", "0、1、2 または 3"."""
    ordered = [str(v) for v in sorted(values)]
    if len(ordered) == 1:
        return ordered[0]
    return f"{'、'.join(ordered[:-1])} または {ordered[-1]}"


@dataclass(frozen=True)
class ScaleOption:
    value: int
    label: str


@dataclass(frozen=True)
class Scale:
    id: str
    name: str
    options: tuple[ScaleOption, ...]

    def __post_init__(self) -> None:
        if not self.options:
            raise CatalogError(f"尺度 {self.id} に選択肢がありません")
        values = [o.value for o in self.options]
        if len(set(values)) != len(values):
            raise CatalogError(f"尺度 {self.id} の選択肢の値が重複しています")
        if min(values) < 0:
            raise CatalogError(f"尺度 {self.id} の選択肢の値は 0 以上にしてください")

    @property
    def maximum(self) -> int:
        return max(o.value for o in self.options)

    @property
    def values(self) -> frozenset[int]:
        return frozenset(o.value for o in self.options)

    def label_for(self, value: int) -> str:
        for option in self.options:
            if option.value == value:
                return option.label
        raise ScoreOutOfScale(
            f"尺度「{self.name}」に値 {value} はありません（{describe_values(self.values)}）"
        )


@dataclass(frozen=True)
class Category:
    id: str
    name: str


@dataclass(frozen=True)
class Item:
    code: str
    category_id: str
    scale: Scale
    question: str
    short: str  # table headers and charts, where the question is too long


@dataclass(frozen=True)
class Catalog:
    version: str
    title: str
    scales: tuple[Scale, ...]
    categories: tuple[Category, ...]
    items: tuple[Item, ...]
    _by_code: Mapping[str, Item] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Checked here rather than in the loader so that a catalog built in code holds too.
        _require_unique("尺度", [s.id for s in self.scales])
        _require_unique("分類", [c.id for c in self.categories])
        _require_unique("項目", [i.code for i in self.items])
        if not self.items:
            raise CatalogError(f"カタログ {self.version} に項目がありません")
        scale_ids = {s.id for s in self.scales}
        category_ids = {c.id for c in self.categories}
        for item in self.items:
            if item.scale.id not in scale_ids:
                raise CatalogError(f"項目 {item.code} の尺度 {item.scale.id} が定義されていません")
            if item.category_id not in category_ids:
                raise CatalogError(
                    f"項目 {item.code} の分類 {item.category_id} が定義されていません"
                )
        # An empty category would have a maximum of 0 and no meaningful ratio.
        for category in self.categories:
            if not any(i.category_id == category.id for i in self.items):
                raise CatalogError(f"分類 {category.id}（{category.name}）に項目がありません")
        object.__setattr__(self, "_by_code", {i.code: i for i in self.items})

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(i.code for i in self.items)

    @property
    def max_total(self) -> int:
        return sum(i.scale.maximum for i in self.items)

    def item(self, code: str) -> Item:
        """The item with this code; "ｄ２" and "d2" find D2, as typed input often reads so."""
        found = self._by_code.get(code) or self._by_code.get(normalize_digits(code).upper())
        if found is None:
            raise UnknownItem(
                f"項目 {code} はカタログ {self.version} にありません"
                f"（{self.codes[0]}〜{self.codes[-1]} の {len(self.items)} 項目）"
            )
        return found

    def category(self, category_id: str) -> Category:
        for category in self.categories:
            if category.id == category_id:
                return category
        known = "、".join(c.id for c in self.categories)
        raise UnknownCategory(
            f"分類 {category_id} はカタログ {self.version} にありません（{known}）"
        )

    def items_in(self, category_id: str) -> tuple[Item, ...]:
        self.category(category_id)
        return tuple(i for i in self.items if i.category_id == category_id)

    def validate_scores(self, scores: Mapping[str, object]) -> dict[str, int]:
        """Check raw answers against the item scales and return them in catalog order.

        A value of None means "not answered" and is left out, so that clearing one item (each
        item is its own field when syncing) needs no special case.
        """
        clean: dict[str, int] = {}
        seen: set[str] = set()
        for raw_code, raw_value in scores.items():
            if not isinstance(raw_code, str):
                raise UnknownItem(f"項目コード {raw_code!r} は文字列で指定してください")
            item = self.item(raw_code)
            if item.code in seen:  # "D2" and "Ｄ２" both given
                raise DomainError(f"項目 {item.code} が二重に指定されています")
            seen.add(item.code)
            if raw_value is not None:
                clean[item.code] = _score_value(item, raw_value)
        return {code: clean[code] for code in self.codes if code in clean}


def _score_value(item: Item, raw: object) -> int:
    allowed = describe_values(item.scale.values)
    value: int
    if isinstance(raw, bool):  # an int to Python, but a checkbox state is not a score
        raise ScoreOutOfScale(f"項目 {item.code} の値 {raw!r} は点数ではありません（{allowed}）")
    if isinstance(raw, int):
        value = raw
    elif (
        isinstance(raw, str)
        and (digits := normalize_digits(raw)).isascii()
        and digits.isdigit()
        and len(digits) <= 9  # int() refuses thousands of digits with a ValueError
    ):
        value = int(digits)
    else:
        raise ScoreOutOfScale(f"項目 {item.code} の値 {raw!r} は点数ではありません（{allowed}）")
    if value not in item.scale.values:
        raise ScoreOutOfScale(f"項目 {item.code} の値 {value} は尺度にありません（{allowed}）")
    return value


def _require_unique(what: str, keys: list[str]) -> None:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise CatalogError(f"{what} {key} が重複しています")
        seen.add(key)


def default_assessment_dir() -> Path:
    return resource_path("assessment")


def catalog_versions(directory: Path | None = None) -> tuple[str, ...]:
    """Versions of the catalog files present, oldest first."""
    return _versions(directory or default_assessment_dir())


@cache
def _versions(directory: Path) -> tuple[str, ...]:
    # Shipped files that do not change while the app runs: an import checks every record's
    # scores against its catalog, and listing the folder each time was a tenth of it.
    return versions_in(directory, _FILE_PREFIX)


def load_catalog(version: str | None = None, directory: Path | None = None) -> Catalog:
    """The catalog of that version, or the latest one; read once and then kept."""
    directory = directory or default_assessment_dir()
    available = catalog_versions(directory)
    if not available:
        raise CatalogError(f"評価項目カタログ（{_FILE_PREFIX}-*.json）が {directory} にありません")
    if version is None:
        version = available[-1]
    elif version not in available:
        raise CatalogError(
            f"評価項目カタログ {version} はありません（あるもの: {'、'.join(available)}）"
        )
    return _read_catalog(directory / f"{_FILE_PREFIX}-{version}.json", version)


@cache
def _read_catalog(path: Path, version: str) -> Catalog:
    root = read_json_object(path)
    if root.text("version") != version:
        raise root.error(f"version {root.data['version']!r} がファイル名の {version} と違います")
    scales = tuple(_parse_scale(s) for s in root.children("scales"))
    categories = tuple(Category(c.text("id"), c.text("name")) for c in root.children("categories"))
    scale_by_id = {s.id: s for s in scales}
    items: list[Item] = []
    for entry in root.children("items"):
        scale_id = entry.text("scale")
        if scale_id not in scale_by_id:
            raise entry.error(f"尺度 {scale_id} が scales にありません")
        items.append(
            Item(
                code=entry.text("code"),
                category_id=entry.text("category"),
                scale=scale_by_id[scale_id],
                question=entry.text("question"),
                short=entry.text("short"),
            )
        )
    title = root.text("title")
    try:
        return Catalog(version, title, scales, categories, tuple(items))
    except CatalogError as e:
        raise root.error(str(e)) from e


def _parse_scale(entry: JsonObject) -> Scale:
    options = tuple(
        ScaleOption(o.integer("value"), o.text("label")) for o in entry.children("options")
    )
    scale_id, name = entry.text("id"), entry.text("name")
    try:
        return Scale(scale_id, name, options)
    except CatalogError as e:
        raise entry.error(str(e)) from e
