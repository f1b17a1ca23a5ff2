"""``dxdesk schedule``: each municipality's cadence of regular consultations, the last held,
the next planned, and who is overdue."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from dxdesk.command_line import add_json, bilingual, print_json
from dxdesk.domain.cadence import cadence_label
from dxdesk.domain.roster import find_municipality, load_roster
from dxdesk.services.schedule import ScheduleRow, schedule, schedule_for
from dxdesk.services.workspace import Workspace

NONE = "-"
HEADER = ("コード", "市町村", "間隔", "最終実施", "期限", "次回予定", "状態")


def add_commands(commands: Any) -> None:
    parser = commands.add_parser(
        "schedule",
        help=bilingual(
            "定例よろず相談の予定: 市町村ごとの間隔、最終実施日、次の期限、次回予定、期限超過か"
            "（間隔内に実施も予定もない、または予定日を過ぎた予定がある）",
            "the regular consultations' schedule: per municipality the cadence, the last held, "
            "when the next is due, the next planned, and whether it is overdue (nothing held or "
            "planned within the cadence, or a planned one past its date)",
        ),
        examples=(
            "dxdesk schedule",
            "dxdesk schedule --municipality みなべ",
            "dxdesk schedule --json",
        ),
    )
    parser.add_argument(
        "--municipality",
        metavar="NAME|CODE",
        help=bilingual(
            "この市町村だけ（名前かコード。担当外も可）",
            "only this municipality (name or code; also one not assigned to you)",
        ),
    )
    add_json(parser)


def _cmd_schedule(ws: Workspace, args: argparse.Namespace) -> None:
    today = date.today()
    if args.municipality:
        code = find_municipality(load_roster(), args.municipality).code
        rows = [schedule_for(ws.store, code, today=today)]
    else:
        rows = schedule(ws.store, today=today)
    if args.json:
        print_json([row.as_json() for row in rows])
    else:
        sys.stdout.write(schedule_text(rows, today))


def schedule_text(rows: Sequence[ScheduleRow], today: date) -> str:
    """A header, a tab-separated line per municipality, and the count of the overdue."""
    if not rows:
        return "担当の市町村がありません。同期して割り当てを確かめてください\n"
    lines = [f"定例よろず相談の予定（{today.isoformat()} 現在）", "\t".join(HEADER)]
    lines += ["\t".join(_cells(row)) for row in rows]
    overdue = sum(row.overdue for row in rows)
    lines.append(f"期限超過 {overdue} / {len(rows)} 団体")
    return "\n".join(lines) + "\n"


def _cells(row: ScheduleRow) -> tuple[str, ...]:
    last = NONE if row.last_held is None else row.last_held["date"]
    due = NONE if row.due is None else row.due.isoformat()
    return (row.code, row.name, cadence_label(row.months), last, due, _planned(row), _state(row))


def _planned(row: ScheduleRow) -> str:
    if row.next_planned is None:
        return NONE
    day, start = row.next_planned["date"], row.next_planned["start_time"]
    return f"{day} {start}" if start else str(day)


def _state(row: ScheduleRow) -> str:
    state = "期限超過" if row.overdue else "—"
    if row.late:
        days = "、".join(late["date"] for late in row.late)
        state += f"（予定日を過ぎた予定 {days}: 実施か中止を記録してください）"
    return state


COMMANDS: dict[str, Callable[[Workspace, argparse.Namespace], None]] = {"schedule": _cmd_schedule}
