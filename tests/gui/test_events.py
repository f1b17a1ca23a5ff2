"""合同の場 in the window: recording a group event with who came and how many, its follow-ups,
refusals by the field, deleting and undoing, and the event in each participant's history."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMenu, QMessageBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from dxdesk.services.workspace import Workspace
from dxdesk.ui.attendance_table import PEOPLE_COLUMN, AttendanceTable
from dxdesk.ui.choice_box import NumberBox
from dxdesk.ui.engagements_panel import EVENT_MARK
from dxdesk.ui.main_window import MainWindow
from dxdesk.ui.plan_consultations_dialog import PlanConsultationsDialog
from dxdesk.ui.record_status import LATE_COLOUR, PLANNED_COLOUR
from dxdesk.ui.table_model import ID_ROLE, RECORD_ROLE
from tests.gui.keys import select_municipality, type_text

WAKAYAMA, KAINAN, KIMINO = "302015", "302023", "303046"  # the three of 海草
GOBO, HIDAKAGAWA, MINABE = "302058", "303925", "303917"  # three of 日高


def test_for_municipality_lists_the_events_it_takes_part_in_newest_first(
    workspace: Workspace,
) -> None:
    older = workspace.events.add(
        {"date": "2025-06-01", "title": "地域別", "participants": [WAKAYAMA]}
    )
    newer = workspace.events.add(
        {"date": "2025-09-01", "title": "テーマ別", "attendance": {WAKAYAMA: 2, KAINAN: 1}}
    )
    gone = workspace.events.add({"date": "2025-10-01", "title": "中止", "participants": [KAINAN]})
    workspace.events.delete(gone["id"])
    assert [e["id"] for e in workspace.events.for_municipality(WAKAYAMA)] == [
        newer["id"],
        older["id"],
    ]
    assert [e["id"] for e in workspace.events.for_municipality(KAINAN)] == [newer["id"]]
    assert workspace.events.for_municipality(GOBO) == []
    taken = workspace.follow_ups.add(
        {"event": newer["id"], "municipality": KAINAN, "description": "資料を送る"}
    )
    assert [f["id"] for f in workspace.events.follow_ups(newer["id"])] == [taken["id"]]
    assert workspace.events.follow_ups(older["id"]) == []


def _people(table: AttendanceTable, code: str, people: int) -> None:
    """Type a number of people as a person does (the row takes part from then on)."""
    box = table.table.cellWidget(table.row_of(code), PEOPLE_COLUMN)
    assert isinstance(box, NumberBox)
    box.setValue(people)


def _answer_yes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    asked: list[str] = []

    def question(_parent: object, _title: str, text: str, *_args: object) -> object:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def _new_event(window: MainWindow, qtbot: QtBot) -> str:
    panel = window.events
    window.tabs.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: panel._read_once)
    QTest.mouseClick(panel.new_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.editor.record_id is not None)
    return panel.editor.record_id or ""


def test_a_regional_consultation_with_six_municipalities_and_fourteen_people(
    window: MainWindow,
    qtbot: QtBot,
    workspace: Workspace,
    monkeypatch: pytest.MonkeyPatch,
    qtmodeltester: ModelTester,
) -> None:
    assert window.tabs.tabText(window.tabs.indexOf(window.events)) == "合同の場"
    assert window.tabs.indexOf(window.events) == window.tabs.indexOf(window.follow_ups) + 1
    event_id = _new_event(window, qtbot)
    editor = window.events.editor
    editor.title_edit.selectAll()
    type_text(editor.title_edit, "地域別よろず相談（海草・日高）")
    editor.status_box.setCurrentIndex(editor.status_box.findData("held"))
    type_text(editor.start_edit, "13:30")
    type_text(editor.end_edit, "16:00")
    editor.region_box.setCurrentIndex(editor.region_box.findData("海草"))
    editor.themes.boxes["窓口BPR・庁内BPR"].setChecked(True)
    editor.tabs.setCurrentWidget(editor.attendance)
    table = editor.attendance
    QTest.mouseClick(table.region_button, Qt.MouseButton.LeftButton)  # 海草's three
    for code, people in ((WAKAYAMA, 4), (KAINAN, 2), (KIMINO, 1)):
        _people(table, code, people)
    for code, people in ((GOBO, 3), (HIDAKAGAWA, 2), (MINABE, 2)):
        _people(table, code, people)  # not ticked: typing people ticks them
    assert table.summary_label.text() == "参加 6 市町村・14 名"
    assert editor.tabs.tabText(1) == "参加（6）"
    qtbot.waitUntil(lambda: editor.state_label.text() == "保存済み", timeout=3000)

    stored = workspace.events.get(event_id)
    assert sorted(stored["participants"]) == sorted(
        [WAKAYAMA, KAINAN, KIMINO, GOBO, HIDAKAGAWA, MINABE]
    )
    assert sum(stored["attendance"].values()) == 14
    assert (stored["title"], stored["status"], stored["region"]) == (
        "地域別よろず相談（海草・日高）",
        "held",
        "海草",
    )
    assert (stored["start_time"], stored["end_time"]) == ("13:30", "16:00")
    assert stored["themes"] == ["窓口BPR・庁内BPR"]
    panel = window.events
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    cells = ("date", "status", "participants", "people")
    row = {c: panel.model.index(0, panel.model.column_of(c)).data() for c in cells}
    assert row == {
        "date": f"{date.today().isoformat()} 13:30",
        "status": "",  # held is the rule: only 予定, 中止 and 期限超過 are spelled out
        "participants": "6",
        "people": "14",
    }
    qtmodeltester.check(panel.model)

    # A follow-up of the event, for one of the participants.
    editor.tabs.setCurrentWidget(editor.follow_ups)
    QTest.mouseClick(editor.follow_ups.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.follow_ups.form.record_id is not None)
    editor.follow_ups.municipality_box.setCurrentIndex(
        editor.follow_ups.municipality_box.findData(GOBO)
    )
    type_text(editor.follow_ups.description_edit, "事例資料を送る")
    qtbot.waitUntil(lambda: editor.follow_ups.form.state_label.text() == "保存済み", timeout=3000)
    [follow_up] = workspace.events.follow_ups(event_id)
    assert (follow_up["municipality"], follow_up["description"]) == (GOBO, "事例資料を送る")

    # The event in a participant's history (beside a consultation of its own), opened in its
    # own tab from there.
    visit = workspace.engagements.add(
        {"municipality": GOBO, "date": "2025-05-01", "title": "DX計画の相談"}
    )
    select_municipality(window, qtbot, GOBO)
    window.tabs.setCurrentWidget(window.engagements)
    history = window.engagements
    qtbot.waitUntil(lambda: history.model.rowCount() == 2)
    event_row = history.model.row_of(event_id)
    assert history.model.index(event_row, history.model.column_of("type")).data() == "合同の場"
    # Held is the rule in a history: the cell is blank, and the event's pane says it in full.
    assert history.model.index(event_row, history.model.column_of("status")).data() == ""
    history.view.selectRow(history.model.row_of(visit["id"]))
    assert history.editor.record_id == visit["id"]
    history.view.selectRow(event_row)
    assert history.editor.record_id is None  # an event is not edited as a visit
    assert "状態: 実施　参加 6 市町村・14 名" in history.event_label.text()
    assert "（地域別よろず相談）" in history.event_label.text()
    editor.load(None)  # the 合同の場 tab shows nothing until the event is opened from here
    QTest.mouseClick(history.event_button, Qt.MouseButton.LeftButton)
    assert window.tabs.currentWidget() is window.events
    assert editor.record_id == event_id

    # Deleted with its follow-up, and back with Ctrl+Z.
    asked = _answer_yes(monkeypatch)
    editor.tabs.setCurrentIndex(0)
    QTest.mouseClick(panel.delete_button, Qt.MouseButton.LeftButton)
    assert "フォローアップと資料ごと削除" in asked[0]
    qtbot.waitUntil(lambda: workspace.events.list_records() == [])
    assert workspace.events.follow_ups(event_id) == []
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0)
    qtbot.waitUntil(lambda: history.model.rowCount() == 1)  # the history hears it
    window.undo.action.trigger()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    assert len(workspace.events.follow_ups(event_id)) == 1
    qtbot.waitUntil(lambda: history.model.rowCount() == 2)  # and the undo


def test_refusals_stay_by_their_fields_and_planned_rows_stand_out(
    window: MainWindow, qtbot: QtBot, workspace: Workspace
) -> None:
    event_id = _new_event(window, qtbot)
    editor = window.events.editor
    type_text(editor.start_edit, "14:00")
    type_text(editor.end_edit, "13:00")
    type_text(editor.place_edit, "県庁")
    qtbot.waitUntil(lambda: "未保存" in editor.state_label.text(), timeout=3000)
    assert "終了" in editor.state_label.text()
    assert editor.end_edit.text() == "13:00"  # what was typed stays on screen
    qtbot.waitUntil(lambda: workspace.events.get(event_id)["place"] == "県庁")
    assert workspace.events.get(event_id)["end_time"] is None
    editor.end_edit.selectAll()
    type_text(editor.end_edit, "15:30")
    qtbot.waitUntil(lambda: editor.state_label.text() == "保存済み", timeout=3000)
    assert workspace.events.get(event_id)["end_time"] == "15:30"

    # A follow-up needs a participant first: said, nothing written.
    editor.tabs.setCurrentWidget(editor.follow_ups)
    QTest.mouseClick(editor.follow_ups.add_button, Qt.MouseButton.LeftButton)
    assert "参加市町村" in editor.follow_ups.hint.text()
    window.runner.wait_idle()
    assert workspace.events.follow_ups(event_id) == []

    # The municipality list: the next planned consultation, and who is overdue.
    today = date.today()
    workspace.cadences.add({"municipality": KAINAN, "months": 1})
    late = (today - timedelta(days=3)).isoformat()
    workspace.engagements.add(
        {
            "municipality": KAINAN,
            "date": late,
            "type": "regular_consultation",
            "title": "定例よろず相談",
            "status": "planned",
        }
    )
    window.refresh()
    municipalities = window.municipalities
    column = municipalities.column_of("next_planned")

    def kainan_cell() -> str:
        index = municipalities.index(municipalities.row_of(KAINAN), column)
        return str(index.data() or "")

    qtbot.waitUntil(lambda: "期限超過" in kainan_cell())
    index = municipalities.index(municipalities.row_of(KAINAN), column)
    assert index.data(Qt.ItemDataRole.BackgroundRole).color() == LATE_COLOUR
    wakayama = municipalities.index(municipalities.row_of(WAKAYAMA), column)
    assert "期限超過" not in str(wakayama.data() or "")  # no cadence: never overdue

    # The late one in the history, and a planned event there too.
    workspace.events.add(
        {
            "date": (today + timedelta(days=30)).isoformat(),
            "title": "テーマ別よろず相談",
            "status": "planned",
            "participants": [KAINAN],
        }
    )
    select_municipality(window, qtbot, KAINAN)
    history = window.engagements.model
    qtbot.waitUntil(lambda: history.rowCount() == 2)
    rows = [history.index(r, 0).data(RECORD_ROLE) for r in range(2)]
    status = history.column_of("status")
    for row, record in enumerate(rows):
        cell = history.index(row, status)
        if record.get(EVENT_MARK):
            assert cell.data() == "予定"
            assert cell.data(Qt.ItemDataRole.BackgroundRole).color() == PLANNED_COLOUR
        else:
            assert cell.data() == "期限超過"
            assert cell.data(Qt.ItemDataRole.BackgroundRole).color() == LATE_COLOUR
            assert history.index(row, 0).data(ID_ROLE) == record["id"]


def test_the_file_menu_opens_the_planning_of_regular_consultations(
    window: MainWindow, qtbot: QtBot
) -> None:
    file_menu = window.menuBar().actions()[0].menu()
    assert isinstance(file_menu, QMenu)
    [plan] = [a for a in file_menu.actions() if a.text() == "定例よろず相談を予定する(&N)…"]
    plan.trigger()
    qtbot.waitUntil(lambda: window.findChild(PlanConsultationsDialog) is not None)
    dialog = window.findChild(PlanConsultationsDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 30)  # the assigned municipalities
    dialog.reject()
