"""what each imported spreadsheet row said, so a re-import keeps what was typed in the app since

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07

A local table (it does not sync): ``import_mark`` keeps, for each record a past-records sheet
created or updated, the values its row held at that import and the file and sheet it came from.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "import_mark",
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("sheet_values", sa.JSON(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("record_id", name=op.f("pk_import_mark")),
    )
    with op.batch_alter_table("import_mark", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_mark_source"), ["source"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("import_mark", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_mark_source"))
    op.drop_table("import_mark")
