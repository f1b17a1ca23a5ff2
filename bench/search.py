"""Search figures on 20,000 engagements and 2,000 knowledge articles: the median query of three
or more characters and of one or two characters, against a plain LIKE scan of the same rows.

- **Store**: ``bench.large_store`` (30 municipalities, 20,000 engagements with ~2 KB Japanese
  notes, 60,000 follow-ups) plus 2,000 articles of ~1 KB, all written in bulk; the triggers
  index them as they go in (as they do for a sync page).
- **Queries**: terms that occur in thousands of notes (「共同調達」「書かない窓口」
  「ガバメントクラウド」, 「人材」「研修」「AI」) and in four articles only (「観光DX」, 「鯨」),
  each run ``repeat`` times through ``dxdesk.services.search.search``
  (ranked, snippets, first 50); the figure is the median over all runs of the group.
- **Baseline**: the same terms with ``LIKE '%term%'`` over the text columns search covers, on the
  tables themselves (engagement title/summary/notes, article title/body, follow-up description,
  interview notes, contact name/notes), first 50 ids, same run.

Targets (from the issue): median under 50 ms for 3+ characters, under 200 ms for 1-2.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert, text

from bench.large_store import NOTE_SENTENCES, build_large_store
from bench.report import Context, Row, run_alone
from dxdesk.models.store import Store
from dxdesk.models.tables import KnowledgeArticleRow
from dxdesk.services.search import search
from dxdesk.services.workspace import open_workspace

ARTICLES = 2_000
# Frequent terms (thousands of rows) and a rare one each: a LIKE scan stops at its 50th hit,
# so only a rare term makes it read everything.
LONG_TERMS = ("共同調達", "書かない窓口", "ガバメントクラウド", "観光DX")
SHORT_TERMS = ("人材", "研修", "AI", "鯨")
LONG_TARGET_S, SHORT_TARGET_S = 0.05, 0.2
LIKE_SQL = """
SELECT id FROM (
    SELECT id FROM engagement WHERE deleted = 0
        AND (title LIKE :p OR summary LIKE :p OR notes LIKE :p)
    UNION ALL SELECT id FROM knowledge_article WHERE deleted = 0
        AND (title LIKE :p OR body LIKE :p)
    UNION ALL SELECT id FROM follow_up WHERE deleted = 0 AND description LIKE :p
    UNION ALL SELECT id FROM interview_note WHERE deleted = 0 AND notes LIKE :p
    UNION ALL SELECT id FROM contact WHERE deleted = 0 AND (name LIKE :p OR notes LIKE :p)
) LIMIT 50
"""


def _add_articles(store: Store) -> None:
    rng = random.Random(2026)
    now = datetime.now(UTC)
    rows: list[dict[str, object]] = [
        {
            "id": str(uuid.uuid4()),
            "title": f"事例 {n}: " + rng.choice(NOTE_SENTENCES)[:20],
            "category": "know_how",
            "body": "".join(rng.choice(NOTE_SENTENCES) for _ in range(12))
            + ("生成AIの活用事例。" if n % 7 == 0 else "")
            + ("鯨の町の観光DXの記録。" if n % 500 == 0 else ""),  # rare: 4 articles
            "municipality": None,
            "person": "",
            "fiscal_year": 2020 + n % 7,
            "people": [
                {
                    "name": f"担当 {n}",
                    "organisation": "総務課",
                    "role": "主査",
                    "contact": "",
                    "contact_id": "",
                }
            ]
            if n % 3 == 0
            else [],
            "engagements": [],
            "themes": [],
            "tags": [],
            "created_at": now,
            "updated_at": now,
            "updated_by": "bench",
            "deleted": False,
        }
        for n in range(ARTICLES)
    ]
    with store.transaction() as session:
        session.execute(insert(KnowledgeArticleRow), rows)


def _times(store: Store, terms: Sequence[str], repeat: int) -> tuple[list[float], list[float]]:
    """Each query in its own session, as ``search`` opens one (a session holds the write lock)."""
    ours, baseline = [], []
    for _ in range(max(1, repeat)):
        for term in terms:
            started = time.perf_counter()
            search(store, term)
            ours.append(time.perf_counter() - started)
            started = time.perf_counter()
            with store.session() as session:
                session.execute(text(LIKE_SQL), {"p": f"%{term}%"}).all()
            baseline.append(time.perf_counter() - started)
    return ours, baseline


def search_figures(ctx: Context) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="dxdesk-bench-search-") as tmp:
        data = Path(tmp) / "data"
        started = time.perf_counter()
        build_large_store(data)
        ws = open_workspace(data)
        try:
            _add_articles(ws.store)
            built = time.perf_counter() - started
            # The first search indexes everything the store was given (as after a first sync).
            started = time.perf_counter()
            search(ws.store, "窓口")
            first = time.perf_counter() - started
            long_ours, long_base = _times(ws.store, LONG_TERMS, ctx.repeat)
            short_ours, short_base = _times(ws.store, SHORT_TERMS, ctx.repeat)
        finally:
            ws.close()
    detail = f"20,000 engagements, 60,000 follow-ups, {ARTICLES:,} articles (built {built:.0f} s)"
    return [
        Row(
            "search: first search, indexing the whole store (after a first sync)",
            first,
            detail=f"{detail}; the app runs this on its worker right after a sync, so a person "
            "searching later does not wait for it",
        ),
        Row(
            "search: median query, 3+ characters",
            statistics.median(long_ours),
            target_s=LONG_TARGET_S,
            baseline_s=statistics.median(long_base),
            detail=f"{'、'.join(LONG_TERMS)}; slowest {max(long_ours) * 1000:.0f} ms against "
            f"{max(long_base) * 1000:.0f} ms; {detail}; baseline: LIKE over the same rows",
        ),
        Row(
            "search: median query, 1-2 characters",
            statistics.median(short_ours),
            target_s=SHORT_TARGET_S,
            baseline_s=statistics.median(short_base),
            detail=f"{'、'.join(SHORT_TERMS)}; slowest {max(short_ours) * 1000:.0f} ms against "
            f"{max(short_base) * 1000:.0f} ms; LIKE within the index; baseline: LIKE over the "
            "same rows",
        ),
    ]


if __name__ == "__main__":
    run_alone(search_figures, prog="python -m bench.search")
