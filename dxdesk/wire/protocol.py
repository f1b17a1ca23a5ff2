"""The wire format of sync, shared by the server and the app (docs/sync-protocol.md).

Every request to ``/api/`` carries the ``DXDesk-Protocol`` header; the server refuses another
version with a problem that names which side to update. Values of record fields travel in their
JSON form: dates as ISO strings, an assessment's answers as ``scores`` (a whole record) or one
``scores.<item>`` field each (a change).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Final, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, JsonValue, StringConstraints, model_validator

from dxdesk.domain.records import KINDS
from dxdesk.wire.fields import SCORES_PREFIX

PROTOCOL_VERSION: Final = 2
PROTOCOL_HEADER: Final = "DXDesk-Protocol"
# On each pull's answer: the server's retention period in days (dxdesk-server purge), which
# the laptop then keeps to for its own tombstones (services/retention.py).
RETENTION_HEADER: Final = "DXDesk-Retention-Days"
PROBLEM_MEDIA_TYPE: Final = "application/problem+json"

MAX_CHANGES_PER_PUSH: Final = 5_000
MAX_PULL_LIMIT: Final = 5_000
DEFAULT_PULL_LIMIT: Final = 1_000

RecordId = Annotated[
    str,
    StringConstraints(pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"),
]
# Names the server stores as text: PostgreSQL text cannot hold U+0000, so it is refused here.
NO_NUL: Final = r"^[^\x00]*$"
Name = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=NO_NUL)]
# A field's name on the wire: one of its kind's fields (dxdesk/domain/records.py), or
# "scores.<item>" (SCORES_PREFIX, dxdesk/wire/fields.py). Names are stored as JSON keys (a
# conflict, the push log): beyond the pattern, Change checks each against its kind.
FIELD_NAME: Final = r"^(?:[a-z][a-z0-9_]{0,63}|scores\.[^\x00-\x20\x7f-\x9f]{1,32})$"
FieldName = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=FIELD_NAME)]
Role = Literal["advisor", "coordinator", "admin"]
ROLES: Final = ("advisor", "coordinator", "admin")


class WireModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


# Given by the server at a login, sent back at the laptop's later logins (optional both ways).
DeviceKey = Annotated[str, StringConstraints(pattern=r"^dxk_[A-Za-z0-9_-]{43}$")]


class LoginRequest(WireModel):
    user: Name
    password: Annotated[str, StringConstraints(min_length=1, max_length=1_000)]
    device_name: Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=NO_NUL)]
    # Proves a laptop that logged in before: its right password passes the login throttle.
    device_key: DeviceKey | None = None


class LoginResponse(WireModel):
    token: str
    device_id: str
    expires_at: datetime
    user: str
    role: Role
    # Keep it with the token and send it at the next login; the same key when one was sent.
    device_key: DeviceKey | None = None


class Me(WireModel):
    user: str
    role: Role
    device_id: str
    scope: list[str]  # municipality codes this device receives (all of them for a coordinator)


class Health(WireModel):
    status: Literal["ok"]
    protocol: int


class FieldChange(WireModel):
    value: JsonValue
    # The value as this device last received it from the server; absent for a new record.
    base: JsonValue = None


class Change(WireModel):
    kind: Annotated[str, StringConstraints(min_length=1, max_length=20)]
    id: RecordId
    op: Literal["create", "update", "delete"]
    # The record's revision as this device last received it (updates and deletes).
    base_rev: Annotated[int, Field(ge=0)] | None = None
    fields: dict[FieldName, FieldChange] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _fields_of_its_kind(self) -> Self:
        """Every name is a field of the change's kind; an unknown kind is the server's to refuse."""
        spec = KINDS.get(self.kind)
        if spec is None:
            return self
        for name in self.fields:
            field = "scores" if name.startswith(SCORES_PREFIX) else name
            if field not in spec.field_names:
                raise ValueError(
                    f"{self.kind} に {name} というフィールドはありません"
                    f"（使えるもの: {', '.join(spec.field_names)}）"
                )
        return self


class PushRequest(WireModel):
    push_id: RecordId  # made by the client once per batch and reused on every retry
    changes: Annotated[list[Change], Field(max_length=MAX_CHANGES_PER_PUSH)]


class FieldConflict(WireModel):
    field: str  # "*" for the whole record (an edit against a delete, or a delete against edits)
    reason: Literal["changed", "deleted"]
    base: JsonValue = None
    theirs: JsonValue = None
    mine: JsonValue = None
    by: str  # who last changed the server's value
    at: datetime  # when, by the server's clock


class ChangeResult(WireModel):
    kind: str
    id: str
    status: Literal["applied", "merged", "unchanged", "conflict"]
    rev: int | None  # the record's revision after this push; None if it does not exist
    deleted: bool = False
    # The value the server now holds for each field this change touched (merged text included).
    fields: dict[str, JsonValue] = Field(default_factory=dict)
    conflicts: list[FieldConflict] = Field(default_factory=list)


class PushResponse(WireModel):
    push_id: str
    replayed: bool  # True when this answer is the stored one of an earlier identical push
    results: list[ChangeResult]


class PullRequest(WireModel):
    cursor: Annotated[str, StringConstraints(max_length=10_000)] | None = None
    limit: Annotated[int, Field(ge=1, le=MAX_PULL_LIMIT)] = DEFAULT_PULL_LIMIT
    # The catch-up pull of a restored backup, which pushes the backup's edits after it: it keeps
    # the grace of a municipality unassigned since, which any other pull ends (a courtesy, not a
    # bound: the grace's deadline is; docs/sync-protocol.md, Eviction). Left out when false.
    after_restore: bool = False


class PulledRecord(WireModel):
    kind: str
    id: str
    rev: int
    deleted: bool
    # Moved to a municipality this device does not receive: forget it, do not treat as a delete.
    gone: bool = False
    municipality: str | None
    fields: dict[str, JsonValue]
    updated_by: str
    updated_at: datetime


class PullResponse(WireModel):
    records: list[PulledRecord]
    cursor: str  # store it with the records of this page, in one local transaction
    more: bool  # ask again with the new cursor
    scope: list[str]  # municipalities this device now receives
    evicted: list[str]  # no longer assigned: remove them once their local edits are pushed
    backfilled: list[str]  # newly assigned and now complete up to the cursor
    # For each municipality of ``scope``: the names of the enabled accounts assigned to it,
    # sorted (an empty list: no one). Store them with the page (the app's 担当アドバイザー).
    advisors: dict[str, list[str]] = Field(default_factory=dict)


class Problem(BaseModel):
    """RFC 9457 problem details; ``detail`` is a short Japanese sentence for the user."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
