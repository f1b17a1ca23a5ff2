"""The records a calendar shows, read for a date range (reports/calendar_export.py): the
consultations and visits, the group sessions and the open follow-ups with a due date.

Only the columns an entry shows are read, only within the dates asked for, with each record's
server revision (its entry's SEQUENCE) in the same query; summaries, notes and interview
content are never read. Each list is in the order the records' own lists have.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dxdesk.domain.vocabulary import OPEN_FOLLOW_UP_STATUSES
from dxdesk.models.store import Store
from dxdesk.models.tables import EngagementRow, FollowUpRow, GroupEventRow


@dataclass(frozen=True, slots=True, kw_only=True)
class Dated:
    """What every entry has: the record's id, its day, and its revision and last change."""

    id: str
    day: date
    status: str
    revision: int  # the server revision it was last synced at; 0 if never synced
    updated_at: datetime  # aware UTC
    start_time: str | None = None  # "HH:MM" in Asia/Tokyo; None: all day
    end_time: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DatedVisit(Dated):
    municipality: str
    type: str
    title: str
    mode: str
    place: str
    scheme: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class DatedEvent(Dated):
    type: str
    title: str
    region: str
    participants: tuple[str, ...]
    mode: str
    place: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DueFollowUp(Dated):
    municipality: str
    description: str


@dataclass(frozen=True)
class DatedRecords:
    visits: list[DatedVisit] = field(default_factory=list)
    events: list[DatedEvent] = field(default_factory=list)
    follow_ups: list[DueFollowUp] = field(default_factory=list)


def dated_records(
    store: Store,
    *,
    start: date | None = None,
    end: date | None = None,
    codes: Collection[str] | None = None,
) -> DatedRecords:
    """The live records dated from ``start`` to ``end`` (both inclusive; None: no bound),
    read in one session. With ``codes``, only those municipalities' consultations and
    follow-ups and the group sessions one of them takes part in."""
    with store.session() as session:
        return DatedRecords(
            visits=_visits(session, start, end, codes),
            events=_events(session, start, end, codes),
            follow_ups=_follow_ups(session, start, end, codes),
        )


def _between(column: Any, start: date | None, end: date | None) -> list[Any]:
    bounds = []
    if start is not None:
        bounds.append(column >= start)
    if end is not None:
        bounds.append(column <= end)
    return bounds


def _visits(
    session: Session, start: date | None, end: date | None, codes: Collection[str] | None
) -> list[DatedVisit]:
    t = EngagementRow
    query = (
        select(
            t.id,
            t.date,
            t.status,
            t.server_rev,
            t.updated_at,
            t.start_time,
            t.end_time,
            t.municipality,
            t.type,
            t.title,
            t.mode,
            t.place,
            t.scheme,
        )
        .where(t.deleted.is_(False), *_between(t.date, start, end))
        .order_by(t.date.desc(), t.created_at.desc())  # as EngagementFacade lists them
    )
    if codes is not None:
        query = query.where(t.municipality.in_(codes))
    return [
        DatedVisit(
            id=id_,
            day=day,
            status=status,
            revision=rev or 0,
            updated_at=updated_at,
            start_time=start_time,
            end_time=end_time,
            municipality=municipality,
            type=type_,
            title=title,
            mode=mode,
            place=place,
            scheme=scheme,
        )
        for (
            id_,
            day,
            status,
            rev,
            updated_at,
            start_time,
            end_time,
            municipality,
            type_,
            title,
            mode,
            place,
            scheme,
        ) in session.execute(query)
    ]


def _events(
    session: Session, start: date | None, end: date | None, codes: Collection[str] | None
) -> list[DatedEvent]:
    t = GroupEventRow
    query = (
        select(
            t.id,
            t.date,
            t.status,
            t.server_rev,
            t.updated_at,
            t.start_time,
            t.end_time,
            t.type,
            t.title,
            t.region,
            t.participants,
            t.mode,
            t.place,
        )
        .where(t.deleted.is_(False), *_between(t.date, start, end))
        .order_by(t.date.desc(), t.created_at.desc())  # as GroupEventFacade lists them
    )
    found = []
    for (
        id_,
        day,
        status,
        rev,
        updated_at,
        start_time,
        end_time,
        type_,
        title,
        region,
        participants,
        mode,
        place,
    ) in session.execute(query):
        # Participants are a JSON list: matched here, a year has a few hundred sessions.
        if codes is not None and not any(code in codes for code in participants or ()):
            continue
        found.append(
            DatedEvent(
                id=id_,
                day=day,
                status=status,
                revision=rev or 0,
                updated_at=updated_at,
                start_time=start_time,
                end_time=end_time,
                type=type_,
                title=title,
                region=region,
                participants=tuple(participants or ()),
                mode=mode,
                place=place,
            )
        )
    return found


def _follow_ups(
    session: Session, start: date | None, end: date | None, codes: Collection[str] | None
) -> list[DueFollowUp]:
    t = FollowUpRow
    query = (
        select(t.id, t.due, t.status, t.server_rev, t.updated_at, t.municipality, t.description)
        .where(
            t.deleted.is_(False),
            t.due.is_not(None),
            t.status.in_(OPEN_FOLLOW_UP_STATUSES),
            *_between(t.due, start, end),
        )
        .order_by(t.due, t.created_at)  # as FollowUpFacade lists them
    )
    if codes is not None:
        query = query.where(t.municipality.in_(codes))
    return [
        DueFollowUp(
            id=id_,
            day=due,
            status=status,
            revision=rev or 0,
            updated_at=updated_at,
            municipality=municipality,
            description=description,
        )
        for id_, due, status, rev, updated_at, municipality, description in session.execute(query)
        if due is not None  # none is: the query keeps those with a due date
    ]
