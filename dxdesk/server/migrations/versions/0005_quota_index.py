"""an index for the quota of attachments: an account's records of one kind

Revision ID: 0005_quota_index
Revises: 0004_attachment_files
Create Date: 2026-12-06

Uploads sum the sizes of the attachments of the account that attached the file (its quota,
server/attachment_files.py; the last bytes under the sync clock): without an index that read
every record of the server. A revision of its own rather than an edit of 0004, so that a database
already at 0004 (a test or benchmark server, a trial install) gets it too.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005_quota_index"
down_revision: str | None = "0004_attachment_files"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_record_created_by_kind", "record", ["created_by", "kind"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_record_created_by_kind", table_name="record")
