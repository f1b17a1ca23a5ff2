"""Municipalities (the roster with each one's state) and their staff contacts (know-who)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import func, select

from dxdesk.domain.vocabulary import HELD, OPEN_FOLLOW_UP_STATUSES
from dxdesk.models.store import Store
from dxdesk.models.tables import ContactRow, EngagementRow, FollowUpRow, MunicipalityRow
from dxdesk.services.assessments import confirmed_levels
from dxdesk.services.calendar_records import CadenceFacade
from dxdesk.services.records import Record, RecordFacade
from dxdesk.services.schedule import schedule_rows


class MunicipalityFacade:
    def __init__(self, store: Store) -> None:
        self._store = store

    def overview(self, *, assigned_only: bool = True, today: date | None = None) -> list[Record]:
        """Each municipality with its latest confirmed level, last engagement held, next planned
        regular consultation, whether it is overdue against its cadence (on ``today``, by
        default the clock's), and open follow-ups."""
        today = date.today() if today is None else today
        cadences = CadenceFacade(self._store).current()
        with self._store.session() as session:
            query = select(MunicipalityRow).order_by(MunicipalityRow.code)
            if assigned_only:
                query = query.where(MunicipalityRow.assigned.is_(True))
            rows = session.scalars(query).all()
            last_engagement: dict[str, date] = dict(
                session.execute(
                    select(EngagementRow.municipality, func.max(EngagementRow.date))
                    # What happened: a planned or cancelled consultation is not an engagement.
                    .where(EngagementRow.deleted.is_(False), EngagementRow.status == HELD)
                    .group_by(EngagementRow.municipality)
                ).all()
            )
            open_follow_ups: dict[str, int] = dict(
                session.execute(
                    select(FollowUpRow.municipality, func.count())
                    .where(
                        FollowUpRow.deleted.is_(False),
                        FollowUpRow.status.in_(OPEN_FOLLOW_UP_STATUSES),
                    )
                    .group_by(FollowUpRow.municipality)
                ).all()
            )
            levels_by_code: dict[str, dict[int, int]] = defaultdict(dict)
            for (code, fy), level in confirmed_levels(session).items():
                levels_by_code[code][fy] = level
            schedules = schedule_rows(session, rows, cadences, today=today)
        records = []
        for row, schedule in zip(rows, schedules, strict=True):
            by_year = levels_by_code.get(row.code, {})
            latest_year = max(by_year, default=None)
            last = last_engagement.get(row.code)
            records.append(
                {
                    **self._present(row),
                    "level": None if latest_year is None else by_year[latest_year],
                    "level_fiscal_year": latest_year,
                    "levels": {str(fy): by_year[fy] for fy in sorted(by_year)},
                    "last_engagement": None if last is None else last.isoformat(),
                    "next_planned": (
                        None if schedule.next_planned is None else schedule.next_planned["date"]
                    ),
                    "overdue": schedule.overdue,
                    "open_follow_ups": open_follow_ups.get(row.code, 0),
                }
            )
        return records

    def roster(self) -> list[Record]:
        """Every municipality of the roster in code order, each with ``assigned`` (to this
        laptop's account): names and assignment only, none of ``overview``'s state."""
        with self._store.session() as session:
            rows = session.scalars(select(MunicipalityRow).order_by(MunicipalityRow.code)).all()
            return [{**self._present(row), "assigned": row.assigned} for row in rows]

    def get(self, code: str) -> Record:
        with self._store.session() as session:
            return self._present(RecordFacade.require_municipality(session, code))

    @staticmethod
    def _present(row: MunicipalityRow) -> Record:
        return {
            "code": row.code,
            "name": row.name,
            "kana": row.kana,
            "kind": row.kind,
            "gun": row.gun,
            "region": row.region,
            "population": row.population,
            "advisors": list(row.advisors),  # as the server assigns them, at the last sync
        }


class ContactFacade(RecordFacade):
    kind = "contact"

    def _order(self) -> tuple[Any, ...]:
        return (ContactRow.municipality, ContactRow.kana, ContactRow.name)
