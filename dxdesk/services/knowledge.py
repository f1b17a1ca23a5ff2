"""Prefecture-wide records: the knowledge base (know-how, know-who) and group sessions."""

from __future__ import annotations

from typing import Any

from dxdesk.models.tables import GroupEventRow, KnowledgeArticleRow
from dxdesk.services.records import RecordFacade


class KnowledgeArticleFacade(RecordFacade):
    kind = "article"

    def _order(self) -> tuple[Any, ...]:
        return (KnowledgeArticleRow.updated_at.desc(),)


class GroupEventFacade(RecordFacade):
    kind = "event"

    def _order(self) -> tuple[Any, ...]:
        return (GroupEventRow.date.desc(), GroupEventRow.created_at.desc())
