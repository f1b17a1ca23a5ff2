"""attachments in the search index: by file name and by the text of the file

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06

As 0003 does for the other kinds: new attachments are found past ``search_mark``'s rowid, and
triggers queue edits, tombstones and deletes in ``search_queue``. The text of a file arrives
later than its attachment (extracted on a worker after the attach or the download,
``dxdesk.services.attachment_text``) and once per content, so a text written, changed or removed
in ``attachment_text`` queues every attachment with that sha256 again; the next catch-up
indexes it with its text.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_QUEUE_SAME_CONTENT = (
    "INSERT OR IGNORE INTO search_queue (kind, record_id) "
    "SELECT 'attachment', id FROM attachment WHERE sha256 = {row}.sha256"
)


def upgrade() -> None:
    op.execute(
        "CREATE TRIGGER search_attachment_update AFTER UPDATE ON attachment BEGIN "
        "INSERT OR IGNORE INTO search_queue (kind, record_id) VALUES ('attachment', NEW.id); END"
    )
    op.execute(
        "CREATE TRIGGER search_attachment_delete AFTER DELETE ON attachment BEGIN "
        "INSERT OR IGNORE INTO search_queue (kind, record_id) VALUES ('attachment', OLD.id); "
        "UPDATE search_mark SET max_rowid = min(max_rowid, OLD.rowid - 1) "
        "WHERE kind = 'attachment'; END"
    )
    for event, row in (("insert", "NEW"), ("update", "NEW"), ("delete", "OLD")):
        op.execute(
            f"CREATE TRIGGER search_attachment_text_{event} AFTER {event.upper()} "
            f"ON attachment_text BEGIN {_QUEUE_SAME_CONTENT.format(row=row)}; END"
        )
    # Attachments already stored are past the mark 0: the next search indexes them.
    op.execute("INSERT INTO search_mark (kind, max_rowid) VALUES ('attachment', 0)")


def downgrade() -> None:
    for event in ("insert", "update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS search_attachment_text_{event}")
    for event in ("update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS search_attachment_{event}")
    op.execute("DELETE FROM search_index WHERE kind = 'attachment'")
    op.execute("DELETE FROM search_key WHERE kind = 'attachment'")
    op.execute("DELETE FROM search_queue WHERE kind = 'attachment'")
    op.execute("DELETE FROM search_mark WHERE kind = 'attachment'")
