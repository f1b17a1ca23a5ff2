"""a device row knows the laptop's previous login, so a wipe follows the laptop

Revision ID: 0007_device_lineage
Revises: 0006_device_wipe
Create Date: 2026-12-07

A login that shows a device key names the row that held it (revoked or not) in
``previous_id``; ``revoke --wipe`` of a row marks the laptop's later logins too
(server/device_wipe.py). Existing rows name none.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_device_lineage"
down_revision: str | None = "0006_device_wipe"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("device", schema=None) as batch_op:
        batch_op.add_column(sa.Column("previous_id", sa.String(length=36), nullable=True))
        batch_op.create_index(batch_op.f("ix_device_previous_id"), ["previous_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("device", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_device_previous_id"))
        batch_op.drop_column("previous_id")
