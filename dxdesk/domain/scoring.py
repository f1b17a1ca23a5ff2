"""Totals and score ratios (得点率) of assessments, for one municipality or across many.

Derived figures are always recomputed from the item scores, never stored or merged.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from dxdesk.domain.catalog import Catalog


@dataclass(frozen=True)
class CategoryScore:
    category_id: str
    name: str
    total: int
    maximum: int  # of every item in the category, answered or not
    answered: int
    item_count: int

    @property
    def ratio(self) -> float:
        return self.total / self.maximum if self.maximum else 0.0


@dataclass(frozen=True)
class ScoreSummary:
    total: int
    maximum: int
    answered: int
    item_count: int
    categories: tuple[CategoryScore, ...]
    missing: tuple[str, ...]  # unanswered item codes, in catalog order

    @property
    def ratio(self) -> float:
        """Unanswered items count as 0: a half-filled survey must not look like a strong one."""
        return self.total / self.maximum if self.maximum else 0.0

    def category(self, category_id: str) -> CategoryScore:
        for category in self.categories:
            if category.category_id == category_id:
                return category
        raise KeyError(category_id)


def exact_ratio(total: int, maximum: int) -> Fraction:
    """total ÷ maximum without rounding (a record keeps its ratio to four places only)."""
    return Fraction(total, maximum) if maximum else Fraction(0)


def summarize(catalog: Catalog, scores: Mapping[str, object]) -> ScoreSummary:
    clean = catalog.validate_scores(scores)
    categories = []
    for category in catalog.categories:
        items = catalog.items_in(category.id)
        categories.append(
            CategoryScore(
                category_id=category.id,
                name=category.name,
                total=sum(clean.get(i.code, 0) for i in items),
                maximum=sum(i.scale.maximum for i in items),
                answered=sum(1 for i in items if i.code in clean),
                item_count=len(items),
            )
        )
    return ScoreSummary(
        total=sum(clean.values()),
        maximum=catalog.max_total,
        answered=len(clean),
        item_count=len(catalog.items),
        categories=tuple(categories),
        missing=tuple(code for code in catalog.codes if code not in clean),
    )


def item_ratios(
    catalog: Catalog, score_sets: Iterable[Mapping[str, int]]
) -> dict[str, float | None]:
    """得点率 of each item across municipalities: sum ÷ (answering municipalities × maximum).

    Unlike the per-municipality ratio, a municipality that skipped an item is left out of that
    item's denominator: the question is how far those who answered have got. None where
    nobody answered.
    """
    sums = dict.fromkeys(catalog.codes, 0)
    counts = dict.fromkeys(catalog.codes, 0)
    for scores in score_sets:
        for code, value in catalog.validate_scores(scores).items():
            sums[code] += value
            counts[code] += 1
    return {
        item.code: (
            sums[item.code] / (counts[item.code] * item.scale.maximum)
            if counts[item.code] and item.scale.maximum
            else None
        )
        for item in catalog.items
    }


def ratio_changes(
    before: Mapping[str, float | None], after: Mapping[str, float | None]
) -> dict[str, float | None]:
    """Change of each item's ratio between two years; None where either year lacks it.

    Keys are those of ``before`` followed by any new in ``after``, since a later catalog may
    add items.
    """
    codes = list(before) + [code for code in after if code not in before]
    changes: dict[str, float | None] = {}
    for code in codes:
        old, new = before.get(code), after.get(code)
        changes[code] = None if old is None or new is None else new - old
    return changes
