"""The workbook's sheets of the programme calendar (reports/xlsx_export.py): 合同の場 (group
sessions with their times, place, participants and people from each), 定例の間隔 (each
municipality's cadence; where two laptops set one, which counts) and 年度計画 (a fiscal year's
plan, one column per target)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from dxdesk.domain.fiscal_year import format_fiscal_year
from dxdesk.domain.programme_plan import target_keys, target_label
from dxdesk.domain.vocabulary import GROUP_EVENT_TYPES, MODES, RECORD_STATUSES
from dxdesk.reports.xlsx_columns import (
    ID_HEADER,
    LIST_SEPARATOR,
    Column,
    Names,
    Table,
    choice_column,
    day_column,
    joined,
    label,
    make_table,
    place_columns,
    text_column,
)
from dxdesk.services.records import Record

EVENTS_SHEET = "合同の場"
CADENCES_SHEET = "定例の間隔"
PLANS_SHEET = "年度計画"
COUNTS_HEADER = "現在の設定"  # a cadence or plan that counts (newest of several): 〇
COUNTS_MARK = "〇"
PEOPLE_TOTAL_HEADER = "参加人数（計）"
BODIES_HEADER = "参加市町村数"


def status_column(kind: str) -> Column:
    return choice_column(kind, "status", RECORD_STATUSES)


def time_columns(kind: str) -> list[Column]:
    return [text_column(kind, "start_time"), text_column(kind, "end_time")]


def events_table(records: Sequence[Record], names: Names) -> Table:
    def attendance(r: Record) -> str:
        return LIST_SEPARATOR.join(f"{names(c) or c} {n}名" for c, n in r["attendance"].items())

    columns: list[Column] = [
        day_column("event", "date"),
        *time_columns("event"),
        choice_column("event", "type", GROUP_EVENT_TYPES),
        status_column("event"),
        text_column("event", "title"),
        choice_column("event", "mode", MODES),
        text_column("event", "place"),
        text_column("event", "region"),
        (label("event", "themes"), lambda r: joined(r["themes"])),
        (label("event", "participants"), lambda r: joined(names(c) for c in r["participants"])),
        (BODIES_HEADER, lambda r: len(r["participants"] or [])),
        (label("event", "attendance"), attendance),
        (PEOPLE_TOTAL_HEADER, lambda r: sum(r["attendance"].values())),
        text_column("event", "summary"),
        text_column("event", "notes"),
        (ID_HEADER, lambda r: r["id"]),
    ]
    return make_table(EVENTS_SHEET, columns, records)


def cadences_table(records: Sequence[Record], current: Mapping[str, Record], names: Names) -> Table:
    counting = {record["id"] for record in current.values()}
    columns: list[Column] = [
        *place_columns(names),
        (label("cadence", "months"), lambda r: r["months"]),
        text_column("cadence", "note"),
        (COUNTS_HEADER, lambda r: COUNTS_MARK if r["id"] in counting else ""),
        (ID_HEADER, lambda r: r["id"]),
    ]
    ordered = sorted(records, key=lambda r: str(r["municipality"]))
    return make_table(CADENCES_SHEET, columns, ordered)


def plans_table(records: Sequence[Record], counting: set[str]) -> Table:
    """One row per plan; a column per target (blank: the plan sets none)."""
    columns: list[Column] = [
        (label("programme_plan", "fiscal_year"), lambda r: format_fiscal_year(r["fiscal_year"])),
        *((target_label(k), lambda r, k=k: r["targets"].get(k)) for k in target_keys()),
        text_column("programme_plan", "notes"),
        (COUNTS_HEADER, lambda r: COUNTS_MARK if r["id"] in counting else ""),
        (ID_HEADER, lambda r: r["id"]),
    ]
    return make_table(PLANS_SHEET, columns, records)
