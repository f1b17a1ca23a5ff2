"""The records with a date as an iCalendar file (.ics) for Outlook or Google Calendar.

Three kinds of entries:

- ``visit``: a consultation or visit, 「<種別> <市町村名>」 and its title (「定例よろず相談
  和歌山市（4月）」 for a title that repeats the type); its type and national scheme as
  categories.
- ``event``: a group event (合同の場), its title and the participating municipalities' names in
  the description.
- ``follow_up``: an open follow-up with a due date, 「【期限】<内容>（<市町村名>）」, all day.

A consultation or event with a start time is a timed entry in Asia/Tokyo (TZID with the zone's
VTIMEZONE in the file, so a calendar elsewhere still shows the right hour); one without is all
day (VALUE=DATE: nothing for a calendar to shift). Planned and held ones are STATUS:CONFIRMED,
cancelled ones STATUS:CANCELLED and 「【中止】」 before the summary (not every calendar shows the
status). LOCATION is the record's place, 「オンライン」 for an online one without a place, an
event's 振興局 otherwise.

The file goes into calendars other people see, so it carries no notes, no summary text and no
interview content: only what a calendar needs to show when and where. Each entry's UID is its
record's id, so importing a newer export updates the entries instead of duplicating them; its
SEQUENCE is the record's server revision.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from dxdesk.domain.errors import DomainError
from dxdesk.domain.national_schemes import national_schemes
from dxdesk.domain.vocabulary import (
    CANCELLED,
    ENGAGEMENT_TYPES,
    GROUP_EVENT_TYPES,
    MODES,
    OPEN_FOLLOW_UP_STATUSES,
    RECORD_STATUSES,
)
from dxdesk.models.file_writing import replace_atomically
from dxdesk.models.store import StoreError
from dxdesk.services.records import Record
from dxdesk.services.workspace import Workspace

CALENDAR_NAME = "DX Desk"
TIMEZONE = "Asia/Tokyo"
PRODUCT_ID = "-//DX Desk//calendar export//JA"
UID_DOMAIN = "dxdesk"
DUE_PREFIX = "【期限】"
CANCELLED_PREFIX = "【中止】"
ONLINE = MODES["online"]
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
    roster = workspace.municipalities.roster()
    names = {str(m["code"]): str(m["name"]) for m in roster}
    assigned = {str(m["code"]) for m in roster if m["assigned"]} if mine else None

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

    calendar.add_missing_timezones()  # a VTIMEZONE for Asia/Tokyo when a timed entry uses it
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
    start = record.get("start_time")
    if start:  # a time of day in Asia/Tokyo: TZID=Asia/Tokyo, blocking the time as busy
        entry.add("dtstart", _at(day, start))
        end = record.get("end_time")
        if end:  # none: a point in time, as RFC 5545 reads a DTSTART without an end
            entry.add("dtend", _at(day, end))
        entry.add("transp", "OPAQUE")
    else:
        entry.add("dtstart", day)  # a date: VALUE=DATE, all day
        entry.add("dtend", day + timedelta(days=1))  # exclusive, as RFC 5545 has all-day ends
        entry.add("transp", "TRANSPARENT")  # shows the day without blocking it as busy
    if record.get("status") == CANCELLED:
        summary = CANCELLED_PREFIX + summary
        entry.add("status", "CANCELLED")
    elif record.get("status") in RECORD_STATUSES:  # planned or held (not a follow-up's)
        entry.add("status", "CONFIRMED")
    entry.add("summary", summary)
    entry.add("sequence", revisions.get(str(record["id"]), 0))
    modified = datetime.fromisoformat(str(record["updated_at"]))
    if modified.tzinfo is None:
        modified = modified.replace(tzinfo=UTC)  # stored in UTC (sql_common.UTCDateTime)
    entry.add("last-modified", modified.astimezone(UTC))
    return entry


def _at(day: date, hhmm: str) -> datetime:
    """The day at ``hhmm`` ("HH:MM", domain/calendar_values.py) in Asia/Tokyo."""
    return datetime.combine(day, time.fromisoformat(hhmm), tzinfo=ZoneInfo(TIMEZONE))


def _location(record: Record, fallback: str | None = None) -> str | None:
    """Where it takes place: its place, 「オンライン」 when online without one, or ``fallback``."""
    place = str(record.get("place") or "").strip()
    if place:
        return place
    if record.get("mode") == "online":
        return ONLINE
    return fallback or None


Names = dict[str, str]


def _name(names: Names, code: str | None) -> str:
    return names.get(code or "", code or "")


def _visit(record: Record, day: date, names: Names, revisions: dict[str, int]) -> Event:
    label = ENGAGEMENT_TYPES.get(record["type"], record["type"])
    summary = f"{label} {_name(names, record['municipality'])}"
    title = str(record["title"] or "")
    if title.startswith(f"{label}（"):  # 「定例よろず相談（4月）」: the type said once
        summary += title[len(label) :]
    elif title:
        summary += f" {title}"
    entry = _entry(record, day, summary, revisions)
    scheme = record.get("scheme")
    entry.add("categories", [label, national_schemes().get(scheme, scheme)] if scheme else [label])
    location = _location(record)
    if location:
        entry.add("location", location)
    return entry


def _group_event(record: Record, day: date, names: Names, revisions: dict[str, int]) -> Event:
    entry = _entry(record, day, str(record["title"]), revisions)
    label = GROUP_EVENT_TYPES.get(record["type"], record["type"])
    if label:
        entry.add("categories", [label])
    location = _location(record, record["region"])
    if location:
        entry.add("location", location)
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
