"""Declarative base and the sync metadata every shared record carries.

Each synced row has a client-made UUID key so it can be created offline, the server revision it
was last seen at, a tombstone flag instead of a hard delete, and who changed it when. What the
device still has to push lives in ``pending_change``; the last synced field values (the base of
a three-way merge) of a record with something pending or an open conflict live in
``record_base`` (dxdesk.models.outbox: a record nothing waits on is its own base).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Boolean, Integer, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from dxdesk.sql_common import NAMING_CONVENTION, UTCDateTime, utc_now

__all__ = ["Base", "SyncedRecord", "UTCDateTime", "utc_now"]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dict[str, Any]: JSON,
        list[str]: JSON,
        dict[str, int]: JSON,
        datetime: UTCDateTime,
    }


class SyncedRecord(Base):
    """Columns shared by every record kind that syncs."""

    __abstract__ = True

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    server_rev: Mapped[int | None] = mapped_column(Integer, default=None)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_by: Mapped[str] = mapped_column(String(200), default="")


def newest_first(server_rev: int | None, updated_at: datetime) -> tuple[int, int, float]:
    """Sort key of several records standing for one thing (a year's definition, a
    municipality's response): one not yet synced first (made here after the last sync), then
    the server's order (its revision, not laptops' clocks), then the local change's time."""
    synced = 0 if server_rev is None else 1
    return (synced, -(server_rev or 0), -updated_at.timestamp())
