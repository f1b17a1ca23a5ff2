"""Every write reaches the status bar: 「変更 N 件」 counts an interview note, a follow-up or an
article added in the window, as it counts an assessment (one change notice for every write)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from dxdesk.services.workspace import Workspace
from dxdesk.ui.main_window import MainWindow
from tests.gui.keys import select_municipality


def _pending_shown(window: MainWindow) -> int:
    found = re.search(r"変更 (\d+) 件", window.sync_state.text())
    assert found, window.sync_state.text()
    return int(found.group(1))


def _add_interview(window: MainWindow, qtbot: QtBot) -> None:
    editor = window.engagements.editor
    editor.tabs.setCurrentWidget(editor.interviews)
    editor.interviews.add()


def _add_follow_up(window: MainWindow, qtbot: QtBot) -> None:
    editor = window.engagements.editor
    editor.tabs.setCurrentWidget(editor.follow_ups)
    editor.follow_ups.add()


def _add_article(window: MainWindow, qtbot: QtBot) -> None:
    window.tabs.setCurrentWidget(window.knowledge.panel)
    window.knowledge.panel.new_article()


@pytest.mark.parametrize(
    "add",
    [_add_interview, _add_follow_up, _add_article],
    ids=["interview", "followup", "article"],
)
def test_adding_a_record_moves_the_count_of_changes_waiting(
    window: MainWindow, qtbot: QtBot, workspace: Workspace, add: Callable[[MainWindow, QtBot], None]
) -> None:
    visit = workspace.engagements.add({"municipality": "303046", "date": "2025-06-12"})
    window.refresh()
    select_municipality(window, qtbot, "303046")
    window.tabs.setCurrentWidget(window.engagements)
    window.engagements.select(visit["id"])
    qtbot.waitUntil(lambda: window.engagements.editor.record_id == visit["id"])
    window.runner.wait_idle()
    qtbot.waitUntil(lambda: _pending_shown(window) == workspace.store.pending_record_count())
    before = _pending_shown(window)

    add(window, qtbot)
    qtbot.waitUntil(lambda: workspace.store.pending_record_count() == before + 1)
    qtbot.waitUntil(lambda: _pending_shown(window) == before + 1)


def test_a_visit_added_reads_the_sync_state_once(
    window: MainWindow, qtbot: QtBot, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One change notice per write: the visit list's own signal refreshes the municipality list
    without reading the sync state a second time."""
    select_municipality(window, qtbot, "303046")
    window.tabs.setCurrentWidget(window.engagements)
    window.runner.wait_idle()
    qtbot.wait(0)  # what was queued before is delivered
    shown: list[object] = []
    show_state = window.sync.show_state

    def counted(state: object) -> None:
        shown.append(state)
        show_state(state)  # type: ignore[arg-type]

    monkeypatch.setattr(window.sync, "show_state", counted)
    with qtbot.waitSignal(window.overview_loaded):
        window.engagements.new_engagement()
    window.runner.wait_idle()
    qtbot.wait(0)
    assert len(shown) == 1
    assert _pending_shown(window) == workspace.store.pending_record_count()
