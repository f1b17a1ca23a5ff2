"""A placeholder is never a value: a new interview note or follow-up starts empty, the hint is
the field's placeholder text, and the list shows 「（未入力）」 without storing it."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from dxdesk.services.workspace import Workspace
from dxdesk.ui.child_records import ChildRecordsSection
from dxdesk.ui.main_window import MainWindow
from tests.gui.keys import select_municipality, type_text


@pytest.mark.parametrize(
    ("section_name", "field", "edit_name"),
    [
        ("interviews", "interviewee", "interviewee_edit"),
        ("follow_ups", "description", "follow_up_edit"),
    ],
)
def test_a_new_child_record_starts_empty_and_typing_is_all_it_holds(
    window: MainWindow,
    qtbot: QtBot,
    workspace: Workspace,
    section_name: str,
    field: str,
    edit_name: str,
) -> None:
    select_municipality(window, qtbot, "303046")
    window.tabs.setCurrentWidget(window.engagements)
    window.engagements.new_engagement()
    editor = window.engagements.editor
    qtbot.waitUntil(lambda: editor.record_id is not None)
    section: ChildRecordsSection = getattr(editor, section_name)
    editor.tabs.setCurrentWidget(section)
    section.add()
    qtbot.waitUntil(lambda: section.form.record_id is not None)
    record_id = section.form.record_id or ""
    edit: QLineEdit = getattr(editor, edit_name)

    assert edit.text() == "" and edit.placeholderText() != ""
    facade = workspace.records("interview" if field == "interviewee" else "followup")
    assert facade.get(record_id)[field] == ""
    assert section.model.index(0, 0).data() == "（未入力）"  # shown, not stored

    type_text(edit, "山本 太郎")  # the cursor is where the person left it: no selecting first
    qtbot.waitUntil(lambda: section.form.state_label.text() == "保存済み", timeout=3000)
    assert facade.get(record_id)[field] == "山本 太郎"
    qtbot.waitUntil(lambda: section.model.index(0, 0).data() == "山本 太郎")
