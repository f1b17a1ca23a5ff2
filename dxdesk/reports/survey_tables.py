"""How one survey question's figures are drawn in a report: a choice's distribution as a table
with small bars, a number's median and range, a scored item's average and 得点率. Shared by the
municipality's comparison report and the secretariat's overview."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any, Final

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, TableStyle

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


class _Bars(Flowable):  # type: ignore[misc]
    """Thin horizontal bars drawn straight on the canvas (a reportlab Drawing per cell made
    a 30-report batch three times slower)."""

    BAR, GAP = 2.6 * mm, 0.8 * mm

    def __init__(self, shares: Sequence[tuple[Fraction | None, colors.Color]], width: float):
        super().__init__()
        self._shares = list(shares)
        self.width = width
        self.height = len(self._shares) * (self.BAR + self.GAP) + self.GAP

    def wrap(self, _available_width: float, _available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        for index, (share, color) in enumerate(self._shares):
            y = self.height - (index + 1) * (self.BAR + self.GAP)
            canvas.setFillColor(BAR_TRACK)
            canvas.rect(0, y, self.width, self.BAR, stroke=0, fill=1)
            if share:
                canvas.setFillColor(color)
                length = float(self.width * min(share, Fraction(1)))
                canvas.rect(0, y, length, self.BAR, stroke=0, fill=1)
        canvas.restoreState()


class _Figure(Flowable):  # type: ignore[misc]
    """A short figure ("12（40%）", "●") on one line, drawn without a paragraph's line
    breaking: the tables hold hundreds of them."""

    SIZE = 9

    def __init__(self, text: str):
        super().__init__()
        self._text = text

    def wrap(self, available_width: float, _available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.SIZE * 1.5

    def draw(self) -> None:
        self.canv.setFont(FONT, self.SIZE)
        self.canv.drawString(0, self.SIZE * 0.4, self._text)


def figure(text: str) -> Any:
    return _Figure(text)


def share_bars(shares: Sequence[tuple[Fraction | None, colors.Color]], width: float) -> Any:
    """One thin horizontal bar per share (0–1) on a grey track, stacked."""
    return _Bars(shares, width)


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
            row.append(figure(MARK if is_chosen else ""))
        row.append(figure(count_share(count, prefecture.share(count))))
        shares: list[tuple[Fraction | None, colors.Color]] = [(prefecture.share(count), PREFECTURE)]
        if region is not None:
            shares.append((region.share(regional_count), REGION))
        row.append(share_bars(shares, BAR_WIDTH))
        if region is not None:
            row.append(figure(count_share(regional_count, region.share(regional_count))))
        if is_chosen:
            marked.append(len(rows) + 1)
        rows.append(row)
    drawn = table(header, rows, widths)
    commands: list[tuple[Any, ...]] = [("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    commands += [("BACKGROUND", (0, r), (-1, r), MARKED_ROW) for r in marked]
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


def quartile_cells(summary: NumberSummary, unit: str) -> list[str]:
    """中央値, the middle half (25%〜75%) and 回答数 of a number question: no municipality's
    own figure at either end, as a hand-out shows it."""
    suffix = f" {unit}" if unit else ""
    if summary.median is None:
        return ["—", "—", f"0（無回答 {summary.unanswered}）"]
    lower, upper = number_text(summary.lower_quartile), number_text(summary.upper_quartile)
    return [
        f"{number_text(summary.median)}{suffix}",
        f"{lower}〜{upper}{suffix}",
        f"{summary.count}（無回答 {summary.unanswered}）",
    ]


def score_line(summary: ScoredSummary) -> str:
    """「平均 1.8 点（得点率 60%）」."""
    if summary.mean is None:
        return "—"
    return f"平均 {summary.mean:.1f} 点（得点率 {format_percent(summary.ratio)}）"
