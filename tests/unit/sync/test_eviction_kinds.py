"""An unassigned municipality leaves the laptop whole: a record of every kind that belongs to a
municipality goes (a survey response too), and a prefecture-wide one stays."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import delete, func, select

from dxdesk.domain.records import KINDS, Scope
from dxdesk.models import outbox
from dxdesk.models.kinds import KIND_TABLES
from dxdesk.models.outbox_tables import PendingChange
from dxdesk.models.tables import AttachmentUpload
from dxdesk.services.workspace import Workspace, open_workspace
from dxdesk.sync.eviction import META_EVICT, evict
from dxdesk.sync.summary import SyncSummary

CODE = "302023"  # 海南市


def _one_of_each(ws: Workspace, tmp_path: Path) -> None:
    visit = ws.engagements.add({"municipality": CODE, "date": "2025-06-12"})["id"]
    ws.interviews.add({"engagement": visit, "interviewee": "山本"})
    ws.follow_ups.add({"engagement": visit, "description": "資料送付"})
    ws.contacts.add({"municipality": CODE, "name": "森 誠"})
    ws.assessments.add({"municipality": CODE, "fiscal_year": 2024, "scores": {"1-1": 3}})
    ws.survey_responses.add(
        {"municipality": CODE, "fiscal_year": 2024, "answers": {"1-1": 3}, "respondent": "森"}
    )
    memo = tmp_path / "memo.txt"
    memo.write_text("メモ", encoding="utf-8")
    ws.attachments.attach("visit", visit, [memo])
    ws.cadences.add({"municipality": CODE, "months": 2})
    ws.events.add({"date": "2025-07-15", "title": "合同研修", "participants": [CODE]})


def _count(ws: Workspace, kind: str) -> int:
    table = KIND_TABLES[kind]
    with ws.store.session() as session:
        query = select(func.count()).select_from(table).where(table.deleted.is_(False))
        if hasattr(table, "municipality"):
            query = query.where(table.municipality == CODE)
        return int(session.scalar(query) or 0)


def test_every_kind_of_an_evicted_municipality_leaves_and_shared_ones_stay(
    tmp_path: Path,
) -> None:
    ws = open_workspace(tmp_path / "data")
    try:
        _one_of_each(ws, tmp_path)
        scoped = [
            k for k, spec in KINDS.items() if spec.scope in (Scope.MUNICIPALITY, Scope.PARENT)
        ]
        made = {kind for kind in scoped if _count(ws, kind)}
        assert made == set(scoped)  # one of every municipality's kind, a cadence too
        with ws.store.transaction() as session:  # as if everything had gone to the server
            for kind, table in KIND_TABLES.items():
                outbox.forget_records(session, kind, select(table.id))
            session.execute(delete(AttachmentUpload))
            session.execute(delete(PendingChange))
        ws.store.set_meta(META_EVICT, json.dumps([CODE]))
        summary = SyncSummary()
        evict(ws.store, summary)
        assert summary.evicted == [CODE]
        assert {kind: _count(ws, kind) for kind in made} == dict.fromkeys(made, 0)
        assert _count(ws, "event") == 1
    finally:
        ws.close()
