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

An export of a year may hold tens of thousands of entries: the records are read for the dates
asked for only (services/calendar_entries.py), each property is made as its icalendar type
directly (``Component.add`` would infer the type and copy the parameters for each one), the
properties every entry shares are made once, and the one zone's VTIMEZONE is added once instead
of scanning every entry for the zones it names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, vCategory, vDate, vDatetime, vInt, vText

from dxdesk.domain.errors import DomainError
from dxdesk.domain.national_schemes import national_schemes
from dxdesk.domain.vocabulary import (
    CANCELLED,
    ENGAGEMENT_TYPES,
    GROUP_EVENT_TYPES,
    MODES,
    RECORD_STATUSES,
)
from dxdesk.models.file_writing import replace_atomically
from dxdesk.models.store import StoreError
from dxdesk.services.calendar_entries import (
    Dated,
    DatedEvent,
    DatedVisit,
    DueFollowUp,
    dated_records,
)
from dxdesk.services.workspace import Workspace

CALENDAR_NAME = "DX Desk"
TIMEZONE = "Asia/Tokyo"
PRODUCT_ID = "-//DX Desk//calendar export//JA"
UID_DOMAIN = "dxdesk"
DUE_PREFIX = "【期限】"
CANCELLED_PREFIX = "【中止】"
FOLLOW_UP = "フォローアップ"
ONLINE = MODES["online"]
KINDS = ("visit", "event", "follow_up")
_TOKYO = ZoneInfo(TIMEZONE)
# The order icalendar sorts an event's properties in (Event.canonical_order, then by name):
# made in it, the file is written unsorted, as it would be sorted, without sorting each entry.
_EVENT_ORDER = (
    "SUMMARY",
    "DTSTART",
    "DTEND",
    "DTSTAMP",
    "UID",
    "SEQUENCE",
    "CATEGORIES",
    "DESCRIPTION",
    "LAST-MODIFIED",
    "LOCATION",
    "STATUS",
    "TRANSP",
)


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
    records = dated_records(workspace.store, start=start, end=end, codes=assigned)

    result = CalendarResult(path)
    shared = _Shared(datetime.now(UTC))
    entries = [_visit(r, names, shared) for r in records.visits]
    entries += [_group_event(r, names, shared) for r in records.events]
    entries += [_follow_up(r, names, shared) for r in records.follow_ups]
    result.counts.update(
        visit=len(records.visits), event=len(records.events), follow_up=len(records.follow_ups)
    )

    calendar = _calendar()
    if shared.timed:  # the zone the timed entries name, so a calendar elsewhere shows the hour
        calendar.add_component(Timezone.from_tzid(TIMEZONE))
    calendar.subcomponents.extend(entries)  # what add_component does, one by one
    # Each entry's properties are made in the order icalendar would sort them (_EVENT_ORDER):
    # sorting tens of thousands of entries again costs more than building them.
    data = calendar.to_ical(sorted=False)
    try:
        replace_atomically(path, lambda temp: temp.write_bytes(data))
    except OSError as exc:
        raise StoreError(f"{path} に書き込めません（{exc.strerror or exc}）") from None
    return result


def _calendar() -> Calendar:
    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", CALENDAR_NAME)
    calendar.add("x-wr-timezone", TIMEZONE)
    return calendar


class _Shared:
    """The property values many entries have, made once (icalendar only reads them when it
    writes the file), and whether any entry is timed (its zone then goes in the file)."""

    def __init__(self, stamp: datetime) -> None:
        self.stamp = vDatetime(stamp)  # aware UTC: written with a Z, no TZID
        self.opaque = vText("OPAQUE")
        self.transparent = vText("TRANSPARENT")
        self.cancelled = vText("CANCELLED")
        self.confirmed = vText("CONFIRMED")
        self.timed = False
        self._categories: dict[tuple[str, ...], vCategory] = {}
        self._texts: dict[str, vText] = {}
        self._days: dict[date, vDate] = {}
        self._sequences: dict[int, vInt] = {}

    def categories(self, *labels: str) -> vCategory:
        found = self._categories.get(labels)
        if found is None:
            found = self._categories[labels] = vCategory(list(labels))
        return found

    def day(self, value: date) -> vDate:
        """A date (VALUE=DATE): a year's entries fall on a few hundred days."""
        found = self._days.get(value)
        if found is None:
            found = self._days[value] = vDate(value, {"VALUE": "DATE"})
        return found

    def sequence(self, value: int) -> vInt:
        """A revision: 0 for every record never synced."""
        found = self._sequences.get(value)
        if found is None:
            found = self._sequences[value] = vInt(value)
        return found

    def text(self, value: str) -> vText:
        """A text that repeats across entries (a place, a region)."""
        found = self._texts.get(value)
        if found is None:
            found = self._texts[value] = vText(value)
        return found


def _entry(record: Dated, summary: str, shared: _Shared) -> dict[str, Any]:
    """The properties every entry has, by their names in the file."""
    properties: dict[str, Any] = {
        "DTSTAMP": shared.stamp,
        "UID": vText(f"{record.id}@{UID_DOMAIN}"),
    }
    if record.start_time:  # a time of day in Asia/Tokyo: TZID=Asia/Tokyo, blocking it as busy
        shared.timed = True
        properties["DTSTART"] = vDatetime(_at(record.day, record.start_time))
        if record.end_time:  # none: a point in time, as RFC 5545 reads a DTSTART without an end
            properties["DTEND"] = vDatetime(_at(record.day, record.end_time))
        properties["TRANSP"] = shared.opaque
    else:  # a date: VALUE=DATE, all day, ending (exclusive, as RFC 5545 has it) the day after
        properties["DTSTART"] = shared.day(record.day)
        properties["DTEND"] = shared.day(record.day + timedelta(days=1))
        properties["TRANSP"] = shared.transparent  # shows the day without blocking it as busy
    if record.status == CANCELLED:
        summary = CANCELLED_PREFIX + summary
        properties["STATUS"] = shared.cancelled
    elif record.status in RECORD_STATUSES:  # planned or held (not a follow-up's)
        properties["STATUS"] = shared.confirmed
    properties["SUMMARY"] = vText(summary)
    properties["SEQUENCE"] = shared.sequence(record.revision)
    properties["LAST-MODIFIED"] = vDatetime(record.updated_at.astimezone(UTC))
    return properties


def _event(properties: dict[str, Any]) -> Event:
    ordered = {name: properties.pop(name) for name in _EVENT_ORDER if name in properties}
    ordered.update(sorted(properties.items()))  # none: each property made is in the order
    return Event(ordered)


def _at(day: date, hhmm: str) -> datetime:
    """The day at ``hhmm`` ("HH:MM", domain/calendar_values.py) in Asia/Tokyo."""
    return datetime.combine(day, time.fromisoformat(hhmm), tzinfo=_TOKYO)


def _location(place: str, mode: str, fallback: str | None = None) -> str | None:
    """Where it takes place: its place, 「オンライン」 when online without one, or ``fallback``."""
    place = (place or "").strip()
    if place:
        return place
    if mode == "online":
        return ONLINE
    return fallback or None


Names = dict[str, str]


def _name(names: Names, code: str | None) -> str:
    return names.get(code or "", code or "")


def _visit(record: DatedVisit, names: Names, shared: _Shared) -> Event:
    label = ENGAGEMENT_TYPES.get(record.type, record.type)
    summary = f"{label} {_name(names, record.municipality)}"
    title = record.title or ""
    if title.startswith(f"{label}（"):  # 「定例よろず相談（4月）」: the type said once
        summary += title[len(label) :]
    elif title:
        summary += f" {title}"
    properties = _entry(record, summary, shared)
    scheme = record.scheme
    properties["CATEGORIES"] = (
        shared.categories(label, national_schemes().get(scheme, scheme))
        if scheme
        else shared.categories(label)
    )
    location = _location(record.place, record.mode)
    if location:
        properties["LOCATION"] = shared.text(location)
    return _event(properties)


def _group_event(record: DatedEvent, names: Names, shared: _Shared) -> Event:
    properties = _entry(record, record.title, shared)
    label = GROUP_EVENT_TYPES.get(record.type, record.type)
    if label:
        properties["CATEGORIES"] = shared.categories(label)
    location = _location(record.place, record.mode, record.region)
    if location:
        properties["LOCATION"] = shared.text(location)
    participants = [_name(names, code) for code in record.participants]
    if participants:
        properties["DESCRIPTION"] = vText("参加市町村: " + "、".join(participants))
    return _event(properties)


def _follow_up(record: DueFollowUp, names: Names, shared: _Shared) -> Event:
    place = _name(names, record.municipality)
    summary = f"{DUE_PREFIX}{record.description or FOLLOW_UP}"
    if place:
        summary += f"（{place}）"
    properties = _entry(record, summary, shared)
    properties["CATEGORIES"] = shared.categories(FOLLOW_UP)
    return _event(properties)
