"""The local store's tables: reference data, the record kinds, and sync bookkeeping."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dxdesk.models.base import Base, SyncedRecord, utc_now


class MunicipalityRow(Base):
    """Reference data from the roster; not edited by advisors, so not synced as a record."""

    __tablename__ = "municipality"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    kana: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(1))
    gun: Mapped[str | None] = mapped_column(String(50))
    region: Mapped[str] = mapped_column(String(50))
    population: Mapped[int | None] = mapped_column(Integer)
    # Assigned to this device's user; everything before the first sync is assigned.
    assigned: Mapped[bool] = mapped_column(default=True)
    # The advisors the server assigns it to (account names), as of the last pull.
    advisors: Mapped[list[str]] = mapped_column(default=list)


def _municipality_fk(*, nullable: bool = False) -> Mapped[Any]:
    return mapped_column(String(6), ForeignKey("municipality.code"), index=True, nullable=nullable)


class EngagementRow(SyncedRecord):
    __tablename__ = "engagement"
    # Covering the municipality list's reads (last held, consultations held or planned):
    # index pages only, not the table's (migration 0011).
    __table_args__ = (
        Index(
            "ix_engagement_schedule",
            "deleted",
            "status",
            "municipality",
            "type",
            "date",
            "start_time",
            "end_time",
            "created_at",
            "mode",
            "place",
            "title",
            "id",
        ),
    )

    municipality: Mapped[str] = _municipality_fk()
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    type: Mapped[str] = mapped_column(String(40))
    mode: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(500), default="")
    municipal_attendees: Mapped[list[str]] = mapped_column(default=list)
    advisor_attendees: Mapped[list[str]] = mapped_column(default=list)
    themes: Mapped[list[str]] = mapped_column(default=list)
    summary: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="held", index=True)
    start_time: Mapped[str | None] = mapped_column(String(5))
    end_time: Mapped[str | None] = mapped_column(String(5))
    place: Mapped[str] = mapped_column(String(500), default="")
    scheme: Mapped[str | None] = mapped_column(String(40))


class InterviewNoteRow(SyncedRecord):
    __tablename__ = "interview_note"

    engagement: Mapped[str] = mapped_column(String(36), ForeignKey("engagement.id"), index=True)
    # Copied from the engagement so scope checks need no join.
    municipality: Mapped[str] = _municipality_fk()
    interviewee: Mapped[str] = mapped_column(String(500))
    role: Mapped[str] = mapped_column(String(500), default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class FollowUpRow(SyncedRecord):
    __tablename__ = "follow_up"
    # The municipality list's open follow-ups, counted from the index (migration 0011).
    __table_args__ = (Index("ix_follow_up_open", "deleted", "status", "municipality"),)

    municipality: Mapped[str] = _municipality_fk()
    engagement: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("engagement.id"), index=True
    )
    description: Mapped[str] = mapped_column(String(500))
    owner: Mapped[str] = mapped_column(String(500), default="")
    due: Mapped[dt.date | None] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    event: Mapped[str | None] = mapped_column(String(36), index=True)


class ContactRow(SyncedRecord):
    __tablename__ = "contact"

    municipality: Mapped[str] = _municipality_fk()
    name: Mapped[str] = mapped_column(String(500))
    kana: Mapped[str] = mapped_column(String(500), default="")
    department: Mapped[str] = mapped_column(String(500), default="")
    title: Mapped[str] = mapped_column(String(500), default="")
    email: Mapped[str] = mapped_column(String(500), default="")
    phone: Mapped[str] = mapped_column(String(500), default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class AssessmentRow(SyncedRecord):
    __tablename__ = "assessment"
    __table_args__ = (Index("ix_assessment_municipality_year", "municipality", "fiscal_year"),)

    municipality: Mapped[str] = _municipality_fk()
    fiscal_year: Mapped[int] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(20))
    assessed_on: Mapped[dt.date | None] = mapped_column(Date)
    assessor: Mapped[str] = mapped_column(String(500), default="")
    catalog_version: Mapped[str] = mapped_column(String(40))
    # Item code -> score. Each item is its own field for change tracking and merging.
    scores: Mapped[dict[str, int]] = mapped_column(default=dict)
    level: Mapped[int | None] = mapped_column(Integer)
    level_reason: Mapped[str] = mapped_column(Text, default="")


class KnowledgeArticleRow(SyncedRecord):
    __tablename__ = "knowledge_article"

    title: Mapped[str] = mapped_column(String(500))
    category: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text, default="")
    fiscal_year: Mapped[int | None] = mapped_column(Integer, index=True)
    municipality: Mapped[str | None] = _municipality_fk(nullable=True)
    # The people who know (domain/people.py) and the engagements the article came from.
    people: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    person: Mapped[str] = mapped_column(String(500), default="")
    engagements: Mapped[list[str]] = mapped_column(JSON, default=list)
    themes: Mapped[list[str]] = mapped_column(default=list)
    tags: Mapped[list[str]] = mapped_column(default=list)


class GroupEventRow(SyncedRecord):
    __tablename__ = "group_event"

    type: Mapped[str] = mapped_column(String(40))
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    title: Mapped[str] = mapped_column(String(500))
    region: Mapped[str] = mapped_column(String(50), default="")
    themes: Mapped[list[str]] = mapped_column(default=list)
    participants: Mapped[list[str]] = mapped_column(default=list)
    summary: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="held")
    start_time: Mapped[str | None] = mapped_column(String(5))
    end_time: Mapped[str | None] = mapped_column(String(5))
    mode: Mapped[str] = mapped_column(String(20), default="in_person")
    place: Mapped[str] = mapped_column(String(500), default="")
    # Municipality code -> people who took part.
    attendance: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)


class CadenceRow(SyncedRecord):
    """How often a municipality's regular consultation is held (the newest record counts)."""

    __tablename__ = "cadence"

    municipality: Mapped[str] = _municipality_fk()
    months: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(String(500), default="")


class ProgrammePlanRow(SyncedRecord):
    """What the programme plans for a fiscal year (domain/programme_plan.py); the newest record
    of a year counts."""

    __tablename__ = "programme_plan"

    fiscal_year: Mapped[int] = mapped_column(Integer, index=True)
    targets: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    notes: Mapped[str] = mapped_column(Text, default="")


class SurveyDefinitionRow(SyncedRecord):
    """One loaded definition of a fiscal year's survey (domain/survey_definition.py). A year may
    have several (each load is a new one): the latest by server revision is the year's, and
    answers keep pointing at the one they were read under."""

    __tablename__ = "survey_definition"

    fiscal_year: Mapped[int] = mapped_column(Integer, index=True)
    prefecture: Mapped[str] = mapped_column(String(500), default="")
    title: Mapped[str] = mapped_column(String(500), default="")
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    source_name: Mapped[str] = mapped_column(String(500), default="")
    source_sha256: Mapped[str | None] = mapped_column(String(64))


class SurveyResponseRow(SyncedRecord):
    """A municipality's answers to one fiscal year's survey, every question, from one file."""

    __tablename__ = "survey_response"
    __table_args__ = (Index("ix_survey_response_municipality_year", "municipality", "fiscal_year"),)

    municipality: Mapped[str] = _municipality_fk()
    fiscal_year: Mapped[int] = mapped_column(Integer)
    definition: Mapped[str | None] = mapped_column(String(36))
    # Question code -> answer (domain/survey_values.py).
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    respondent: Mapped[str] = mapped_column(String(500), default="")
    answered_on: Mapped[dt.date | None] = mapped_column(Date)
    imported_on: Mapped[dt.date | None] = mapped_column(Date)
    source_name: Mapped[str] = mapped_column(String(500), default="")
    source_sha256: Mapped[str | None] = mapped_column(String(64))


class AttachmentRow(SyncedRecord):
    """A file attached to a record: its metadata syncs as a record, its bytes go separately.

    The bytes live in the data folder's file store, named by ``sha256``
    (dxdesk/models/file_store.py); ``municipality`` is the parent's (None with an article or an
    event, which every advisor receives).
    """

    __tablename__ = "attachment"

    parent_kind: Mapped[str] = mapped_column(String(20))
    parent: Mapped[str] = mapped_column(String(36), index=True)
    municipality: Mapped[str | None] = _municipality_fk(nullable=True)
    name: Mapped[str] = mapped_column(String(500))
    media_type: Mapped[str] = mapped_column(String(500), default="")
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), index=True)


class AttachmentUpload(Base):
    """An attachment whose bytes this laptop has and the server has not yet confirmed.

    Written with the attachment's create, deleted once the server says it holds the bytes
    (dxdesk/sync/files.py); the sync status counts these as files waiting to go up.
    """

    __tablename__ = "attachment_upload"

    attachment_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)


class AttachmentText(Base):
    """The text of a file (PDF, docx, xlsx, pptx) for search, by content: extracted once."""

    __tablename__ = "attachment_text"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    text: Mapped[str] = mapped_column(Text, default="")
    extracted_at: Mapped[dt.datetime] = mapped_column(default=utc_now)


class StoreMeta(Base):
    """Small facts about this store: device id, author name, sync cursor."""

    __tablename__ = "store_meta"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ImportMark(Base):
    """What a spreadsheet row said when it was last imported into a record (this laptop only).

    Importing the file again compares each cell with this rather than with the record, so a
    field edited in the app since stays as typed unless the file's cell changed too.
    """

    __tablename__ = "import_mark"

    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    # The file's name and the sheet's, so that only a re-import of the same sheet matches by
    # a row's corrected key (another file's rows are other records).
    source: Mapped[str] = mapped_column(String(500), index=True)
    sheet_values: Mapped[Any] = mapped_column(JSON)
    imported_at: Mapped[dt.datetime] = mapped_column(default=utc_now)


class SyncConflict(Base):
    """A change sync could not make alone: a person decides, with every value kept here.

    ``reason`` is "changed" (both sides changed the field), "deleted" (an edit met a delete, or
    a delete met edits: ``field`` is "*") or "refused" (the server would not take the change,
    for example after the municipality was unassigned; ``detail`` says why).
    """

    __tablename__ = "sync_conflict"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[str] = mapped_column(String(36), index=True)
    field: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(String(20))
    base: Mapped[Any] = mapped_column(JSON, nullable=True)
    theirs: Mapped[Any] = mapped_column(JSON, nullable=True)
    mine: Mapped[Any] = mapped_column(JSON, nullable=True)
    theirs_by: Mapped[str] = mapped_column(String(200), default="")
    theirs_at: Mapped[dt.datetime | None]
    detail: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(index=True)
