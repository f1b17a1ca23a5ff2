"""Long work keeps the window alive: a backup of a big store runs with progress and Cancel while
the event loop goes on turning (``python -m bench.ui_stall`` measures its longest pause)."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import insert

from dxdesk.domain.progress import Progress, no_progress
from dxdesk.models.backup_crypto import BackupKey
from dxdesk.models.backups import copy_with_files
from dxdesk.models.store import Store
from dxdesk.models.tables import EngagementRow
from dxdesk.services.workspace import Workspace
from dxdesk.ui.main_window import MainWindow
from tests.gui.backup_passphrase import give_backup_passphrase

ROWS = 12_000
DEADLOCK_GUARD_S = 120
NOTE = "庁内の業務フローを一緒に見直し、申請書の様式を棚卸しした。" * 60  # ~5 KB in UTF-8


def _fill(workspace: Workspace) -> None:
    """About 60 MB of engagements, written in bulk (the facades would take minutes)."""
    now = datetime.now(UTC)
    rows = [
        {
            "id": str(uuid.uuid4()),
            "municipality": "302015",
            "date": date(2025, 4, 1),
            "type": "visit",
            "mode": "in_person",
            "title": f"訪問 {n}",
            "municipal_attendees": [],
            "advisor_attendees": [],
            "themes": [],
            "summary": "",
            "notes": NOTE,
            "created_at": now,
            "updated_at": now,
            "updated_by": "test",
            "deleted": False,
        }
        for n in range(ROWS)
    ]
    with workspace.store.transaction() as session:
        session.execute(insert(EngagementRow), rows)


def test_backup_of_a_big_store_never_blocks_the_event_loop(
    window: MainWindow,
    qtbot: QtBot,
    workspace: Workspace,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Proved by order, not by a clock: halfway through the copy the worker waits until the
    window has shown that it is halfway. Only an event loop that turns while the copy runs can
    show it (the progress is an event posted to the UI thread), and the copy cannot end before.
    How long the loop pauses is measured by ``python -m bench.ui_stall``, not asserted here."""
    _fill(workspace)
    target = tmp_path / "copy.dxbackup"
    steps: list[int] = []  # permille, as the dialog showed them
    halfway_shown = threading.Event()
    waits: list[tuple[int, int, bool]] = []  # (pages done, pages in all, answered) at the wait

    def shown(permille: int) -> None:
        steps.append(permille)
        if permille >= 500:
            halfway_shown.set()

    real_copy = copy_with_files

    def copy_waiting_halfway(
        store: Store, to: Path, *, progress: Progress = no_progress, key: BackupKey | None = None
    ) -> Path:
        def progress_then_wait(done: int, total: int) -> None:
            progress(done, total)
            if to == target and not waits and 2 * done >= total:
                # A guard against a deadlock (the assertions below then fail), not a bound: a
                # turning event loop answers at its next turn.
                waits.append((done, total, halfway_shown.wait(DEADLOCK_GUARD_S)))

        return real_copy(store, to, progress=progress_then_wait, key=key)

    give_backup_passphrase(window, qtbot, workspace.store.data_dir)
    # The window's copy by hand (BackupActions.copy_by_hand) with a wait halfway.
    monkeypatch.setattr("dxdesk.ui.backup_actions.copy_with_files", copy_waiting_halfway)
    task = window.backup_to(target)
    task.progressed.connect(shown)
    with qtbot.waitSignal(task.finished, timeout=DEADLOCK_GUARD_S * 2_000):
        pass
    assert target.stat().st_size >= workspace.store.path.stat().st_size * 0.9
    assert NOTE.encode()[:60] not in target.read_bytes()  # encrypted
    # The window showed "halfway" while the copy, halfway, waited for it: the loop turned.
    assert len(waits) == 1
    done, total, answered = waits[0]
    assert answered, "the event loop did not turn while the copy ran"
    assert 0 < done < total
    # And the dialog moved forward step by step to the end, never back.
    assert len(steps) > 5 and steps == sorted(set(steps)) and steps[-1] == 1000


def test_cancel_stops_the_backup_and_leaves_no_file(
    window: MainWindow, qtbot: QtBot, workspace: Workspace, tmp_path: Path
) -> None:
    _fill(workspace)
    give_backup_passphrase(window, qtbot, workspace.store.data_dir)
    target = tmp_path / "copy.dxbackup"
    # Hold the worker, so the copy is surely queued and not yet done when Cancel is pressed.
    gate = threading.Event()
    window.runner.run(gate.wait)
    messages: list[str] = []  # every status message (another, e.g. the search index's, may follow)
    window.statusBar().messageChanged.connect(messages.append)
    task = window.backup_to(target)
    cancel_button = task.dialog.findChild(QPushButton)
    assert cancel_button is not None and cancel_button.text() == "中止"
    cancel_button.click()
    gate.set()
    with qtbot.waitSignal(task.cancelled, timeout=60_000):
        pass
    assert not target.exists()
    assert list(tmp_path.glob(".dxdesk-backup-*")) == []
    assert list(tmp_path.glob(".incoming-*")) == []  # the encrypted copy's temporary file
    assert "バックアップを中止しました" in messages
    # The app goes on working after a cancel.
    workspace.contacts.add({"municipality": "302015", "name": "森 誠"})
    window.refresh()
    qtbot.waitUntil(lambda: "変更 1 件" in window.sync_state.text())
