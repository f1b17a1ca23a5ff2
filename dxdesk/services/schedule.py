"""Each municipality against its cadence of regular consultations: the last one held, the next
one planned, when the next is due, and whether it is overdue (the rule: domain/cadence.py).

Only consultations of ``CADENCE_TYPES`` count (the 定例よろず相談 and a visit in its place);
only status held counts as held, only status planned as planned (cancelled ones count as
neither)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from dxdesk.domain.cadence import cadence_state
from dxdesk.domain.vocabulary import CADENCE_TYPES, HELD, PLANNED
from dxdesk.models.store import Store
from dxdesk.models.tables import EngagementRow, MunicipalityRow
from dxdesk.services.calendar_records import CadenceFacade
from dxdesk.services.records import RecordFacade


@dataclass(frozen=True)
class ScheduleRow:
    code: str
    name: str
    region: str
    months: int | None  # the cadence, None when none is set
    last_held: dict[str, Any] | None  # id, date (ISO), type, title
    next_planned: dict[str, Any] | None  # id, date (ISO), start_time, type, title
    due: date | None  # when the next should be held by (last held + cadence)
    overdue: bool
    late: list[dict[str, Any]]  # still planned after their date, oldest first; as next_planned

    def as_json(self) -> dict[str, Any]:
        values = asdict(self)
        values["due"] = None if self.due is None else self.due.isoformat()
        return values


def schedule(store: Store, *, today: date, codes: Iterable[str] | None = None) -> list[ScheduleRow]:
    """The assigned municipalities (or those of ``codes``, each of which must be in the
    roster) in roster order, each against its cadence on ``today``."""
    cadences = CadenceFacade(store).current()
    with store.session() as session:
        if codes is None:
            rows: Sequence[MunicipalityRow] = session.scalars(
                select(MunicipalityRow)
                .where(MunicipalityRow.assigned.is_(True))
                .order_by(MunicipalityRow.code)
            ).all()
        else:
            found = {c: RecordFacade.require_municipality(session, c) for c in codes}
            rows = [found[c] for c in sorted(found)]
        return schedule_rows(session, rows, cadences, today=today)


def schedule_for(store: Store, code: str, *, today: date) -> ScheduleRow:
    """One municipality (by code; any in the roster, assigned or not) against its cadence."""
    return schedule(store, today=today, codes=[code])[0]


def schedule_rows(
    session: Session,
    rows: Sequence[MunicipalityRow],
    cadences: dict[str, dict[str, Any]],
    *,
    today: date,
) -> list[ScheduleRow]:
    """``rows`` against their cadences (``CadenceFacade.current()``), in one query."""
    consultations = cadence_consultations(session, [row.code for row in rows])
    result = []
    for row in rows:
        held = [c for c in consultations[row.code] if c.status == HELD]
        planned = [c for c in consultations[row.code] if c.status == PLANNED]
        cadence = cadences.get(row.code)
        months = None if cadence is None else int(cadence["months"])
        state = cadence_state(months, (c.date for c in held), (c.date for c in planned), today)
        last = max(held, key=consultation_order) if held else None
        upcoming = sorted((c for c in planned if c.date >= today), key=consultation_order)
        result.append(
            ScheduleRow(
                code=row.code,
                name=row.name,
                region=row.region,
                months=months,
                last_held=None if last is None else _held(last),
                next_planned=_planned(upcoming[0]) if upcoming else None,
                due=state.due,
                overdue=state.overdue,
                late=[
                    _planned(c) for c in sorted(planned, key=consultation_order) if c.date < today
                ],
            )
        )
    return result


@dataclass(frozen=True, slots=True)
class Consultation:
    """The plain columns of a consultation that a schedule or a suggestion reads (none of the
    JSON lists, the summary or the notes: the municipality list reads every municipality's)."""

    id: str
    municipality: str
    date: date
    type: str
    title: str
    status: str
    start_time: str | None
    end_time: str | None
    mode: str
    place: str
    created_at: datetime


_CONSULTATION_COLUMNS = (
    EngagementRow.id,
    EngagementRow.municipality,
    EngagementRow.date,
    EngagementRow.type,
    EngagementRow.title,
    EngagementRow.status,
    EngagementRow.start_time,
    EngagementRow.end_time,
    EngagementRow.mode,
    EngagementRow.place,
    EngagementRow.created_at,
)


def _held_or_planned(codes: Sequence[str]) -> tuple[ColumnElement[bool], ...]:
    return (
        EngagementRow.deleted.is_(False),
        EngagementRow.type.in_(CADENCE_TYPES),
        EngagementRow.status.in_((HELD, PLANNED)),
        EngagementRow.municipality.in_(codes),
    )


def cadence_consultations(
    session: Session, codes: Sequence[str]
) -> defaultdict[str, list[Consultation]]:
    """Each code's consultations of ``CADENCE_TYPES`` held or planned (not cancelled), read as
    plain columns (no ORM rows)."""
    found: defaultdict[str, list[Consultation]] = defaultdict(list)
    if not codes:
        return found
    query = select(*_CONSULTATION_COLUMNS).where(*_held_or_planned(codes))
    for values in session.execute(query):
        consultation = Consultation(*values)
        found[consultation.municipality].append(consultation)
    return found


def consultation_order(row: Consultation) -> tuple[date, str, Any, str]:
    """Sort key of consultations in time. Two on one day: the earlier time first (all-day
    before timed), then the one entered first."""
    return (row.date, row.start_time or "", row.created_at, row.id)


def _held(row: Consultation) -> dict[str, Any]:
    return {"id": row.id, "date": row.date.isoformat(), "type": row.type, "title": row.title}


def _planned(row: Consultation) -> dict[str, Any]:
    return {
        "id": row.id,
        "date": row.date.isoformat(),
        "start_time": row.start_time,
        "type": row.type,
        "title": row.title,
    }
