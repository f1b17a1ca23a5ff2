"""The programme calendar's reads on the large store: the municipality list (with each one's
次回予定 and 期限超過), ``dxdesk schedule``, a fiscal year's 計画と実績 and a year's iCalendar
export, each against a plain SQL read of the same rows.

- **Store**: ``bench.large_store`` (30 municipalities, 20,000 engagements over ten years, 60,000
  follow-ups), plus what the calendar adds: a cadence for each municipality, a 定例 planned for
  each a month ahead, the year's plan, and the year's group sessions (地域別 twice in each of the
  7 振興局, テーマ別 three times for each of the 6 themes, with attendance).
- **Figures**: the median of ``repeat`` runs of ``MunicipalityFacade.overview``,
  ``services.schedule.schedule``, ``services.programme_counts.programme_year`` and
  ``reports.calendar_export.write_calendar`` (one fiscal year).
- **Baseline**: one SQL query reading the columns these use (engagement municipality, date,
  type and status, for every engagement), same run.

The issue sets no speed target; these run off the UI thread. The figures go in the note.
"""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import text

from bench.large_store import build_large_store
from bench.report import Context, Row
from bench.timing import median_call
from dxdesk.domain.fiscal_year import fiscal_year_bounds, fiscal_year_of
from dxdesk.domain.vocabulary import THEMES
from dxdesk.reports.calendar_export import write_calendar
from dxdesk.services.programme_counts import programme_year
from dxdesk.services.schedule import schedule
from dxdesk.services.workspace import Workspace, open_workspace

BASELINE_SQL = "SELECT municipality, date, type, status FROM engagement WHERE deleted = 0"


def _add_calendar(ws: Workspace, today: date) -> int:
    """The calendar's records on top of the large store; returns the fiscal year measured."""
    year = fiscal_year_of(today)
    first, _last = fiscal_year_bounds(year)
    roster = ws.municipalities.overview(assigned_only=False)
    with ws.store.transaction() as session:
        for n, m in enumerate(roster):
            ws.cadences.add_in(session, {"municipality": m["code"], "months": 1 + n % 2})
            ws.engagements.add_in(
                session,
                {
                    "municipality": m["code"],
                    "date": (today + timedelta(days=30 + n % 20)).isoformat(),
                    "type": "regular_consultation",
                    "status": "planned",
                    "start_time": "10:00",
                    "end_time": "11:00",
                },
            )
        ws.programme_plans.add_in(
            session,
            {
                "fiscal_year": year,
                "targets": {"regional_consultation": 2, "theme_consultation": 3},
            },
        )
        regions = sorted({m["region"] for m in roster})
        for n, region in enumerate(regions * 2):
            codes = [m["code"] for m in roster if m["region"] == region]
            ws.events.add_in(
                session,
                {
                    "type": "regional_consultation",
                    "date": (first + timedelta(days=60 + 150 * (n // len(regions)))).isoformat(),
                    "title": f"地域別よろず相談（{region}）",
                    "region": region,
                    "attendance": dict.fromkeys(codes, 2),
                },
            )
        for n, theme in enumerate(THEMES * 3):
            ws.events.add_in(
                session,
                {
                    "type": "theme_consultation",
                    "date": (first + timedelta(days=30 + 100 * (n // len(THEMES)))).isoformat(),
                    "title": f"テーマ別よろず相談（{theme}）",
                    "themes": [theme],
                    "attendance": {m["code"]: 1 for m in roster[n % 5 :: 5]},
                },
            )
    return year


def calendar(ctx: Context) -> list[Row]:
    today = date.today()
    with tempfile.TemporaryDirectory(prefix="dxdesk-bench-calendar-") as tmp:
        data_dir = Path(tmp) / "data"
        counts = build_large_store(data_dir, today=today)
        ws = open_workspace(data_dir)
        try:
            year = _add_calendar(ws, today)
            first, last = fiscal_year_bounds(year)

            def baseline() -> object:
                with ws.store.session() as session:
                    return session.execute(text(BASELINE_SQL)).all()

            base = median_call(baseline, ctx.repeat)[0]
            ics = Path(tmp) / "year.ics"
            figures = (
                ("calendar: municipality list", lambda: ws.municipalities.overview()),
                ("calendar: schedule", lambda: schedule(ws.store, today=today)),
                ("calendar: 計画と実績 of a year", lambda: programme_year(ws.store, year)),
                (
                    "calendar: ics of a year",
                    lambda: write_calendar(ws, ics, start=first, end=last),
                ),
            )
            rows = [
                Row(
                    figure,
                    median_call(work, ctx.repeat)[0],
                    baseline_s=base,
                    detail=f"{counts.engagements:,} engagements; baseline: {BASELINE_SQL}"
                    if n == 0
                    else "",
                )
                for n, (figure, work) in enumerate(figures)
            ]
        finally:
            ws.close()
    return rows
