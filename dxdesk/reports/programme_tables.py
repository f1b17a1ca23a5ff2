"""The KPI report's 「計画と実績」 section: one fiscal year's plan against what was held
(services/programme_counts.py, the figures the 分析 tab shows)."""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm

from dxdesk.domain.fiscal_year import era_label
from dxdesk.reports.document import CONTENT_WIDTH, para, styles, table
from dxdesk.services.programme_counts import (
    ProgrammeYear,
    SessionRow,
    attendance_text,
    scheme_totals_text,
    versus_text,
)

NONE = "—"


def _target(value: int | None) -> str:
    return NONE if value is None else str(value)


def programme_heading(fiscal_year: int) -> str:
    return f"計画と実績（{era_label(fiscal_year)}年度）"


def event_rows(year: ProgrammeYear) -> list[list[str]]:
    return [
        [
            row.label,
            versus_text(row.held, row.target),
            str(row.planned),
            str(row.cancelled),
            str(row.municipalities),
            str(row.people),
        ]
        for row in year.events
    ]


def session_rows(rows: list[SessionRow]) -> list[list[str]]:
    return [
        [row.key, versus_text(row.held, row.target), str(row.planned), str(row.cancelled)]
        for row in rows
    ]


def scheme_rows(year: ProgrammeYear) -> list[list[str]]:
    return [
        [row.name, str(row.municipalities), versus_text(row.uses, row.target)]
        for row in year.schemes
    ]


def regular_rows(year: ProgrammeYear) -> list[list[str]]:
    return [
        [
            row.name,
            row.region,
            NONE if row.months is None else f"{row.months}か月ごと",
            versus_text(row.held, row.expected),
            str(row.planned),
            str(row.cancelled),
        ]
        for row in year.regular
    ]


def programme_story(year: ProgrammeYear) -> list[Any]:
    """The section's heading, its two summary lines and its tables."""
    s = styles()
    counts = [18 * mm, 14 * mm, 14 * mm]  # held/plan, planned, cancelled
    plan_note = (
        "各欄の「実施 / 計画（達成・未達）」は実施した回数と年度計画の回数。"
        "予定・中止は実施に数えていません。"
        if year.plan_id is not None
        else "この年度の計画はまだありません（実施・予定・中止の回数のみ）。"
    )
    session_widths = [CONTENT_WIDTH - sum(counts) - 10 * mm, counts[0] + 10 * mm, *counts[1:]]
    story: list[Any] = [
        para(programme_heading(year.fiscal_year), s.heading),
        para(scheme_totals_text(year.scheme_totals), s.body),
        para(attendance_text(year.attendance), s.body),
        para(plan_note, s.small),
        para("合同の場", s.subheading),
        table(
            ["種別", "実施 / 計画", "予定", "中止", "参加団体", "参加人数"],
            event_rows(year),
            [CONTENT_WIDTH - 118 * mm, 34 * mm, 14 * mm, 14 * mm, 28 * mm, 28 * mm],
        ),
        para("地域別よろず相談（振興局ごと）", s.subheading),
        table(
            ["振興局", "実施 / 計画", "予定", "中止"], session_rows(year.regional), session_widths
        ),
        para("テーマ別よろず相談（テーマごと）", s.subheading),
        table(["テーマ", "実施 / 計画", "予定", "中止"], session_rows(year.themes), session_widths),
        para("国のアドバイザー制度", s.subheading),
        table(
            ["制度", "団体", "件 / 計画"],
            scheme_rows(year),
            [CONTENT_WIDTH - 62 * mm, 22 * mm, 40 * mm],
        ),
        para("定例よろず相談（市町村ごと、間隔から見た年間の目安）", s.subheading),
        table(
            ["市町村", "振興局", "間隔", "実施 / 目安", "予定", "中止"],
            regular_rows(year),
            [CONTENT_WIDTH - 124 * mm, 24 * mm, 28 * mm, 36 * mm, 18 * mm, 18 * mm],
        ),
    ]
    return story
