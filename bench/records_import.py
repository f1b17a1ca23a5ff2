"""``dxdesk import-records`` on a secretariat's sheet of past consultations, against adding the
same records one by one (what ``dxdesk records add`` does per record, without its process).

- **Sheet**: 3,000 consultations over the 30 municipalities as an .xlsx written by openpyxl: a
  title row above the header, 和暦 dates, municipalities by name, an 対応者 list, and an
  interview note and a follow-up on every third row (4,000 records with them).
- **Figures**: the median of ``repeat`` runs of the plan (read, map, check each row against the
  store) and of the first import (plan and one transaction), each on a fresh store; the
  re-import of the same file (every row found unchanged, nothing written).
- **Baseline**: ``RecordFacade.add`` once per consultation, same run, same values, one
  transaction each, on a fresh store.

The issue sets no speed target; the wizard runs these off the UI thread. The figures go in the
note.
"""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path

import openpyxl

from bench.report import Context, Row
from bench.timing import median_call
from dxdesk.domain.roster import load_roster
from dxdesk.imports.records_import import apply_records, plan_records
from dxdesk.services.workspace import open_workspace

ROWS = 3_000
_ERA_START = 2018  # 令和 N年 is 2018 + N


def _wareki(day: date) -> str:
    return f"令和{day.year - _ERA_START}年{day.month}月{day.day}日"


def write_sheet(path: Path, rows: int = ROWS) -> list[dict[str, object]]:
    """The sheet, and the values each of its consultations holds (for the baseline)."""
    roster = load_roster()
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("相談記録")
    sheet.append(["令和元年度〜 よろず相談 実施記録"])
    sheet.append(["市町村名", "相談日", "件名", "相談内容", "対応者", "ヒアリング内容", "宿題"])
    records: list[dict[str, object]] = []
    first = date(2019, 5, 1)
    for n in range(rows):
        place = roster[n % len(roster)]
        day = first + timedelta(days=n // 2)
        title, summary = f"相談 {n}", f"{place.name}の業務改善について（{n}）"
        advisors = ["山田", "佐藤"] if n % 2 else ["鈴木"]
        extra = [f"聞き取り {n}", f"資料を送る {n}"] if n % 3 == 0 else [None, None]
        sheet.append([place.name, _wareki(day), title, summary, "、".join(advisors), *extra])
        records.append(
            {
                "municipality": place.code,
                "date": day.isoformat(),
                "title": title,
                "summary": summary,
                "advisor_attendees": advisors,
            }
        )
    book.save(path)
    return records


def records_import(ctx: Context) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="dxdesk-bench-records-") as folder:
        root = Path(folder)
        sheet = root / "実施記録.xlsx"
        records = write_sheet(sheet)
        runs = iter(range(10_000))

        def fresh() -> Path:
            return root / f"store-{next(runs)}"

        def one_by_one() -> None:
            ws = open_workspace(fresh())
            try:
                visits = ws.records("visit")
                for record in records:
                    visits.add(record)
            finally:
                ws.close()

        def plan_only() -> None:
            ws = open_workspace(fresh())
            try:
                plan_records(ws, "visit", sheet)
            finally:
                ws.close()

        def first_import() -> None:
            ws = open_workspace(fresh())
            try:
                apply_records(ws, plan_records(ws, "visit", sheet))
            finally:
                ws.close()

        again = fresh()
        ws = open_workspace(again)
        try:
            written = apply_records(ws, plan_records(ws, "visit", sheet))
        finally:
            ws.close()

        def re_import() -> None:
            ws = open_workspace(again)
            try:
                plan = plan_records(ws, "visit", sheet)
                assert plan.count("unchanged") == ROWS, plan.as_json()["created"]
            finally:
                ws.close()

        base = median_call(one_by_one, ctx.repeat)[0]
        detail = f"{ROWS:,} rows, {written:,} records; baseline: RecordFacade.add per row"
        return [
            Row(
                "records import: plan (read, map, check)",
                median_call(plan_only, ctx.repeat)[0],
                None,
                base,
                detail,
            ),
            Row(
                "records import: first import", median_call(first_import, ctx.repeat)[0], None, base
            ),
            Row(
                "records import: the same file again",
                median_call(re_import, ctx.repeat)[0],
                None,
                base,
            ),
        ]
