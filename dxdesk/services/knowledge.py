"""Prefecture-wide records: the knowledge base (know-how, know-who) and group sessions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dxdesk.models.base import SyncedRecord
from dxdesk.models.tables import FollowUpRow, GroupEventRow, KnowledgeArticleRow
from dxdesk.services.attachment_parents import attachments_of
from dxdesk.services.records import RecordFacade


class KnowledgeArticleFacade(RecordFacade):
    kind = "article"

    def _order(self) -> tuple[Any, ...]:
        return (KnowledgeArticleRow.updated_at.desc(),)

    def _dependents(self, session: Session, row: Any) -> list[tuple[str, SyncedRecord]]:
        return attachments_of(session, [("article", row)])  # its files go with it


class GroupEventFacade(RecordFacade):
    kind = "event"

    def _order(self) -> tuple[Any, ...]:
        return (GroupEventRow.date.desc(), GroupEventRow.created_at.desc())

    def _dependents(self, session: Session, row: Any) -> list[tuple[str, SyncedRecord]]:
        follow_ups = session.scalars(
            select(FollowUpRow).where(FollowUpRow.event == row.id, FollowUpRow.deleted.is_(False))
        )
        children = [("followup", f) for f in follow_ups]
        # Its follow-ups go with it, and the files attached to it or to them.
        return children + attachments_of(session, [("event", row), *children])

    def _checked(
        self, session: Session, values: dict[str, Any], row: Any, *, touched: set[str]
    ) -> dict[str, Any]:
        """Every participant is a municipality of the roster, and a municipality whose people
        are counted takes part."""
        if touched & {"participants", "attendance"}:
            attendance = values.get("attendance") or {}
            participants = list(dict.fromkeys([*(values.get("participants") or []), *attendance]))
            for code in participants:
                self.require_municipality(session, code)
            values["participants"] = participants
        return super()._checked(session, values, row, touched=touched)
