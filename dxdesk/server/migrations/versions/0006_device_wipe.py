"""a device revoked as lost is wiped at its next contact

Revision ID: 0006_device_wipe
Revises: 0005_quota_index
Create Date: 2026-12-07

When the operator asked for the wipe (``dxdesk-server revoke DEVICE --wipe``) and when the server
first told the laptop (server/device_wipe.py). Existing devices are marked for nothing.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import dxdesk.sql_common

revision: str = "0006_device_wipe"
down_revision: str | None = "0005_quota_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("device", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("wipe_requested_at", dxdesk.sql_common.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("wipe_delivered_at", dxdesk.sql_common.UTCDateTime(), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("device", schema=None) as batch_op:
        batch_op.drop_column("wipe_delivered_at")
        batch_op.drop_column("wipe_requested_at")
