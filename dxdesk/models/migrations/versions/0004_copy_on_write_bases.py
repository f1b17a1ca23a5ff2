"""merge bases copy-on-write: drop the bases nothing needs

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06

A record's row is its own merge base while nothing of it waits to go up (dxdesk.models.outbox);
a base is kept only from a record's first local change until the server has it. Stores synced
before kept a base of every record: those of records with no pending change and no open
conflict go (a conflict may need the last synced value a person's choice is compared with).
No schema change.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        """
        DELETE FROM record_base
        WHERE NOT EXISTS (
            SELECT 1 FROM pending_change AS p
            WHERE p.kind = record_base.kind AND p.record_id = record_base.record_id
        )
        AND NOT EXISTS (
            SELECT 1 FROM sync_conflict AS c
            WHERE c.kind = record_base.kind AND c.record_id = record_base.record_id
            AND c.resolved_at IS NULL
        )
        """
    )


def downgrade() -> None:
    # 0003's code reads an absent base as "no base", so the next pull would take every local
    # value it compares as an edit (false conflicts). Rebuilding the bases needs every kind's
    # field values in their wire form, which is the app's code, not this revision's.
    raise NotImplementedError(
        "0004 cannot be undone: DX Desk before it needs a merge base for every synced record"
    )
