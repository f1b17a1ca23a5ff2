"""The assessment report for one municipality and fiscal year: its 26 answers against the
prefecture's and its region's averages (a chart and a table), the change from the year before,
its strengths and challenges, and the suggested and confirmed support levels with reasons."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from dxdesk.domain.fiscal_year import format_date_ja, format_fiscal_year_ja
from dxdesk.domain.percent import format_percent
from dxdesk.domain.support_levels import format_level
from dxdesk.reports.assessment_data import (
    AssessmentReport,
    ItemLine,
    assessment_report,
    record_ratio,
)
from dxdesk.reports.document import (
    CONTENT_WIDTH,
    FONT,
    build_pdf,
    para,
    paras,
    styles,
    table,
)
from dxdesk.services.workspace import Workspace

OURS = colors.HexColor("#1f3a5f")
PREFECTURE = colors.HexColor("#9bb7d4")
REGION = colors.HexColor("#e3a857")
METHODS = {"in_person": "対面", "survey": "調査票"}


def _number(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _previous(report: AssessmentReport) -> str:
    year = format_fiscal_year_ja(report.previous_year or report.fiscal_year - 1)
    return f"{format_percent(report.previous_ratio)}（{year}）"


def _change(line: ItemLine) -> str:
    if line.score is None or line.previous is None:
        return "—"
    delta = line.score - line.previous
    return f"{delta:+d}" if delta else "±0"


def chart(report: AssessmentReport) -> Drawing:
    """Bars per item: this municipality, the prefecture's average, the region's average."""
    height = 62 * mm
    drawing = Drawing(CONTENT_WIDTH, height, initialFontName=FONT)  # no Helvetica in the file
    bars = VerticalBarChart()
    bars.x, bars.y = 10 * mm, 14 * mm
    bars.width, bars.height = CONTENT_WIDTH - 12 * mm, height - 24 * mm
    bars.data = [
        [float(i.score) if i.score is not None else 0.0 for i in report.items],
        [i.prefecture or 0.0 for i in report.items],
        [i.region or 0.0 for i in report.items],
    ]
    bars.categoryAxis.categoryNames = [i.code for i in report.items]
    bars.categoryAxis.labels.fontName = FONT
    bars.categoryAxis.labels.fontSize = 6
    bars.categoryAxis.labels.angle = 90
    bars.categoryAxis.labels.boxAnchor = "e"
    bars.valueAxis.valueMin, bars.valueAxis.valueMax, bars.valueAxis.valueStep = 0, 3, 1
    bars.valueAxis.labels.fontName = FONT
    bars.valueAxis.labels.fontSize = 7
    bars.barSpacing, bars.groupSpacing = 0.3, 2.5
    for index, color in enumerate((OURS, PREFECTURE, REGION)):
        bars.bars[index].fillColor = color
        bars.bars[index].strokeColor = None
    drawing.add(bars)
    legend = Legend()
    legend.x, legend.y = 12 * mm, height - 3 * mm
    legend.fontName, legend.fontSize = FONT, 7.5
    legend.alignment, legend.columnMaximum = "right", 1
    legend.dx, legend.dy, legend.deltax = 6, 6, 70
    legend.colorNamePairs = [
        (OURS, report.name),
        (PREFECTURE, f"県平均（{report.counted} 団体）"),
        (REGION, f"{report.region}平均（{report.region_counted} 団体）"),
    ]
    drawing.add(legend)
    return drawing


def _levels(report: AssessmentReport) -> list[Any]:
    s = styles()
    record = report.record
    story: list[Any] = [para("支援分類", s.heading)]
    reasons = "、".join(record.get("suggestion_reasons") or []) or "（理由の記載なし）"
    story.append(para(f"提案: {format_level(int(record['suggested_level']))}（{reasons}）", s.body))
    level = record.get("level")
    if level is None:
        story.append(para("確定: 未確定", s.body))
    else:
        story.append(para(f"確定: {format_level(int(level))}", s.body))
        if str(record.get("level_reason") or "").strip():
            story += paras(f"判断理由: {record['level_reason']}", s.body)
    return story


def _highlights(title: str, lines: list[ItemLine], empty: str) -> list[Any]:
    s = styles()
    story: list[Any] = [para(title, s.subheading)]
    if not lines:
        return [*story, para(empty, s.body)]
    for line in lines:
        gap = line.against_prefecture or 0.0
        story.append(
            para(
                f"・{line.code} {line.short}: {line.score} 点（県平均 {_number(line.prefecture)}、"
                f"差 {gap:+.1f}）",
                s.body,
            )
        )
    return story


def assessment_story(report: AssessmentReport) -> list[Any]:
    s = styles()
    record = report.record
    year = format_fiscal_year_ja(report.fiscal_year)
    assessed_on = record.get("assessed_on")
    method = METHODS.get(str(record.get("method")), str(record.get("method")))
    story: list[Any] = [
        para(f"{report.name}　アセスメント報告（{year}）", s.title),
        para(
            f"{report.region}振興局管内　方法: {method}　"
            f"実施日: {format_date_ja(date.fromisoformat(assessed_on)) if assessed_on else '—'}",
            s.small,
        ),
        Spacer(1, 3 * mm),
        table(
            None,
            [
                ["合計", f"{record['total']} / {record['maximum']} 点"],
                ["得点率", format_percent(record_ratio(record))],
                ["県平均の得点率", format_percent(report.prefecture_ratio)],
                [f"{report.region}平均の得点率", format_percent(report.region_ratio)],
                [
                    "前年度",
                    _previous(report)
                    if report.previous_year is not None
                    else "前年度のアセスメントはありません（比較なし）",
                ],
            ],
            [45 * mm, CONTENT_WIDTH - 45 * mm],
            label_column=True,
        ),
        para("項目ごとの回答と平均", s.heading),
        chart(report),
    ]
    header = ["項目", "内容", "回答", "県平均", "地域平均", "前年度", "増減"]
    widths = [14 * mm, CONTENT_WIDTH - 84 * mm, 14 * mm, 14 * mm, 16 * mm, 14 * mm, 12 * mm]
    rows = [
        [
            line.code,
            line.short,
            "—" if line.score is None else str(line.score),
            _number(line.prefecture),
            _number(line.region),
            "—" if line.previous is None else str(line.previous),
            _change(line),
        ]
        for line in report.items
    ]
    story.append(table(header, rows, widths))
    story.append(para("強みと課題（県平均との比較）", s.heading))
    story += _highlights("強み", report.strengths, "県平均を上回る項目はありません。")
    story += _highlights("課題", report.challenges, "県平均を下回る項目はありません。")
    story += _levels(report)
    return story


def write_assessment_report(
    ws: Workspace,
    code: str,
    fiscal_year: int,
    path: Path,
    *,
    confidential: bool = False,
    made_at: datetime | None = None,
    assessment_id: str | None = None,
) -> Path:
    """The report of ``code`` for ``fiscal_year``: of the assessment that counts for that year,
    or of ``assessment_id`` (the one on screen) when given."""
    report = assessment_report(ws, code, fiscal_year, assessment_id=assessment_id)
    when = made_at if made_at is not None else datetime.now().astimezone()
    return build_pdf(
        path,
        assessment_story(report),
        title=report.title,
        municipality=report.name,
        made_at=when,
        unsynced=ws.store.has_pending([("assessment", str(report.record["id"]))]),
        confidential=confidential,
    )
