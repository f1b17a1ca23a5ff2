"""Recording a visit through the window: the engagement, its interview notes and follow-ups,
deleting with confirmation and undoing the last deletion."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from dxdesk.services.workspace import Workspace
from dxdesk.ui.main_window import MainWindow
from tests.gui.keys import select_municipality, type_text


def _open_new_engagement(window: MainWindow, qtbot: QtBot, code: str) -> str:
    select_municipality(window, qtbot, code)
    window.tabs.setCurrentWidget(window.engagements)
    QTest.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = window.engagements.editor
    qtbot.waitUntil(lambda: editor.record_id is not None)
    return editor.record_id or ""


def _answer(monkeypatch: pytest.MonkeyPatch, button: QMessageBox.StandardButton) -> list[str]:
    asked: list[str] = []

    def question(_parent: object, _title: str, text: str, *_args: object) -> object:
        asked.append(text)
        return button

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def test_interview_note_and_follow_up_are_recorded_through_the_editor(
    window: MainWindow, qtbot: QtBot, workspace: Workspace, qtmodeltester: ModelTester
) -> None:
    engagement = _open_new_engagement(window, qtbot, "303046")
    editor = window.engagements.editor

    editor.tabs.setCurrentWidget(editor.interviews)
    QTest.mouseClick(editor.interviews.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.interviews.form.record_id is not None)
    assert editor.tabs.tabText(1) == "ヒアリング（1）"
    editor.interviewee_edit.selectAll()
    type_text(editor.interviewee_edit, "情報政策課 田中")
    type_text(editor.interview_notes_edit, "RPA は財務会計から試したい")
    qtbot.waitUntil(lambda: editor.interviews.form.state_label.text() == "保存済み", timeout=3000)

    editor.tabs.setCurrentWidget(editor.follow_ups)
    QTest.mouseClick(editor.follow_ups.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.follow_ups.form.record_id is not None)
    editor.follow_up_edit.selectAll()
    type_text(editor.follow_up_edit, "RPA の事例資料を送る")
    type_text(editor.owner_edit, "アドバイザー")
    editor.due_edit.check.setChecked(True)  # as a click on 期限あり does
    editor.due_edit.date_edit.setDate(editor.due_edit.date_edit.date().addDays(14))
    editor.status_box.setCurrentIndex(editor.status_box.findData("in_progress"))
    qtbot.waitUntil(lambda: editor.follow_ups.form.state_label.text() == "保存済み", timeout=3000)

    notes = workspace.interviews.list_records(engagement=engagement)
    assert [(n["interviewee"], n["notes"]) for n in notes] == [
        ("情報政策課 田中", "RPA は財務会計から試したい")
    ]
    follow_ups = workspace.follow_ups.list_records(engagement=engagement)
    assert len(follow_ups) == 1
    stored = follow_ups[0]
    assert (stored["description"], stored["owner"], stored["status"]) == (
        "RPA の事例資料を送る",
        "アドバイザー",
        "in_progress",
    )
    assert stored["due"] is not None and stored["municipality"] == "303046"
    # The list beside the editor shows what was saved.
    qtbot.waitUntil(lambda: editor.follow_ups.model.index(0, 0).data() == "RPA の事例資料を送る")
    qtmodeltester.check(editor.follow_ups.model)
    qtmodeltester.check(editor.interviews.model)
    # The cross-municipality view counts it once the list refreshes.
    window.refresh()
    qtbot.waitUntil(lambda: window.follow_ups.model.rowCount() == 1)


def test_a_follow_up_without_a_due_date_stays_without_one(
    window: MainWindow, qtbot: QtBot, workspace: Workspace
) -> None:
    engagement = _open_new_engagement(window, qtbot, "302015")
    editor = window.engagements.editor
    editor.tabs.setCurrentWidget(editor.follow_ups)
    QTest.mouseClick(editor.follow_ups.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.follow_ups.form.record_id is not None)
    assert not editor.due_edit.check.isChecked()
    type_text(editor.owner_edit, "市")
    qtbot.waitUntil(lambda: editor.follow_ups.form.state_label.text() == "保存済み", timeout=3000)
    (stored,) = workspace.follow_ups.list_records(engagement=engagement)
    assert stored["owner"] == "市" and stored["due"] is None


def test_delete_asks_first_and_undo_brings_back_the_visit_with_its_notes(
    window: MainWindow, qtbot: QtBot, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    visit = workspace.engagements.add(
        {"municipality": "302015", "date": "2025-09-01", "title": "庁内DX研修"}
    )
    note = workspace.interviews.add({"engagement": visit["id"], "interviewee": "総務課"})
    select_municipality(window, qtbot, "302015")
    panel = window.engagements
    window.tabs.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: panel.editor.record_id == visit["id"])

    asked = _answer(monkeypatch, QMessageBox.StandardButton.No)
    panel.view.setFocus()
    QTest.keyClick(panel.view, Qt.Key.Key_Delete)
    assert asked and "庁内DX研修" in asked[0]
    window.runner.wait_idle()
    assert workspace.engagements.get(visit["id"])["title"] == "庁内DX研修"  # declined: kept

    _answer(monkeypatch, QMessageBox.StandardButton.Yes)
    QTest.keyClick(panel.view, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0)
    assert workspace.engagements.list_records(municipality="302015") == []
    assert window.undo.action.isEnabled()
    assert "庁内DX研修" in window.undo.action.text()

    window.undo.action.trigger()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    assert workspace.interviews.list_records(engagement=visit["id"])[0]["id"] == note["id"]
    qtbot.waitUntil(lambda: panel.editor.tabs.tabText(1) == "ヒアリング（1）")
    assert not window.undo.action.isEnabled()  # only the last deletion, once


def test_undo_of_a_deleted_follow_up_reloads_the_open_engagement(
    window: MainWindow, qtbot: QtBot, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    visit = workspace.engagements.add({"municipality": "302015", "date": "2025-09-01"})
    workspace.follow_ups.add({"engagement": visit["id"], "description": "議事録を送る"})
    select_municipality(window, qtbot, "302015")
    window.tabs.setCurrentWidget(window.engagements)
    editor = window.engagements.editor
    qtbot.waitUntil(lambda: editor.follow_ups.model.rowCount() == 1)
    _answer(monkeypatch, QMessageBox.StandardButton.Yes)
    editor.tabs.setCurrentWidget(editor.follow_ups)
    QTest.mouseClick(editor.follow_ups.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.follow_ups.model.rowCount() == 0)
    assert workspace.follow_ups.list_records(engagement=visit["id"]) == []
    window.undo.action.trigger()
    qtbot.waitUntil(lambda: editor.follow_ups.model.rowCount() == 1)
    assert editor.follow_ups.model.index(0, 0).data() == "議事録を送る"
