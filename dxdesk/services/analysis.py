"""分析: the programme-wide figures the coordinator reads, computed from the local store.

Two tables, each as plain dicts and lists so that the UI (on its thread) and the CLI
can show them without touching the store:

- the KPI: municipalities per confirmed support level and fiscal year, beside the targets;
- item score ratios (得点率) across municipalities per fiscal year, and their change from the
  fiscal year before.

And one fiscal year's plan against what was held (services/programme_counts.py), whose plan a
coordinator sets here too (services/programme_plan_edits.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dxdesk.domain.catalog import Catalog, catalog_versions, load_catalog
from dxdesk.domain.scoring import item_ratios, ratio_changes
from dxdesk.domain.support_levels import LEVELS, format_level, kpi_targets
from dxdesk.models.store import Store
from dxdesk.models.tables import AssessmentRow, MunicipalityRow
from dxdesk.services.assessments import confirmed_levels, latest_per_year
from dxdesk.services.programme_counts import ProgrammeYear, programme_year, programme_years
from dxdesk.services.programme_plan_edits import may_edit_plan, save_programme_plan
from dxdesk.services.records import Record


class AnalysisFacade:
    def __init__(self, store: Store) -> None:
        self._store = store

    def tables(self) -> dict[str, Any]:
        """Both tables from one session: ``{"kpi": kpi_table(), "item_ratios": ...}``."""
        with self._store.session() as session:
            return {"kpi": _kpi_table(session), "item_ratios": _item_ratio_table(session)}

    def kpi_table(self) -> dict[str, Any]:
        """Municipalities per confirmed support level and fiscal year, against the targets.

        ``{"fiscal_years": [2023, 2024, 2025],  # every year with a confirmed level or a target
           "municipalities": 30,                # on this device's roster
           "confirmed": {2023: 30, 2024: 30, 2025: 0},
           "levels": [{"level": 4, "label": "4 共創"}, ...],  # 4 first
           "rows": [{"fiscal_year": 2024, "confirmed": 30,
                     "counts": {4: 6, 3: 22, 2: 2, 1: 0},  # None each where none confirmed
                     "targets": {4: 12, 3: 18},          # only the levels with a target
                     "met": {4: False, 3: True}},        # count >= target; None if no count
                    ...]}``  # one row per fiscal year, oldest first
        """
        with self._store.session() as session:
            return _kpi_table(session)

    def item_ratio_table(self) -> dict[int, dict[str, Any]]:
        """得点率 of each item across municipalities, per fiscal year (oldest first).

        Each municipality counts once a year, with its latest assessment of that year (as the
        KPI takes the latest confirmed level). Fiscal year -> ``{"fiscal_year": 2024,
        "previous_year": 2023 or None, "catalog_version": "2024", "assessed": 30,
        "rows": [{"code", "short", "question", "category_id", "category", "order",
        "ratio", "answered", "change"}, ...]}`` with rows in catalog order, ``ratio`` in 0..1
        (None where nobody answered) and ``change`` the difference from the previous fiscal
        year's ratio (None where that year or the item in it is missing).
        """
        with self._store.session() as session:
            return _item_ratio_table(session)

    # -- plans against what was held (services/programme_counts.py) ------------------------------

    def programme_years(self) -> list[int]:
        """Fiscal years with any consultation, group session or plan, newest first."""
        return programme_years(self._store)

    def programme_year(self, fiscal_year: int) -> ProgrammeYear:
        return programme_year(self._store, fiscal_year)

    def may_edit_plan(self) -> bool:
        """This folder may set a year's plan (a coordinator's, or one never synced)."""
        return may_edit_plan(self._store)

    def save_programme_plan(
        self, fiscal_year: int, targets: Mapping[str, int], notes: str = ""
    ) -> Record:
        return save_programme_plan(self._store, fiscal_year, targets, notes)


def _kpi_table(session: Session) -> dict[str, Any]:
    per_year: dict[int, dict[int, int]] = {}
    for (_, fiscal_year), level in confirmed_levels(session).items():
        per_year.setdefault(fiscal_year, dict.fromkeys(LEVELS, 0))[level] += 1
    targets = kpi_targets()
    years = sorted(set(per_year) | set(targets))
    rows: list[dict[str, Any]] = []
    for fiscal_year in years:
        counts = per_year.get(fiscal_year)  # None: no level confirmed yet that year
        year_targets = dict(sorted(targets.get(fiscal_year, {}).items(), reverse=True))
        rows.append(
            {
                "fiscal_year": fiscal_year,
                "confirmed": sum(counts.values()) if counts else 0,
                "counts": {level: counts[level] if counts else None for level in LEVELS},
                "targets": year_targets,
                "met": {
                    level: None if counts is None else counts[level] >= target
                    for level, target in year_targets.items()
                },
            }
        )
    return {
        "fiscal_years": years,
        "municipalities": session.scalar(select(func.count()).select_from(MunicipalityRow)) or 0,
        "confirmed": {row["fiscal_year"]: row["confirmed"] for row in rows},
        "levels": [{"level": level, "label": format_level(level)} for level in LEVELS],
        "rows": rows,
    }


def latest_scores(session: Session) -> dict[tuple[str, int], tuple[str, dict[str, int]]]:
    """(municipality, fiscal year) -> (catalog version, scores) of its latest assessment.

    Latest as ``confirmed_levels`` takes it; ones with no item answered (a level recorded
    alone) are passed over.
    """
    rows = latest_per_year(
        session,
        AssessmentRow.catalog_version,
        AssessmentRow.scores,
        where=func.json(AssessmentRow.scores) != "{}",  # (the local store is SQLite)
    )
    return {key: (row.catalog_version, row.scores) for key, row in rows.items()}


def _year_catalog(versions: Iterable[str]) -> Catalog:
    """The newest catalog among a year's assessments; a later catalog may add items."""
    order = {version: i for i, version in enumerate(catalog_versions())}
    return load_catalog(max(versions, key=lambda v: order.get(v, -1)))


def _item_rows(
    catalog: Catalog,
    score_sets: list[Mapping[str, int]],
    ratios: Mapping[str, float | None],
    changes: Mapping[str, float | None],
) -> list[dict[str, Any]]:
    return [
        {
            "code": item.code,
            "short": item.short,
            "question": item.question,
            "category_id": item.category_id,
            "category": catalog.category(item.category_id).name,
            "order": order,
            "ratio": ratios[item.code],
            "answered": sum(1 for scores in score_sets if item.code in scores),
            "change": changes.get(item.code),
        }
        for order, item in enumerate(catalog.items)
    ]


def _item_ratio_table(session: Session) -> dict[int, dict[str, Any]]:
    by_year: dict[int, list[tuple[str, dict[str, int]]]] = {}
    for (_, fiscal_year), found in sorted(latest_scores(session).items()):
        by_year.setdefault(fiscal_year, []).append(found)
    ratios_by_year: dict[int, dict[str, float | None]] = {}
    table: dict[int, dict[str, Any]] = {}
    for fiscal_year in sorted(by_year):
        catalog = _year_catalog(version for version, _ in by_year[fiscal_year])
        known = set(catalog.codes)
        # Items an older or newer catalog has and this one lacks cannot be compared: left out.
        score_sets: list[Mapping[str, int]] = [
            {code: value for code, value in scores.items() if code in known}
            for _, scores in by_year[fiscal_year]
        ]
        ratios = item_ratios(catalog, score_sets)
        ratios_by_year[fiscal_year] = ratios
        previous = fiscal_year - 1 if fiscal_year - 1 in ratios_by_year else None
        changes = (
            ratio_changes(ratios_by_year[previous], ratios)
            if previous is not None
            else dict.fromkeys(ratios)
        )
        table[fiscal_year] = {
            "fiscal_year": fiscal_year,
            "previous_year": previous,
            "catalog_version": catalog.version,
            "assessed": len(score_sets),
            "rows": _item_rows(catalog, score_sets, ratios, changes),
        }
    return table
