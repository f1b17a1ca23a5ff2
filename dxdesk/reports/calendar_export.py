"""The records with a date as an iCalendar file (.ics) for Outlook or Google Calendar.

Three kinds of entries, each an all-day event on its date (VALUE=DATE: nothing for a calendar
to shift between time zones):

- ``visit``: a consultation or visit, 「<種別> <市町村名>」 and its title; its type as category.
- ``event``: a group event (合同の場), its title, region as location and the participating
  municipalities' names in the description.
- ``follow_up``: an open follow-up with a due date, 「【期限】<内容>（<市町村名>）」.

The file goes into calendars other people see, so it carries no notes, no summary text and no
interview content: only what a calendar needs to show when and where. Each entry's UID is its
record's id, so importing a newer export updates the entries instead of duplicating them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from icalendar import Calendar, Event

from dxdesk.domain.errors import DomainError
from dxdesk.domain.vocabulary import ENGAGEMENT_TYPES, GROUP_EVENT_TYPES, OPEN_FOLLOW_UP_STATUSES
from dxdesk.models.file_writing import replace_atomically
from dxdesk.models.store import StoreError
from dxdesk.services.records import Record
from dxdesk.services.workspace import Workspace

CALENDAR_NAME = "DX Desk"
TIMEZONE = "Asia/Tokyo"
PRODUCT_ID = "-//DX Desk//calendar export//JA"
UID_DOMAIN = "dxdesk"
DUE_PREFIX = "【期限】"
KINDS = ("visit", "event", "follow_up")


@dataclass
class CalendarResult:
    """What was written: entries per kind (``visit``, ``event``, ``follow_up``)."""

    path: Path
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))


def write_calendar(
    workspace: Workspace,
    path: Path,
    *,
    start: date | None = None,
    end: date | None = None,
    mine: bool = False,
) -> CalendarResult:
    """Write the calendar to ``path``, whole or not at all.

    ``start``/``end`` keep the entries dated within them (both inclusive); ``mine`` keeps the
    records of the municipalities assigned to this laptop (events: one of them takes part).
    Raises ``DomainError`` for an end before the start, ``StoreError`` when the file cannot
    be written; either way no file is written.
    """
    if start is not None and end is not None and end < start:
        raise DomainError(
            f"終了日 {end.isoformat()} が開始日 {start.isoformat()} より前です。"
            "開始日以降の日付を指定してください"
        )
    path = Path(path)
    names = {
        str(m["code"]): str(m["name"])
        for m in workspace.municipalities.overview(assigned_only=False)
    }
    assigned = (
        {str(m["code"]) for m in workspace.municipalities.overview(assigned_only=True)}
        if mine
        else None
    )

    def wanted(day: date, codes: Iterable[str | None]) -> bool:
        if start is not None and day < start:
            return False
        if end is not None and day > end:
            return False
        return assigned is None or any(code in assigned for code in codes)

    calendar = _calendar()
    result = CalendarResult(path)
    stamp = datetime.now(UTC)

    def add(kind: str, entry: Event) -> None:
        entry.add("dtstamp", stamp)
        calendar.add_component(entry)
        result.counts[kind] += 1

    revisions = _revisions(workspace, ("visit", "event", "followup"))
    for record in workspace.engagements.list_records():
        day = date.fromisoformat(record["date"])
        if wanted(day, [record["municipality"]]):
            add("visit", _visit(record, day, names, revisions))
    for record in workspace.events.list_records():
        day = date.fromisoformat(record["date"])
        if wanted(day, record["participants"] or []):
            add("event", _group_event(record, day, names, revisions))
    for record in workspace.follow_ups.list_records():
        if not record["due"] or record["status"] not in OPEN_FOLLOW_UP_STATUSES:
            continue
        day = date.fromisoformat(record["due"])
        if wanted(day, [record["municipality"]]):
            add("follow_up", _follow_up(record, day, names, revisions))

    data = calendar.to_ical()
    try:
        replace_atomically(path, lambda temp: temp.write_bytes(data))
    except OSError as exc:
        raise StoreError(f"{path} に書き込めません（{exc.strerror or exc}）") from None
    return result


def _calendar() -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", CALENDAR_NAME)
    calendar.add("x-wr-timezone", TIMEZONE)
    return calendar


def _revisions(workspace: Workspace, kinds: Iterable[str]) -> dict[str, int]:
    """Record id -> the server revision it was last synced at (the facades' records do not
    carry it); a record never synced has none and its entry's SEQUENCE is 0."""
    revisions: dict[str, int] = {}
    for kind in kinds:
        revisions.update(workspace.records(kind).server_revisions())
    return revisions


def _entry(record: Record, day: date, summary: str, revisions: dict[str, int]) -> Event:
    entry = Event()
    entry.add("uid", f"{record['id']}@{UID_DOMAIN}")
    entry.add("summary", summary)
    entry.add("dtstart", day)  # a date: VALUE=DATE, all day
    entry.add("dtend", day + timedelta(days=1))  # exclusive, as RFC 5545 has all-day ends
    entry.add("transp", "TRANSPARENT")  # shows the day without blocking it as busy
    entry.add("sequence", revisions.get(str(record["id"]), 0))
    modified = datetime.fromisoformat(str(record["updated_at"]))
    if modified.tzinfo is None:
        modified = modified.replace(tzinfo=UTC)  # stored in UTC (sql_common.UTCDateTime)
    entry.add("last-modified", modified.astimezone(UTC))
    return entry


Names = dict[str, str]


def _name(names: Names, code: str | None) -> str:
    return names.get(code or "", code or "")


def _visit(record: Record, day: date, names: Names, revisions: dict[str, int]) -> Event:
    label = ENGAGEMENT_TYPES.get(record["type"], record["type"])
    summary = f"{label} {_name(names, record['municipality'])}"
    if record["title"]:
        summary += f" {record['title']}"
    entry = _entry(record, day, summary, revisions)
    entry.add("categories", [label])
    return entry


def _group_event(record: Record, day: date, names: Names, revisions: dict[str, int]) -> Event:
    entry = _entry(record, day, str(record["title"]), revisions)
    label = GROUP_EVENT_TYPES.get(record["type"], record["type"])
    if label:
        entry.add("categories", [label])
    if record["region"]:
        entry.add("location", record["region"])
    participants = [_name(names, code) for code in record["participants"] or []]
    if participants:
        entry.add("description", "参加市町村: " + "、".join(participants))
    return entry


def _follow_up(record: Record, day: date, names: Names, revisions: dict[str, int]) -> Event:
    place = _name(names, record["municipality"])
    summary = f"{DUE_PREFIX}{record['description'] or 'フォローアップ'}"
    if place:
        summary += f"（{place}）"
    entry = _entry(record, day, summary, revisions)
    entry.add("categories", ["フォローアップ"])
    return entry
