"""The sync part of the window against the real server over TLS: login, Ctrl+S with progress
and 中止, the status bar, a conflict made by a second laptop and settled in the dialog, the
notice when a municipality leaves the device, and (with a real keychain) a revoked token.

Most cases run without a keychain (the password is asked at each sync); one needs a real
Secret Service keychain (``scripts/with_keychain``) and skips without one unless
``DXDESK_REQUIRE_KEYCHAIN`` is set.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from dxdesk.domain.changes import Changes, Source
from dxdesk.domain.progress import Cancelled
from dxdesk.models import store_key
from dxdesk.server import admin
from dxdesk.services.workspace import Workspace, open_workspace
from dxdesk.sync import account, credentials
from dxdesk.sync.account import META_DEVICE, META_SERVER, META_USER
from dxdesk.sync.api_client import Offline, SyncApiClient
from dxdesk.sync.credentials import NO_KEYCHAIN_MESSAGE, keychain_available
from dxdesk.sync.engine import SyncEngine, SyncSummary
from dxdesk.ui.main_window import MainWindow
from dxdesk.ui.sync_conflicts import ConflictDialog
from dxdesk.ui.sync_task import SyncTask
from tests.conftest import STORE_PASSPHRASE
from tests.gui.keys import select_municipality, type_text
from tests.server.fixtures import PASSWORD, RunningServer, add_user

WAKAYAMA, KAINAN = "302015", "302023"
NOTES = "一 現状\n\n二 課題\n\n三 次回\n"
WAIT_MS = 60_000


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """One server on SQLite is enough here (the engine's own tests cover PostgreSQL)."""
    return f"sqlite:///{tmp_path / 'server.sqlite3'}"


# -- driving the window ------------------------------------------------------------------


def log_in(window: MainWindow, qtbot: QtBot, server: RunningServer, user: str) -> None:
    window.sync.login_action.trigger()
    dialog = window.sync.login_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.server_edit.setText(server.base_url)
    dialog.user_edit.setText(user)
    dialog.password_edit.setText(PASSWORD)
    dialog.ca_edit.setText(str(server.ca))
    QTest.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    assert dialog.password_edit.text() == ""  # the password is not kept in the dialog


def press_ctrl_s(window: MainWindow, qtbot: QtBot) -> None:
    """The shortcut, as typed: it reaches the window once a closed dialog gave focus back."""
    if not window.isActiveWindow():
        with qtbot.waitActive(window):
            window.activateWindow()
    QTest.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)


def give_password(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.waitUntil(
        lambda: window.sync.password_dialog is not None and window.sync.password_dialog.isVisible()
    )
    dialog = window.sync.password_dialog
    assert dialog is not None
    dialog.password_edit.setText(PASSWORD)
    QTest.mouseClick(dialog.sync_button, Qt.MouseButton.LeftButton)


def sync_with_password(window: MainWindow, qtbot: QtBot) -> SyncSummary:
    """Ctrl+S, then the password (no keychain), then wait for the sync to end."""
    with qtbot.waitSignal(window.sync.synced, timeout=WAIT_MS) as blocker:
        press_ctrl_s(window, qtbot)
        give_password(window, qtbot)
    summary = blocker.args[0]
    assert isinstance(summary, SyncSummary)
    return summary


def close_notice(window: MainWindow, qtbot: QtBot) -> str:
    qtbot.waitUntil(lambda: window.sync.notice is not None and window.sync.notice.isVisible())
    notice = window.sync.notice
    assert notice is not None
    text = notice.text()
    notice.accept()
    return text


class OtherLaptop:
    """A second device with its own store and engine, as in tests/e2e."""

    def __init__(self, server: RunningServer, folder: Path, user: str) -> None:
        with server.client() as client:
            answer = client.post(
                "/api/v1/login", json={"user": user, "password": PASSWORD, "device_name": user}
            )
        assert answer.status_code == 200, answer.text
        if not keychain_available():  # the store's key under its passphrase, as typed at start
            store_key.unlock(folder, STORE_PASSPHRASE)
        self.workspace = open_workspace(folder)
        self.workspace.store.clear_records()
        transport = SyncApiClient(server.client(), token=answer.json()["token"])
        self.engine = SyncEngine(self.workspace.store, transport)

    def sync(self) -> SyncSummary:
        return self.engine.sync()


@pytest.fixture
def other_laptops(server: RunningServer, tmp_path: Path) -> Iterator[Any]:
    opened: list[OtherLaptop] = []

    def make(user: str) -> OtherLaptop:
        laptop = OtherLaptop(server, tmp_path / f"laptop-{user}", user)
        opened.append(laptop)
        return laptop

    yield make
    for laptop in opened:
        laptop.workspace.close()


# -- the cases -----------------------------------------------------------------------------


def test_login_and_sync_with_progress_and_status(
    window: MainWindow,
    qtbot: QtBot,
    workspace: Workspace,
    server: RunningServer,
    other_laptops: Any,
    no_keychain: None,
) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    assert window.sync.status.target_label.text() == "同期先: 未設定"
    assert window.sync.status.last_sync_label.text() == "最終同期: なし"
    assert window.sync.sync_action.shortcut().toString() == "Ctrl+S"

    log_in(window, qtbot, server, "tanaka")
    host = server.base_url.removeprefix("https://")
    notice = close_notice(window, qtbot)
    assert notice.startswith(f"{host} に接続できました。"), notice  # the server is named
    assert NO_KEYCHAIN_MESSAGE in notice
    qtbot.waitUntil(lambda: window.sync.status.target_label.text() == f"tanaka @ {host}")

    workspace.engagements.add({"municipality": WAKAYAMA, "date": "2026-11-20", "title": "訪問"})
    window.refresh()
    qtbot.waitUntil(lambda: "変更 1 件" in window.sync_state.text())

    started: list[SyncTask] = []
    steps: list[int] = []

    def watch(task: SyncTask) -> None:
        started.append(task)
        task.progressed.connect(steps.append)

    window.sync.task_started.connect(watch)
    summary = sync_with_password(window, qtbot)
    assert summary.pushed == 1
    assert started[0].dialog is None  # closed when done; it was there for 中止
    assert steps, "the sync reported its progress"
    today = datetime.now().strftime("%Y-%m-%d")
    qtbot.waitUntil(lambda: window.sync_state.text() == "オンライン — 変更 0 件が送信待ち")
    assert window.sync.status.last_sync_label.text().startswith(f"最終同期: {today} ")
    assert window.sync.status.conflicts_button.text() == "競合なし"
    # Only the assigned municipality stays in the list.
    qtbot.waitUntil(lambda: window.municipalities.rowCount() == 1)

    # The visit is on the server: a coordinator's laptop receives it.
    add_user(server.database, "jimukyoku", role="coordinator")
    coordinator = other_laptops("jimukyoku")
    coordinator.sync()
    [visit] = coordinator.workspace.engagements.list_records(municipality=WAKAYAMA)
    assert visit["title"] == "訪問"


def test_cancel_stops_the_sync_and_keeps_the_edits(
    window: MainWindow,
    qtbot: QtBot,
    workspace: Workspace,
    server: RunningServer,
    no_keychain: None,
) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    log_in(window, qtbot, server, "tanaka")
    close_notice(window, qtbot)
    workspace.engagements.add({"municipality": WAKAYAMA, "date": "2026-11-20", "title": "訪問"})
    # Hold the network worker, so that 中止 is surely pressed before the sync begins.
    gate = threading.Event()
    window.sync.network.run(gate.wait)
    started: list[SyncTask] = []
    window.sync.task_started.connect(started.append)
    press_ctrl_s(window, qtbot)
    give_password(window, qtbot)
    qtbot.waitUntil(lambda: bool(started))
    dialog = started[0].dialog
    assert dialog is not None
    cancel_button = dialog.findChild(QPushButton)
    assert cancel_button is not None and cancel_button.text() == "中止"
    with qtbot.waitSignal(started[0].cancelled, timeout=WAIT_MS):
        cancel_button.click()
        gate.set()
    assert window.statusBar().currentMessage().startswith("同期を中止しました")
    assert workspace.store.pending_record_count() == 1
    qtbot.waitUntil(lambda: "変更 1 件" in window.sync_state.text())
    assert window.sync.task is None and window.sync.sync_action.isEnabled()


def test_offline_is_shown_and_nothing_is_lost(
    window: MainWindow, qtbot: QtBot, workspace: Workspace, no_keychain: None
) -> None:
    # A server that is not there (nothing listens on port 9 of this machine).
    workspace.store.set_meta(META_SERVER, "https://127.0.0.1:9")
    workspace.store.set_meta(META_USER, "tanaka")
    workspace.engagements.add({"municipality": WAKAYAMA, "date": "2026-11-20", "title": "訪問"})
    window.refresh()
    qtbot.waitUntil(lambda: window.sync.status.target_label.text() == "tanaka @ 127.0.0.1:9")
    press_ctrl_s(window, qtbot)
    give_password(window, qtbot)
    text = close_notice(window, qtbot)
    assert "サーバーに接続できません" in text and "端末内の変更はそのまま残っています" in text
    qtbot.waitUntil(lambda: window.sync_state.text() == "オフライン — 変更 1 件は端末内に保存済み")


def _row_of_field(dialog: ConflictDialog, field: str) -> int:
    for row in range(dialog.list.count()):
        dialog.list.setCurrentRow(row)
        if dialog.current is not None and dialog.current.field == field:
            return row
    raise AssertionError(f"no conflict on {field}")


def test_a_conflict_is_shown_with_both_names_and_settled_in_the_dialog(
    window: MainWindow,
    qtbot: QtBot,
    workspace: Workspace,
    server: RunningServer,
    other_laptops: Any,
    no_keychain: None,
) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    add_user(server.database, "suzuki", codes=(WAKAYAMA,))
    log_in(window, qtbot, server, "tanaka")
    close_notice(window, qtbot)
    visit = workspace.engagements.add(
        {"municipality": WAKAYAMA, "date": "2026-11-20", "title": "訪問", "notes": NOTES}
    )["id"]
    sync_with_password(window, qtbot)
    suzuki = other_laptops("suzuki")
    suzuki.sync()
    suzuki.workspace.engagements.update(
        visit, {"title": "鈴木の件名", "notes": NOTES.replace("二 課題", "二 課題：鈴木の追記")}
    )
    suzuki.sync()
    # The same fields, changed here meanwhile (as the editor saves them).
    workspace.engagements.update(
        visit, {"title": "田中の件名", "notes": NOTES.replace("二 課題", "二 課題：田中の追記")}
    )
    summary = sync_with_password(window, qtbot)
    assert summary.conflicts == 2
    status = window.sync.status
    qtbot.waitUntil(lambda: status.conflicts_button.text() == "競合 2 件")
    assert status.conflicts_button.isEnabled()

    QTest.mouseClick(status.conflicts_button, Qt.MouseButton.LeftButton)
    dialog = window.sync.conflict_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.list.count() == 2)

    _row_of_field(dialog, "title")
    assert "相談記録「" in dialog.heading.text() and "「件名」" in dialog.heading.text()
    assert "suzuki さん" in dialog.theirs_title.text()
    assert "tanaka" in dialog.mine_title.text()
    assert (dialog.base_view.toPlainText(), dialog.theirs_view.toPlainText()) == (
        "訪問",
        "鈴木の件名",
    )
    assert dialog.mine_view.toPlainText() == "田中の件名"
    assert not dialog.merged_box.isVisibleTo(dialog)  # a short text has no merged proposal
    assert dialog.theirs_button.text() == "相手の値にする"
    told: list[Changes] = []
    window.runner.changed.connect(told.append)
    QTest.mouseClick(dialog.theirs_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.list.count() == 1)
    # The choice's own write, itemised, is the settled conflict's notice.
    settled = [c for c in told if c.source is Source.CONFLICT]
    assert settled and settled[0].kinds >= {"visit"} and settled[0].municipalities == {WAKAYAMA}

    assert dialog.current is not None and dialog.current.field == "notes"
    assert dialog.merged_box.isVisibleTo(dialog)
    proposal = dialog.merged_edit.toPlainText()
    assert "【suzuki さん の版】\n二 課題：鈴木の追記\n" in proposal
    assert "【自分（tanaka） の版】\n二 課題：田中の追記\n" in proposal
    assert proposal.startswith("一 現状\n\n") and proposal.endswith("三 次回\n")
    merged = NOTES.replace("二 課題", "二 課題：鈴木と田中の追記")
    dialog.merged_edit.setPlainText(merged)
    QTest.mouseClick(dialog.keep_merged_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.list.count() == 0)
    assert dialog.heading.text() == "未解決の競合はありません"
    qtbot.waitUntil(lambda: status.conflicts_button.text() == "競合なし")
    # The editor shows what was chosen, not what it showed before the sync.
    qtbot.waitUntil(lambda: window.engagements.editor.title_edit.text() == "鈴木の件名")
    assert window.engagements.editor.notes_edit.toPlainText() == merged

    dialog.close()
    assert sync_with_password(window, qtbot).pushed == 1
    suzuki.sync()
    record = suzuki.workspace.engagements.get(visit)
    assert (record["title"], record["notes"]) == ("鈴木の件名", merged)


def test_a_municipality_taken_off_the_device_is_named_in_a_notice(
    window: MainWindow,
    qtbot: QtBot,
    workspace: Workspace,
    server: RunningServer,
    other_laptops: Any,
    no_keychain: None,
) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA, KAINAN))
    log_in(window, qtbot, server, "tanaka")
    close_notice(window, qtbot)
    sync_with_password(window, qtbot)
    qtbot.waitUntil(lambda: window.municipalities.rowCount() == 2)
    visit = workspace.engagements.add(
        {"municipality": KAINAN, "date": "2026-10-01", "title": "海南市訪問"}
    )["id"]
    sync_with_password(window, qtbot)
    # An edit of what the laptop holds, made offline; then the assignment goes before the next
    # sync. (A new record there would be refused: the grace lets only held records change.)
    workspace.engagements.update(visit, {"notes": "外れる前のメモ"})
    with server.database.transaction() as session:
        admin.unassign(session, name="tanaka", codes=[KAINAN])
    summary = sync_with_password(window, qtbot)
    assert summary.evicted == [KAINAN]
    text = close_notice(window, qtbot)
    assert "担当から外れたため" in text and "海南市" in text
    assert "削除の前にすべてサーバーへ送りました" in text
    qtbot.waitUntil(lambda: window.municipalities.rowCount() == 1)
    assert workspace.engagements.list_records(municipality=KAINAN) == []
    # The edit went to the server before the municipality left the device.
    add_user(server.database, "suzuki", codes=(KAINAN,))
    suzuki = other_laptops("suzuki")
    suzuki.sync()
    assert suzuki.workspace.engagements.get(visit)["notes"] == "外れる前のメモ"


def test_kept_municipalities_are_explained(window: MainWindow) -> None:
    from dxdesk.ui.sync_controller import SyncOutcome

    outcome = SyncOutcome(SyncSummary(kept=[KAINAN]), {KAINAN: "海南市"})
    text = window.sync.eviction_text(outcome)
    assert "海南市" in text and "まだ送れていない変更" in text and "端末に残しています" in text


def test_background_sync_is_off_by_default_and_a_setting(
    window: MainWindow, tmp_path: Path, no_keychain: None
) -> None:
    assert not window.sync.auto_action.isChecked()
    assert not window.sync.timer.isActive()
    window.sync.auto_action.setChecked(True)
    assert window.sync.timer.isActive()
    window.sync.tick()  # nothing to sync with: no server set, no keychain
    assert not window.sync.busy


def test_with_a_keychain_a_revoked_token_asks_for_login_and_the_edits_stay(
    window: MainWindow,
    qtbot: QtBot,
    workspace: Workspace,
    server: RunningServer,
    real_keychain: None,
) -> None:
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    log_in(window, qtbot, server, "tanaka")
    assert window.sync.notice is None  # the token is in the keychain: nothing to say
    try:
        # No password asked: the token is used.
        with qtbot.waitSignal(window.sync.synced, timeout=WAIT_MS):
            press_ctrl_s(window, qtbot)
        assert window.sync.password_dialog is None

        # The background sync runs without a dialog.
        window.sync.auto_action.setChecked(True)
        started: list[SyncTask] = []
        window.sync.task_started.connect(started.append)
        with qtbot.waitSignal(window.sync.synced, timeout=WAIT_MS):
            window.sync.tick()
        assert started and started[0].dialog is None
        window.sync.auto_action.setChecked(False)

        device = workspace.store.meta(META_DEVICE)
        assert device
        with server.database.transaction() as session:
            admin.revoke_device(session, device_id=device)
        workspace.engagements.add({"municipality": WAKAYAMA, "date": "2026-11-20"})
        press_ctrl_s(window, qtbot)
        qtbot.waitUntil(
            lambda: window.sync.login_dialog is not None and window.sync.login_dialog.isVisible(),
            timeout=WAIT_MS,
        )
        dialog = window.sync.login_dialog
        assert dialog is not None
        assert "取り消されています" in dialog.message_label.text()
        assert "端末内の変更はそのまま残っています" in dialog.message_label.text()
        assert dialog.user_edit.text() == "tanaka" and dialog.server_edit.text() == server.base_url
        assert workspace.store.pending_record_count() == 1
        # Logging in again syncs what waited.
        dialog.password_edit.setText(PASSWORD)
        with qtbot.waitSignal(window.sync.synced, timeout=WAIT_MS):
            QTest.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.sync_state.text() == "オンライン — 変更 0 件が送信待ち")
    finally:
        window.sync.logout_action.trigger()
        qtbot.waitUntil(
            lambda: window.statusBar().currentMessage() == "ログアウトしました", timeout=WAIT_MS
        )
    assert credentials.load_token(server.base_url, "tanaka") is None


def test_after_a_sync_the_open_record_is_fresh_unless_someone_is_typing_in_it(
    window: MainWindow, qtbot: QtBot, workspace: Workspace
) -> None:
    visit = workspace.engagements.add(
        {"municipality": WAKAYAMA, "date": "2026-11-20", "title": "訪問"}
    )["id"]
    select_municipality(window, qtbot, WAKAYAMA)
    window.engagements.select(visit)
    editor = window.engagements.editor
    qtbot.waitUntil(lambda: editor.record_id == visit)
    # Typing in the notes when a (background) sync brings a change to the title.
    a_visit_synced = Changes(
        kinds=frozenset({"visit"}), municipalities=frozenset({WAKAYAMA}), source=Source.SYNC
    )
    type_text(editor.notes_edit, "入力中のメモ")
    workspace.engagements.update(visit, {"title": "同期で届いた件名"})
    window.runner.announce(a_visit_synced)
    window.runner.wait_idle()
    qtbot.wait(50)
    assert editor.notes_edit.hasFocus()
    assert editor.notes_edit.toPlainText() == "入力中のメモ"
    assert editor.notes_edit.textCursor().position() == len("入力中のメモ")
    assert editor.title_edit.text() == "訪問"  # the form was left alone
    qtbot.waitUntil(lambda: workspace.engagements.get(visit)["notes"] == "入力中のメモ")
    # Not typing: the record is loaded again and shows what the sync brought.
    window.filter_edit.setFocus()
    window.runner.announce(a_visit_synced)
    qtbot.waitUntil(lambda: editor.title_edit.text() == "同期で届いた件名")
    assert editor.record_id == visit and editor.notes_edit.toPlainText() == "入力中のメモ"


# -- what a sync stored is told as a sync, once it ends ---------------------------------------


def _a_colleague_adds_an_assessment(server: RunningServer, other_laptops: Any) -> None:
    add_user(server.database, "suzuki", codes=(WAKAYAMA,))
    colleague = other_laptops("suzuki")
    colleague.workspace.assessments.add({"municipality": WAKAYAMA, "fiscal_year": 2025})
    colleague.sync()


def test_a_sync_is_told_as_a_sync_and_an_edit_meanwhile_as_an_edit(
    window: MainWindow,
    qtbot: QtBot,
    workspace: Workspace,
    server: RunningServer,
    other_laptops: Any,
    no_keychain: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The sync commits its pages on the network worker; a save the window makes meanwhile on
    the store worker is told as an edit of that visit alone, and what the sync brought is told
    as a sync when it ends (an edit notice is what an open form ignores)."""
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    log_in(window, qtbot, server, "tanaka")
    close_notice(window, qtbot)
    _a_colleague_adds_an_assessment(server, other_laptops)
    visit = workspace.engagements.add({"municipality": WAKAYAMA, "date": "2026-11-20"})
    stored, go_on = threading.Event(), threading.Event()
    real_sync = account.run_sync

    def sync_then_wait(*args: Any, **kwargs: Any) -> SyncSummary:
        summary = real_sync(*args, **kwargs)
        stored.set()  # the pulled page is committed
        go_on.wait(WAIT_MS / 1000)
        return summary

    monkeypatch.setattr(account, "run_sync", sync_then_wait)
    told: list[Changes] = []
    window.runner.changed.connect(told.append)
    with qtbot.waitSignal(window.sync.synced, timeout=WAIT_MS):
        press_ctrl_s(window, qtbot)
        give_password(window, qtbot)
        qtbot.waitUntil(stored.is_set, timeout=WAIT_MS)
        window.runner.run(lambda: workspace.engagements.update(visit["id"], {"notes": "メモ"}))
        qtbot.waitUntil(lambda: any(c.source is Source.EDIT for c in told))
        go_on.set()
    edits = [c for c in told if c.source is Source.EDIT]
    assert edits and all(c.kinds == {"visit"} for c in edits), edits
    [synced] = [c for c in told if c.source is Source.SYNC]
    assert "assessment" in synced.kinds and synced.concerns(WAKAYAMA)
    assert synced.rewrote


@pytest.mark.parametrize("stop", [Cancelled(), Offline("接続が切れました")])
def test_a_sync_that_stops_after_storing_a_page_tells_what_it_stored(
    window: MainWindow,
    qtbot: QtBot,
    server: RunningServer,
    other_laptops: Any,
    no_keychain: None,
    monkeypatch: pytest.MonkeyPatch,
    stop: Exception,
) -> None:
    """中止 or a failure after a page was committed: 受け取った分は保存済み, and told."""
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    log_in(window, qtbot, server, "tanaka")
    close_notice(window, qtbot)
    _a_colleague_adds_an_assessment(server, other_laptops)
    real_sync = account.run_sync

    def sync_then_stop(*args: Any, **kwargs: Any) -> SyncSummary:
        real_sync(*args, **kwargs)
        raise stop

    monkeypatch.setattr(account, "run_sync", sync_then_stop)
    told: list[Changes] = []
    window.runner.changed.connect(told.append)
    started: list[SyncTask] = []
    window.sync.task_started.connect(started.append)
    press_ctrl_s(window, qtbot)
    give_password(window, qtbot)
    qtbot.waitUntil(lambda: bool(started) and window.sync.task is None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: any(c.source is Source.SYNC for c in told))
    [synced] = [c for c in told if c.source is Source.SYNC]
    assert "assessment" in synced.kinds and synced.concerns(WAKAYAMA)
    assert not any("assessment" in c.kinds for c in told if c.source is Source.EDIT)
    if not isinstance(stop, Cancelled):
        assert "接続が切れました" in close_notice(window, qtbot)
