"""After login, a record outside the account's municipalities is refused at once, not at sync.

The real server over TLS tells the laptop its account's scope at login and at every pull; the
command refuses a visit elsewhere in one line and writes nothing, so no conflict waits for the
advisor at the next sync. A coordinator, whose scope is every municipality, is refused nothing.

After an unassignment, a laptop that has not pulled since still sends its edits of the records it
held, within the grace; a new record there, or an edit after the grace, is refused, and stays on
the laptop shown as refused with the reason.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from dxdesk.models.backups import restore_into, take_backup
from dxdesk.server import admin
from dxdesk.server.tables import DeviceScope, Record
from tests.e2e.test_cli_sync import Cli
from tests.server.fixtures import PASSWORD, RunningServer, add_user

WAKAYAMA, KAINAN, HASHIMOTO = "302015", "302023", "302031"


def _visit(code: str) -> str:
    return json.dumps({"municipality": code, "date": "2026-11-20", "title": "窓口BPR"})


def test_an_advisor_is_refused_a_visit_outside_their_municipalities_after_login(
    server: RunningServer,
    no_keychain: None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_user(server.database, "tanaka", codes=(KAINAN, HASHIMOTO))
    cli = Cli(tmp_path / "laptop", capsys, monkeypatch)
    status, _, err = cli.login(server, "tanaka")
    assert status == 0, err
    status, out, err = cli("records", "add", "visit", "--json", _visit(WAKAYAMA))
    assert status == 2 and out == ""
    assert err == (
        "dxdesk: エラー: 和歌山市 (302015) は担当ではありません。"
        "担当: 海南市 (302023)、橋本市 (302031)\n"
    )
    assert json.loads(cli("records", "list", "visit", "--json")[1]) == []
    status, out, _ = cli("records", "add", "visit", "--json", _visit(KAINAN))
    assert status == 0
    # The sync sends the one visit and has nothing to refuse.
    status, out, err = cli("sync", "--json", "--password-stdin", stdin=PASSWORD + "\n")
    assert status == 0, err
    assert json.loads(out)["pushed"] == 1 and json.loads(out)["conflicts"] == 0
    # And after the sync, as before it.
    assert cli("records", "add", "visit", "--json", _visit(WAKAYAMA))[0] == 2


def test_a_coordinator_may_write_for_every_municipality(
    server: RunningServer,
    no_keychain: None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_user(server.database, "jimukyoku", role="coordinator")
    cli = Cli(tmp_path / "office", capsys, monkeypatch)
    assert cli.login(server, "jimukyoku")[0] == 0
    status, _, err = cli("records", "add", "visit", "--json", _visit(WAKAYAMA))
    assert status == 0, err
    status, out, err = cli("sync", "--json", "--password-stdin", stdin=PASSWORD + "\n")
    assert status == 0, err
    assert json.loads(out)["conflicts"] == 0
    assert cli("records", "add", "visit", "--json", _visit(HASHIMOTO))[0] == 0


def test_within_the_grace_edits_go_up_and_a_new_record_is_kept_refused(
    server: RunningServer, laptops: Any
) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA, KAINAN))
    laptop = laptops("tanaka", "tanaka-pc")
    visit = laptop.workspace.engagements.add(
        {"municipality": KAINAN, "date": "2026-10-01", "title": "海南市訪問"}
    )["id"]
    laptop.sync()
    # Offline: an edit of what it held, and a new visit; then tanaka is unassigned 海南市.
    laptop.workspace.engagements.update(visit, {"notes": "外れる前のメモ"})
    new = laptop.workspace.engagements.add(
        {"municipality": KAINAN, "date": "2026-10-02", "title": "二度目の訪問"}
    )["id"]
    with server.database.transaction() as session:
        admin.unassign(session, name="tanaka", codes=[KAINAN])
    summary = laptop.sync()
    assert (summary.conflicts, summary.evicted, summary.kept) == (1, [], [KAINAN])
    with server.database.transaction() as session:
        held = session.get(Record, visit)
        assert held is not None and held.fields["notes"] == "外れる前のメモ"
        assert session.get(Record, new) is None
    [refused] = laptop.conflicts()
    assert (refused.record_id, refused.reason) == (new, "refused")
    assert "新しい記録を作れません" in refused.detail
    assert laptop.workspace.engagements.get(new)["title"] == "二度目の訪問"


def test_after_the_grace_an_edit_is_kept_and_shown_refused_with_the_deadline(
    server: RunningServer, laptops: Any
) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA, KAINAN))
    laptop = laptops("tanaka", "tanaka-pc")
    visit = laptop.workspace.engagements.add(
        {"municipality": KAINAN, "date": "2026-10-01", "title": "海南市訪問"}
    )["id"]
    laptop.sync()
    laptop.workspace.engagements.update(visit, {"notes": "遅れて届くメモ"})
    with server.database.transaction() as session:
        admin.unassign(session, name="tanaka", codes=[KAINAN], grace=timedelta(0))
    summary = laptop.sync()
    assert (summary.conflicts, summary.evicted, summary.kept) == (1, [], [KAINAN])
    [refused] = laptop.conflicts()
    assert (refused.record_id, refused.reason) == (visit, "refused")
    assert "期限" in refused.detail and refused.mine["notes"] == "遅れて届くメモ"
    assert laptop.workspace.engagements.get(visit)["notes"] == "遅れて届くメモ"
    with server.database.transaction() as session:
        record = session.get(Record, visit)
        assert record is not None and record.fields.get("notes") in (None, "")


def test_after_the_grace_a_municipalitys_edits_are_set_aside_together(
    server: RunningServer, laptops: Any
) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA, KAINAN))
    laptop = laptops("tanaka", "tanaka-pc")
    visits = [
        laptop.workspace.engagements.add(
            {"municipality": KAINAN, "date": "2026-10-01", "title": f"海南市訪問 {index}"}
        )["id"]
        for index in range(5)
    ]
    laptop.sync()
    pushes: list[str] = []
    laptop.engine._transport._client.event_hooks["request"].append(
        lambda request: (
            pushes.append(request.url.path) if request.url.path.endswith("/push") else None
        )
    )
    for visit in visits:
        laptop.workspace.engagements.update(visit, {"notes": "遅れて届くメモ"})
    mine = laptop.workspace.engagements.add(
        {"municipality": WAKAYAMA, "date": "2026-10-03", "title": "和歌山市訪問"}
    )["id"]
    with server.database.transaction() as session:
        admin.unassign(session, name="tanaka", codes=[KAINAN], grace=timedelta(0))
    summary = laptop.sync()
    assert (summary.pushed, summary.conflicts, summary.kept) == (1, 5, [KAINAN])
    # The server said the whole municipality is closed: one refusal, then the rest.
    assert len(pushes) == 2
    assert sorted(c.record_id for c in laptop.conflicts()) == sorted(visits)
    with server.database.transaction() as session:
        assert session.get(Record, mine) is not None


def test_a_restored_backups_edit_of_a_held_record_goes_up_within_the_grace(
    server: RunningServer, laptops: Any
) -> None:
    """The sync after a restore pulls before it pushes; that pull tells of the unassignment,
    and the backup's edit of a visit the laptop held still goes up, within the grace."""
    add_user(server.database, "tanaka", codes=(WAKAYAMA, KAINAN))
    laptop = laptops("tanaka", "tanaka-pc")
    visit = laptop.workspace.engagements.add(
        {"municipality": KAINAN, "date": "2026-10-01", "title": "海南市訪問"}
    )["id"]
    laptop.sync()
    laptop.workspace.engagements.update(visit, {"notes": "バックアップに残ったメモ"})
    backup = take_backup(laptop.workspace.store)
    with server.database.transaction() as session:
        admin.unassign(session, name="tanaka", codes=[KAINAN])
    restore_into(laptop.workspace.store, backup.path.name)
    requests: list[tuple[str, bytes]] = []
    laptop.engine._transport._client.event_hooks["request"].append(
        lambda request: requests.append((request.url.path.rsplit("/", 1)[-1], request.content))
    )
    summary = laptop.sync()
    assert laptop.conflicts() == []
    assert summary.evicted == [KAINAN] and summary.kept == []
    with server.database.transaction() as session:
        record = session.get(Record, visit)
        assert record is not None and record.fields["notes"] == "バックアップに残ったメモ"
    # Only the catch-up pull, before the push, says it comes after a restore: the sync's pull
    # after the push ends the grace.
    said = [(path, b'"after_restore"' in body) for path, body in requests if path != "login"]
    assert said == [("pull", True), ("push", False), ("pull", False)], said
    with server.database.transaction() as session:
        assert session.scalars(select(DeviceScope).where(DeviceScope.code == KAINAN)).all() == []
