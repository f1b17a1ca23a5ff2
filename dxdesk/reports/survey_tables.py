"""How one survey question's figures are drawn in a report: a choice's distribution as a table
with small bars, a number's median and range, a scored item's average and 得点率. Shared by the
municipality's comparison report and the secretariat's overview."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any, Final

from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import TableStyle

from dxdesk.domain.percent import format_percent
from dxdesk.domain.survey_stats import UNANSWERED, Distribution, NumberSummary, ScoredSummary
from dxdesk.reports.assessment import PREFECTURE, REGION
from dxdesk.reports.document import FONT, table
from dxdesk.reports.survey_data import number_text

MARK: Final = "●"
MARKED_ROW: Final = colors.HexColor("#fff1cc")
BAR_WIDTH: Final = 30 * mm
BAR_TRACK: Final = colors.HexColor("#eeeeee")


def count_share(count: int, share: Fraction | None) -> str:
    """「12（40%）」."""
    return f"{count}（{format_percent(share)}）"


def share_bars(shares: Sequence[tuple[Fraction | None, colors.Color]], width: float) -> Drawing:
    """One thin horizontal bar per share (0–1) on a grey track, stacked."""
    bar, gap = 2.6 * mm, 0.8 * mm
    height = len(shares) * (bar + gap) + gap
    drawing = Drawing(width, height, initialFontName=FONT)
    for index, (share, color) in enumerate(shares):
        y = height - (index + 1) * (bar + gap)
        drawing.add(Rect(0, y, width, bar, fillColor=BAR_TRACK, strokeColor=None))
        if share:
            length = float(width * min(share, Fraction(1)))
            drawing.add(Rect(0, y, length, bar, fillColor=color, strokeColor=None))
    return drawing


def distribution_table(
    prefecture: Distribution,
    region: Distribution | None,
    *,
    region_name: str,
    chosen: set[str] | None,
    width: float,
) -> Any:
    """A choice question's rows: the choice, the municipality's mark (when ``chosen`` is not
    None), the prefecture's count and share with bars, the region's. The marked rows are
    shaded. ``chosen`` holds the picked choices' values; an empty set marks 無回答."""
    marking = chosen is not None
    header = ["選択肢"]
    if marking:
        header.append("回答")
    header += [f"県全体（{prefecture.respondents}）", "分布"]
    if region is not None:
        header.append(f"{region_name}（{region.respondents}）")
    fixed = (12 * mm if marking else 0) + 26 * mm + (BAR_WIDTH + 4 * mm)
    fixed += 26 * mm if region is not None else 0
    widths = [width - fixed]
    widths += [12 * mm] if marking else []
    widths += [26 * mm, BAR_WIDTH + 4 * mm] + ([26 * mm] if region is not None else [])
    regional = {t.value: t.count for t in region.tallies} if region is not None else {}
    rows: list[list[Any]] = []
    marked: list[int] = []
    lines = [(t.value, t.label, t.count) for t in prefecture.tallies]
    show_blank = prefecture.unanswered or (region and region.unanswered) or chosen == set()
    if show_blank:
        lines.append(("", UNANSWERED, prefecture.unanswered))
    for value, label, count in lines:
        regional_count = regional.get(value, 0) if value else (region.unanswered if region else 0)
        is_chosen = marking and (value in (chosen or set()) if value else chosen == set())
        row: list[Any] = [label]
        if marking:
            row.append(MARK if is_chosen else "")
        row.append(count_share(count, prefecture.share(count)))
        shares: list[tuple[Fraction | None, colors.Color]] = [(prefecture.share(count), PREFECTURE)]
        if region is not None:
            shares.append((region.share(regional_count), REGION))
        row.append(share_bars(shares, BAR_WIDTH))
        if region is not None:
            row.append(count_share(regional_count, region.share(regional_count)))
        if is_chosen:
            marked.append(len(rows) + 1)
        rows.append(row)
    drawn = table(header, rows, widths)
    commands: list[tuple[Any, ...]] = [("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    commands += [("BACKGROUND", (0, r), (-1, r), MARKED_ROW) for r in marked]
    if marking:
        commands.append(("ALIGN", (1, 0), (1, -1), "CENTER"))
    drawn.setStyle(TableStyle(commands))
    return drawn


def number_cells(summary: NumberSummary, unit: str) -> list[str]:
    """中央値, 範囲 and 回答数 of a number question."""
    suffix = f" {unit}" if unit else ""
    if summary.median is None:
        return ["—", "—", f"0（無回答 {summary.unanswered}）"]
    return [
        f"{number_text(summary.median)}{suffix}",
        f"{number_text(summary.minimum)}〜{number_text(summary.maximum)}{suffix}",
        f"{summary.count}（無回答 {summary.unanswered}）",
    ]


def score_line(summary: ScoredSummary) -> str:
    """「平均 1.8 点（得点率 60%）」."""
    if summary.mean is None:
        return "—"
    return f"平均 {summary.mean:.1f} 点（得点率 {format_percent(summary.ratio)}）"
