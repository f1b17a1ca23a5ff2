"""Issue 21's "done when", as an advisor goes through it: next month's 定例よろず相談 planned for
each of their municipalities, exported for Outlook, held, a 地域別よろず相談 with six
municipalities and 14 people recorded, and the KPI report showing the year's plans against what
was held, with the national-scheme counts."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from icalendar import Calendar

from dxdesk.cli.main import main
from dxdesk.services.planning import PlannedConsultation, plan_consultations
from dxdesk.services.programme_plan_edits import save_programme_plan
from dxdesk.services.schedule import schedule
from dxdesk.services.workspace import open_workspace
from tests.reports.pdf_tools import require_poppler, squash, text_lines

TODAY = date(2025, 6, 10)  # the advisor plans in June for July
MINE = ("302015", "302023", "302031")  # 和歌山市, 海南市, 橋本市
KIHOKU = {"302015": 4, "302023": 2, "303046": 2, "302074": 2, "302082": 2, "303615": 2}


def _cli(capsys: pytest.CaptureFixture[str], data: Path, *args: str) -> str:
    assert main(["--data-dir", str(data), *args]) == 0, capsys.readouterr().err
    return capsys.readouterr().out


def _read_calendar(path: Path) -> dict[str, tuple[str, str]]:
    """UID -> (summary, status) of each VEVENT."""
    calendar = Calendar.from_ical(path.read_bytes())
    return {
        str(event["UID"]): (str(event["SUMMARY"]), str(event.get("STATUS", "")))
        for event in calendar.walk("VEVENT")
    }


def test_plan_export_hold_record_a_session_and_report_the_year(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    require_poppler()
    data = tmp_path / "data"
    ws = open_workspace(data)
    try:
        for code in MINE:
            ws.cadences.add({"municipality": code, "months": 1})
        save_programme_plan(
            ws.store, 2025, {"regional_consultation": 2, "scheme.management_finance": 5}, ""
        )
        ws.engagements.add(
            {
                "municipality": "302015",
                "date": "2025-05-20",
                "type": "national_scheme",
                "scheme": "management_finance",
                "title": "経営・財務マネジメント強化事業",
            }
        )
        # Planned as the planning dialog does it: all three at once.
        plans = [
            PlannedConsultation(code, date(2025, 7, 7 + i), "10:00", "11:00", "online")
            for i, code in enumerate(MINE)
        ]
        ids = plan_consultations(ws.store, plans, today=TODAY)
    finally:
        ws.close()
    assert len(ids) == len(MINE)

    # Exported for Outlook; exporting again after a change keeps each entry's UID.
    ics = tmp_path / "7月.ics"
    window = ("--from", "2025-07-01", "--to", "2025-07-31")
    _cli(capsys, data, "export", "ics", "-o", str(ics), *window)
    first = _read_calendar(ics)
    assert sorted(first) == sorted(f"{i}@dxdesk" for i in ids)
    assert {status for _summary, status in first.values()} == {"CONFIRMED"}

    # Held: each marked 実施 (the CLI's update, as the editor's 状態 does).
    for record_id in ids:
        _cli(capsys, data, "records", "update", "visit", record_id, "--json", '{"status": "held"}')
    _cli(capsys, data, "export", "ics", "-o", str(ics), *window)
    assert sorted(_read_calendar(ics)) == sorted(first)

    # A 地域別よろず相談 with six municipalities and 14 people.
    event = {
        "type": "地域別よろず相談",
        "date": "2025-07-25",
        "start_time": "14:00",
        "end_time": "16:00",
        "title": "地域別よろず相談（紀北）",
        "region": "海草",
        "attendance": KIHOKU,
    }
    _cli(capsys, data, "records", "add", "event", "--json", json.dumps(event, ensure_ascii=False))
    assert sum(KIHOKU.values()) == 14

    # The schedule: nobody of the three is overdue once July's consultations are held. (The
    # command reads the clock; the service is asked for the end of July, when a consultation
    # still planned would be late and overdue.)
    rows = json.loads(_cli(capsys, data, "schedule", "--json"))
    assert all(r["last_held"] for r in rows if r["code"] in MINE)
    ws = open_workspace(data)
    try:
        end_of_july = schedule(ws.store, today=date(2025, 7, 31), codes=MINE)
    finally:
        ws.close()
    assert [(r.code, r.overdue, r.late) for r in end_of_july] == [
        (code, False, []) for code in MINE
    ]
    assert [r.due for r in end_of_july] == [date(2025, 8, 7 + i) for i in range(len(MINE))]

    pdf = tmp_path / "kpi.pdf"
    _cli(capsys, data, "report", "kpi", "--fiscal-year", "R7", "-o", str(pdf))
    lines = [squash(line) for line in text_lines(pdf)]
    text = "".join(lines)
    assert squash("計画と実績（R7年度）") in text
    assert squash("合同の場 1回: 6市町村14名が参加") in text
    assert squash("国の制度: 1団体1件（計画 5件）") in text
    assert squash("海草 1 / 2（未達） 0 0") in lines
