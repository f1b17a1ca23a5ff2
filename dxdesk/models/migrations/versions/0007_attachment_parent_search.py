"""an attached file's fiscal year and themes follow its record's in the search index

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07

An attachment is indexed with its parent's fiscal year and themes (``search_sql``); when the
parent changes them (a visit's date corrected into another fiscal year, an article's themes
edited), these triggers queue the parent's attachments again, as 0003 and 0006 queue edited
records. A visit's date is also the fiscal year of its interview notes and follow-ups (and of
their files), so those are queued with it. Only a change counts (``WHEN … IS NOT …``): a sync
rewriting a record as it was queues nothing.

A migration of its own, not an edit of 0006: workspaces already at 0006 get the triggers too.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _files_of(parent_kind: str, parents: str) -> str:
    """SQL: queue the attachments of the ``parent_kind`` records ``parents`` (a subquery)."""
    return (
        "INSERT OR IGNORE INTO search_queue (kind, record_id) SELECT 'attachment', id "
        f"FROM attachment WHERE parent_kind = '{parent_kind}' AND parent IN ({parents})"
    )


def _records_of(kind: str, table: str, visit: str) -> str:
    """SQL: queue the ``kind`` records of ``table`` written under the visit ``visit``."""
    return (
        f"INSERT OR IGNORE INTO search_queue (kind, record_id) SELECT '{kind}', id "
        f"FROM {table} WHERE engagement = {visit}"
    )


_OF_VISIT = "SELECT id FROM {table} WHERE engagement = NEW.id"

# trigger name -> (table, columns whose change counts, statements run on a change)
TRIGGERS = {
    "search_attachment_parent_visit": (
        "engagement",
        ("date", "themes"),
        [
            _files_of("visit", "NEW.id"),
            _files_of("interview", _OF_VISIT.format(table="interview_note")),
            _files_of("followup", _OF_VISIT.format(table="follow_up")),
            _records_of("interview", "interview_note", "NEW.id"),
            _records_of("followup", "follow_up", "NEW.id"),
        ],
    ),
    "search_attachment_parent_interview": (
        "interview_note",
        ("engagement",),
        [_files_of("interview", "NEW.id")],
    ),
    "search_attachment_parent_followup": (
        "follow_up",
        ("engagement", "due"),
        [_files_of("followup", "NEW.id")],
    ),
    "search_attachment_parent_article": (
        "knowledge_article",
        ("fiscal_year", "themes"),
        [_files_of("article", "NEW.id")],
    ),
    "search_attachment_parent_event": (
        "group_event",
        ("date", "themes"),
        [_files_of("event", "NEW.id")],
    ),
}


def upgrade() -> None:
    for name, (table, columns, statements) in TRIGGERS.items():
        changed = " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in columns)
        body = "".join(f"{statement}; " for statement in statements)
        op.execute(
            f"CREATE TRIGGER {name} AFTER UPDATE OF {', '.join(columns)} ON {table} "
            f"WHEN {changed} BEGIN {body}END"
        )


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
