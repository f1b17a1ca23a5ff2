"""indexes that answer the municipality list without reading the records' pages

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07

The municipality list (MunicipalityFacade.overview) reads, for every municipality, its last
engagement held, its consultations held or planned and its open follow-ups. Through these two
covering indexes it reads index pages only, not the engagement table's (whose notes fill most of
them): on the 80 MB bench store its first screen went from 290 ms to 120 ms on the encrypted
store, where every page read is decrypted (bench.store_encryption).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ENGAGEMENT_COLUMNS = [
    "deleted",
    "status",
    "municipality",
    "type",
    "date",
    "start_time",
    "end_time",
    "created_at",
    "mode",
    "place",
    "title",
    "id",
]


def upgrade() -> None:
    with op.batch_alter_table("engagement", schema=None) as batch_op:
        batch_op.create_index("ix_engagement_schedule", ENGAGEMENT_COLUMNS, unique=False)
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.create_index(
            "ix_follow_up_open", ["deleted", "status", "municipality"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.drop_index("ix_follow_up_open")
    with op.batch_alter_table("engagement", schema=None) as batch_op:
        batch_op.drop_index("ix_engagement_schedule")
