"""The programme calendar's own records: each municipality's cadence of regular consultations
and each fiscal year's plan. Several records may stand for one (two laptops set a cadence
offline): the newest counts (models.base.newest_first), and lists show them in that order.

A year's plan is the secretariat's (a coordinator's): an advisor's laptop writes none, and a
plan the server refused (one written before this check, or in a folder that became an
advisor's) never counts, though it stays readable among the sync conflicts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from dxdesk.models.base import SyncedRecord, newest_first
from dxdesk.models.store import META_SYNC_ROLE
from dxdesk.models.tables import CadenceRow, ProgrammePlanRow, StoreMeta, SyncConflict
from dxdesk.services.records import InvalidRecord, Record, RecordFacade, RecordKey
from dxdesk.services.survey_access import ADVISOR_ROLE, is_advisor
from dxdesk.services.unsaved import forget_kept_edits

_Row = TypeVar("_Row", bound=SyncedRecord)

ADVISOR_PLAN_REFUSAL: Final = (
    "年度計画を編集できるのは事務局（コーディネーター）だけです。"
    "計画の変更は事務局に依頼してください（決まった計画は同期で届きます）"
)


def _newest(rows: Sequence[_Row]) -> list[_Row]:
    return sorted(rows, key=lambda row: newest_first(row.server_rev, row.updated_at))


def _newest_order(table: Any) -> tuple[Any, ...]:
    """``newest_first`` in SQL: never synced first, then the server's revision, then time."""
    return (table.server_rev.is_not(None), table.server_rev.desc(), table.updated_at.desc())


class CadenceFacade(RecordFacade):
    kind = "cadence"

    def _order(self) -> tuple[Any, ...]:
        return (CadenceRow.municipality, *_newest_order(CadenceRow))

    def current(self) -> dict[str, Record]:
        """Municipality code -> the cadence that counts for it."""
        with self._store.session() as session:
            rows = session.scalars(select(CadenceRow).where(CadenceRow.deleted.is_(False))).all()
            found: dict[str, Record] = {}
            for row in _newest(rows):
                found.setdefault(row.municipality, self._present(row))
            return found

    def remove_for(self, code: str) -> list[RecordKey]:
        """Delete every cadence record of a municipality (two laptops may each have set one
        offline) in one transaction, so none counts after, or, on a failure, all still stand."""
        with self._store.transaction() as session:
            rows = session.scalars(
                select(CadenceRow).where(
                    CadenceRow.deleted.is_(False), CadenceRow.municipality == code
                )
            ).all()
            for row in rows:
                self._tombstone(session, self.kind, row)
            forget_kept_edits(session, [row.id for row in rows])
            return [(self.kind, row.id) for row in rows]


class ProgrammePlanFacade(RecordFacade):
    kind = "programme_plan"

    def _order(self) -> tuple[Any, ...]:
        # The first of a year is the one ``for_year`` counts (refused ones aside).
        return (ProgrammePlanRow.fiscal_year.desc(), *_newest_order(ProgrammePlanRow))

    def list_records(
        self, *, municipality: str | None = None, engagement: str | None = None
    ) -> list[Record]:
        """Each year's plans, the one that counts first (a refused one after the others)."""
        records = super().list_records(municipality=municipality, engagement=engagement)
        with self._store.session() as session:
            refused = _refused(session, [record["id"] for record in records])
        return sorted(records, key=lambda r: (-int(r["fiscal_year"]), r["id"] in refused))

    def for_year(self, fiscal_year: int) -> Record | None:
        """The plan that counts for a fiscal year, or None. A plan the server refused (kept
        as a conflict until a person resolves it) is not the year's plan."""
        with self._store.session() as session:
            rows = session.scalars(
                select(ProgrammePlanRow).where(
                    ProgrammePlanRow.deleted.is_(False),
                    ProgrammePlanRow.fiscal_year == fiscal_year,
                )
            ).all()
            refused = _refused(session, [row.id for row in rows])
            newest = _newest([row for row in rows if row.id not in refused])
            return self._present(newest[0]) if newest else None

    def delete(self, record_id: str) -> list[RecordKey]:
        if is_advisor(self._store):
            raise InvalidRecord(ADVISOR_PLAN_REFUSAL)
        return super().delete(record_id)

    def _checked(
        self, session: Session, values: dict[str, Any], row: Any, *, touched: set[str]
    ) -> dict[str, Any]:
        # Said before anything is written: the server would refuse it at the next sync. (Read
        # in this transaction: the store's own reader would wait on it.)
        role = session.get(StoreMeta, META_SYNC_ROLE)
        if role is not None and role.value == ADVISOR_ROLE:
            raise InvalidRecord(ADVISOR_PLAN_REFUSAL)
        return super()._checked(session, values, row, touched=touched)


def _refused(session: Session, ids: Sequence[str]) -> set[str]:
    if not ids:
        return set()
    return set(
        session.scalars(
            select(SyncConflict.record_id).where(
                SyncConflict.kind == "programme_plan",
                SyncConflict.reason == "refused",
                SyncConflict.resolved_at.is_(None),
                SyncConflict.record_id.in_(list(ids)),
            )
        )
    )
