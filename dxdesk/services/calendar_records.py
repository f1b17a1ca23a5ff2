"""The programme calendar's own records: each municipality's cadence of regular consultations
and each fiscal year's plan. Several records may stand for one (two laptops set a cadence
offline): the newest counts (models.base.newest_first)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import select

from dxdesk.models.base import SyncedRecord, newest_first
from dxdesk.models.tables import CadenceRow, ProgrammePlanRow
from dxdesk.services.records import Record, RecordFacade

_Row = TypeVar("_Row", bound=SyncedRecord)


def _newest(rows: Sequence[_Row]) -> list[_Row]:
    return sorted(rows, key=lambda row: newest_first(row.server_rev, row.updated_at))


class CadenceFacade(RecordFacade):
    kind = "cadence"

    def current(self) -> dict[str, Record]:
        """Municipality code -> the cadence that counts for it."""
        with self._store.session() as session:
            rows = session.scalars(select(CadenceRow).where(CadenceRow.deleted.is_(False))).all()
            found: dict[str, Record] = {}
            for row in _newest(rows):
                found.setdefault(row.municipality, self._present(row))
            return found


class ProgrammePlanFacade(RecordFacade):
    kind = "programme_plan"

    def _order(self) -> tuple[Any, ...]:
        return (ProgrammePlanRow.fiscal_year.desc(), ProgrammePlanRow.updated_at.desc())

    def for_year(self, fiscal_year: int) -> Record | None:
        """The plan that counts for a fiscal year, or None."""
        with self._store.session() as session:
            rows = session.scalars(
                select(ProgrammePlanRow).where(
                    ProgrammePlanRow.deleted.is_(False),
                    ProgrammePlanRow.fiscal_year == fiscal_year,
                )
            ).all()
            newest = _newest(rows)
            return self._present(newest[0]) if newest else None
