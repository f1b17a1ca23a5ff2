from __future__ import annotations

import contextlib
import shutil
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select, text

from dxdesk.models import outbox
from dxdesk.models.base import Base
from dxdesk.models.migrations_runner import alembic_config, head_revision
from dxdesk.models.outbox_tables import RecordBase
from dxdesk.models.store import open_store
from dxdesk.services.search import search
from dxdesk.services.survey_responses import responses_for_year
from dxdesk.services.workspace import open_workspace
from dxdesk.sync.conflicts import open_conflicts, resolve

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
        # Attachments came with 0005: a later sample's file is listed (its bytes were not
        # kept with the sample) and found by its name.
        files = [] if sample.stem < "store-0005" else ["サンプル資料.txt"]
        attached = ws.attachments.list_for("visit", visit["id"])
        assert [(a["name"], a["present"]) for a in attached] == [(n, False) for n in files]
        assert [h.title for h in search(ws.store, "サンプル資料")] == files
        # The survey's definitions and answers came with 0008: a later sample's are read whole.
        answers = [r.answers for r in responses_for_year(ws.store, 2030)]
        expected_answers = (
            [] if sample.stem < "store-0008" else [{"1-1": 3, "Q2": ["kurashi", "sangyo"], "Q3": 4}]
        )
        assert answers == expected_answers
        # The calendar came with 0009: what was kept before is held, a later sample's plans,
        # times, attendance, cadence and plan are read whole.
        calendar = sample.stem >= "store-0009"
        assert visit["status"] == "held"
        planned = [v for v in ws.engagements.list_records() if v["status"] == "planned"]
        expected_planned = [("2030-06-10", "10:00", "11:00")] if calendar else []
        assert [(v["date"], v["start_time"], v["end_time"]) for v in planned] == expected_planned
        attendance = [e["attendance"] for e in ws.events.list_records() if e["attendance"]]
        assert attendance == ([{"302015": 3}] if calendar else [])
        cadences = {c: r["months"] for c, r in ws.cadences.current().items()}
        assert cadences == ({"302015": 2} if calendar else {})
        plan = ws.programme_plans.for_year(2030)
        assert (plan and plan["targets"]) == ({"regional_consultation": 2} if calendar else None)
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


def _wind_back_to_0003(data_dir: Path) -> None:
    """The store as 0003 left it: the later migrations' schema undone, the version set back
    (0004 changed no schema and cannot be undone)."""
    store = open_store(data_dir)
    try:
        with store.engine.begin() as conn:
            config = alembic_config(conn)
            command.downgrade(config, "0004")
            conn.execute(text("UPDATE alembic_version SET version_num = '0003'"))
    finally:
        store.close()


def test_0004_keeps_the_bases_pending_changes_and_conflicts_need(
    tmp_path: Path, visit_payload: dict[str, Any]
) -> None:
    """A synced store as 0003 left it, with a real base for every record: a record nothing
    waits on, one edited here, one deleted here, one with an open conflict."""
    from tests.unit.models.test_outbox import _pull, _pulled, _server_visit

    workspace = open_workspace(tmp_path)
    try:
        visits = {}
        for name in ("synced", "edited", "deleted", "conflicted"):
            record_id, fields = _server_visit(workspace, {**visit_payload, "title": name})
            _pull(workspace, _pulled(record_id, fields, 3))
            visits[name] = (record_id, fields)
        workspace.engagements.update(visits["edited"][0], {"title": "編集"})
        workspace.engagements.delete(visits["deleted"][0])
        conflicted, fields = visits["conflicted"]
        workspace.engagements.update(conflicted, {"title": "わたし"})
        _pull(workspace, _pulled(conflicted, {**fields, "title": "あなた"}, 4))
        with workspace.store.transaction() as session:  # every record's base, as 0003 kept
            for record_id, fields in visits.values():
                base = session.get(RecordBase, ("visit", record_id))
                if base is None:
                    rev = 4 if record_id == conflicted else 3
                    session.add(RecordBase(kind="visit", record_id=record_id, server_rev=rev))
                    session.flush()
                    base = session.get(RecordBase, ("visit", record_id))
                assert base is not None
                base.fields = {**fields, "title": "あなた"} if record_id == conflicted else fields
    finally:
        workspace.close()
    _wind_back_to_0003(tmp_path)
    workspace = open_workspace(tmp_path)  # 0004 runs
    try:
        with workspace.store.session() as session:
            kept = {
                b.record_id: (b.server_rev, b.fields) for b in session.scalars(select(RecordBase))
            }
        assert set(kept) == {visits[name][0] for name in ("edited", "deleted", "conflicted")}
        for name in ("edited", "deleted"):
            assert kept[visits[name][0]] == (3, visits[name][1])  # untouched: still the synced ones
        with workspace.store.transaction() as session:
            batch = outbox.take_batch(session, 10)
        assert batch is not None
        changes = {change.id: change for change in batch.request.changes}
        edited = changes[visits["edited"][0]]
        assert (edited.base_rev, edited.fields["title"].base) == (3, "edited")
        assert (changes[visits["deleted"][0]].op, changes[visits["deleted"][0]].base_rev) == (
            "delete",
            3,
        )
        [conflict] = open_conflicts(workspace.store)
        resolve(workspace.store, conflict.id, take="mine")
        with workspace.store.transaction() as session:
            batch = outbox.take_batch(session, 10)
        assert batch is not None
        mine = next(c for c in batch.request.changes if c.id == conflicted)
        assert (mine.base_rev, mine.fields["title"].base, mine.fields["title"].value) == (
            4,
            "あなた",
            "わたし",
        )
    finally:
        workspace.close()


def test_0004_cannot_be_undone(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    try:
        with store.engine.begin() as conn, pytest.raises(NotImplementedError, match="0004"):
            command.downgrade(alembic_config(conn), "0003")
    finally:
        store.close()
