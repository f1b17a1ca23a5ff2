"""attachments: a record kind for files, the uploads waiting, the text of files for search

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06

An attachment's metadata syncs like any record; its bytes live in the data folder's file store
by their sha256 (dxdesk/models/file_store.py). ``attachment_upload`` lists the attachments
whose bytes the server has not yet confirmed; ``attachment_text`` holds the text extracted
from a file, once per content, for search.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "attachment",
        sa.Column("parent_kind", sa.String(length=20), nullable=False),
        sa.Column("parent", sa.String(length=36), nullable=False),
        sa.Column("municipality", sa.String(length=6), nullable=True),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("media_type", sa.String(length=500), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("server_rev", sa.Integer(), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality"],
            ["municipality.code"],
            name=op.f("fk_attachment_municipality_municipality"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment")),
    )
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attachment_deleted"), ["deleted"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_attachment_municipality"), ["municipality"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_attachment_parent"), ["parent"], unique=False)
        batch_op.create_index(batch_op.f("ix_attachment_sha256"), ["sha256"], unique=False)
    op.create_table(
        "attachment_upload",
        sa.Column("attachment_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("attachment_id", name=op.f("pk_attachment_upload")),
    )
    op.create_table(
        "attachment_text",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("extracted_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_attachment_text")),
    )


def downgrade() -> None:
    op.drop_table("attachment_text")
    op.drop_table("attachment_upload")
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attachment_sha256"))
        batch_op.drop_index(batch_op.f("ix_attachment_parent"))
        batch_op.drop_index(batch_op.f("ix_attachment_municipality"))
        batch_op.drop_index(batch_op.f("ix_attachment_deleted"))
    op.drop_table("attachment")
