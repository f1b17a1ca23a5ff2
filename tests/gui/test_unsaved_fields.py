"""A refused field never takes valid fields with it: they are saved at once, and what cannot be
saved yet stays on its record (shown as 未保存, restored on coming back and after a restart,
named before the window closes). Checked on every form that saves as the user types."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from dxdesk.services.workspace import Workspace
from dxdesk.ui.autosave import AutosaveForm
from dxdesk.ui.main_window import MainWindow
from tests.gui.keys import select_municipality, type_text

TOO_LONG = "長" * 501  # a short text field holds 500 characters


def _new_assessment(window: MainWindow, qtbot: QtBot, code: str) -> str:
    select_municipality(window, qtbot, code)
    panel = window.assessment
    window.tabs.setCurrentWidget(panel)
    panel.new_button.click()
    qtbot.waitUntil(lambda: panel.form.record_id is not None)
    return panel.form.record_id or ""


def _unsaved_shown(form: AutosaveForm, label: str) -> bool:
    text = form.state_label.text()
    return "未保存" in text and label in text


def test_a_refused_level_keeps_the_assessor_and_comes_back_with_the_municipality(
    window: MainWindow, qtbot: QtBot, workspace: Workspace
) -> None:
    record_id = _new_assessment(window, qtbot, "302023")
    panel = window.assessment
    assert panel.suggested_label.text() == "1 関与"
    panel.level_box.setCurrentIndex(panel.level_box.findData(3))  # no reason given
    type_text(panel.assessor_edit, "山本")

    select_municipality(window, qtbot, "302015")  # away, before the save timer fires
    # The valid field is saved at once; the level waits on the device, not in the store.
    qtbot.waitUntil(lambda: workspace.assessments.get(record_id)["assessor"] == "山本")
    assert workspace.assessments.get(record_id)["level"] is None

    select_municipality(window, qtbot, "302023")
    qtbot.waitUntil(lambda: panel.form.record_id == record_id)
    assert panel.assessor_edit.text() == "山本"
    assert panel.level_box.currentData() == 3
    assert _unsaved_shown(panel.form, "確定した支援分類")
    assert "判断理由" in panel.form.state_label.text()
    assert "level" not in panel.form.state_label.text()

    # Writing the reason saves both, and the unsaved state goes.
    type_text(panel.reason_edit, "首長の方針で推進体制が動き始めた")
    qtbot.waitUntil(lambda: workspace.assessments.get(record_id)["level"] == 3, timeout=3000)
    qtbot.waitUntil(lambda: panel.form.state_label.text() == "保存済み", timeout=3000)


def test_unsaved_fields_survive_a_restart_and_are_named_before_closing(
    qtbot: QtBot, workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = MainWindow(workspace, title="DX Desk", settings_file=tmp_path / "ui.ini")
    qtbot.addWidget(first)
    first.show()
    qtbot.waitUntil(lambda: first.municipalities.rowCount() == 30)
    record_id = _new_assessment(first, qtbot, "302023")
    panel = first.assessment
    panel.level_box.setCurrentIndex(panel.level_box.findData(4))
    panel.form.flush()
    qtbot.waitUntil(lambda: _unsaved_shown(panel.form, "確定した支援分類"), timeout=3000)

    asked: list[str] = []

    def question(_parent: object, _title: str, text: str, *_args: object) -> object:
        asked.append(text)
        return QMessageBox.StandardButton.No if len(asked) == 1 else QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    first.close()  # the person chooses to go back
    assert first.isVisible() and len(asked) == 1
    assert "アセスメント" in asked[0] and "支援分類" in asked[0] and "level" not in asked[0]
    first.close()  # and then to close anyway: the value stays on this device
    assert not first.isVisible() and len(asked) == 2

    second = MainWindow(workspace, title="DX Desk", settings_file=tmp_path / "ui.ini")
    qtbot.addWidget(second)
    second.show()
    qtbot.waitUntil(lambda: second.municipalities.rowCount() == 30)
    select_municipality(second, qtbot, "302023")
    qtbot.waitUntil(lambda: second.assessment.form.record_id == record_id)
    assert second.assessment.level_box.currentData() == 4
    assert _unsaved_shown(second.assessment.form, "確定した支援分類")
    assert workspace.assessments.get(record_id)["level"] is None
    second.close()
    assert len(asked) == 3
    for each in (first, second):
        each.runner.shutdown()


@dataclass(frozen=True)
class Form:
    """One autosaving form, reached through the window, with a field to refuse and one to keep."""

    name: str
    open: Callable[[MainWindow, QtBot], tuple[AutosaveForm, str]]  # the form, its record id
    away_and_back: Callable[[MainWindow, QtBot], None]
    refused: Callable[[MainWindow], QWidget]
    kept: Callable[[MainWindow], QWidget]
    stored: Callable[[Workspace, str], dict[str, Any]]
    refused_field: str
    kept_field: str
    label: str


def _open_visit(window: MainWindow, qtbot: QtBot) -> tuple[AutosaveForm, str]:
    select_municipality(window, qtbot, "303046")
    window.tabs.setCurrentWidget(window.engagements)
    window.engagements.new_engagement()
    editor = window.engagements.editor
    qtbot.waitUntil(lambda: editor.record_id is not None)
    return editor.form, editor.record_id or ""


def _child(section_name: str) -> Callable[[MainWindow, QtBot], tuple[AutosaveForm, str]]:
    def open_child(window: MainWindow, qtbot: QtBot) -> tuple[AutosaveForm, str]:
        _open_visit(window, qtbot)
        editor = window.engagements.editor
        section = getattr(editor, section_name)
        editor.tabs.setCurrentWidget(section)
        section.add()
        qtbot.waitUntil(lambda: section.form.record_id is not None)
        return section.form, section.form.record_id or ""

    return open_child


def _visit_away_and_back(window: MainWindow, qtbot: QtBot) -> None:
    select_municipality(window, qtbot, "302015")
    select_municipality(window, qtbot, "303046")


def _open_article(window: MainWindow, qtbot: QtBot) -> tuple[AutosaveForm, str]:
    panel = window.knowledge.panel
    window.tabs.setCurrentWidget(panel)
    panel.new_article()
    qtbot.waitUntil(lambda: panel.editor.record_id is not None)
    return panel.editor.form, panel.editor.record_id or ""


def _article_away_and_back(window: MainWindow, qtbot: QtBot) -> None:
    panel = window.knowledge.panel
    current = panel.editor.record_id or ""
    panel.new_article()  # another article, then back to the first
    qtbot.waitUntil(lambda: panel.editor.record_id not in (None, current))
    panel.select(current)
    qtbot.waitUntil(lambda: panel.editor.record_id == current)


FORMS = [
    Form(
        "visit",
        _open_visit,
        _visit_away_and_back,
        lambda w: w.engagements.editor.title_edit,
        lambda w: w.engagements.editor.summary_edit,
        lambda ws, i: ws.engagements.get(i),
        "title",
        "summary",
        "件名",
    ),
    Form(
        "interview",
        _child("interviews"),
        _visit_away_and_back,
        lambda w: w.engagements.editor.interview_role_edit,
        lambda w: w.engagements.editor.interview_notes_edit,
        lambda ws, i: ws.interviews.get(i),
        "role",
        "notes",
        "役職・担当",
    ),
    Form(
        "followup",
        _child("follow_ups"),
        _visit_away_and_back,
        lambda w: w.engagements.editor.owner_edit,
        lambda w: w.engagements.editor.follow_up_edit,
        lambda ws, i: ws.follow_ups.get(i),
        "owner",
        "description",
        "担当",
    ),
    Form(
        "article",
        _open_article,
        _article_away_and_back,
        lambda w: w.knowledge.panel.editor.title_edit,
        lambda w: w.knowledge.panel.editor.body_edit,
        lambda ws, i: ws.articles.get(i),
        "title",
        "body",
        "題名",
    ),
]


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.name)
def test_every_form_saves_the_valid_fields_and_keeps_the_refused_one(
    window: MainWindow,
    qtbot: QtBot,
    workspace: Workspace,
    form: Form,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[str] = []

    def close_anyway(_parent: object, _title: str, text: str, *_args: object) -> object:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", close_anyway)
    autosave, record_id = form.open(window, qtbot)
    refused, kept = form.refused(window), form.kept(window)
    refused.setFocus()
    refused.selectAll()  # type: ignore[attr-defined]
    type_text(refused, TOO_LONG)
    type_text(kept, "残るはずの文")
    form.away_and_back(window, qtbot)
    qtbot.waitUntil(lambda: form.stored(workspace, record_id)[form.kept_field] == "残るはずの文")
    assert form.stored(workspace, record_id)[form.refused_field] != TOO_LONG
    qtbot.waitUntil(lambda: autosave.record_id == record_id)
    assert refused.text() == TOO_LONG  # type: ignore[attr-defined]
    assert _unsaved_shown(autosave, form.label)
    assert form.refused_field not in autosave.state_label.text()
    window.close()
    assert len(asked) == 1 and form.label.split("・")[0] in asked[0]


def test_a_save_the_store_failed_is_named_before_closing_as_lost(
    window: MainWindow, qtbot: QtBot, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not a rule but the store refused the write: only the form holds the text, so the close
    question names it (and says closing loses it) rather than closing without a word."""
    from sqlalchemy import text

    asked: list[str] = []

    def go_back(_parent: object, _title: str, message: str, *_args: object) -> object:
        asked.append(message)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", go_back)
    form, record_id = _open_visit(window, qtbot)
    with workspace.store.transaction() as session:  # a write the database itself refuses
        session.execute(
            text(
                "CREATE TRIGGER refuse_visit_writes BEFORE UPDATE ON engagement "
                "BEGIN SELECT RAISE(ABORT, 'disk full'); END"
            )
        )
    editor = window.engagements.editor
    type_text(editor.summary_edit, "消えてはいけない文")
    form.flush()
    window.close()
    assert window.isVisible()  # the person went back
    assert len(asked) == 1 and "概要" in asked[0] and "失われます" in asked[0]

    with workspace.store.transaction() as session:
        session.execute(text("DROP TRIGGER refuse_visit_writes"))
    type_text(editor.summary_edit, "。")  # the next save takes the failed text with it
    qtbot.waitUntil(
        lambda: workspace.engagements.get(record_id)["summary"] == "消えてはいけない文。"
    )
    qtbot.waitUntil(lambda: form.lost_on_close() == [])
    window.close()  # nothing is left to name
    assert not window.isVisible() and len(asked) == 1


def test_typing_in_a_record_that_is_gone_says_so_and_keeps_nothing(
    window: MainWindow, qtbot: QtBot, workspace: Workspace
) -> None:
    from dxdesk.models.tables import EngagementRow

    form, record_id = _open_visit(window, qtbot)
    with workspace.store.transaction() as session:  # as a colleague's delete arrives by sync
        row = session.get(EngagementRow, record_id)
        assert row is not None
        row.deleted = True
    editor = window.engagements.editor
    type_text(editor.title_edit, TOO_LONG)
    form.flush()
    qtbot.waitUntil(lambda: "もうありません" in form.state_label.text())
    assert workspace.engagements.kept_edits() == []


def test_clearing_the_reason_of_a_level_that_needs_it_names_the_reason_by_its_label(
    window: MainWindow, qtbot: QtBot, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It read 「未保存: 判断理由 — 提案（1 関与）と違う分類 3 協働 にするときは判断理由
    （level_reason）を書いてください」: the CLI's message, with the internal name."""
    record = workspace.assessments.add(
        {"municipality": "302023", "fiscal_year": 2025, "level": 3, "level_reason": "方針"}
    )
    window.refresh()
    select_municipality(window, qtbot, "302023")
    panel = window.assessment
    window.tabs.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: panel.form.record_id == record["id"])
    panel.reason_edit.setFocus()
    panel.reason_edit.selectAll()
    QTest.keyClick(panel.reason_edit, Qt.Key.Key_Delete)
    panel.form.flush()
    qtbot.waitUntil(lambda: _unsaved_shown(panel.form, "判断理由"))
    assert "level" not in panel.form.state_label.text()
    assert workspace.assessments.get(record["id"])["level_reason"] == "方針"
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Yes)
