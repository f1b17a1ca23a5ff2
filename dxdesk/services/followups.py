"""Follow-up items: what was promised, who owns it, by when."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dxdesk.domain.vocabulary import OPEN_FOLLOW_UP_STATUSES
from dxdesk.models.base import SyncedRecord
from dxdesk.models.tables import FollowUpRow, GroupEventRow
from dxdesk.services.attachment_parents import attachments_of
from dxdesk.services.records import InvalidRecord, Record, RecordFacade


class FollowUpFacade(RecordFacade):
    kind = "followup"

    def open_items(
        self, *, today: date, municipalities: Iterable[str] | None = None
    ) -> list[Record]:
        """Open follow-ups, soonest due first, each marked ``overdue`` or ``due_today``."""
        with self._store.session() as session:
            # Plain rows, not ORM objects: an advisor's open items can run to tens of thousands.
            query = select(*FollowUpRow.__table__.columns).where(
                FollowUpRow.deleted.is_(False),
                FollowUpRow.status.in_(OPEN_FOLLOW_UP_STATUSES),
            )
            if municipalities is not None:
                query = query.where(FollowUpRow.municipality.in_(list(municipalities)))
            rows = session.execute(query.order_by(*self._order()))
            items = []
            for row in rows:
                record = self._present(row)
                record["overdue"] = row.due is not None and row.due < today
                record["due_today"] = row.due == today
                items.append(record)
            return items

    def _order(self) -> tuple[Any, ...]:
        return (FollowUpRow.due.is_(None), FollowUpRow.due, FollowUpRow.created_at)

    def _dependents(self, session: Session, row: Any) -> list[tuple[str, SyncedRecord]]:
        return attachments_of(session, [("followup", row)])  # its files go with it

    def _checked(
        self, session: Session, values: dict[str, Any], row: Any, *, touched: set[str]
    ) -> dict[str, Any]:
        if values.get("engagement"):
            engagement = self.require_engagement(session, values["engagement"])
            given = values.get("municipality")
            if row is None and given and given != engagement.municipality:
                raise InvalidRecord(
                    f"municipality {given} は相談記録の市町村 {engagement.municipality} と違います"
                )
            values["municipality"] = engagement.municipality
        if not values.get("municipality"):
            raise InvalidRecord("municipality（市町村）か engagement（相談記録）を指定してください")
        # The event's municipalities take part in it: checked whenever the follow-up's event or
        # municipality changes (an engagement sets the municipality).
        if values.get("event") and touched & {"event", "municipality", "engagement"}:
            event = session.get(GroupEventRow, values["event"])
            if event is None or event.deleted:
                if "event" in touched:
                    raise InvalidRecord(f"合同の場 {values['event']} はありません")
            elif values["municipality"] not in event.participants:
                code = values["municipality"]
                raise InvalidRecord(
                    f"市町村 {code} は合同の場「{event.title}」の参加市町村ではありません"
                )
        return super()._checked(session, values, row, touched=touched)
