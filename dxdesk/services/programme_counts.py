"""The programme's plan against what was held, per fiscal year (分析 「計画と実績」 and the KPI
report read the same figures, so screen and paper agree).

Only a record with status ``held`` counts as held; planned and cancelled ones are counted beside
it as such, never as held. The plan is the year's ``programme_plan`` record (the newest counts);
a session held per region or per theme has its target per region or per theme
(domain/programme_plan.py), so a type's whole-year target is that times the regions or themes.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from dxdesk.domain.fiscal_year import fiscal_year_bounds, fiscal_year_of
from dxdesk.domain.national_schemes import national_schemes
from dxdesk.domain.programme_plan import PER_REGION, PER_THEME, PLANNED_EVENT_TYPES, SCHEME_PREFIX
from dxdesk.domain.vocabulary import (
    CADENCE_TYPES,
    CANCELLED,
    GROUP_EVENT_TYPES,
    HELD,
    PLANNED,
    THEMES,
)
from dxdesk.models.store import Store
from dxdesk.models.tables import (
    EngagementRow,
    GroupEventRow,
    MunicipalityRow,
    ProgrammePlanRow,
)
from dxdesk.services.calendar_records import CadenceFacade, ProgrammePlanFacade

NATIONAL_SCHEME = "national_scheme"
REGIONAL = "regional_consultation"
THEMED = "theme_consultation"
NO_REGION = "（振興局未記入）"
NO_SCHEME = "（制度未記入）"


@dataclass(frozen=True)
class StatusCounts:
    """How many records of one line were held, are planned, were cancelled."""

    held: int = 0
    planned: int = 0
    cancelled: int = 0


@dataclass(frozen=True)
class RegularRow:
    """A municipality's 定例よろず相談 in the year against its cadence (months between); the
    municipalities assigned to this laptop (every one's on a coordinator's)."""

    code: str
    name: str
    region: str
    months: int | None
    expected: int | None  # 12 // months: how many a year the cadence asks for (None: none
    # set, or one longer than a year, which asks for none in every year)
    held: int
    planned: int
    cancelled: int


@dataclass(frozen=True)
class SessionRow:
    """The sessions of one region (地域別) or one theme (テーマ別) against its target."""

    key: str  # the region's or theme's name
    held: int
    planned: int
    cancelled: int
    target: int | None


@dataclass(frozen=True)
class EventTypeRow:
    """One kind of group session in the year; municipalities and people count held ones."""

    type: str
    label: str
    held: int
    planned: int
    cancelled: int
    target: int | None  # the whole year's (per region / per theme target times their number)
    municipalities: int
    people: int


@dataclass(frozen=True)
class Attendance:
    """Everyone who took part in a held group session of the year."""

    events: int
    municipalities: int  # distinct
    people: int


@dataclass(frozen=True)
class SchemeRow:
    """One national advisor scheme's held consultations in the year against its plan."""

    code: str | None  # None: consultations of that type naming no scheme
    name: str
    uses: int
    municipalities: int
    target: int | None


@dataclass(frozen=True)
class SchemeTotals:
    """「22団体23件」: distinct municipalities and uses over every scheme, and the planned uses."""

    municipalities: int
    uses: int
    target: int | None


@dataclass(frozen=True)
class ProgrammeYear:
    fiscal_year: int
    plan_id: str | None  # the plan record that counts (None: no plan for the year)
    targets: dict[str, int]
    plan_notes: str
    regular: list[RegularRow]
    regional: list[SessionRow]
    themes: list[SessionRow]
    events: list[EventTypeRow]
    attendance: Attendance
    schemes: list[SchemeRow]
    scheme_totals: SchemeTotals
    regions: list[str] = field(default_factory=list)  # the roster's, in its order

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def programme_years(store: Store) -> list[int]:
    """The fiscal years with any consultation, group session or plan, newest first."""
    with store.session() as session:
        dates = [
            *session.scalars(select(EngagementRow.date).where(EngagementRow.deleted.is_(False))),
            *session.scalars(select(GroupEventRow.date).where(GroupEventRow.deleted.is_(False))),
        ]
        planned = session.scalars(
            select(ProgrammePlanRow.fiscal_year).where(ProgrammePlanRow.deleted.is_(False))
        )
        years = {fiscal_year_of(day) for day in dates} | set(planned)
    return sorted(years, reverse=True)


def programme_year(store: Store, fiscal_year: int) -> ProgrammeYear:
    """What was planned for ``fiscal_year`` and what was held (and is planned, was cancelled)."""
    plan = ProgrammePlanFacade(store).for_year(fiscal_year)
    targets: dict[str, int] = dict(plan["targets"]) if plan else {}
    cadences = {code: int(r["months"]) for code, r in CadenceFacade(store).current().items()}
    first, last = fiscal_year_bounds(fiscal_year)
    with store.session() as session:
        roster = session.scalars(select(MunicipalityRow).order_by(MunicipalityRow.code)).all()
        consultations = _consultations_in(session, first, last)
        events = _sessions_in(session, first, last)
        # An advisor's laptop holds its own municipalities' consultations only: the others'
        # rows would read as nothing held.
        regular = _regular([m for m in roster if m.assigned], consultations, cadences)
    regions = list(dict.fromkeys(m.region for m in roster))
    schemes, totals = _schemes(consultations, targets)
    return ProgrammeYear(
        fiscal_year=fiscal_year,
        plan_id=plan["id"] if plan else None,
        targets=targets,
        plan_notes=str(plan.get("notes") or "") if plan else "",
        regular=regular,
        regional=_sessions(
            [e for e in events if e.type == REGIONAL],
            lambda e: [e.region or NO_REGION],
            regions,
            targets.get(REGIONAL),
        ),
        themes=_sessions(
            [e for e in events if e.type == THEMED],
            lambda e: list(e.themes),  # an event with two themes counts for both
            list(THEMES),
            targets.get(THEMED),
        ),
        events=_event_types(events, targets, regions=len(regions)),
        attendance=_attendance(events),
        schemes=schemes,
        scheme_totals=totals,
        regions=regions,
    )


class _Consultation(NamedTuple):
    """The columns of a consultation the year's figures read."""

    municipality: str
    type: str
    status: str
    scheme: str | None


class _GroupSession(NamedTuple):
    """The columns of a group session the year's figures read."""

    type: str
    status: str
    region: str
    themes: list[str]
    participants: list[str]
    attendance: dict[str, int]


def _consultations_in(session: Session, first: dt.date, last: dt.date) -> list[_Consultation]:
    table = EngagementRow
    query = select(table.municipality, table.type, table.status, table.scheme).where(
        table.deleted.is_(False), table.date >= first, table.date <= last
    )
    return [_Consultation(*values) for values in session.execute(query)]


def _sessions_in(session: Session, first: dt.date, last: dt.date) -> list[_GroupSession]:
    table = GroupEventRow
    query = select(
        table.type, table.status, table.region, table.themes, table.participants, table.attendance
    ).where(table.deleted.is_(False), table.date >= first, table.date <= last)
    return [_GroupSession(*values) for values in session.execute(query)]


def _tally(statuses: Iterable[str]) -> StatusCounts:
    counts = Counter(statuses)
    return StatusCounts(counts[HELD], counts[PLANNED], counts[CANCELLED])


def _regular(
    roster: Sequence[MunicipalityRow],
    consultations: Sequence[_Consultation],
    cadences: dict[str, int],
) -> list[RegularRow]:
    by_code: dict[str, list[str]] = {}
    for row in consultations:
        if row.type in CADENCE_TYPES:
            by_code.setdefault(row.municipality, []).append(row.status)
    rows = []
    for municipality in roster:
        counts = _tally(by_code.get(municipality.code, []))
        months = cadences.get(municipality.code)
        rows.append(
            RegularRow(
                code=municipality.code,
                name=municipality.name,
                region=municipality.region,
                months=months,
                expected=12 // months if months and months <= 12 else None,
                held=counts.held,
                planned=counts.planned,
                cancelled=counts.cancelled,
            )
        )
    return rows


def _sessions(
    events: Sequence[_GroupSession],
    keys_of: Callable[[_GroupSession], list[str]],
    known: Sequence[str],
    target: int | None,
) -> list[SessionRow]:
    """One row per known region or theme (in order), then any other an event names."""
    statuses: dict[str, list[str]] = {key: [] for key in known}
    for event in events:
        for key in keys_of(event):
            statuses.setdefault(key, []).append(event.status)
    rows = []
    for key, found in statuses.items():
        counts = _tally(found)
        rows.append(SessionRow(key, counts.held, counts.planned, counts.cancelled, target))
    return rows


def _event_types(
    events: Sequence[_GroupSession], targets: dict[str, int], *, regions: int
) -> list[EventTypeRow]:
    rows = []
    for type_, label in GROUP_EVENT_TYPES.items():
        of_type = [e for e in events if e.type == type_]
        if type_ not in PLANNED_EVENT_TYPES and not of_type:
            continue  # the legacy kind shows only where a record still has it
        counts = _tally(e.status for e in of_type)
        municipalities, people = _reach(of_type)
        target = targets.get(type_)
        if target is not None and type_ in PER_REGION:
            target *= regions
        elif target is not None and type_ in PER_THEME:
            target *= len(THEMES)
        rows.append(
            EventTypeRow(
                type=type_,
                label=label,
                held=counts.held,
                planned=counts.planned,
                cancelled=counts.cancelled,
                target=target,
                municipalities=municipalities,
                people=people,
            )
        )
    return rows


def _reach(events: Iterable[_GroupSession]) -> tuple[int, int]:
    """(distinct municipalities, people) that took part in the held ones of ``events``."""
    held = [e for e in events if e.status == HELD]
    return (
        len({code for e in held for code in e.participants}),
        sum(sum(e.attendance.values()) for e in held),
    )


def _attendance(events: Sequence[_GroupSession]) -> Attendance:
    municipalities, people = _reach(events)
    return Attendance(
        events=sum(e.status == HELD for e in events),
        municipalities=municipalities,
        people=people,
    )


def _schemes(
    consultations: Sequence[_Consultation], targets: dict[str, int]
) -> tuple[list[SchemeRow], SchemeTotals]:
    held = [r for r in consultations if r.type == NATIONAL_SCHEME and r.status == HELD]
    rows = []
    for code, name in national_schemes().items():
        uses = [r for r in held if r.scheme == code]
        rows.append(
            SchemeRow(
                code=code,
                name=name,
                uses=len(uses),
                municipalities=len({r.municipality for r in uses}),
                target=targets.get(SCHEME_PREFIX + code),
            )
        )
    unnamed = [r for r in held if r.scheme not in national_schemes()]
    if unnamed:
        rows.append(
            SchemeRow(None, NO_SCHEME, len(unnamed), len({r.municipality for r in unnamed}), None)
        )
    planned = [count for key, count in targets.items() if key.startswith(SCHEME_PREFIX)]
    totals = SchemeTotals(
        municipalities=len({r.municipality for r in held}),
        uses=len(held),
        target=sum(planned) if planned else None,
    )
    return rows, totals


def scheme_totals_text(totals: SchemeTotals) -> str:
    """「国の制度: 22団体23件（計画 8件）」, as the screen and the report say it."""
    planned = f"（計画 {totals.target}件）" if totals.target is not None else "（計画なし）"
    return f"国の制度: {totals.municipalities}団体{totals.uses}件{planned}"


def attendance_text(attendance: Attendance) -> str:
    """「合同の場 3回: 25市町村48名が参加」."""
    return (
        f"合同の場 {attendance.events}回: "
        f"{attendance.municipalities}市町村{attendance.people}名が参加"
    )


def versus_text(held: int, target: int | None) -> str:
    """「1 / 2（未達）」: held against the plan (達成 once reached), or the held count alone."""
    if target is None:
        return str(held)
    return f"{held} / {target}（{'達成' if held >= target else '未達'}）"
