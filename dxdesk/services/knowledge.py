"""Prefecture-wide records: the knowledge base (know-how, know-who) and group sessions."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from dxdesk.models.base import SyncedRecord
from dxdesk.models.tables import GroupEventRow, KnowledgeArticleRow
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
        return attachments_of(session, [("event", row)])  # its files go with it
