"""The server's tables: accounts and their devices, assignments, records, and the logs."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from dxdesk.sql_common import NAMING_CONVENTION, UTCDateTime, utc_now

JSONDocument = JSON().with_variant(JSONB(), "postgresql")


class ServerBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime}


class Municipality(ServerBase):
    __tablename__ = "municipality"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    region: Mapped[str] = mapped_column(String(50))


class Account(ServerBase):
    __tablename__ = "account"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200))
    disabled: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class Assignment(ServerBase):
    __tablename__ = "assignment"

    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), primary_key=True)
    code: Mapped[str] = mapped_column(ForeignKey("municipality.code"), primary_key=True)


class Device(ServerBase):
    """One laptop of one account; its token is stored only as a hash."""

    __tablename__ = "device"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    expires_at: Mapped[datetime]
    last_seen_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    # The laptop's device key (login_throttle.py), hashed; it moves to the laptop's next login's
    # row. A right password with it passes the throttle that others' guesses fill.
    login_key_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Revoked as lost (revoke --wipe): the laptop is told to wipe itself at its next contact,
    # first told then (server/device_wipe.py).
    wipe_requested_at: Mapped[datetime | None]
    wipe_delivered_at: Mapped[datetime | None]
    # The row of this laptop's login before this one, when the login showed that row's device
    # key (revoked or not): a wipe asked of that row follows to this one (device_wipe.py).
    previous_id: Mapped[str | None] = mapped_column(String(36), index=True)


class DeviceScope(ServerBase):
    """The municipalities a device holds: told by its pulls, kept through an unassignment's grace.

    A device may still push edits for a municipality unassigned since then: it learns of the
    eviction only from a pull, and pushes before it pulls, so edits made while the municipality
    was its own reach the server before the device lets the municipality go (its next pull ends
    the grace, except a restored store's catch-up pull, which pulls first: write_scope.py). That
    grace is bounded: only records it held (``Record.scope_rev`` up to ``held_rev``), only until
    ``grace_until``, set when the account is unassigned the municipality; never a new record.
    """

    __tablename__ = "device_scope"

    device_id: Mapped[str] = mapped_column(ForeignKey("device.id"), primary_key=True)
    code: Mapped[str] = mapped_column(ForeignKey("municipality.code"), primary_key=True)
    # The device has received every record that came into the municipality up to here.
    held_rev: Mapped[int] = mapped_column(BigInteger, default=0)
    # Unassigned: changes to what it held are taken until then. None while assigned.
    grace_until: Mapped[datetime | None]


class LoginFailure(ServerBase):
    """A failed login, written before its password is checked and deleted if it was right.

    Pending while its check runs; a failure once it was wrong, or once it has been pending for
    longer than any check takes (a server that stopped during one: login_throttle.py).
    """

    __tablename__ = "login_failure"
    __table_args__ = (
        Index("ix_login_failure_account_at", "account_name", "at"),
        Index("ix_login_failure_address_at", "address", "at"),
        Index("ix_login_failure_device_id_at", "device_id", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_name: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(100))
    # The device whose valid key came with it: counted for that device only.
    device_id: Mapped[str | None] = mapped_column(String(36))
    at: Mapped[datetime] = mapped_column(default=utc_now)
    pending: Mapped[bool] = mapped_column(default=False)


class SyncClock(ServerBase):
    """The last revision handed out. One row; a push holds its lock until it commits.

    Holding the lock to commit makes revisions become visible in order, so a pull that has read
    up to revision N can never later meet a newly committed revision below N (DESIGN §4.4).
    """

    __tablename__ = "sync_clock"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)


class Record(ServerBase):
    __tablename__ = "record"
    __table_args__ = (
        Index("ix_record_scope_code_rev", "scope_code", "rev"),
        Index("ix_record_previous_scope_code_rev", "previous_scope_code", "rev"),
        # An account's attachments, summed for its quota at each upload (attachment_files.py).
        Index("ix_record_created_by_kind", "created_by", "kind"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    # The municipality whose advisors receive it; NULL for prefecture-wide records.
    scope_code: Mapped[str | None] = mapped_column(ForeignKey("municipality.code"))
    # Where it was before its last move, so devices that lose it hear so.
    previous_scope_code: Mapped[str | None] = mapped_column(String(6))
    fields: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    rev: Mapped[int] = mapped_column(BigInteger, unique=True)
    # The revision at which it came into its municipality (made there, or moved there): a
    # device whose last pull reached this revision held it (DeviceScope.held_rev).
    scope_rev: Mapped[int] = mapped_column(BigInteger)
    deleted: Mapped[bool] = mapped_column(default=False)
    # An attachment whose bytes the server has not all got and verified yet: no pull sends it
    # (its tombstone goes); when they are, it takes a new revision (server/attachment_files.py).
    incomplete: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    created_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_by: Mapped[str] = mapped_column(String(100))
    updated_device: Mapped[str | None] = mapped_column(String(36))


class PushLog(ServerBase):
    """The answer to each push, so a replay gets the same answer and applies nothing.

    A conflict in it carries no values: it names its ``Conflict`` row (``conflict_id``), which
    holds them (server/push_log.py ``_logged_answer``), so a push's values are stored once.
    """

    __tablename__ = "push_log"

    push_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("device.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utc_now)
    response: Mapped[dict[str, Any]] = mapped_column(JSONDocument)


class Conflict(ServerBase):
    """A field two people changed differently; the pushing device shows it to its user.

    Kept as long as its push's ``PushLog`` row: a replay of the push takes the values from here.
    """

    __tablename__ = "conflict"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    push_id: Mapped[str] = mapped_column(String(36), index=True)
    record_id: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    field: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(String(20))
    base: Mapped[Any] = mapped_column(JSONDocument, nullable=True)
    theirs: Mapped[Any] = mapped_column(JSONDocument, nullable=True)
    mine: Mapped[Any] = mapped_column(JSONDocument, nullable=True)
    account: Mapped[str] = mapped_column(String(100))
    device_id: Mapped[str] = mapped_column(String(36))
    at: Mapped[datetime] = mapped_column(default=utc_now)


class AuditEntry(ServerBase):
    """Every write: who, from which device, when, what."""

    __tablename__ = "audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(default=utc_now, index=True)
    account: Mapped[str] = mapped_column(String(100), index=True)
    device_id: Mapped[str | None] = mapped_column(String(36))
    action: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str | None] = mapped_column(String(20))
    record_id: Mapped[str | None] = mapped_column(String(36), index=True)
    fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    detail: Mapped[str] = mapped_column(Text, default="")


class FileChunk(ServerBase):
    """Bytes of a file, at most 1 MiB a row, staged or stored (server/file_storage.py).

    In the database, not on a disk of one machine: every server process on it serves the same
    files, and one backup of the database holds records and files alike.
    """

    __tablename__ = "file_chunk"

    file_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    start: Mapped[int] = mapped_column(BigInteger, primary_key=True)  # its first byte's offset
    size: Mapped[int] = mapped_column(Integer)  # len(data), read without the data
    data: Mapped[bytes] = mapped_column(LargeBinary)


class StoredFile(ServerBase):
    """A file whose chunks are all there and whose sha256 was checked: it may be served."""

    __tablename__ = "stored_file"

    file_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    stored_at: Mapped[datetime] = mapped_column(default=utc_now)
