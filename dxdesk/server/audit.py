"""Writing the audit trail: every write says who, from which device, when and what."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from dxdesk.server.tables import AuditEntry


def audit(
    session: Session,
    *,
    account: str,
    action: str,
    device_id: str | None = None,
    kind: str | None = None,
    record_id: str | None = None,
    fields: Iterable[str] = (),
    detail: str = "",
) -> None:
    session.add(
        AuditEntry(
            account=account,
            device_id=device_id,
            action=action,
            kind=kind,
            record_id=record_id,
            fields=sorted(fields),
            detail=detail,
        )
    )
