"""The consultation editor's calendar fields: 状態, 開始〜終了, 場所 and 国の制度, saved as typed,
an end before its start refused by its field, the scheme only for its type."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from dxdesk.services.workspace import Workspace
from dxdesk.ui.engagement_editor import EngagementEditor
from dxdesk.ui.main_window import MainWindow
from dxdesk.ui.runner import StoreRunner
from tests.gui.keys import select_municipality, type_text


@pytest.fixture
def editor(qtbot: QtBot, workspace: Workspace) -> Iterator[EngagementEditor]:
    runner = StoreRunner(collect=workspace.collect_changes)
    shown = EngagementEditor(workspace, runner)
    qtbot.addWidget(shown)
    shown.show()
    yield shown
    runner.wait_idle()
    runner.shutdown()


def _saved(editor: EngagementEditor, qtbot: QtBot) -> None:
    editor.flush()
    qtbot.waitUntil(lambda: editor.state_label.text() == "保存済み", timeout=3000)


def _choose(box: Any, code: str) -> None:
    box.setCurrentIndex(box.findData(code))  # as choosing it in the list does


def test_status_times_and_place_are_saved_and_an_end_first_is_refused(
    editor: EngagementEditor, qtbot: QtBot, workspace: Workspace
) -> None:
    record = workspace.engagements.add(
        {"municipality": "302015", "date": "2025-07-08", "type": "regular_consultation"}
    )
    editor.load(record)
    assert editor.status_choice.currentData() == "held"  # kept before the calendar: held
    _choose(editor.status_choice, "planned")
    type_text(editor.start_edit, "10:00")
    type_text(editor.end_edit, "9:30")
    editor.flush()
    qtbot.waitUntil(lambda: "未保存: 終了" in editor.state_label.text(), timeout=3000)
    stored = workspace.engagements.get(record["id"])
    # The other fields are saved all the same; the refused end stays on screen.
    assert (stored["status"], stored["start_time"], stored["end_time"]) == (
        "planned",
        "10:00",
        None,
    )
    assert editor.end_edit.text() == "9:30"

    editor.end_edit.clear()
    type_text(editor.end_edit, "１１：３０")  # full-width, as an input method types it
    type_text(editor.place_edit, "町役場 2階会議室")
    _saved(editor, qtbot)
    stored = workspace.engagements.get(record["id"])
    assert (stored["end_time"], stored["place"]) == ("11:30", "町役場 2階会議室")


def test_the_scheme_is_chosen_only_for_a_national_scheme_consultation(
    editor: EngagementEditor, qtbot: QtBot, workspace: Workspace
) -> None:
    record = workspace.engagements.add({"municipality": "302015", "date": "2025-07-08"})
    editor.load(record)
    assert not editor.scheme_box.isVisible()
    _choose(editor.type_box, "national_scheme")
    assert editor.scheme_box.isVisible() and editor.scheme_box.isEnabled()
    _choose(editor.scheme_box, "management_finance")
    _saved(editor, qtbot)
    stored = workspace.engagements.get(record["id"])
    assert (stored["type"], stored["scheme"]) == ("national_scheme", "management_finance")

    # Another type names no scheme: the choice goes with it, and the type is saved.
    _choose(editor.type_box, "visit")
    assert not editor.scheme_box.isVisible()
    _saved(editor, qtbot)
    stored = workspace.engagements.get(record["id"])
    assert (stored["type"], stored["scheme"]) == ("visit", None)

    # Chosen again while the record is open: the scheme comes back with it, and is saved.
    _choose(editor.type_box, "national_scheme")
    assert editor.scheme_box.currentData() == "management_finance"
    _saved(editor, qtbot)
    stored = workspace.engagements.get(record["id"])
    assert (stored["type"], stored["scheme"]) == ("national_scheme", "management_finance")

    # Another record opened: the scheme set aside in this one is forgotten.
    _choose(editor.type_box, "visit")
    _saved(editor, qtbot)
    other = workspace.engagements.add({"municipality": "302015", "date": "2025-07-09"})
    editor.load(other)
    _choose(editor.type_box, "national_scheme")
    assert editor.scheme_box.currentIndex() == 0
    editor.load(workspace.engagements.get(record["id"]))

    # Loading a consultation of that type shows its scheme.
    editor.load(
        workspace.engagements.update(
            record["id"], {"type": "national_scheme", "scheme": "informatization_advisor"}
        )
    )
    assert editor.scheme_box.isVisible()
    assert editor.scheme_box.currentData() == "informatization_advisor"


def test_the_four_tabs_fit_the_editor_at_the_default_size(
    window: MainWindow, qtbot: QtBot, workspace: Workspace
) -> None:
    workspace.engagements.add({"municipality": "302015", "date": "2025-07-08", "title": "定例"})
    window.refresh()
    select_municipality(window, qtbot, "302015")
    window.tabs.setCurrentWidget(window.engagements)
    window.engagements.view.selectRow(0)
    editor = window.engagements.editor
    qtbot.waitUntil(lambda: editor.record_id is not None)
    bar = editor.tabs.tabBar()
    names = [bar.tabText(index) for index in range(bar.count())]
    assert names == ["内容", "ヒアリング", "フォロー", "資料"]  # (no count while there is none)
    assert not bar.usesScrollButtons()
    # Whole, not elided: every tab as wide as its name asks, all within the bar.
    assert sum(bar.tabSizeHint(index).width() for index in range(bar.count())) <= bar.width()
