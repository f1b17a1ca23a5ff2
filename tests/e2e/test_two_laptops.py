"""Two advisors and a second laptop edit offline; everything meets at the server.

Each scenario runs on a server with a SQLite store and one with PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dxdesk.server import admin
from dxdesk.sync.conflicts import resolve
from tests.e2e.conftest import Laptop
from tests.server.fixtures import RunningServer, add_user

WAKAYAMA, KAINAN = "302015", "302023"
MakeLaptop = Callable[[str, str], Laptop]


def _visit(laptop: Laptop, **fields: Any) -> str:
    record = laptop.workspace.engagements.add(
        {"municipality": WAKAYAMA, "date": "2026-11-20", "title": "訪問", **fields}
    )
    return str(record["id"])


def _setup(server: RunningServer, laptops: Any) -> tuple[Laptop, Laptop, Laptop]:
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    add_user(server.database, "suzuki", codes=(WAKAYAMA,))
    return (
        laptops("tanaka", "tanaka-office"),
        laptops("tanaka", "tanaka-home"),
        laptops("suzuki", "suzuki"),
    )


def test_different_fields_of_one_record_merge(server: RunningServer, laptops: Any) -> None:
    office, home, suzuki = _setup(server, laptops)
    visit = _visit(office)
    assert office.sync().pushed == 1
    home.sync(), suzuki.sync()
    home.workspace.engagements.update(visit, {"title": "窓口BPRの相談"})
    suzuki.workspace.engagements.update(visit, {"notes": "先方は来年度から着手"})
    home.sync()
    summary = suzuki.sync()
    assert summary.conflicts == 0
    office.sync(), home.sync()
    for laptop in (office, home, suzuki):
        record = laptop.workspace.engagements.get(visit)
        assert (record["title"], record["notes"]) == ("窓口BPRの相談", "先方は来年度から着手")
        assert laptop.conflicts() == []
        assert laptop.workspace.store.pending_record_count() == 0


def test_the_same_field_is_a_conflict_shown_resolved_and_converged(
    server: RunningServer, laptops: Any
) -> None:
    office, home, suzuki = _setup(server, laptops)
    visit = _visit(office)
    office.sync(), suzuki.sync()
    office.workspace.engagements.update(visit, {"title": "田中の件名"})
    suzuki.workspace.engagements.update(visit, {"title": "鈴木の件名"})
    office.sync()
    assert suzuki.sync().conflicts == 1
    [conflict] = suzuki.conflicts()
    assert (conflict.field, conflict.base, conflict.theirs, conflict.mine, conflict.theirs_by) == (
        "title",
        "訪問",
        "田中の件名",
        "鈴木の件名",
        "tanaka",
    )
    resolve(suzuki.workspace.store, conflict.id, take="mine")
    suzuki.sync()
    office.sync(), home.sync()
    titles = {laptop.workspace.engagements.get(visit)["title"] for laptop in (office, home, suzuki)}
    assert titles == {"鈴木の件名"}
    assert suzuki.conflicts() == []


def test_typing_on_after_a_conflict_is_what_mine_means(server: RunningServer, laptops: Any) -> None:
    """Found by the state machine: taking "mine" put back the value of the conflict and undid
    what the person had typed in the field since."""
    office, _, suzuki = _setup(server, laptops)
    visit = _visit(office)
    office.sync(), suzuki.sync()
    office.workspace.engagements.update(visit, {"notes": "田中のメモ"})
    suzuki.workspace.engagements.update(visit, {"notes": "鈴木のメモ"})
    office.sync()
    suzuki.sync()
    suzuki.workspace.engagements.update(visit, {"notes": "鈴木のメモ（書き直し）"})
    [conflict] = suzuki.conflicts()
    assert (conflict.theirs, conflict.mine) == ("田中のメモ", "鈴木のメモ（書き直し）")
    resolve(suzuki.workspace.store, conflict.id, take="mine")
    suzuki.sync(), office.sync()
    for laptop in (office, suzuki):
        assert laptop.workspace.engagements.get(visit)["notes"] == "鈴木のメモ（書き直し）"


def test_text_edits_in_different_paragraphs_merge(server: RunningServer, laptops: Any) -> None:
    office, home, _ = _setup(server, laptops)
    notes = "一 現状\n\n二 課題\n\n三 次回\n"
    visit = _visit(office, notes=notes)
    office.sync(), home.sync()
    office.workspace.engagements.update(
        visit, {"notes": notes.replace("現状", "現状：紙の申請が多い")}
    )
    home.workspace.engagements.update(visit, {"notes": notes.replace("次回", "次回：12月")})
    office.sync()
    summary = home.sync()
    assert summary.conflicts == 0 and summary.merged >= 1
    office.sync()
    expected = "一 現状：紙の申請が多い\n\n二 課題\n\n三 次回：12月\n"
    assert office.workspace.engagements.get(visit)["notes"] == expected
    assert home.workspace.engagements.get(visit)["notes"] == expected


def test_an_edit_against_a_delete_is_shown(server: RunningServer, laptops: Any) -> None:
    office, _, suzuki = _setup(server, laptops)
    visit = _visit(office)
    office.sync(), suzuki.sync()
    office.workspace.engagements.delete(visit)
    suzuki.workspace.engagements.update(visit, {"notes": "消す前に書いた"})
    office.sync()
    suzuki.sync()
    [conflict] = suzuki.conflicts()
    assert conflict.reason == "deleted" and conflict.mine == {"notes": "消す前に書いた"}
    # Keeping the edit brings the record back for everyone.
    resolve(suzuki.workspace.store, conflict.id, take="mine")
    suzuki.sync()
    office.sync()
    assert office.workspace.engagements.get(visit)["notes"] == "消す前に書いた"


def _gone_or_deleted(laptop: Laptop, visit: str) -> bool:
    return visit not in {r["id"] for r in laptop.workspace.engagements.list_records()}


def test_a_conflict_follows_what_the_server_holds_when_it_changes_again(
    server: RunningServer, laptops: Any
) -> None:
    """Found by the state machine: "theirs" chosen after the server moved on meant stale values
    (an edit-vs-delete conflict taken as theirs brought back a record deleted since)."""
    office, home, suzuki = _setup(server, laptops)
    visit = _visit(office)
    office.sync(), home.sync(), suzuki.sync()
    home.workspace.engagements.delete(visit)
    office.workspace.engagements.update(visit, {"title": "田中の件名"})
    suzuki.workspace.engagements.update(visit, {"notes": "鈴木のメモ"})
    office.sync()
    home.sync()  # my delete meets their edit: kept for a person, the record is back
    suzuki.workspace.engagements.update(visit, {"title": "鈴木の件名"})
    suzuki.sync()
    [field_conflict] = suzuki.conflicts()
    assert field_conflict.theirs == "田中の件名"
    office.workspace.engagements.update(visit, {"title": "田中の件名（改）"})
    office.sync()
    suzuki.sync()
    [field_conflict] = suzuki.conflicts()
    assert field_conflict.theirs == "田中の件名（改）"  # the newest value, not the first
    resolve(suzuki.workspace.store, field_conflict.id, take="theirs")

    [whole] = home.conflicts()
    assert whole.field == "*" and whole.reason == "changed"
    office.workspace.engagements.delete(visit)  # now they delete it too
    office.sync()
    home.sync()
    assert home.conflicts() == []  # both sides want it gone: nothing left to decide
    for laptop in (suzuki, office, home, suzuki):
        laptop.sync()
    assert all(_gone_or_deleted(laptop, visit) for laptop in (office, home, suzuki))
    assert all(laptop.workspace.store.pending_record_count() == 0 for laptop in (office, home))


def test_a_new_assignment_is_backfilled_and_a_removed_one_evicted_after_its_edits(
    server: RunningServer, laptops: Any
) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    add_user(server.database, "suzuki", codes=(KAINAN,))
    tanaka, suzuki = laptops("tanaka", "tanaka"), laptops("suzuki", "suzuki")
    kainan_visit = suzuki.workspace.engagements.add(
        {"municipality": KAINAN, "date": "2026-10-01", "title": "海南市訪問"}
    )["id"]
    suzuki.sync()
    tanaka.sync()
    assert tanaka.workspace.engagements.list_records(municipality=KAINAN) == []
    with server.database.transaction() as session:
        admin.assign(session, name="tanaka", codes=[KAINAN])
    tanaka.sync()
    [backfilled] = tanaka.workspace.engagements.list_records(municipality=KAINAN)
    assert backfilled["id"] == kainan_visit
    # tanaka edits offline, then the assignment is removed before the next sync.
    tanaka.workspace.engagements.update(kainan_visit, {"notes": "引き継ぎメモ"})
    with server.database.transaction() as session:
        admin.unassign(session, name="tanaka", codes=[KAINAN])
    summary = tanaka.sync()
    # The edit was pushed before the municipality left the laptop.
    assert summary.evicted == [KAINAN]
    assert tanaka.workspace.engagements.list_records(municipality=KAINAN) == []
    suzuki.sync()
    assert suzuki.workspace.engagements.get(kainan_visit)["notes"] == "引き継ぎメモ"


def test_a_removed_municipality_stays_while_a_conflict_on_it_waits_for_a_person(
    server: RunningServer, laptops: Any
) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA, KAINAN))
    add_user(server.database, "suzuki", codes=(KAINAN,))
    tanaka, suzuki = laptops("tanaka", "tanaka"), laptops("suzuki", "suzuki")
    visit = tanaka.workspace.engagements.add(
        {"municipality": KAINAN, "date": "2026-10-01", "title": "海南市訪問"}
    )["id"]
    tanaka.sync(), suzuki.sync()
    suzuki.workspace.engagements.update(visit, {"title": "鈴木の件名"})
    tanaka.workspace.engagements.update(visit, {"title": "田中の件名"})
    suzuki.sync()
    with server.database.transaction() as session:
        admin.unassign(session, name="tanaka", codes=[KAINAN])
    summary = tanaka.sync()
    assert (summary.conflicts, summary.evicted, summary.kept) == (1, [], [KAINAN])
    # An edit typed now is refused (the server has told the laptop) and set aside: still kept.
    tanaka.workspace.engagements.update(visit, {"notes": "外れた後のメモ"})
    summary = tanaka.sync()
    assert (summary.conflicts, summary.evicted, summary.kept) == (1, [], [KAINAN])
    assert tanaka.workspace.engagements.get(visit)["notes"] == "外れた後のメモ"
    for conflict in tanaka.conflicts():
        resolve(tanaka.workspace.store, conflict.id, take="theirs")
    assert tanaka.sync().evicted == [KAINAN]
    assert tanaka.workspace.engagements.list_records(municipality=KAINAN) == []


def test_records_for_a_municipality_not_assigned_are_set_aside_together(
    server: RunningServer, laptops: Any
) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    laptop = laptops("tanaka", "tanaka")
    pushes: list[str] = []
    client = laptop.engine._transport._client
    client.event_hooks["request"].append(
        lambda request: (
            pushes.append(request.url.path) if request.url.path.endswith("/push") else None
        )
    )
    for index in range(10):
        laptop.workspace.engagements.add(
            {"municipality": KAINAN, "date": "2026-11-01", "title": f"担当外 {index}"}
        )
    mine = _visit(laptop)
    summary = laptop.sync()
    assert (summary.pushed, summary.conflicts) == (1, 10)
    assert len(pushes) == 2  # one refused, then the rest: not one request per record
    refused = laptop.conflicts()
    assert {c.reason for c in refused} == {"refused"} and len(refused) == 10
    assert "担当ではありません" in refused[0].detail
    # Kept on the laptop, nothing half-sent, the assigned record went up.
    assert len(laptop.workspace.engagements.list_records(municipality=KAINAN)) == 10
    with server.database.transaction() as session:
        from dxdesk.server.tables import Record

        assert [r.id for r in session.query(Record).all()] == [mine]


def test_an_edit_typed_while_its_create_is_being_pushed_is_sent_too(
    server: RunningServer, laptops: Any
) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    laptop = laptops("tanaka", "tanaka")
    laptop.sync()
    visit = _visit(laptop, notes="最初")
    client = laptop.engine._transport._client
    typed: list[bool] = []

    def type_during_push(request: Any) -> None:
        if request.url.path.endswith("/push") and not typed:
            typed.append(True)
            laptop.workspace.engagements.update(visit, {"notes": "最初と、送信中に書き足した分"})

    client.event_hooks["request"].append(type_during_push)
    summary = laptop.sync()
    # The create went up as it was, then the edit made meanwhile, as a second push.
    assert typed and summary.pushed == 2
    with server.database.transaction() as session:
        from dxdesk.server.tables import Record

        record = session.get(Record, visit)
        assert record is not None and record.fields["notes"] == "最初と、送信中に書き足した分"
    assert laptop.workspace.store.pending_record_count() == 0


def test_assessment_answers_merge_item_by_item_and_totals_follow(
    server: RunningServer, laptops: Any
) -> None:
    office, _home, suzuki = _setup(server, laptops)
    assessment = office.workspace.assessments.add(
        {"municipality": WAKAYAMA, "fiscal_year": 2025, "scores": {"0-1": 1, "D1": 0}}
    )["id"]
    office.sync(), suzuki.sync()
    office.workspace.assessments.update(assessment, {"scores": {"0-1": 3}})
    suzuki.workspace.assessments.update(assessment, {"scores": {"D1": 3}})
    office.sync()
    assert suzuki.sync().conflicts == 0
    office.sync()
    for laptop in (office, suzuki):
        record = laptop.workspace.assessments.get(assessment)
        assert record["scores"] == {"0-1": 3, "D1": 3}
        # Derived values are computed from the merged answers, never merged themselves.
        assert record["total"] == 6


def test_a_colleagues_visit_is_found_after_sync_and_gone_after_their_delete(
    server: RunningServer, laptops: Any
) -> None:
    from dxdesk.services.search import search

    office, _, suzuki = _setup(server, laptops)
    visit = _visit(office, notes="書かない窓口の導入手順を共有")
    office.sync(), suzuki.sync()
    assert [h.id for h in search(suzuki.workspace.store, "書かない窓口")] == [visit]
    office.workspace.engagements.update(visit, {"notes": "オンライン申請の拡充"})
    office.sync(), suzuki.sync()
    assert search(suzuki.workspace.store, "書かない窓口") == []
    assert [h.id for h in search(suzuki.workspace.store, "申請")] == [visit]
    office.workspace.engagements.delete(visit)
    office.sync(), suzuki.sync()
    assert search(suzuki.workspace.store, "申請") == []


def test_a_visit_shared_as_knowledge_reaches_a_colleague_elsewhere(
    server: RunningServer, laptops: Any
) -> None:
    """Issue 8's done-when: an advisor turns a visit into an article; a colleague assigned to
    another municipality finds it after the next sync by a two-character word and sees who
    knows it and where."""
    from dxdesk.services.know_who import know_who
    from dxdesk.services.knowledge_drafts import KnowledgeDrafts
    from dxdesk.services.search import search

    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    add_user(server.database, "sato", codes=(KAINAN,))
    tanaka, sato = laptops("tanaka", "tanaka"), laptops("sato", "sato")
    visit = _visit(
        tanaka,
        title="RPA で給与事務",
        summary="給与事務を RPA で自動化し、人材を窓口に回した。",
        themes=["業務効率化"],
        municipal_attendees=["山本 太郎"],
    )
    tanaka.workspace.contacts.add(
        {"municipality": WAKAYAMA, "name": "山本太郎", "department": "情報政策課", "title": "主査"}
    )
    drafts = KnowledgeDrafts(tanaka.workspace)
    draft = drafts.start(visit)
    assert draft.fields["people"] == []  # nobody is shared until the advisor ticks them
    draft.fields["people"] = [draft.candidates[0]]
    article = drafts.publish(draft)
    tanaka.sync()
    sato.sync()
    assert sato.workspace.engagements.list_records() == []  # the visit stays with Wakayama
    [hit] = search(sato.workspace.store, "人材")
    assert (hit.kind, hit.id) == ("article", article["id"])
    [person] = know_who(sato.workspace.store, theme="業務効率化")
    assert (person.name, person.municipality_name, person.role) == ("山本太郎", "和歌山市", "主査")
    assert person.sources[0].id == article["id"]


def test_edits_kept_in_a_record_go_with_its_delete_or_its_municipality(
    server: RunningServer, laptops: Any
) -> None:
    """What waited to be saved in a record that sync removed is never named again."""
    from sqlalchemy import select

    from dxdesk.models.tables import StoreMeta
    from dxdesk.services.unsaved import UNSAVED_PREFIX

    def kept(laptop: Laptop) -> list[str]:
        with laptop.workspace.store.session() as session:
            keys = session.scalars(
                select(StoreMeta.key).where(StoreMeta.key.startswith(UNSAVED_PREFIX))
            )
            return sorted(key.removeprefix(UNSAVED_PREFIX) for key in keys)

    add_user(server.database, "tanaka", codes=(WAKAYAMA, KAINAN))
    office, home = laptops("tanaka", "tanaka-office"), laptops("tanaka", "tanaka-home")
    deleted = _visit(office)
    evicted = office.workspace.engagements.add(
        {"municipality": KAINAN, "date": "2026-10-01", "title": "海南市訪問"}
    )["id"]
    office.sync(), home.sync()
    for visit in (deleted, evicted):
        home.workspace.engagements.save_edits(visit, {"title": "長" * 501})
    assert kept(home) == sorted([deleted, evicted])
    office.workspace.engagements.delete(deleted)
    office.sync()
    with server.database.transaction() as session:
        admin.unassign(session, name="tanaka", codes=[KAINAN])
    assert home.sync().evicted == [KAINAN]
    assert kept(home) == []


def test_undoing_a_delete_already_synced_brings_the_record_back_everywhere(
    server: RunningServer, laptops: Any
) -> None:
    office, home, _suzuki = _setup(server, laptops)
    visit = _visit(office, notes="消してから戻した記録")
    office.sync(), home.sync()
    removed = office.workspace.engagements.delete(visit)
    office.sync(), home.sync()  # the delete reached the server and the other laptop
    assert visit not in {r["id"] for r in home.workspace.engagements.list_records()}
    office.workspace.engagements.restore(removed)  # 元に戻す, after the sync
    assert office.workspace.store.pending_record_count() == 1  # it must go up again
    office.sync(), home.sync()
    for laptop in (office, home):
        assert laptop.workspace.engagements.get(visit)["notes"] == "消してから戻した記録"
        assert laptop.conflicts() == []
        assert laptop.workspace.store.pending_record_count() == 0


def test_undoing_a_delete_not_yet_synced_sends_no_delete(
    server: RunningServer, laptops: Any
) -> None:
    office, home, _suzuki = _setup(server, laptops)
    visit = _visit(office)
    office.sync(), home.sync()
    removed = office.workspace.engagements.delete(visit)
    office.workspace.engagements.restore(removed)
    assert office.workspace.store.pending_record_count() == 0  # nothing differs from the server
    office.sync(), home.sync()
    assert home.workspace.engagements.get(visit)["title"] == "訪問"
