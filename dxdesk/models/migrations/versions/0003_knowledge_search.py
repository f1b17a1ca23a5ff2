"""knowledge articles' year, people and engagements; a trigram FTS5 search index

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29

Every way a record is written counts (the facades, a sync page's bulk insert, an import, an
undo): new rows are those past ``search_mark``'s rowid, and triggers queue edits, tombstones
and deletes in ``search_queue``. Nothing is indexed on the write path: indexing trigrams is the
slow part (80,000 synced records took 22 s more row by row, and a queueing trigger per insert
still 2 s), so the index catches up set-wise before a search
(``dxdesk.services.search.catch_up``). ``search_key`` gives each (kind, record) a stable FTS rowid.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# kind -> table whose writes are queued for the search index (dxdesk/services/search_sql.py).
TABLES = {
    "visit": "engagement",
    "interview": "interview_note",
    "followup": "follow_up",
    "contact": "contact",
    "article": "knowledge_article",
}


def upgrade() -> None:
    with op.batch_alter_table("knowledge_article", schema=None) as batch_op:
        batch_op.add_column(sa.Column("fiscal_year", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("people", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
        batch_op.add_column(
            sa.Column("engagements", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
        batch_op.create_index(
            batch_op.f("ix_knowledge_article_fiscal_year"), ["fiscal_year"], unique=False
        )
    op.execute(
        "CREATE TABLE search_key (rowid INTEGER PRIMARY KEY, kind TEXT NOT NULL, "
        "record_id TEXT NOT NULL, UNIQUE (kind, record_id))"
    )
    op.execute(
        "CREATE TABLE search_queue (kind TEXT NOT NULL, record_id TEXT NOT NULL, "
        "PRIMARY KEY (kind, record_id)) WITHOUT ROWID"
    )
    op.execute(
        "CREATE VIRTUAL TABLE search_index USING fts5("
        "kind UNINDEXED, record_id UNINDEXED, municipality UNINDEXED, fiscal_year UNINDEXED, "
        "themes UNINDEXED, title, body, tokenize = 'trigram')"
    )
    op.execute("CREATE TABLE search_mark (kind TEXT PRIMARY KEY, max_rowid INTEGER NOT NULL)")
    for kind, table in TABLES.items():
        # New rows are found by rowid past the mark (a trigger per insert cost a sync page
        # dearly); edits, tombstones and deletes are queued. A delete lowers the mark, as
        # SQLite may give its rowid to the next insert.
        op.execute(
            f"CREATE TRIGGER search_{kind}_update AFTER UPDATE ON {table} BEGIN "
            f"INSERT OR IGNORE INTO search_queue (kind, record_id) VALUES ('{kind}', NEW.id); END"
        )
        op.execute(
            f"CREATE TRIGGER search_{kind}_delete AFTER DELETE ON {table} BEGIN "
            f"INSERT OR IGNORE INTO search_queue (kind, record_id) VALUES ('{kind}', OLD.id); "
            f"UPDATE search_mark SET max_rowid = min(max_rowid, OLD.rowid - 1) "
            f"WHERE kind = '{kind}'; END"
        )
        # What is already stored is past the mark 0: the first search indexes it.
        op.execute(f"INSERT INTO search_mark (kind, max_rowid) VALUES ('{kind}', 0)")


def downgrade() -> None:
    for kind in TABLES:
        for event in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS search_{kind}_{event}")
    op.execute("DROP TABLE IF EXISTS search_index")
    op.execute("DROP TABLE IF EXISTS search_queue")
    op.execute("DROP TABLE IF EXISTS search_mark")
    op.execute("DROP TABLE IF EXISTS search_key")
    with op.batch_alter_table("knowledge_article", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_knowledge_article_fiscal_year"))
        batch_op.drop_column("engagements")
        batch_op.drop_column("people")
        batch_op.drop_column("fiscal_year")
