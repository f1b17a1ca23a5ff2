from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from dxdesk.models.base import Base
from dxdesk.models.migrations_runner import head_revision
from dxdesk.models.store import open_store
from dxdesk.services.search import search
from dxdesk.services.workspace import open_workspace

FIXTURES = Path(__file__).parents[2] / "fixtures"
SAMPLES = sorted(FIXTURES.glob("store-*.sqlite3"))


def test_there_is_a_sample_of_the_first_schema() -> None:
    assert FIXTURES / "store-0001.sqlite3" in SAMPLES


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_committed_sample_upgrades_and_keeps_its_records(sample: Path, tmp_path: Path) -> None:
    shutil.copy(sample, tmp_path / "dxdesk.sqlite3")
    ws = open_workspace(tmp_path)
    try:
        with ws.store.engine.connect() as conn:
            assert MigrationContext.configure(conn).get_current_revision() == head_revision()
        [visit] = ws.engagements.list_records(municipality="302015")
        assert visit["title"] == "サンプル訪問"
        assert visit["notes"] == "一\n\n二"
        assert [n["interviewee"] for n in ws.interviews.list_records(engagement=visit["id"])] == [
            "山本"
        ]
        [assessment] = ws.assessments.list_records()
        assert (assessment["total"], assessment["level"]) == (6, 2)
        assert len(ws.municipalities.overview()) == 30
        [article] = ws.articles.list_records()
        assert article["title"] == "サンプル記事"
        # Articles from before 0003 have nobody and no links; later samples keep theirs.
        expected = [] if sample.stem < "store-0003" else ["森 誠"]
        assert [p["name"] for p in article["people"]] == expected
        # What was stored before the search index existed is found, and new writes are too.
        assert [h.id for h in search(ws.store, "サンプル訪問")] == [visit["id"]]
        ws.follow_ups.add({"municipality": "302015", "description": "移行後の追加"})
        assert [h.title for h in search(ws.store, "移行後")] == ["移行後の追加"]
    finally:
        ws.close()


def _not_search_index(name: str | None, type_: str, _parents: object) -> bool:
    """The search index (FTS5 and its key table) lives in SQL only, kept by triggers."""
    return not (type_ == "table" and name is not None and name.startswith("search_"))


def test_migrations_build_exactly_the_models(tmp_path: Path) -> None:
    """A model changed without a migration shows up here as a difference."""
    store = open_store(tmp_path)
    try:
        with store.engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "include_name": _not_search_index}
            )
            assert compare_metadata(context, Base.metadata) == []
    finally:
        store.close()


def test_bases_nothing_needs_go_and_the_others_stay(tmp_path: Path) -> None:
    """0004: merge bases are copy-on-write; a store from before kept one for every record."""
    import sqlite3

    target = tmp_path / "dxdesk.sqlite3"
    shutil.copy(FIXTURES / "store-0003.sqlite3", target)
    with contextlib.closing(sqlite3.connect(target)) as db, db:
        records = list(db.execute("SELECT kind, record_id FROM pending_change ORDER BY seq"))
        synced, waiting, conflicted = records[:3]
        for kind, record_id in records:
            db.execute(
                "INSERT INTO record_base (kind, record_id, server_rev, fields)"
                " VALUES (?, ?, 3, '{}')",
                (kind, record_id),
            )
        # Only `waiting` still has a change to push; `conflicted` has an open conflict.
        db.execute("DELETE FROM pending_change WHERE record_id != ?", (waiting[1],))
        db.execute(
            "INSERT INTO sync_conflict (kind, record_id, field, reason, theirs_by, detail,"
            " created_at) VALUES (?, ?, 'title', 'changed', '', '', '2026-12-01')",
            conflicted,
        )
    store = open_store(tmp_path)
    try:
        with store.engine.connect() as conn:
            kept = {row[0] for row in conn.exec_driver_sql("SELECT record_id FROM record_base")}
        assert kept == {waiting[1], conflicted[1]}
        assert synced[1] not in kept
    finally:
        store.close()
