"""The outbox's tables: the fields this device changed and has not pushed (``pending_change``)
and the merge bases (``record_base``).

Only dxdesk.models.outbox writes them (an import-linter contract in pyproject.toml says who may
import this module); everyone else asks that module.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from dxdesk.models.base import Base, utc_now


class PendingChange(Base):
    """A field this device changed and has not yet had accepted by the server.

    One row per (record, field): editing a field twice before a sync pushes its latest value
    once. ``field`` is "*" for a whole new record or a delete, and "scores.<item>" for one
    assessment item, so two advisors scoring different items never conflict.
    """

    __tablename__ = "pending_change"
    __table_args__ = (UniqueConstraint("kind", "record_id", "field"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[str] = mapped_column(String(36), index=True)
    field: Mapped[str] = mapped_column(String(100))
    op: Mapped[str] = mapped_column(String(10))  # create | update | delete
    changed_at: Mapped[dt.datetime] = mapped_column(default=utc_now)


class RecordBase(Base):
    """A record's field values as of the last sync, the base of a three-way merge, kept only
    while something of it is pending or in conflict: with no row here the record's own row is
    its base (copy-on-write, dxdesk.models.outbox)."""

    __tablename__ = "record_base"

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    server_rev: Mapped[int] = mapped_column(Integer)
    fields: Mapped[dict[str, Any]] = mapped_column(default=dict)
