"""The search index's SQL: what each kind of record puts in the index, and the statements that
bring the index up to date for the records queued by the triggers (migrations 0003, 0006, 0007).

An attachment is indexed by its file name (title) and the text extracted from its file (body,
from ``attachment_text``, by sha256); its fiscal year and themes are its parent's, so the
dialog's filters find a visit's files with the visit. They are copied when it is indexed, and
an edit of the parent that changes them queues its attachments again (migration 0007)."""

from __future__ import annotations


def _fiscal_year(date_sql: str) -> str:
    """SQL for the fiscal year (April to March) of an ISO date column, NULL when it is NULL."""
    return (
        f"CASE WHEN {date_sql} IS NULL THEN NULL ELSE "
        f"CAST(substr({date_sql}, 1, 4) AS INTEGER) - (substr({date_sql}, 6, 2) < '04') END"
    )


def _list(json_sql: str) -> str:
    """A JSON list of strings as words: ["a", "b"] -> a、b (search text, not markup)."""
    return f"coalesce((SELECT group_concat(value, '、') FROM json_each({json_sql})), '')"


def _people(json_sql: str) -> str:
    """The people who know as words: name, organisation and role of each."""
    return (
        "coalesce((SELECT group_concat(json_extract(value, '$.name') || ' ' || "
        "json_extract(value, '$.organisation') || ' ' || json_extract(value, '$.role'), '、') "
        f"FROM json_each({json_sql})), '')"
    )


def _name(code_sql: str) -> str:
    return f"coalesce((SELECT name FROM municipality WHERE code = {code_sql}), '')"


def _of_parent(parents: dict[str, str], otherwise: str = "NULL") -> str:
    """SQL for a value of an attachment's parent: parent kind -> a query over its ``p`` row."""
    cases = " ".join(
        f"WHEN '{kind}' THEN ({sql} WHERE p.id = NEW.parent)" for kind, sql in parents.items()
    )
    return f"coalesce(CASE NEW.parent_kind {cases} END, {otherwise})"


_VISIT_DATE = "SELECT e.date FROM {table} AS p JOIN engagement AS e ON e.id = p.engagement"
_PARENT_DATE = _of_parent(
    {
        "visit": "SELECT p.date FROM engagement AS p",
        "interview": _VISIT_DATE.format(table="interview_note"),
        "followup": "SELECT coalesce((SELECT e.date FROM engagement AS e "
        "WHERE e.id = p.engagement), p.due) FROM follow_up AS p",
        "event": "SELECT p.date FROM group_event AS p",
    }
)
_ATTACHMENT_FISCAL_YEAR = _of_parent(
    {"article": "SELECT p.fiscal_year FROM knowledge_article AS p"},
    _fiscal_year(f"({_PARENT_DATE})"),
)
_ATTACHMENT_THEMES = _of_parent(
    {
        kind: f"SELECT p.themes FROM {table} AS p"
        for kind, table in (
            ("visit", "engagement"),
            ("article", "knowledge_article"),
            ("event", "group_event"),
        )
    },
    "'[]'",
)


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
        "NEW.fiscal_year",
        "NEW.themes",
        "NEW.title",
        f"{_name('NEW.municipality')} || char(10) || NEW.body || char(10) || NEW.person"
        f" || char(10) || {_people('NEW.people')}"
        f" || char(10) || {_list('NEW.themes')} || char(10) || {_list('NEW.tags')}",
    ),
    "attachment": (
        "attachment",
        "NEW.municipality",
        _ATTACHMENT_FISCAL_YEAR,
        _ATTACHMENT_THEMES,
        "NEW.name",
        f"{_name('NEW.municipality')} || char(10) || "
        "coalesce((SELECT text FROM attachment_text WHERE sha256 = NEW.sha256), '')",
    ),
}


# A step indexes the text of at most this many files (each up to 200,000 characters, about
# 0.1 s of the worker's time to index); files with no text yet do not count.
TEXTS_PER_STEP = 3


def _batch(kind: str, step: int | None) -> str:
    """SQL: the queued ids of ``kind`` that this catch-up indexes (all, without a step)."""
    queued = f"SELECT record_id FROM search_queue WHERE kind = '{kind}'"
    if step is None:
        return queued
    if kind != "attachment":
        return f"{queued} ORDER BY record_id LIMIT {int(step)}"
    # A file's text is long: a step takes queued files until TEXTS_PER_STEP with a text are
    # in (whether one has a text is read from the key's index, never the text itself).
    return (
        "SELECT record_id FROM (SELECT q.record_id, count(t.sha256) "
        "OVER (ORDER BY q.record_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before "
        "FROM search_queue AS q LEFT JOIN attachment AS a ON a.id = q.record_id "
        "LEFT JOIN attachment_text AS t ON t.sha256 = a.sha256 WHERE q.kind = 'attachment') "
        f"WHERE coalesce(before, 0) < {TEXTS_PER_STEP} ORDER BY record_id LIMIT {int(step)}"
    )


def catch_up_statements(kind: str, step: int | None = None) -> list[str]:
    """SQL that brings the index up to date for the queued records of ``kind``.

    New rows are taken past the mark, all of them or the next ``step`` rowids of them; then the
    queue is indexed, all of it or the first ``step`` records of it (of attachments, also no
    more than TEXTS_PER_STEP with a text). Every statement names the same batch: nothing
    between them changes the queue or the texts.
    """
    table, municipality, fiscal_year, themes, title, body = SOURCES[kind]

    def over(sql: str) -> str:
        return sql.replace("NEW.", "src.")

    batch = _batch(kind, step)
    mark = f"(SELECT max_rowid FROM search_mark WHERE kind = '{kind}')"
    upto = f"(SELECT coalesce(max(rowid), 0) FROM {table})"
    if step is not None:
        upto = f"min({upto}, {mark} + {int(step)})"
    # Driven by the queue (CROSS JOIN keeps it the outer loop): the planner would otherwise
    # walk the whole table by its deleted index and test each id against the queue.
    queue, live = "search_queue AS q", f"q.kind = '{kind}' AND src.deleted = 0"
    if step is not None:
        queue, live = f"({batch}) AS q", "src.deleted = 0"
    rows = f"{queue} CROSS JOIN {table} AS src ON src.id = q.record_id"
    keys = f"CROSS JOIN search_key AS k ON k.kind = '{kind}' AND k.record_id = src.id"
    done = f"DELETE FROM search_queue WHERE kind = '{kind}'"
    if step is not None:
        done += f" AND record_id IN ({batch})"
    return [
        f"INSERT OR IGNORE INTO search_queue (kind, record_id) "
        f"SELECT '{kind}', id FROM {table} WHERE rowid > {mark} AND rowid <= {upto}",
        f"UPDATE search_mark SET max_rowid = {upto} WHERE kind = '{kind}'",
        f"DELETE FROM search_index WHERE rowid IN (SELECT rowid FROM search_key "
        f"WHERE kind = '{kind}' AND record_id IN ({batch}))",
        f"INSERT OR IGNORE INTO search_key (kind, record_id) SELECT '{kind}', src.id "
        f"FROM {rows} WHERE {live}",
        f"""INSERT INTO search_index
            (rowid, kind, record_id, municipality, fiscal_year, themes, title, body)
        SELECT k.rowid, '{kind}', src.id, {over(municipality)}, {over(fiscal_year)},
               {over(themes)}, coalesce({over(title)}, ''), coalesce({over(body)}, '')
        FROM {rows} {keys} WHERE {live}""",
        done,
    ]


def behind_sql(kind: str) -> str:
    """SQL: 1 when ``kind`` has rows past the mark or queued, else 0."""
    table = SOURCES[kind][0]
    return (
        f"SELECT EXISTS (SELECT 1 FROM {table} WHERE rowid > "
        f"(SELECT max_rowid FROM search_mark WHERE kind = '{kind}')) "
        f"OR EXISTS (SELECT 1 FROM search_queue WHERE kind = '{kind}')"
    )


# The records that attachments (:ids, expanding) are attached to, with the parent's title.
PARENTS_SQL = (
    "SELECT a.id, a.parent_kind, a.parent, "
    + _of_parent(
        {
            "visit": "SELECT p.title FROM engagement AS p",
            "interview": "SELECT p.interviewee FROM interview_note AS p",
            "followup": "SELECT p.description FROM follow_up AS p",
            "article": "SELECT p.title FROM knowledge_article AS p",
            "event": "SELECT p.title FROM group_event AS p",
        },
        "''",
    ).replace("NEW.", "a.")
    + " AS title FROM attachment AS a WHERE a.id IN :ids"
)


# The consultations among :ids (expanding) that are not held (planned or cancelled), with their
# status: a hit on one, or on a file attached to one, says so.
NOT_HELD_SQL = "SELECT id, status FROM engagement WHERE id IN :ids AND status != 'held'"
