"""attachments' bytes: chunks in the database, and attachments not complete yet

Revision ID: 0004_attachment_files
Revises: 0003_unassigned_grace
Create Date: 2026-12-06

An attachment's bytes are stored in the database itself (file_chunk, at most 1 MiB a row;
stored_file once all are there and their sha256 checked), so every server process on it serves
the same files and one backup covers records and files. A record is marked incomplete while its
bytes are not all there: pulls leave it out. Every record in use before is complete.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import dxdesk.sql_common

revision: str = "0004_attachment_files"
down_revision: str | None = "0003_unassigned_grace"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("record", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("incomplete", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        "file_chunk",
        sa.Column("file_id", sa.String(length=36), nullable=False),
        sa.Column("start", sa.BigInteger(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("file_id", "start", name=op.f("pk_file_chunk")),
    )
    op.create_table(
        "stored_file",
        sa.Column("file_id", sa.String(length=36), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("stored_at", dxdesk.sql_common.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("file_id", name=op.f("pk_stored_file")),
    )


def downgrade() -> None:
    op.drop_table("stored_file")
    op.drop_table("file_chunk")
    with op.batch_alter_table("record", schema=None) as batch_op:
        batch_op.drop_column("incomplete")
