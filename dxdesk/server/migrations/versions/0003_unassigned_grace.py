"""a bounded grace after an unassignment

Revision ID: 0003_unassigned_grace
Revises: 0002_login_throttle
Create Date: 2026-12-06

A device keeps, per municipality, the revision up to which it holds it and, once unassigned, the
deadline for its last changes; a record keeps the revision at which it came into its
municipality. What exists is carried over: records came in at their current revision, devices
hold what exists now, and a device still holding a municipality no longer assigned gets the
default grace from the upgrade on (before it, that grace had no end).
"""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

import dxdesk.sql_common

revision: str = "0003_unassigned_grace"
down_revision: str | None = "0002_login_throttle"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The default grace when this schema came; later changes of the setting do not apply here.
GRACE = timedelta(days=14)


def upgrade() -> None:
    with op.batch_alter_table("record", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scope_rev", sa.BigInteger(), nullable=True))
    op.execute("UPDATE record SET scope_rev = rev")
    with op.batch_alter_table("record", schema=None) as batch_op:
        batch_op.alter_column("scope_rev", existing_type=sa.BigInteger(), nullable=False)

    with op.batch_alter_table("device_scope", schema=None) as batch_op:
        batch_op.add_column(sa.Column("held_rev", sa.BigInteger(), nullable=True))
        batch_op.add_column(
            sa.Column("grace_until", dxdesk.sql_common.UTCDateTime(), nullable=True)
        )
    op.execute(
        "UPDATE device_scope"
        " SET held_rev = COALESCE((SELECT value FROM sync_clock WHERE id = 1), 0)"
    )
    device_scope = sa.table(
        "device_scope",
        sa.column("device_id", sa.String()),
        sa.column("code", sa.String()),
        sa.column("grace_until", dxdesk.sql_common.UTCDateTime()),
    )
    device = sa.table("device", sa.column("id", sa.String()), sa.column("account_id", sa.Integer()))
    account = sa.table("account", sa.column("id", sa.Integer()), sa.column("role", sa.String()))
    assignment = sa.table(
        "assignment", sa.column("account_id", sa.Integer()), sa.column("code", sa.String())
    )
    advisor_of_device = (
        sa.select(device.c.id)
        .join(account, account.c.id == device.c.account_id)
        .where(account.c.role == "advisor")
    )
    assigned = (
        sa.select(assignment.c.code)
        .join(device, device.c.account_id == assignment.c.account_id)
        .where(device.c.id == device_scope.c.device_id, assignment.c.code == device_scope.c.code)
    )
    op.execute(
        device_scope.update()
        .where(device_scope.c.device_id.in_(advisor_of_device), ~sa.exists(assigned))
        .values(grace_until=datetime.now(UTC) + GRACE)
    )
    with op.batch_alter_table("device_scope", schema=None) as batch_op:
        batch_op.alter_column("held_rev", existing_type=sa.BigInteger(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("device_scope", schema=None) as batch_op:
        batch_op.drop_column("grace_until")
        batch_op.drop_column("held_rev")
    with op.batch_alter_table("record", schema=None) as batch_op:
        batch_op.drop_column("scope_rev")
