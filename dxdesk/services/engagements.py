"""Engagements (visits and consultations) and the interview notes taken at them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dxdesk.models.base import SyncedRecord
from dxdesk.models.tables import EngagementRow, FollowUpRow, InterviewNoteRow
from dxdesk.services.attachment_parents import attachments_of
from dxdesk.services.records import InvalidRecord, Record, RecordFacade


class EngagementFacade(RecordFacade):
    kind = "visit"

    def _order(self) -> tuple[Any, ...]:
        return (EngagementRow.date.desc(), EngagementRow.created_at.desc())

    def _dependents(self, session: Session, row: Any) -> list[tuple[str, SyncedRecord]]:
        # Notes and follow-ups taken at a deleted engagement go with it, and the files attached
        # to any of them.
        notes = session.scalars(
            select(InterviewNoteRow).where(
                InterviewNoteRow.engagement == row.id, InterviewNoteRow.deleted.is_(False)
            )
        )
        follow_ups = session.scalars(
            select(FollowUpRow).where(
                FollowUpRow.engagement == row.id, FollowUpRow.deleted.is_(False)
            )
        )
        children = [("interview", n) for n in notes] + [("followup", f) for f in follow_ups]
        return children + attachments_of(session, [("visit", row), *children])

    def _checked(
        self, session: Session, values: dict[str, Any], row: Any, *, touched: set[str]
    ) -> dict[str, Any]:
        """A national scheme is named by a consultation of that type only."""
        scheme_or_type = touched & {"scheme", "type"}
        if scheme_or_type and values.get("scheme") and values.get("type") != "national_scheme":
            reason = "国の制度は種別が「国のアドバイザー制度」の相談にだけ指定できます"
            raise InvalidRecord(reason, refused={"scheme": reason}, labels={"scheme": "国の制度"})
        return super()._checked(session, values, row, touched=touched)


class InterviewNoteFacade(RecordFacade):
    kind = "interview"

    def _order(self) -> tuple[Any, ...]:
        return (InterviewNoteRow.created_at,)

    def _dependents(self, session: Session, row: Any) -> list[tuple[str, SyncedRecord]]:
        return attachments_of(session, [("interview", row)])

    def _checked(
        self, session: Session, values: dict[str, Any], row: Any, *, touched: set[str]
    ) -> dict[str, Any]:
        engagement = self.require_engagement(session, values["engagement"])
        if row is None:
            values["municipality"] = engagement.municipality
        else:
            row.municipality = engagement.municipality
        return values

    def _present(self, row: Any) -> Record:
        return {**super()._present(row), "municipality": row.municipality}
