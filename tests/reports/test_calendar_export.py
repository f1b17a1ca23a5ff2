"""The calendar export (.ics): written files read back with icalendar."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar
from sqlalchemy import update

from dxdesk.cli import main as cli
from dxdesk.domain.errors import DomainError
from dxdesk.reports.calendar_export import write_calendar
from dxdesk.services.assignment import set_assignment
from dxdesk.services.workspace import Workspace, open_workspace

WAKAYAMA, KAINAN, HASHIMOTO = "302015", "302023", "302031"
PRIVATE = ("書かない窓口の概要", "第1段落の内部メモ", "課長の本音")


def _seed(ws: Workspace) -> dict[str, Any]:
    visit = ws.engagements.add(
        {
            "municipality": WAKAYAMA,
            "date": "2025-06-12",
            "type": "regular_consultation",
            "title": "窓口BPR",
            "summary": PRIVATE[0],
            "notes": PRIVATE[1],
        }
    )
    ws.interviews.add({"engagement": visit["id"], "interviewee": "山本", "notes": PRIVATE[2]})
    chat = ws.engagements.add({"municipality": KAINAN, "date": "2025-09-01", "type": "chat"})
    gone = ws.engagements.add({"municipality": HASHIMOTO, "date": "2025-06-20", "title": "消す"})
    ws.engagements.delete(gone["id"])
    event = ws.events.add(
        {
            "date": "2025-07-15",
            "title": "地域別よろず相談（海草）",
            "type": "regional_consultation",
            "region": "海草振興局",
            "participants": [KAINAN, HASHIMOTO],
            "notes": PRIVATE[1],
        }
    )
    due = ws.follow_ups.add(
        {"engagement": visit["id"], "description": "手順書を送る", "due": "2025-06-30"}
    )
    ws.follow_ups.add({"municipality": KAINAN, "description": "済んだ件", "due": "2025-06-25"})
    done = ws.follow_ups.list_records(municipality=KAINAN)[0]
    ws.follow_ups.update(done["id"], {"status": "done"})
    ws.follow_ups.add({"municipality": KAINAN, "description": "期限なし"})
    return {"visit": visit, "chat": chat, "event": event, "due": due}


@pytest.fixture
def seeded(workspace: Workspace) -> dict[str, Any]:
    return _seed(workspace)


def _entries(path: Path) -> dict[str, Any]:
    """UID -> VEVENT of the file at ``path``."""
    calendar = Calendar.from_ical(path.read_bytes())
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


def test_each_kind_all_day_and_nothing_private(
    workspace: Workspace, seeded: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "予定.ics"
    result = write_calendar(workspace, path, start=None, end=None, mine=False)
    assert result.counts == {"visit": 2, "event": 1, "follow_up": 1}
    calendar = Calendar.from_ical(path.read_bytes())
    assert str(calendar["x-wr-calname"]) == "DX Desk"
    assert str(calendar["x-wr-timezone"]) == "Asia/Tokyo"
    entries = _entries(path)
    assert len(entries) == 4  # no deleted visit, no done follow-up, none without a due date
    visit = entries[f"{seeded['visit']['id']}@dxdesk"]
    assert str(visit["summary"]) == "定例よろず相談 和歌山市 窓口BPR"
    assert visit.decoded("dtstart") == date(2025, 6, 12)  # a date, not a datetime: all day
    assert visit["dtstart"].params["VALUE"] == "DATE"
    assert visit["categories"].cats == ["定例よろず相談"]
    assert int(visit["sequence"]) == 0  # never synced
    chat = entries[f"{seeded['chat']['id']}@dxdesk"]
    assert str(chat["summary"]) == "チャット相談 海南市"
    event = entries[f"{seeded['event']['id']}@dxdesk"]
    assert str(event["summary"]) == "地域別よろず相談（海草）"
    assert str(event["location"]) == "海草振興局"
    assert "海南市" in str(event["description"]) and "橋本市" in str(event["description"])
    assert event.decoded("dtstart") == date(2025, 7, 15)
    due = entries[f"{seeded['due']['id']}@dxdesk"]
    assert str(due["summary"]) == "【期限】手順書を送る（和歌山市）"
    assert due.decoded("dtstart") == date(2025, 6, 30)
    text = path.read_bytes().decode("utf-8")
    assert not [private for private in PRIVATE if private in text]
    assert "済んだ件" not in text and "消す" not in text


def test_uids_stay_across_exports_and_a_changed_title(
    workspace: Workspace, seeded: dict[str, Any], tmp_path: Path
) -> None:
    first, second = tmp_path / "1.ics", tmp_path / "2.ics"
    write_calendar(workspace, first, start=None, end=None, mine=False)
    workspace.engagements.update(seeded["visit"]["id"], {"title": "窓口BPR（第2回）"})
    table: Any = workspace.engagements.table
    with workspace.store.transaction() as session:  # as a sync would have recorded it
        session.execute(update(table).where(table.id == seeded["visit"]["id"]).values(server_rev=7))
    write_calendar(workspace, second, start=None, end=None, mine=False)
    before, after = _entries(first), _entries(second)
    assert before.keys() == after.keys()
    uid = f"{seeded['visit']['id']}@dxdesk"
    assert str(after[uid]["summary"]) == "定例よろず相談 和歌山市 窓口BPR（第2回）"
    assert after[uid].decoded("last-modified") >= before[uid].decoded("last-modified")
    assert (int(before[uid]["sequence"]), int(after[uid]["sequence"])) == (0, 7)


def test_date_range_and_mine_filter(
    workspace: Workspace, seeded: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "範囲.ics"
    june = write_calendar(
        workspace, path, start=date(2025, 6, 12), end=date(2025, 6, 30), mine=False
    )
    assert june.counts == {"visit": 1, "event": 0, "follow_up": 1}  # both ends inclusive
    with workspace.store.transaction() as session:
        set_assignment(session, [KAINAN])
    mine = write_calendar(workspace, path, start=None, end=None, mine=True)
    assert mine.counts == {"visit": 1, "event": 1, "follow_up": 0}  # 海南市 takes part
    assert f"{seeded['chat']['id']}@dxdesk" in _entries(path)


def test_end_before_start_is_refused_and_nothing_written(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "逆.ics"
    with pytest.raises(DomainError, match="終了日 2025-03-31 が開始日 2025-04-01 より前です"):
        write_calendar(workspace, path, start=date(2025, 4, 1), end=date(2025, 3, 31), mine=False)
    assert list(tmp_path.iterdir()) == [tmp_path / "data"]


def test_cli_writes_and_says_how_many(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = open_workspace(tmp_path / "data")
    try:
        _seed(ws)
    finally:
        ws.close()
    target = tmp_path / "予定.ics"
    args = ["--data-dir", str(tmp_path / "data"), "export", "ics", "-o", str(target)]
    assert cli.main([*args, "--from", "2025-06-01", "--to", "2025-07-31"]) == 0
    out = capsys.readouterr().out
    assert out == f"カレンダーを書き出しました: {target}（相談 1 件、合同の場 1 件、期限 1 件）\n"
    assert len(_entries(target)) == 3
    assert cli.main([*args, "--from", "2025-08-01", "--to", "2025-07-31"]) == 2
    assert "終了日" in capsys.readouterr().err


def test_timed_entries_in_tokyo_with_status_and_location(
    workspace: Workspace, tmp_path: Path
) -> None:
    planned = workspace.engagements.add(
        {
            "municipality": WAKAYAMA,
            "date": "2025-12-08",
            "type": "regular_consultation",
            "title": "定例よろず相談（12月）",
            "status": "planned",
            "start_time": "10:00",
            "end_time": "11:30",
            "mode": "online",
        }
    )
    open_ended = workspace.engagements.add(
        {
            "municipality": KAINAN,
            "date": "2025-12-09",
            "type": "national_scheme",
            "scheme": "informatization_advisor",
            "start_time": "15:00",
            "place": "海南市役所",
        }
    )
    cancelled = workspace.events.add(
        {
            "date": "2025-12-10",
            "title": "地域別よろず相談（海草・第2回）",
            "region": "海草",
            "status": "cancelled",
            "place": "海草振興局 会議室",
            "participants": [KAINAN],
        }
    )
    path = tmp_path / "予定.ics"
    write_calendar(workspace, path, start=None, end=None, mine=False)
    calendar = Calendar.from_ical(path.read_bytes())
    # Written unsorted in the order icalendar sorts an event's properties in (the file as
    # a sorted write would have it, without sorting each entry).
    assert [list(e.keys()) for e in calendar.walk("VEVENT")] == [
        e.sorted_keys() for e in calendar.walk("VEVENT")
    ]
    zones = [str(zone["tzid"]) for zone in calendar.walk("VTIMEZONE")]
    assert zones == ["Asia/Tokyo"]  # one zone, written once for every timed entry
    entries = _entries(path)

    consultation = entries[f"{planned['id']}@dxdesk"]
    assert consultation["dtstart"].params["TZID"] == "Asia/Tokyo"
    start, end = consultation.decoded("dtstart"), consultation.decoded("dtend")
    assert (start.isoformat(), end.isoformat()) == (
        "2025-12-08T10:00:00+09:00",
        "2025-12-08T11:30:00+09:00",
    )
    assert str(consultation["summary"]) == "定例よろず相談 和歌山市（12月）"  # type said once
    assert str(consultation["status"]) == "CONFIRMED"  # planned: it takes place
    assert str(consultation["location"]) == "オンライン"
    assert str(consultation["transp"]) == "OPAQUE"

    visit = entries[f"{open_ended['id']}@dxdesk"]
    assert visit.decoded("dtstart").isoformat() == "2025-12-09T15:00:00+09:00"
    assert "dtend" not in visit  # no end time recorded: none made up
    assert str(visit["location"]) == "海南市役所"
    assert str(visit["status"]) == "CONFIRMED"  # held (the default)
    assert visit["categories"].cats == ["国のアドバイザー制度", "地域情報化アドバイザー派遣"]

    event = entries[f"{cancelled['id']}@dxdesk"]
    assert str(event["status"]) == "CANCELLED"
    assert str(event["summary"]) == "【中止】地域別よろず相談（海草・第2回）"
    assert event.decoded("dtstart") == date(2025, 12, 10)  # no time: all day
    assert str(event["location"]) == "海草振興局 会議室"  # the place before the region

    # Held later, the same entry (UID) with the new status; cancelled ones stay cancelled.
    workspace.engagements.update(planned["id"], {"status": "held"})
    write_calendar(workspace, path, start=None, end=None, mine=False)
    again = _entries(path)
    assert again.keys() == entries.keys()
    assert str(again[f"{planned['id']}@dxdesk"]["status"]) == "CONFIRMED"
