"""Search across visits, interview notes, follow-ups, contacts, knowledge articles and attached
files (by name and by the text of the file), offline.

The index (migration 0003) is an FTS5 table with the trigram tokenizer. Nothing is indexed on
the write path; :func:`catch_up` indexes what was written since (new rows past a rowid mark,
edits and deletes queued by triggers) set-wise, and every search runs it first, so a search
always sees what is stored. Trigrams find terms of three characters or more; a term of one or
two characters (人材, AI) cannot be a trigram, so it is matched with LIKE over the same indexed
text, within what the longer terms and the filters already narrowed. Width is folded on both
sides of the comparison: a query is searched as typed after NFKC (ＲＰＡ → RPA) and in its
full-width form, so RPA and ＲＰＡ find each other. A hit on an attachment names the record it
is attached to (``parent_kind``, ``parent_id``, ``parent_title``): that is what opens. A hit on a
consultation that is planned or was cancelled, or on a file attached to one, carries that
``status`` (a consultation that was held, and every other hit, has None).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, text

from dxdesk.models.store import Store, StoreError
from dxdesk.services.search_sql import (
    NOT_HELD_SQL,
    PARENTS_SQL,
    SOURCES,
    behind_sql,
    catch_up_statements,
)

KINDS = ("visit", "interview", "followup", "contact", "article", "attachment")
TRIGRAM = 3
MARK_START, MARK_END = "【", "】"
SNIPPET_CHARS = 40
_TITLE, _BODY = 5, 6  # the index's columns
_PARENTS = text(PARENTS_SQL).bindparams(bindparam("ids", expanding=True))
_NOT_HELD = text(NOT_HELD_SQL).bindparams(bindparam("ids", expanding=True))
_WIDE = {c: c + 0xFEE0 for c in range(0x21, 0x7F)}  # ASCII to full-width forms


@dataclass(frozen=True)
class SearchHit:
    kind: str
    id: str
    title: str
    snippet: str
    municipality: str | None
    fiscal_year: int | None
    # An attachment's parent: the record it is attached to (None for other kinds).
    parent_kind: str | None = None
    parent_id: str | None = None
    parent_title: str | None = None
    # planned or cancelled: the consultation this hit is, or its file is attached to, was not
    # held (RECORD_STATUSES); None for a held one and for anything else.
    status: str | None = None

    @property
    def opens(self) -> tuple[str, str]:
        """The kind and id of the record to show for this hit (an attachment's parent)."""
        if self.parent_kind is not None and self.parent_id is not None:
            return self.parent_kind, self.parent_id
        return self.kind, self.id

    def as_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "kind": self.kind,
            "id": self.id,
            "title": self.title,
            "snippet": self.snippet,
        }
        if self.parent_kind is not None:
            found |= {
                "parent_kind": self.parent_kind,
                "parent": self.parent_id,
                "parent_title": self.parent_title or "",
            }
        if self.status is not None:
            found["status"] = self.status
        return found


def query_terms(query: str) -> list[str]:
    return [t for t in unicodedata.normalize("NFKC", query).split() if t]


def _variants(term: str) -> list[str]:
    wide = term.translate(_WIDE)
    return [term] if wide == term else [term, wide]


def _phrase(term: str) -> str:
    return " OR ".join('"' + v.replace('"', '""') + '"' for v in _variants(term))


def search(
    store: Store,
    query: str,
    *,
    kind: str | None = None,
    municipality: str | None = None,
    theme: str | None = None,
    fiscal_year: int | None = None,
    limit: int = 50,
) -> list[SearchHit]:
    """Hits for every term of ``query`` (all must match), best first."""
    terms = query_terms(query)
    if not terms:
        return []
    if kind is not None and kind not in KINDS:
        raise StoreError(f"検索できる種類は {'、'.join(KINDS)} です（{kind} ではなく）")
    where: list[str] = []
    params: dict[str, Any] = {"limit": limit}
    long_terms = [t for t in terms if len(t) >= TRIGRAM]
    if long_terms:
        where.append("search_index MATCH :match")
        params["match"] = " AND ".join(f"({_phrase(t)})" for t in long_terms)
    for n, term in enumerate(t for t in terms if len(t) < TRIGRAM):
        likes = []
        for m, variant in enumerate(_variants(term)):
            key = f"short{n}_{m}"
            params[key] = (
                "%" + variant.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            )
            likes.append(f"(title LIKE :{key} ESCAPE '\\' OR body LIKE :{key} ESCAPE '\\')")
        where.append("(" + " OR ".join(likes) + ")")
    for column, value in (("kind", kind), ("municipality", municipality)):
        if value is not None:
            where.append(f"{column} = :{column}")
            params[column] = value
    if fiscal_year is not None:
        where.append("fiscal_year = :fiscal_year")
        params["fiscal_year"] = fiscal_year
    if theme:
        # instr, not LIKE: FTS5 takes LIKE on its columns as its own (trigram) constraint.
        where.append("instr(themes, :theme) > 0")
        params["theme"] = f'"{unicodedata.normalize("NFKC", theme).strip()}"'
    catch_up(store)
    rank = f"bm25(search_index, 0, 0, 0, 0, 0, {TRIGRAM * 2}.0, 1.0)" if long_terms else "0"
    sql = (
        f"SELECT kind, record_id, municipality, fiscal_year, title, body, {rank} AS rank "
        f"FROM search_index WHERE {' AND '.join(where)} ORDER BY rank, rowid DESC LIMIT :limit"
    )
    with store.session() as session:
        rows = session.execute(text(sql), params).all()
        attached = [row.record_id for row in rows if row.kind == "attachment"]
        parents = (
            {p.id: p for p in session.execute(_PARENTS, {"ids": attached})} if attached else {}
        )
        consultations = [row.record_id for row in rows if row.kind == "visit"]
        consultations += [p.parent for p in parents.values() if p.parent_kind == "visit"]
        not_held: dict[str, str] = (
            {r.id: r.status for r in session.execute(_NOT_HELD, {"ids": consultations})}
            if consultations
            else {}
        )
    hits = []
    for row in rows:
        parent = parents.get(row.record_id) if row.kind == "attachment" else None
        consultation = row.record_id if row.kind == "visit" else None
        if parent is not None and parent.parent_kind == "visit":
            consultation = parent.parent
        hits.append(
            SearchHit(
                kind=row.kind,
                id=row.record_id,
                title=row.title,
                snippet=snippet(row.body, terms) or snippet(row.title, terms),
                municipality=row.municipality,
                fiscal_year=row.fiscal_year,
                parent_kind=None if parent is None else parent.parent_kind,
                parent_id=None if parent is None else parent.parent,
                parent_title=None if parent is None else parent.title,
                status=not_held.get(consultation) if consultation else None,
            )
        )
    return hits


def catch_up(store: Store, *, step: int | None = None) -> bool:
    """Index what was written since the last time (a first sync: all of it, once).

    With ``step``, at most that many new rows of each kind are indexed, in one short
    transaction, so a caller can index a big sync a piece at a time between other work.
    Returns whether anything is left to index.
    """
    with store.transaction() as session:
        for kind in SOURCES:
            for statement in catch_up_statements(kind, step):
                session.execute(text(statement))
        return step is not None and any(session.scalar(text(behind_sql(kind))) for kind in SOURCES)


def snippet(body: str, terms: list[str]) -> str:
    """The text around the first match of any term, every match in it marked 【 】."""
    folded = unicodedata.normalize("NFKC", body).lower()
    found = [(folded.find(t.lower()), len(t)) for t in terms if folded.find(t.lower()) >= 0]
    if not found:
        return ""
    first = min(at for at, _ in found)
    start = max(0, first - SNIPPET_CHARS // 3)
    end = min(len(body), start + SNIPPET_CHARS)
    window = body[start:end].replace("\n", " ")
    window_folded = folded[start:end]
    marked, at = [], 0
    while at < len(window):
        hit = next(
            (len(t) for t in terms if window_folded.startswith(t.lower(), at)),
            0,
        )
        if hit:
            marked.append(MARK_START + window[at : at + hit] + MARK_END)
            at += hit
        else:
            marked.append(window[at])
            at += 1
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(body) else ""
    return prefix + " ".join("".join(marked).split()) + suffix
