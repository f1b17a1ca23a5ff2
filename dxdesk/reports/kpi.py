"""The programme's KPI report: municipalities per support level and fiscal year against the
targets, one fiscal year's plan against what was held (計画と実績), and each item's 得点率
across municipalities with its change from the year before. The figures are the analysis
view's (``AnalysisFacade.tables``, ``programme_counts.programme_year``), so screen and paper
agree."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import PageBreak

from dxdesk.domain.fiscal_year import fiscal_year_of, format_fiscal_year_ja
from dxdesk.domain.percent import format_percent, format_point_change
from dxdesk.reports.document import CONTENT_WIDTH, build_pdf, para, styles, table
from dxdesk.reports.programme_tables import programme_story
from dxdesk.services.programme_counts import ProgrammeYear, programme_year
from dxdesk.services.workspace import Workspace

TITLE = "DX推進支援 KPI 報告"


def _count(value: int | None) -> str:
    return "—" if value is None else str(value)


def _target(row: dict[str, Any], level: int) -> str:
    target = row["targets"].get(level)
    if target is None:
        return "—"
    met = row["met"].get(level)
    state = "未確定" if met is None else ("達成" if met else "未達")
    return f"{target}（{state}）"


def level_rows(kpi: dict[str, Any]) -> list[list[str]]:
    rows = []
    for row in kpi["rows"]:
        cells = [format_fiscal_year_ja(row["fiscal_year"]), str(row["confirmed"])]
        for level in kpi["levels"]:
            number = level["level"]
            cells.append(f"{_count(row['counts'].get(number))} / {_target(row, number)}")
        rows.append(cells)
    return rows


def item_rows(year: dict[str, Any]) -> list[list[str]]:
    return [
        [
            row["code"],
            row["short"],
            format_percent(row["ratio"]),
            format_point_change(row["change"]),
        ]
        for row in year["rows"]
    ]


def kpi_story(
    tables: dict[str, Any], municipalities: int, programme: ProgrammeYear | None = None
) -> list[Any]:
    s = styles()
    kpi = tables["kpi"]
    story: list[Any] = [
        para(TITLE, s.title),
        para(f"対象: {municipalities} 市町村（確定した支援分類を年度ごとに数えています）", s.small),
        para("支援分類ごとの団体数と目標", s.heading),
        para("各欄は「団体数 / 目標（達成・未達）」。目標のない分類は —。", s.small),
    ]
    levels = [level["label"] for level in kpi["levels"]]
    first = 24 * mm
    rest = (CONTENT_WIDTH - first - 16 * mm) / max(len(levels), 1)
    story.append(
        table(
            ["年度", "確定", *levels],
            level_rows(kpi),
            [first, 16 * mm, *[rest] * len(levels)],
        )
    )
    if programme is not None:
        story += [PageBreak(), *programme_story(programme)]
    ratios = tables["item_ratios"]
    for fiscal_year in sorted(ratios, reverse=True):
        year = ratios[fiscal_year]
        previous = year["previous_year"]
        story += [
            PageBreak(),
            para(f"項目ごとの得点率 {format_fiscal_year_ja(fiscal_year)}", s.heading),
            para(
                f"{year['assessed']} 団体のアセスメントから。"
                + (
                    f"増減は {format_fiscal_year_ja(previous)} との差（ポイント）。"
                    if previous
                    else "前年度のアセスメントがないため増減はありません。"
                ),
                s.small,
            ),
            table(
                ["項目", "内容", "得点率", "増減"],
                item_rows(year),
                [16 * mm, CONTENT_WIDTH - 56 * mm, 20 * mm, 20 * mm],
            ),
        ]
    return story


def write_kpi_report(
    ws: Workspace,
    path: Path,
    *,
    confidential: bool = False,
    made_at: datetime | None = None,
    fiscal_year: int | None = None,
) -> Path:
    """The report, its 計画と実績 for ``fiscal_year`` (the current one unless given)."""
    tables = ws.analysis.tables()
    municipalities = int(tables["kpi"]["municipalities"])
    when = made_at if made_at is not None else datetime.now().astimezone()
    year = fiscal_year if fiscal_year is not None else fiscal_year_of(when.date())
    return build_pdf(
        path,
        kpi_story(tables, municipalities, programme_year(ws.store, year)),
        title=TITLE,
        municipality="和歌山県",
        made_at=when,
        unsynced=ws.store.pending_record_count() > 0,
        confidential=confidential,
    )
