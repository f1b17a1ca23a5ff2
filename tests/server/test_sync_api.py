"""Push and pull over real TLS: merge, conflicts, replay, tombstones, assignments."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import func, select

from dxdesk.server import admin
from dxdesk.server.tables import AuditEntry, Conflict, Record, SyncClock
from tests.server.fixtures import RunningServer, add_user, new_id, pull_all, push, visit_change

WAKAYAMA, KAINAN, HASHIMOTO = "302015", "302023", "302031"


def _ok(answer: httpx.Response) -> dict[str, Any]:
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def _update(
    record_id: str, base_rev: int | None = None, kind: str = "visit", **fields: tuple[Any, Any]
) -> dict[str, Any]:
    """An update whose fields are given as (base, value); "scores.<item>" through ``**{}``."""
    return {
        "kind": kind,
        "id": record_id,
        "op": "update",
        "base_rev": base_rev,
        "fields": {name: {"base": base, "value": value} for name, (base, value) in fields.items()},
    }


def _record(server: RunningServer, record_id: str) -> Record:
    with server.database.transaction() as session:
        record = session.get(Record, record_id)
        assert record is not None
        return record


def test_a_record_pushed_from_one_laptop_reaches_the_other(server: RunningServer) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    first, second = server.login("tanaka", "office"), server.login("tanaka", "home")
    record_id = new_id()
    result = _ok(push(first, visit_change(record_id, WAKAYAMA, notes="議事メモ")))["results"][0]
    assert result["status"] == "applied" and result["rev"] == 1
    records, last = pull_all(second)
    assert [(r["id"], r["fields"]["notes"], r["municipality"]) for r in records] == [
        (record_id, "議事メモ", WAKAYAMA)
    ]
    assert last["scope"] == [WAKAYAMA]


def test_replaying_a_push_returns_the_first_answer_and_applies_nothing_twice(
    server: RunningServer,
) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    client = server.login("tanaka")
    record_id, push_id = new_id(), new_id()
    change = _update(record_id, notes=("", "x"))
    _ok(push(client, visit_change(record_id, WAKAYAMA)))
    first = _ok(push(client, change, push_id=push_id))
    with server.database.transaction() as session:
        audits = session.scalar(select(func.count()).select_from(AuditEntry))
        clock = session.get(SyncClock, 1)
        assert clock is not None
        revision = clock.value
    again = _ok(push(client, change, push_id=push_id))
    assert again["replayed"] is True and first["replayed"] is False
    assert again["results"] == first["results"]
    with server.database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == audits
        assert session.get(SyncClock, 1).value == revision  # type: ignore[union-attr]
    # The same person resending from a new login gets the answer; another person does not.
    relogged = server.login("tanaka", "again")
    assert _ok(push(relogged, change, push_id=push_id))["replayed"] is True
    add_user(server.database, "suzuki", codes=(WAKAYAMA,))
    taken = push(server.login("suzuki"), change, push_id=push_id)
    assert taken.status_code == 409


def test_different_fields_of_one_record_merge_without_asking(server: RunningServer) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    add_user(server.database, "suzuki", codes=(WAKAYAMA,))
    a, b = server.login("tanaka"), server.login("suzuki")
    record_id = new_id()
    _ok(push(a, visit_change(record_id, WAKAYAMA)))
    assert (
        _ok(push(a, _update(record_id, 1, title=("", "窓口BPR"))))["results"][0]["status"]
        == "applied"
    )
    answer = _ok(push(b, _update(record_id, 1, notes=("", "先方の課題"))))["results"][0]
    assert answer["status"] == "applied" and answer["rev"] == 3
    fields = _record(server, record_id).fields
    assert (fields["title"], fields["notes"]) == ("窓口BPR", "先方の課題")


def test_the_same_field_changed_differently_is_a_conflict_with_all_three_values(
    server: RunningServer,
) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    add_user(server.database, "suzuki", codes=(WAKAYAMA,))
    a, b = server.login("tanaka"), server.login("suzuki")
    record_id = new_id()
    _ok(push(a, visit_change(record_id, WAKAYAMA, title="件名")))
    _ok(push(a, _update(record_id, 1, title=("件名", "田中の件名"))))
    answer = _ok(
        push(b, _update(record_id, 1, title=("件名", "鈴木の件名"), mode=("in_person", "online")))
    )
    result = answer["results"][0]
    assert result["status"] == "conflict"
    [conflict] = result["conflicts"]
    assert (conflict["field"], conflict["base"], conflict["theirs"], conflict["mine"]) == (
        "title",
        "件名",
        "田中の件名",
        "鈴木の件名",
    )
    assert conflict["by"] == "tanaka"
    # The other field of the same change went through; the conflicting one kept theirs.
    fields = _record(server, record_id).fields
    assert (fields["title"], fields["mode"]) == ("田中の件名", "online")
    with server.database.transaction() as session:
        stored = session.scalars(select(Conflict)).one()
        assert (stored.account, stored.mine, stored.theirs) == (
            "suzuki",
            "鈴木の件名",
            "田中の件名",
        )


def test_long_text_edited_in_different_paragraphs_merges_on_the_server(
    server: RunningServer,
) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    a, b = server.login("tanaka", "one"), server.login("tanaka", "two")
    base = "一 まず。\n\n二 次に。\n\n三 最後に。\n"
    record_id = new_id()
    _ok(push(a, visit_change(record_id, WAKAYAMA, notes=base)))
    _ok(push(a, _update(record_id, 1, notes=(base, base.replace("まず", "最初に")))))
    result = _ok(push(b, _update(record_id, 1, notes=(base, base.replace("最後に", "締めに")))))[
        "results"
    ][0]
    merged = "一 最初に。\n\n二 次に。\n\n三 締めに。\n"
    assert result["status"] == "merged" and result["fields"]["notes"] == merged
    assert _record(server, record_id).fields["notes"] == merged


def test_assessment_items_are_fields_of_their_own(server: RunningServer) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    a, b = server.login("tanaka", "one"), server.login("tanaka", "two")
    record_id = new_id()
    create = {
        "kind": "assessment",
        "id": record_id,
        "op": "create",
        "fields": {
            "municipality": {"value": WAKAYAMA},
            "fiscal_year": {"value": "R7"},
            "scores.0-1": {"value": 1},
        },
    }
    _ok(push(a, create))
    _ok(push(a, _update(record_id, 1, kind="assessment", **{"scores.0-1": (1, 3)})))
    result = _ok(push(b, _update(record_id, 1, kind="assessment", **{"scores.D1": (None, "３")})))[
        "results"
    ][0]
    assert result["status"] == "applied" and result["fields"] == {"scores.D1": 3}
    assert _record(server, record_id).fields["scores"] == {"0-1": 3, "D1": 3}
    # A full-width item code is the same item, not a new key nor a false conflict.
    wide = _ok(push(b, _update(record_id, 1, kind="assessment", **{"scores.Ｄ１": (3, 0)})))
    assert wide["results"][0]["fields"] == {"scores.D1": 0}
    assert _record(server, record_id).fields["scores"] == {"0-1": 3, "D1": 0}
    bad = push(b, _update(record_id, 1, kind="assessment", **{"scores.0-1": (3, 7)}))
    assert bad.status_code == 422 and "0-1" in bad.json()["detail"]


def test_deletes_are_tombstones_and_edits_against_them_are_shown(server: RunningServer) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    a, b = server.login("tanaka", "one"), server.login("tanaka", "two")
    record_id = new_id()
    _ok(push(a, visit_change(record_id, WAKAYAMA)))
    deleted = _ok(push(a, {"kind": "visit", "id": record_id, "op": "delete", "base_rev": 1}))
    assert deleted["results"][0]["deleted"] is True
    edit = _ok(push(b, _update(record_id, 1, notes=("", "消されたとは知らずに"))))["results"][0]
    assert edit["status"] == "conflict" and edit["deleted"] is True
    assert edit["conflicts"][0]["reason"] == "deleted"
    assert edit["conflicts"][0]["mine"] == {"notes": "消されたとは知らずに"}
    records, _ = pull_all(b)
    assert records == []  # a first pull carries no tombstones
    assert _record(server, record_id).deleted


def test_deleting_a_record_someone_changed_since_is_a_conflict(server: RunningServer) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    a, b = server.login("tanaka", "one"), server.login("tanaka", "two")
    record_id = new_id()
    _ok(push(a, visit_change(record_id, WAKAYAMA)))
    _ok(push(a, _update(record_id, 1, notes=("", "追記"))))
    stale = _ok(push(b, {"kind": "visit", "id": record_id, "op": "delete", "base_rev": 1}))
    result = stale["results"][0]
    assert result["status"] == "conflict" and result["conflicts"][0]["theirs"]["notes"] == "追記"
    assert not _record(server, record_id).deleted


def test_a_push_with_one_bad_change_writes_nothing(server: RunningServer) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    client = server.login("tanaka")
    good, bad = new_id(), new_id()
    answer = push(
        client,
        visit_change(good, WAKAYAMA),
        visit_change(bad, WAKAYAMA, date="2026-02-30"),
    )
    assert answer.status_code == 422
    problem = answer.json()
    assert problem["change_index"] == 1 and "2 件目" in problem["detail"]
    assert "何も保存していません" in problem["detail"]
    with server.database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Record)) == 0
        assert session.get(SyncClock, 1).value == 0  # type: ignore[union-attr]
    # The same push id is still free: nothing about the refused push was kept.
    assert push(client, visit_change(good, WAKAYAMA)).status_code == 200


def test_pull_pages_in_revision_order_and_resumes_from_any_cursor(server: RunningServer) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    client = server.login("tanaka")
    _, start = pull_all(client)
    ids = [new_id() for _ in range(7)]
    for record_id in ids:
        _ok(push(client, visit_change(record_id, WAKAYAMA)))
    page = _ok(client.post("/api/v1/sync/pull", json={"cursor": start["cursor"], "limit": 3}))
    assert [r["id"] for r in page["records"]] == ids[:3] and page["more"]
    # An interrupted sync asks again with the cursor it stored last and misses nothing.
    rest, _ = pull_all(client, page["cursor"], limit=3)
    again, _ = pull_all(client, page["cursor"], limit=3)
    assert [r["id"] for r in rest] == [r["id"] for r in again] == ids[3:]
    revs = [r["rev"] for r in page["records"] + rest]
    assert revs == sorted(revs) and len(set(revs)) == len(revs)
    bad = client.post("/api/v1/sync/pull", json={"cursor": "not-a-cursor"})
    assert bad.status_code == 400 and bad.json()["type"].endswith("/invalid-cursor")


def test_prefecture_wide_records_reach_every_advisor(server: RunningServer) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    add_user(server.database, "suzuki", codes=(KAINAN,))
    article = {
        "kind": "article",
        "id": new_id(),
        "op": "create",
        "fields": {"title": {"value": "窓口BPRの進め方"}, "municipality": {"value": WAKAYAMA}},
    }
    _ok(push(server.login("tanaka"), article))
    records, _ = pull_all(server.login("suzuki"))
    assert [(r["kind"], r["municipality"]) for r in records] == [("article", None)]


def test_an_article_being_written_may_have_no_title_yet(server: RunningServer) -> None:
    """The window starts a new article without a title (no placeholder is stored)."""
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    article = {
        "kind": "article",
        "id": new_id(),
        "op": "create",
        "fields": {"title": {"value": ""}, "category": {"value": "know_how"}},
    }
    [result] = _ok(push(server.login("tanaka"), article))["results"]
    assert result["status"] == "applied"


def test_a_new_assignment_backfills_and_a_removed_one_is_evicted(server: RunningServer) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    add_user(server.database, "suzuki", codes=(KAINAN,))
    tanaka, suzuki = server.login("tanaka"), server.login("suzuki")
    kainan_ids = [new_id() for _ in range(3)]
    for record_id in kainan_ids:
        _ok(push(suzuki, visit_change(record_id, KAINAN)))
    _ok(push(suzuki, {"kind": "visit", "id": kainan_ids[0], "op": "delete", "base_rev": 1}))
    mine, state = pull_all(tanaka)
    assert mine == []
    with server.database.transaction() as session:
        admin.assign(session, name="tanaka", codes=[KAINAN])
    records, state = pull_all(tanaka, state["cursor"], limit=1)
    assert sorted(r["id"] for r in records) == sorted(kainan_ids[1:])  # no tombstone
    assert state["scope"] == [WAKAYAMA, KAINAN]
    # Later changes to the new municipality arrive through the normal stream.
    _ok(push(suzuki, _update(kainan_ids[1], 2, notes=("", "追記"))))
    later, state = pull_all(tanaka, state["cursor"])
    assert [(r["id"], r["fields"]["notes"]) for r in later] == [(kainan_ids[1], "追記")]
    with server.database.transaction() as session:
        admin.unassign(session, name="tanaka", codes=[KAINAN])
    _ok(push(suzuki, _update(kainan_ids[2], 3, notes=("", "もう見えない"))))
    page = _ok(tanaka.post("/api/v1/sync/pull", json={"cursor": state["cursor"]}))
    assert page["evicted"] == [KAINAN] and page["records"] == [] and page["scope"] == [WAKAYAMA]
    after, _ = pull_all(tanaka, page["cursor"])
    assert after == []


def test_a_record_moved_away_is_gone_for_those_who_lose_it(server: RunningServer) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA, KAINAN))
    add_user(server.database, "suzuki", codes=(WAKAYAMA,))
    tanaka, suzuki = server.login("tanaka"), server.login("suzuki")
    record_id = new_id()
    _ok(push(tanaka, visit_change(record_id, WAKAYAMA)))
    _, state = pull_all(suzuki)
    _ok(push(tanaka, _update(record_id, 1, municipality=(WAKAYAMA, KAINAN))))
    records, _ = pull_all(suzuki, state["cursor"])
    assert [(r["id"], r["gone"], r["fields"]) for r in records] == [(record_id, True, {})]


def test_a_follow_up_on_a_visit_takes_the_visits_municipality(server: RunningServer) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA, KAINAN))
    client = server.login("tanaka")
    visit_id, followup_id = new_id(), new_id()
    followup = {
        "kind": "followup",
        "id": followup_id,
        "op": "create",
        "fields": {
            "engagement": {"value": visit_id},
            "municipality": {"value": KAINAN},
            "description": {"value": "資料を送る"},
        },
    }
    _ok(push(client, visit_change(visit_id, WAKAYAMA), followup))
    record = _record(server, followup_id)
    assert (record.scope_code, record.fields["municipality"]) == (WAKAYAMA, WAKAYAMA)
    moved = _ok(
        push(client, _update(followup_id, 2, kind="followup", municipality=(WAKAYAMA, KAINAN)))
    )
    # The answer says what the server holds: still the visit's municipality.
    assert moved["results"][0]["fields"] == {"municipality": WAKAYAMA}


def test_unassigned_halfway_through_its_backfill_is_evicted(server: RunningServer) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    add_user(server.database, "suzuki", codes=(KAINAN,))
    tanaka, suzuki = server.login("tanaka"), server.login("suzuki")
    for _ in range(3):
        _ok(push(suzuki, visit_change(new_id(), KAINAN)))
    _, state = pull_all(tanaka)
    with server.database.transaction() as session:
        admin.assign(session, name="tanaka", codes=[KAINAN])
    page = _ok(tanaka.post("/api/v1/sync/pull", json={"cursor": state["cursor"], "limit": 1}))
    assert len(page["records"]) == 1 and page["backfilled"] == []
    with server.database.transaction() as session:
        admin.unassign(session, name="tanaka", codes=[KAINAN])
    after = _ok(tanaka.post("/api/v1/sync/pull", json={"cursor": page["cursor"], "limit": 1}))
    assert after["evicted"] == [KAINAN] and after["records"] == []


def test_hostile_cursors_and_numbers_are_refused_not_crashed_on(server: RunningServer) -> None:
    import base64

    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    client = server.login("tanaka")
    nested = base64.urlsafe_b64encode(b"[" * 7000).decode()
    assert client.post("/api/v1/sync/pull", json={"cursor": nested}).status_code == 400
    huge = {
        "kind": "assessment",
        "id": new_id(),
        "op": "create",
        "fields": {
            "municipality": {"value": WAKAYAMA},
            "fiscal_year": {"value": 2025},
            "level": {"value": "9" * 5000},
        },
    }
    answer = push(client, huge)
    assert answer.status_code == 422 and answer.json()["change_index"] == 0
    huge["fields"] = {**huge["fields"], "level": {"value": 2}, "scores.D1": {"value": "3" * 5000}}  # type: ignore[dict-item]
    assert push(client, huge).status_code == 422


def test_pull_pages_travel_gzipped(server: RunningServer) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    client = server.login("tanaka")
    for _ in range(5):
        _ok(push(client, visit_change(new_id(), WAKAYAMA, notes="同じような議事メモ。" * 200)))
    answer = client.post("/api/v1/sync/pull", json={})
    assert answer.headers["content-encoding"] == "gzip"
    assert answer.num_bytes_downloaded * 5 < len(answer.content)
    assert len(answer.json()["records"]) == 5
