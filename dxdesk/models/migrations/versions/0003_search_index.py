"""search index: a trigram FTS5 index of the searchable records, kept in step by triggers

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29

Triggers (not the facades) keep the index in step, so every way a record is written counts:
the facades, a sync page's bulk insert, an import, an undo. A tombstoned record leaves the
index. ``search_key`` gives each (kind, record) a stable FTS rowid.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fiscal_year(date_sql: str) -> str:
    """SQL for the fiscal year (April to March) of an ISO date column, NULL when it is NULL."""
    return (
        f"CASE WHEN {date_sql} IS NULL THEN NULL ELSE "
        f"CAST(substr({date_sql}, 1, 4) AS INTEGER) - (substr({date_sql}, 6, 2) < '04') END"
    )


def _list(json_sql: str) -> str:
    """A JSON list of strings as words: ["a","b"] -> a、b (search text, not markup)."""
    return (
        f"replace(replace(replace(replace({json_sql}, '\",\"', '、'), '[\"', ''), '\"]', ''),"
        " '[]', '')"
    )


def _name(code_sql: str) -> str:
    return f"coalesce((SELECT name FROM municipality WHERE code = {code_sql}), '')"


# kind -> (table, municipality, fiscal year, themes, title, body), each SQL over NEW.
SOURCES = {
    "visit": (
        "engagement",
        "NEW.municipality",
        _fiscal_year("NEW.date"),
        "NEW.themes",
        "NEW.title",
        f"{_name('NEW.municipality')} || char(10) || NEW.summary || char(10) || NEW.notes"
        f" || char(10) || {_list('NEW.themes')} || char(10) || {_list('NEW.municipal_attendees')}"
        f" || char(10) || {_list('NEW.advisor_attendees')}",
    ),
    "interview": (
        "interview_note",
        "NEW.municipality",
        _fiscal_year("(SELECT date FROM engagement WHERE id = NEW.engagement)"),
        "'[]'",
        "NEW.interviewee || ' ' || NEW.role",
        f"{_name('NEW.municipality')} || char(10) || NEW.notes",
    ),
    "followup": (
        "follow_up",
        "NEW.municipality",
        _fiscal_year("coalesce((SELECT date FROM engagement WHERE id = NEW.engagement), NEW.due)"),
        "'[]'",
        "NEW.description",
        f"{_name('NEW.municipality')} || char(10) || NEW.owner",
    ),
    "contact": (
        "contact",
        "NEW.municipality",
        "NULL",
        "'[]'",
        "NEW.name",
        f"{_name('NEW.municipality')} || char(10) || NEW.kana || char(10) || NEW.department"
        " || char(10) || NEW.title || char(10) || NEW.notes",
    ),
    "article": (
        "knowledge_article",
        "NEW.municipality",
        "NULL",
        "NEW.themes",
        "NEW.title",
        f"{_name('NEW.municipality')} || char(10) || NEW.body || char(10) || NEW.person"
        f" || char(10) || {_list('NEW.themes')} || char(10) || {_list('NEW.tags')}",
    ),
}


def _index_row(kind: str) -> str:
    _table, municipality, fiscal_year, themes, title, body = SOURCES[kind]
    return f"""
        INSERT OR IGNORE INTO search_key (kind, record_id) VALUES ('{kind}', NEW.id);
        INSERT INTO search_index
            (rowid, kind, record_id, municipality, fiscal_year, themes, title, body)
        SELECT rowid, '{kind}', NEW.id, {municipality}, {fiscal_year}, {themes},
               coalesce({title}, ''), coalesce({body}, '')
        FROM search_key WHERE kind = '{kind}' AND record_id = NEW.id AND NEW.deleted = 0;
    """


def _unindex_row(kind: str, row: str) -> str:
    return f"""
        DELETE FROM search_index WHERE rowid =
            (SELECT rowid FROM search_key WHERE kind = '{kind}' AND record_id = {row}.id);
    """


def upgrade() -> None:
    op.execute(
        "CREATE TABLE search_key (rowid INTEGER PRIMARY KEY, kind TEXT NOT NULL, "
        "record_id TEXT NOT NULL, UNIQUE (kind, record_id))"
    )
    op.execute(
        "CREATE VIRTUAL TABLE search_index USING fts5("
        "kind UNINDEXED, record_id UNINDEXED, municipality UNINDEXED, fiscal_year UNINDEXED, "
        "themes UNINDEXED, title, body, tokenize = 'trigram')"
    )
    for kind, (table, *_rest) in SOURCES.items():
        op.execute(
            f"CREATE TRIGGER search_{kind}_insert AFTER INSERT ON {table} BEGIN"
            f"{_index_row(kind)} END"
        )
        op.execute(
            f"CREATE TRIGGER search_{kind}_update AFTER UPDATE ON {table} BEGIN"
            f"{_unindex_row(kind, 'OLD')}{_index_row(kind)} END"
        )
        op.execute(
            f"CREATE TRIGGER search_{kind}_delete AFTER DELETE ON {table} BEGIN"
            f"{_unindex_row(kind, 'OLD')}"
            f"DELETE FROM search_key WHERE kind = '{kind}' AND record_id = OLD.id; END"
        )
        for statement in _backfill(kind):  # what is already stored
            op.execute(statement)


def _backfill(kind: str) -> list[str]:
    table, municipality, fiscal_year, themes, title, body = SOURCES[kind]

    def over(sql: str) -> str:
        return sql.replace("NEW.", "src.")

    keys = (
        f"INSERT INTO search_key (kind, record_id) "
        f"SELECT '{kind}', id FROM {table} WHERE deleted = 0"
    )
    return [
        keys,
        f"""
        INSERT INTO search_index
            (rowid, kind, record_id, municipality, fiscal_year, themes, title, body)
        SELECT k.rowid, '{kind}', src.id, {over(municipality)}, {over(fiscal_year)},
               {over(themes)}, coalesce({over(title)}, ''), coalesce({over(body)}, '')
        FROM {table} AS src JOIN search_key AS k ON k.kind = '{kind}' AND k.record_id = src.id
        WHERE src.deleted = 0
    """,
    ]


def downgrade() -> None:
    for kind in SOURCES:
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS search_{kind}_{event}")
    op.execute("DROP TABLE IF EXISTS search_index")
    op.execute("DROP TABLE IF EXISTS search_key")
