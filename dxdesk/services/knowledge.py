"""Prefecture-wide records: the knowledge base (know-how, know-who) and group sessions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dxdesk.models.base import SyncedRecord
from dxdesk.models.tables import FollowUpRow, GroupEventRow, KnowledgeArticleRow, MunicipalityRow
from dxdesk.services.attachment_parents import attachments_of
from dxdesk.services.followups import FollowUpFacade
from dxdesk.services.records import InvalidRecord, Record, RecordFacade


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

    def for_municipality(self, code: str) -> list[Record]:
        """The events ``code`` took part in (or is to take part in), newest first."""
        with self._store.session() as session:
            # A prefecture holds a few hundred events a year: read them and keep the code's,
            # rather than a JSON query the SQLite and PostgreSQL dialects spell differently.
            rows = session.scalars(
                select(GroupEventRow)
                .where(GroupEventRow.deleted.is_(False))
                .order_by(*self._order())
            ).all()
            return [self._present(row) for row in rows if code in row.participants]

    def follow_ups(self, event_id: str) -> list[Record]:
        """The follow-ups taken at an event (each for one participant), soonest due first."""
        facade = FollowUpFacade(self._store)
        with self._store.session() as session:
            rows = session.scalars(
                select(FollowUpRow)
                .where(FollowUpRow.event == event_id, FollowUpRow.deleted.is_(False))
                .order_by(*facade._order())
            ).all()
            return [facade._present(row) for row in rows]

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
        """Every participant is a municipality of the roster, a municipality whose people are
        counted takes part, and one with follow-ups of this event stays in it."""
        if touched & {"participants", "attendance"}:
            attendance = values.get("attendance") or {}
            participants = list(dict.fromkeys([*(values.get("participants") or []), *attendance]))
            for code in participants:
                self.require_municipality(session, code)
            values["participants"] = participants
            if row is not None:
                self._refuse_leaving_with_follow_ups(session, row, participants)
        return super()._checked(session, values, row, touched=touched)

    @staticmethod
    def _refuse_leaving_with_follow_ups(
        session: Session, row: GroupEventRow, participants: list[str]
    ) -> None:
        """A participant taken out must have no follow-up of this event left: it would stand
        for a municipality that no longer took part."""
        leaving = set(row.participants) - set(participants)
        if not leaving:
            return
        found = session.execute(
            select(FollowUpRow.municipality, func.count())
            .where(
                FollowUpRow.event == row.id,
                FollowUpRow.deleted.is_(False),
                FollowUpRow.municipality.in_(sorted(leaving)),
            )
            .group_by(FollowUpRow.municipality)
            .order_by(FollowUpRow.municipality)
        ).all()
        if not found:
            return
        names: dict[str, str] = dict(
            session.execute(
                select(MunicipalityRow.code, MunicipalityRow.name).where(
                    MunicipalityRow.code.in_([code for code, _count in found])
                )
            ).all()
        )
        held = "、".join(f"{names.get(code, code)}（{code}）{count}件" for code, count in found)
        reason = (
            f"この合同の場のフォローアップがある市町村は参加市町村から外せません: {held}。"
            "先にそのフォローアップを削除するか、別の合同の場に付け替えてから外してください"
        )
        raise InvalidRecord(
            reason, refused={"participants": reason}, labels={"participants": "参加市町村"}
        )
