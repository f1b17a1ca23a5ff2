"""合同の場 while the person works in it: the open event stays open when a save takes it out of
the filters, the legacy 定例よろず相談 is no group-session type to choose, a follow-up keeps its
municipality's name when the municipality is taken off the participants (and the 参加 tab says
so), and the history reads the events again only for what it shows."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from dxdesk.services.workspace import Workspace
from dxdesk.ui.attendance_table import NAME_COLUMN
from dxdesk.ui.event_format import LEGACY_EVENT_TYPE
from dxdesk.ui.events_panel import EventsPanel
from dxdesk.ui.main_window import MainWindow
from dxdesk.ui.record_status import status_text
from dxdesk.ui.table_model import ID_ROLE
from tests.gui.keys import select_municipality, type_text

KAINAN, GOBO = "302023", "302058"


def _open_events(window: MainWindow, qtbot: QtBot) -> EventsPanel:
    panel = window.events
    window.tabs.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: panel._read_once)
    return panel


def _choose(panel: EventsPanel, event_id: str) -> None:
    panel.view.selectRow(panel.model.row_of(event_id))
    assert panel.editor.record_id == event_id


def _chosen_id(panel: EventsPanel) -> Any:
    rows = panel.view.selectionModel().selectedRows()
    return rows[0].data(ID_ROLE) if rows else None


def test_a_save_that_takes_the_open_event_out_of_the_filters_keeps_it_open(
    window: MainWindow, qtbot: QtBot, workspace: Workspace
) -> None:
    today = date.today().isoformat()
    mine = workspace.events.add({"date": today, "title": "地域別", "status": "planned"})
    other = workspace.events.add({"date": today, "title": "テーマ別", "status": "planned"})
    panel = _open_events(window, qtbot)
    panel.status_box.setCurrentIndex(panel.status_box.findData("planned"))
    _choose(panel, mine["id"])
    editor = panel.editor
    editor.status_box.setCurrentIndex(editor.status_box.findData("held"))
    qtbot.waitUntil(lambda: workspace.events.get(mine["id"])["status"] == "held")
    qtbot.waitUntil(lambda: editor.state_label.text() == "保存済み", timeout=3000)
    # Still the event being written, listed and chosen though it no longer passes 予定.
    assert editor.record_id == mine["id"]
    assert _chosen_id(panel) == mine["id"]
    type_text(editor.place_edit, "県庁")
    qtbot.waitUntil(lambda: workspace.events.get(mine["id"])["place"] == "県庁")
    assert workspace.events.get(other["id"])["place"] == ""
    # Choosing a filter is the person's move: then the list is what the filter passes.
    panel.status_box.setCurrentIndex(0)
    panel.status_box.setCurrentIndex(panel.status_box.findData("planned"))
    assert [panel.model.index(r, 0).data(ID_ROLE) for r in range(panel.model.rowCount())] == [
        other["id"]
    ]


def test_the_legacy_regular_consultation_is_offered_only_where_an_event_has_it(
    window: MainWindow, qtbot: QtBot, workspace: Workspace
) -> None:
    today = date.today().isoformat()
    new = workspace.events.add({"date": today, "title": "合同研修", "type": "joint_training"})
    panel = _open_events(window, qtbot)
    editor = panel.editor
    _choose(panel, new["id"])
    assert panel.type_box.findData(LEGACY_EVENT_TYPE) < 0
    assert editor.type_box.findData(LEGACY_EVENT_TYPE) < 0
    assert editor.type_box.currentData() == "joint_training"

    old = workspace.events.add({"date": today, "title": "昔の記録", "type": LEGACY_EVENT_TYPE})
    panel.reload()
    qtbot.waitUntil(lambda: panel.model.row_of(old["id"]) >= 0)
    assert panel.type_box.findData(LEGACY_EVENT_TYPE) > 0  # (after すべての種別)
    _choose(panel, old["id"])
    assert editor.type_box.currentData() == LEGACY_EVENT_TYPE  # shown, and kept on a save
    _choose(panel, new["id"])
    assert editor.type_box.findData(LEGACY_EVENT_TYPE) < 0


def test_a_participant_with_follow_ups_stays_and_the_history_reads_only_what_it_shows(
    window: MainWindow, qtbot: QtBot, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = workspace.events.add(
        {"date": date.today().isoformat(), "title": "地域別", "participants": [KAINAN, GOBO]}
    )
    workspace.follow_ups.add(
        {"event": event["id"], "municipality": GOBO, "description": "事例資料を送る"}
    )
    gobo = workspace.municipalities.get(GOBO)["name"]
    select_municipality(window, qtbot, KAINAN)  # its history holds the event
    reads: list[str] = []
    for_municipality = workspace.events.for_municipality

    def counted(code: str) -> list[dict[str, Any]]:
        reads.append(code)
        return for_municipality(code)

    monkeypatch.setattr(workspace.events, "for_municipality", counted)
    panel = _open_events(window, qtbot)
    editor = panel.editor
    _choose(panel, event["id"])
    follow_ups = editor.follow_ups
    qtbot.waitUntil(lambda: follow_ups.model.rowCount() == 1)
    assert editor.attendance.warning_label.isHidden()

    # The summary is not in the history: typing it reads nothing there.
    type_text(editor.summary_edit, "事例紹介と意見交換")
    qtbot.waitUntil(lambda: workspace.events.get(event["id"])["summary"] != "", timeout=3000)
    qtbot.waitUntil(lambda: editor.state_label.text() == "保存済み", timeout=3000)
    window.runner.wait_idle()
    assert reads == []

    # 御坊市 taken off the participants: said in the 参加 tab, the store refuses it while the
    # follow-up is there (nothing is left orphaned), and the follow-up keeps its name.
    table = editor.attendance
    gobo_item = table.table.item(table.row_of(GOBO), NAME_COLUMN)
    assert gobo_item is not None
    gobo_item.setCheckState(Qt.CheckState.Unchecked)
    assert not table.warning_label.isHidden()
    assert gobo in table.warning_label.text()
    assert "フォローアップ" in table.warning_label.text()
    assert follow_ups.municipality_box.currentText() == gobo
    qtbot.waitUntil(lambda: editor.state_label.text().startswith("未保存"), timeout=3000)
    assert gobo in editor.state_label.text()
    assert sorted(workspace.events.get(event["id"])["participants"]) == sorted([KAINAN, GOBO])
    window.runner.wait_idle()
    assert reads == []  # nothing written: the history is not read again
    # Back among the participants: the warning goes and the form is saved again.
    gobo_item = table.table.item(table.row_of(GOBO), NAME_COLUMN)
    assert gobo_item is not None
    gobo_item.setCheckState(Qt.CheckState.Checked)
    assert table.warning_label.isHidden()
    qtbot.waitUntil(lambda: editor.state_label.text() == "保存済み", timeout=3000)


def test_a_status_reads_in_full_in_a_records_pane() -> None:
    today = date(2026, 1, 10)
    assert status_text({"status": "held", "date": "2026-01-01"}, today) == "実施"
    assert status_text({"date": "2026-01-01"}, today) == "実施"  # kept before the calendar
    assert status_text({"status": "planned", "date": "2026-01-20"}, today) == "予定"
    assert status_text({"status": "planned", "date": "2026-01-09"}, today) == "予定（期限超過）"
    assert status_text({"status": "cancelled", "date": "2026-01-09"}, today) == "中止"
