"""Open conflicts and how a person resolves them: mine, theirs, or a value they wrote."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from dxdesk.domain.record_fields import clean_value, to_json_value
from dxdesk.domain.records import kind_spec
from dxdesk.models import outbox
from dxdesk.models.base import utc_now
from dxdesk.models.kinds import KIND_TABLES
from dxdesk.models.record_values import WHOLE_RECORD, row_values, set_columns
from dxdesk.models.store import Store, StoreError
from dxdesk.models.tables import SyncConflict
from dxdesk.wire.fields import SCORES_PREFIX, field_value

Take = Literal["mine", "theirs"]


class ConflictError(StoreError):
    pass


@dataclass(frozen=True)
class OpenConflict:
    id: int
    kind: str
    record_id: str
    field: str
    reason: str
    base: Any
    theirs: Any
    mine: Any
    theirs_by: str
    theirs_at: datetime | None
    detail: str

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "record_id": self.record_id,
            "field": self.field,
            "reason": self.reason,
            "base": self.base,
            "theirs": self.theirs,
            "mine": self.mine,
            "theirs_by": self.theirs_by,
            "theirs_at": self.theirs_at.isoformat() if self.theirs_at else None,
            "detail": self.detail,
        }


def open_conflicts(store: Store) -> list[OpenConflict]:
    with store.session() as session:
        rows = session.scalars(
            select(SyncConflict).where(SyncConflict.resolved_at.is_(None)).order_by(SyncConflict.id)
        )
        return [
            OpenConflict(
                r.id,
                r.kind,
                r.record_id,
                r.field,
                r.reason,
                r.base,
                r.theirs,
                _mine_now(session, r),
                r.theirs_by,
                r.theirs_at,
                r.detail,
            )
            for r in rows
        ]


def _mine_now(session: Session, conflict: SyncConflict) -> Any:
    """My value of a field conflict: what I typed in the field since, if I did, else the value
    the conflict kept (typing on after a conflict must not be undone by taking "mine")."""
    if conflict.field == WHOLE_RECORD or conflict.reason != "changed":
        return conflict.mine
    edited = outbox.is_pending(session, conflict.kind, conflict.record_id, conflict.field)
    row = session.get(KIND_TABLES[conflict.kind], conflict.record_id) if edited else None
    if row is None:
        return conflict.mine
    return field_value(row_values(kind_spec(conflict.kind), row), conflict.field)


def open_conflict_count(store: Store) -> int:
    return len(open_conflicts(store))


def resolve(store: Store, conflict_id: int, *, take: Take | None = None, value: Any = None) -> None:
    """Settle a conflict; what the person chose is queued for the next push where needed."""
    if (take is None) == (value is None):
        raise ConflictError("mine / theirs か値のどちらか一つを指定してください")
    with store.transaction() as session:
        conflict = session.get(SyncConflict, conflict_id)
        if conflict is None or conflict.resolved_at is not None:
            raise ConflictError(f"未解決の競合 {conflict_id} はありません")
        if conflict.field == WHOLE_RECORD:
            if value is not None:
                raise ConflictError("記録全体の競合には mine か theirs を選んでください")
            assert take is not None
            _resolve_whole(session, conflict, take)
        else:
            chosen = (
                value
                if value is not None
                else (_mine_now(session, conflict) if take == "mine" else conflict.theirs)
            )
            _resolve_field(session, conflict, chosen)
        conflict.resolved_at = utc_now()


def _live_row(session: Session, conflict: SyncConflict) -> Any:
    row = session.get(KIND_TABLES[conflict.kind], conflict.record_id)
    if row is None:
        raise ConflictError("この記録はもう端末にありません（担当外になった可能性があります）")
    return row


def _resolve_field(session: Session, conflict: SyncConflict, chosen: Any) -> None:
    spec = kind_spec(conflict.kind)
    name = conflict.field
    if name.startswith(SCORES_PREFIX):
        clean: Any = chosen
    else:
        clean = to_json_value(clean_value(spec.field(name), chosen))
    row = _live_row(session, conflict)
    outbox.track_chosen_value(session, conflict.kind, row, name, clean)  # before the row takes it
    set_columns(spec, row, {name: clean})
    row.updated_at = utc_now()


def _resolve_whole(session: Session, conflict: SyncConflict, take: Take) -> None:
    row = _live_row(session, conflict)
    spec = kind_spec(conflict.kind)
    if conflict.reason == "deleted" and isinstance(conflict.theirs, dict):
        # My edit met their delete, and someone has brought the record back since: theirs is
        # the record as it is now; mine puts my edited fields on it again.
        if take == "mine":
            mine = conflict.mine or {}
            outbox.track_update(session, conflict.kind, row, mine)
            set_columns(spec, row, dict(mine))
    elif conflict.reason == "deleted":
        # My edit met their delete. Theirs: let it go. Mine: bring the record back on the server.
        if take == "theirs":
            outbox.forget_changes(session, conflict.kind, conflict.record_id)
            row.deleted = True
        else:
            outbox.track_recreate(session, conflict.kind, conflict.record_id)
            row.deleted = False
    elif conflict.reason == "changed":
        # My delete met their edits. Theirs: the record stays as the server has it, which the
        # pull after the push already brought back (edits typed since stay queued). Mine:
        # delete again.
        if take == "mine":
            outbox.track_delete(session, conflict.kind, row, utc_now())
            row.deleted = True
    elif take == "mine":  # refused: try again (after the cause is fixed, e.g. reassigned)
        outbox.track_retry(session, conflict.kind, row, conflict.mine or {})
