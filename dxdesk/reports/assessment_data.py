"""What an assessment report shows, computed from the facades' records (no SQL, no drawing):
one municipality's answers for a fiscal year against the prefecture's and its region's averages,
the change from the previous year, its strengths and challenges, and the levels with reasons.

Per municipality and year one assessment counts, as in the analysis view and the KPI: the
latest by date assessed, then by last edit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from statistics import mean
from typing import Any

from dxdesk.domain.catalog import Catalog, load_catalog
from dxdesk.domain.fiscal_year import format_fiscal_year, format_fiscal_year_ja
from dxdesk.domain.roster import load_roster
from dxdesk.domain.scoring import exact_ratio
from dxdesk.reports.document import ReportError
from dxdesk.services.workspace import Workspace

HIGHLIGHTS = 3  # strengths and challenges shown


@dataclass(frozen=True)
class ItemLine:
    code: str
    short: str
    question: str
    category: str
    maximum: int
    score: int | None
    prefecture: float | None  # average score of the municipalities that answered
    region: float | None
    previous: int | None

    @property
    def against_prefecture(self) -> float | None:
        if self.score is None or self.prefecture is None:
            return None
        return self.score - self.prefecture


@dataclass(frozen=True)
class AssessmentReport:
    code: str
    name: str
    region: str
    fiscal_year: int
    record: dict[str, Any]
    previous_year: int | None  # None: no assessment the year before
    items: list[ItemLine]
    prefecture_ratio: float | None
    region_ratio: float | None
    previous_ratio: float | None
    counted: int  # municipalities in the prefecture's average
    region_counted: int
    strengths: list[ItemLine]
    challenges: list[ItemLine]

    @property
    def title(self) -> str:
        """The printed header's title: "アセスメント報告 令和7年度"."""
        return f"アセスメント報告 {format_fiscal_year_ja(self.fiscal_year)}"


def record_ratio(record: Mapping[str, Any]) -> Fraction:
    """An assessment's exact 得点率, total ÷ maximum (the store keeps it to four places)."""
    return exact_ratio(int(record["total"]), int(record["maximum"]))


def chosen_assessments(
    records: Iterable[Mapping[str, Any]],
) -> dict[tuple[str, int], dict[str, Any]]:
    """(municipality, fiscal year) -> the assessment that counts for it."""
    chosen: dict[tuple[str, int], dict[str, Any]] = {}
    for record in records:
        key = (str(record["municipality"]), int(record["fiscal_year"]))
        if key not in chosen or _rank(record) > _rank(chosen[key]):
            chosen[key] = dict(record)
    return chosen


def _rank(record: Mapping[str, Any]) -> tuple[str, str]:
    return str(record.get("assessed_on") or ""), str(record.get("updated_at") or "")


def assessment_report(
    workspace: Workspace, code: str, fiscal_year: int, *, assessment_id: str | None = None
) -> AssessmentReport:
    municipality = workspace.municipalities.get(code)
    chosen = chosen_assessments(workspace.assessments.list_records())
    record = chosen.get((code, fiscal_year))
    if assessment_id is not None:
        record = dict(workspace.assessments.get(assessment_id))
        chosen[(code, fiscal_year)] = record  # the averages count the one shown
    if record is None:
        raise ReportError(
            f"{municipality['name']} の {format_fiscal_year(fiscal_year)} の"
            "アセスメントがありません"
        )
    catalog = load_catalog(str(record["catalog_version"]))
    regions = {m.code: m.region for m in load_roster()}
    region = str(municipality["region"])
    this_year = {c: r for (c, fy), r in chosen.items() if fy == fiscal_year}
    in_region = {c: r for c, r in this_year.items() if regions.get(c) == region}
    previous = chosen.get((code, fiscal_year - 1))
    items = _item_lines(catalog, record, previous, this_year, in_region)
    ranked = sorted(
        (i for i in items if i.against_prefecture is not None),
        key=lambda i: (i.against_prefecture or 0.0, i.code),
    )
    return AssessmentReport(
        code=code,
        name=str(municipality["name"]),
        region=region,
        fiscal_year=fiscal_year,
        record=record,
        previous_year=fiscal_year - 1 if previous else None,
        items=items,
        prefecture_ratio=_mean_ratio(this_year.values()),
        region_ratio=_mean_ratio(in_region.values()),
        previous_ratio=float(record_ratio(previous)) if previous else None,
        counted=len(this_year),
        region_counted=len(in_region),
        strengths=sorted(
            (i for i in ranked if (i.against_prefecture or 0) > 0),
            key=lambda i: (-(i.against_prefecture or 0.0), i.code),
        )[:HIGHLIGHTS],
        challenges=[i for i in ranked if (i.against_prefecture or 0) < 0][:HIGHLIGHTS],
    )


def _item_lines(
    catalog: Catalog,
    record: Mapping[str, Any],
    previous: Mapping[str, Any] | None,
    this_year: Mapping[str, Mapping[str, Any]],
    in_region: Mapping[str, Mapping[str, Any]],
) -> list[ItemLine]:
    answers: dict[str, list[int]] = defaultdict(list)
    regional: dict[str, list[int]] = defaultdict(list)
    for code, other in this_year.items():
        for item, score in dict(other["scores"]).items():
            answers[item].append(int(score))
            if code in in_region:
                regional[item].append(int(score))
    scores = dict(record["scores"])
    before = dict(previous["scores"]) if previous else {}
    return [
        ItemLine(
            code=item.code,
            short=item.short,
            question=item.question,
            category=item.category_id,
            maximum=item.scale.maximum,
            score=scores.get(item.code),
            prefecture=mean(answers[item.code]) if answers[item.code] else None,
            region=mean(regional[item.code]) if regional[item.code] else None,
            previous=before.get(item.code),
        )
        for item in catalog.items
    ]


def _mean_ratio(records: Iterable[Mapping[str, Any]]) -> float | None:
    ratios = [float(record_ratio(r)) for r in records if r.get("answered")]
    return mean(ratios) if ratios else None
