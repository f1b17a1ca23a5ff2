"""Search: trigram terms, one- and two-character terms, width folding, filters, ranking, and an
index that follows every write (facades, bulk inserts as a sync page does, deletes, undo)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import insert

from dxdesk.models.tables import EngagementRow
from dxdesk.services.search import search
from dxdesk.services.workspace import Workspace, open_workspace

SHIRAHAMA, KUSHIMOTO = "304018", "304280"


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = open_workspace(tmp_path)
    yield workspace
    workspace.close()


def _visit(ws: Workspace, code: str = SHIRAHAMA, **fields: object) -> str:
    payload = {"municipality": code, "date": "2025-06-12", "title": "訪問", **fields}
    return str(ws.engagements.add(payload)["id"])


def _ids(ws: Workspace, query: str, **filters: object) -> set[str]:
    return {hit.id for hit in search(ws.store, query, **filters)}  # type: ignore[arg-type]


def test_long_and_short_japanese_terms(ws: Workspace) -> None:
    rpa = _visit(ws, notes="RPA の導入を財務会計から試したい")
    people = _visit(ws, notes="DX人材の育成について研修計画を相談")
    ai = _visit(ws, notes="生成AIの利用ガイドライン")
    assert _ids(ws, "財務会計") == {rpa}
    assert _ids(ws, "人材") == {people}  # two characters: no trigram to match
    assert _ids(ws, "研修") == {people}
    assert _ids(ws, "AI") == {ai}
    assert _ids(ws, "材") == {people}  # one character
    assert _ids(ws, "人材 研修計画") == {people}  # every term must match
    assert _ids(ws, "人材 財務") == set()


def test_full_and_half_width_find_each_other(ws: Workspace) -> None:
    half = _visit(ws, notes="RPA を試行")
    full = _visit(ws, notes="ＲＰＡ の効果測定")
    assert _ids(ws, "ＲＰＡ") == {half, full}
    assert _ids(ws, "rpa") == {half, full}
    assert _ids(ws, "ＡＩ") == set()


def test_the_index_follows_edits_deletes_and_undo(ws: Workspace) -> None:
    visit = _visit(ws, notes="窓口業務の見直し")
    ws.engagements.update(visit, {"notes": "電子申請の拡充"})
    assert _ids(ws, "窓口業務") == set() and _ids(ws, "電子申請") == {visit}
    removed = ws.engagements.delete(visit)
    assert _ids(ws, "電子申請") == set()  # a deleted record never shows up
    ws.engagements.restore(removed)
    assert _ids(ws, "電子申請") == {visit}


def test_rows_inserted_in_bulk_as_a_sync_page_does_are_found(ws: Workspace) -> None:
    record_id = str(uuid.uuid4())
    now = datetime.now(UTC)
    with ws.store.transaction() as session:
        session.execute(
            insert(EngagementRow),
            [
                {
                    "id": record_id,
                    "municipality": KUSHIMOTO,
                    "date": date(2024, 5, 1),
                    "type": "visit",
                    "mode": "in_person",
                    "title": "同期で届いた訪問",
                    "municipal_attendees": [],
                    "advisor_attendees": [],
                    "themes": ["BPR"],
                    "summary": "",
                    "notes": "オープンデータの公開手順",
                    "created_at": now,
                    "updated_at": now,
                    "updated_by": "suzuki",
                    "deleted": False,
                }
            ],
        )
    assert _ids(ws, "オープンデータ") == {record_id}
    assert _ids(ws, "串本町") == {record_id}  # the municipality's name is searchable


def test_filters_by_kind_municipality_theme_and_fiscal_year(ws: Workspace) -> None:
    april = _visit(ws, date="2025-04-01", themes=["BPR"], notes="業務改善の進め方")
    march = _visit(ws, date="2025-03-31", notes="業務改善の進め方")
    other = _visit(ws, KUSHIMOTO, date="2025-06-01", notes="業務改善の進め方")
    follow_up = ws.follow_ups.add(
        {"municipality": SHIRAHAMA, "engagement": april, "description": "業務改善の事例を送る"}
    )["id"]
    assert _ids(ws, "業務改善") == {april, march, other, follow_up}
    assert _ids(ws, "業務改善", kind="followup") == {follow_up}
    assert _ids(ws, "業務改善", municipality=KUSHIMOTO) == {other}
    assert _ids(ws, "業務改善", fiscal_year=2025) == {april, other, follow_up}
    assert _ids(ws, "業務改善", fiscal_year=2024) == {march}
    assert _ids(ws, "業務改善", theme="BPR") == {april}


def test_a_title_match_ranks_first_and_the_snippet_marks_it(ws: Workspace) -> None:
    body_only = _visit(ws, notes="前回の続き。" * 5 + "テレワークの規程を確認した。")
    in_title = _visit(ws, title="テレワーク規程の相談", notes="規程の案を確認")
    hits = search(ws.store, "テレワーク")
    assert [h.id for h in hits] == [in_title, body_only]
    assert "【テレワーク】" in hits[1].snippet and hits[1].snippet.startswith("…")


def test_contacts_and_articles_are_searched_too(ws: Workspace) -> None:
    contact = ws.contacts.add(
        {"municipality": SHIRAHAMA, "name": "森 誠", "department": "情報政策課"}
    )
    article = ws.articles.add({"title": "書かない窓口の始め方", "category": "know_how"})
    assert _ids(ws, "情報政策") == {contact["id"]}
    assert _ids(ws, "書かない窓口") == {article["id"]}
    assert _ids(ws, "窓口", kind="article") == {article["id"]}


def test_cli_search_prints_kind_id_title_and_snippet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from dxdesk.cli.main import main

    ws = open_workspace(tmp_path / "data")
    try:
        visit = _visit(ws, title="RPA の相談", notes="人材の確保も話題に")
    finally:
        ws.close()
    assert main(["--data-dir", str(tmp_path / "data"), "search", "人材", "--json"]) == 0
    [hit] = json.loads(capsys.readouterr().out)
    assert hit == {"kind": "visit", "id": visit, "title": "RPA の相談", "snippet": hit["snippet"]}
    assert "【人材】" in hit["snippet"]
    with pytest.raises(SystemExit) as usage:
        main(["--data-dir", str(tmp_path / "data"), "search", "x", "--kind", "nope"])
    assert usage.value.code == 2


def test_an_article_is_found_by_who_knows_it_and_filtered_by_its_year(ws: Workspace) -> None:
    article = ws.articles.add(
        {
            "title": "窓口の改善",
            "fiscal_year": "R7",
            "people": [{"name": "浜口 真", "organisation": "串本町 総務課", "role": "係長"}],
        }
    )["id"]
    assert _ids(ws, "浜口") == {article}
    assert _ids(ws, "総務課") == {article}
    assert _ids(ws, "窓口", fiscal_year=2025) == {article}
    assert _ids(ws, "窓口", fiscal_year=2024) == set()
    ws.articles.update(article, {"people": []})
    assert _ids(ws, "浜口") == set()


def test_the_index_catches_up_a_piece_at_a_time(ws: Workspace) -> None:
    from dxdesk.services.search import catch_up

    visits = {_visit(ws, notes=f"段階的な索引 {n}") for n in range(5)}
    rounds = 1
    while catch_up(ws.store, step=2):
        rounds += 1
    assert rounds == 3  # 2 + 2 + 1 new rows
    assert _ids(ws, "段階的") == visits
    assert catch_up(ws.store, step=2) is False
