"""Assessments: item scores, the derived ratios and suggested level, the confirmed level, KPI."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from dxdesk.domain.catalog import Catalog, load_catalog
from dxdesk.domain.errors import DomainError
from dxdesk.domain.level_rule import Suggestion, load_level_rule, suggest_level
from dxdesk.domain.scoring import summarize
from dxdesk.domain.support_levels import format_level, kpi_targets
from dxdesk.models.tables import AssessmentRow
from dxdesk.services.records import InvalidRecord, Record, RecordFacade

LEVELS = (1, 2, 3, 4)


def evaluate(catalog_version: str, scores: Mapping[str, int]) -> tuple[Catalog, Suggestion]:
    catalog = load_catalog(catalog_version)
    return catalog, suggest_level(load_level_rule(catalog_version), catalog, scores)


def latest_per_year(
    session: Session, *columns: Any, where: Any = None
) -> dict[tuple[str, int], Row[Any]]:
    """(municipality, fiscal year) -> the chosen ``columns`` of its latest live assessment.

    Latest by date assessed, then by last edit. ``where`` narrows which assessments count.
    """
    query = select(
        AssessmentRow.municipality,
        AssessmentRow.fiscal_year,
        AssessmentRow.assessed_on,
        AssessmentRow.updated_at,
        *columns,
    ).where(AssessmentRow.deleted.is_(False))
    if where is not None:
        query = query.where(where)
    latest: dict[tuple[str, int], tuple[tuple[date, datetime], Row[Any]]] = {}
    for row in session.execute(query):
        key = (row.municipality, row.fiscal_year)
        when = (row.assessed_on or date.min, row.updated_at)
        if key not in latest or when > latest[key][0]:
            latest[key] = (when, row)
    return {key: row for key, (_, row) in latest.items()}


def confirmed_levels(session: Session) -> dict[tuple[str, int], int]:
    """(municipality, fiscal year) -> the level of its latest assessment with a confirmed level."""
    rows = latest_per_year(session, AssessmentRow.level, where=AssessmentRow.level.is_not(None))
    return {key: row.level for key, row in rows.items()}


class AssessmentFacade(RecordFacade):
    kind = "assessment"

    def kpi(self) -> dict[str, dict[str, dict[str, int]]]:
        """Municipalities per confirmed support level and fiscal year, beside the targets."""
        with self._store.session() as session:
            counts: dict[int, dict[int, int]] = defaultdict(lambda: dict.fromkeys(LEVELS, 0))
            for (_, fiscal_year), level in confirmed_levels(session).items():
                counts[fiscal_year][level] += 1
        return {
            "levels": {
                str(fy): {str(level): n for level, n in sorted(per_level.items())}
                for fy, per_level in sorted(counts.items())
            },
            "targets": {
                str(fy): {str(level): n for level, n in sorted(target.items(), reverse=True)}
                for fy, target in sorted(kpi_targets().items())
            },
        }

    def _order(self) -> tuple[Any, ...]:
        return (
            AssessmentRow.fiscal_year.desc(),
            AssessmentRow.assessed_on.desc(),
            AssessmentRow.updated_at.desc(),
        )

    def _apply_patch(self, old: Mapping[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
        merged = {**old, **patch}
        if "scores" in patch:
            # Scores patch item by item; null removes an answer.
            merged["scores"] = {
                code: value
                for code, value in {**(old.get("scores") or {}), **patch["scores"]}.items()
                if value is not None
            }
        return merged

    def _checked(
        self, session: Session, values: dict[str, Any], row: Any, *, touched: set[str]
    ) -> dict[str, Any]:
        values = super()._checked(session, values, row, touched=touched)
        if not values.get("catalog_version"):
            values["catalog_version"] = load_catalog().version
        scores = {k: v for k, v in (values.get("scores") or {}).items() if v is not None}
        try:
            values["scores"] = load_catalog(values["catalog_version"]).validate_scores(scores)
        except DomainError as error:
            error.refused = error.refused or {"scores": str(error)}
            error.labels.setdefault("scores", self.spec.field("scores").label)
            raise
        level: int | None = values.get("level")
        if (
            level is not None
            and touched & {"level", "level_reason"}
            and not values["level_reason"].strip()
            and level
            != (suggestion := evaluate(values["catalog_version"], values["scores"])[1]).level
        ):
            other = f"提案（{format_level(suggestion.level)}）と違う分類 {format_level(level)} "
            departs = f"{other}にするときは判断理由"
            # The field the person just changed is the one refused (so that a form keeps it):
            # the level, or the reason cleared under a level that needs one.
            why = {
                "level": f"{departs}を書いてください",
                "level_reason": f"{other}では必須です",
            }
            named = ["level"] if "level" in touched else ["level_reason"]
            raise InvalidRecord(
                f"{departs}（level_reason）を書いてください",
                refused={name: why[name] for name in named},
                labels={name: self.spec.field(name).label for name in named},
            )
        return values

    def _present(self, row: Any) -> Record:
        record = super()._present(row)
        catalog, suggestion = evaluate(row.catalog_version, row.scores)
        summary = summarize(catalog, row.scores)
        record.update(
            total=summary.total,
            maximum=summary.maximum,
            ratio=round(summary.ratio, 4),
            answered=summary.answered,
            category_ratios={c.category_id: round(c.ratio, 4) for c in summary.categories},
            suggested_level=suggestion.level,
            suggestion_reasons=list(suggestion.reasons),
        )
        return record
