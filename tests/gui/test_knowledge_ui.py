"""The knowledge base in the window: editing articles and their people, and sharing a visit as
an article, where no person goes into it unless the advisor ticks them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QMessageBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from dxdesk.services.knowledge_drafts import KnowledgeDrafts
from dxdesk.services.workspace import Workspace
from dxdesk.ui.engagement_editor import EngagementEditor
from dxdesk.ui.knowledge_panel import KnowledgePanel
from dxdesk.ui.people_editor import PeopleEditor
from dxdesk.ui.runner import StoreRunner
from dxdesk.ui.share_knowledge import ShareKnowledgeDialog
from tests.gui.keys import type_text

SHIRAHAMA = "304018"


@pytest.fixture
def runner(qapp: object) -> Iterator[StoreRunner]:
    store_runner = StoreRunner()
    yield store_runner
    store_runner.wait_idle()
    store_runner.shutdown()


@pytest.fixture
def panel(qtbot: QtBot, workspace: Workspace, runner: StoreRunner) -> KnowledgePanel:
    widget = KnowledgePanel(workspace, runner)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def visit(workspace: Workspace) -> dict[str, Any]:
    """A visit naming two people: one with a contact record (and so a phone), one without."""
    record = workspace.engagements.add(
        {
            "municipality": SHIRAHAMA,
            "date": "2025-06-12",
            "title": "RPA の導入",
            "themes": ["RPA"],
            "summary": "財務会計から RPA を試した。",
            "municipal_attendees": ["山本 太郎"],
        }
    )
    workspace.interviews.add(
        {"engagement": record["id"], "interviewee": "田中 花子", "role": "総務課"}
    )
    workspace.contacts.add(
        {
            "municipality": SHIRAHAMA,
            "name": "山本太郎",
            "department": "情報政策課",
            "title": "主査",
            "phone": "0739-00-0000",
        }
    )
    return record


def _municipalities(workspace: Workspace) -> list[tuple[str, str]]:
    return [(m["code"], m["name"]) for m in workspace.municipalities.overview(assigned_only=False)]


def _answer_yes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    asked: list[str] = []

    def question(_parent: object, _title: str, text: str, *_args: object) -> object:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


# -- the knowledge panel ---------------------------------------------------------------------


def test_typing_in_the_article_editor_saves_it_without_reloading_under_the_typing(
    panel: KnowledgePanel, qtbot: QtBot, workspace: Workspace, qtmodeltester: ModelTester
) -> None:
    article = workspace.articles.add({"title": "庁内研修", "municipality": SHIRAHAMA})
    panel.reload()
    editor = panel.editor
    qtbot.waitUntil(lambda: editor.record_id == article["id"])
    assert editor.municipality_box.currentText() == "白浜町"

    editor.title_edit.end(False)
    type_text(editor.title_edit, "の進め方")
    type_text(editor.body_edit, "管理職向けから始めた。")
    editor.fiscal_year_box.setCurrentIndex(editor.fiscal_year_box.findData(2025))
    editor.municipality_box.setCurrentIndex(0)  # （県全体）
    editor.themes_edit.setFocus()
    type_text(editor.themes_edit, "人材育成、研修")
    qtbot.waitUntil(lambda: editor.state_label.text() == "保存済み", timeout=3000)

    stored = workspace.articles.get(article["id"])
    assert stored["title"] == "庁内研修の進め方"
    assert stored["body"] == "管理職向けから始めた。"
    assert (stored["fiscal_year"], stored["municipality"]) == (2025, None)
    assert stored["themes"] == ["人材育成", "研修"]
    assert editor.fiscal_year_box.currentText() == "R7 (2025)"
    # The list shows the save; the editor kept its record and what was typed.
    assert editor.record_id == article["id"]
    assert editor.title_edit.text() == "庁内研修の進め方"
    row = panel.model.row_of(article["id"])
    assert panel.model.index(row, 0).data() == "庁内研修の進め方"
    assert panel.model.index(row, 3).data() == "県全体"
    assert panel.model.index(row, 2).data() == "R7 (2025)"
    qtmodeltester.check(panel.model)
    qtmodeltester.check(panel.proxy)


def test_people_round_trip_through_the_editor_and_the_store(
    panel: KnowledgePanel, qtbot: QtBot, workspace: Workspace
) -> None:
    known = {
        "name": "山本太郎",
        "organisation": "白浜町 情報政策課",
        "role": "主査",
        "contact": "0739-00-0000",
        "contact_id": "c-1",
    }
    article = workspace.articles.add({"title": "RPA", "people": [known]})
    panel.reload()
    editor = panel.editor
    qtbot.waitUntil(lambda: editor.record_id == article["id"])
    people = editor.people_editor
    assert people.value() == [known]

    people.add_row()
    cell = people.table.findChild(QLineEdit)
    assert cell is not None
    type_text(cell, "田中花子")
    qtbot.waitUntil(lambda: editor.state_label.text() == "保存済み", timeout=3000)
    assert [p["name"] for p in workspace.articles.get(article["id"])["people"]] == [
        "山本太郎",
        "田中花子",
    ]

    people.table.selectRow(0)
    people.remove_selected()
    qtbot.waitUntil(
        lambda: (
            [p["name"] for p in workspace.articles.get(article["id"])["people"]] == ["田中花子"]
        ),
        timeout=3000,
    )
    (stored,) = workspace.articles.get(article["id"])["people"]
    assert stored == {
        "name": "田中花子",
        "organisation": "",
        "role": "",
        "contact": "",
        "contact_id": "",
    }


def test_people_editor_leaves_out_nameless_rows_and_keeps_contact_ids(qtbot: QtBot) -> None:
    editor = PeopleEditor()
    qtbot.addWidget(editor)
    person = {"name": "A", "organisation": "B", "role": "C", "contact": "D", "contact_id": "x"}
    editor.set_value([person, {"name": "", "organisation": "所属だけ"}])
    assert editor.value() == [person]
    contact = editor.table.item(0, 3)
    assert contact is not None
    with qtbot.waitSignal(editor.edited):
        contact.setText("E")
    assert editor.value() == [{**person, "contact": "E"}]


def test_new_and_delete_give_undo_what_it_needs(
    panel: KnowledgePanel, qtbot: QtBot, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel.reload()
    QTest.mouseClick(panel.new_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.editor.record_id is not None)
    article_id = panel.editor.record_id
    assert article_id is not None
    # It starts without a title (no placeholder is stored): the list reads （無題） meanwhile.
    assert [a["title"] for a in workspace.articles.list_records()] == [""]
    assert panel.editor.title_edit.text() == ""
    assert panel.model.index(0, 0).data() == "（無題）"
    assert [a["id"] for a in workspace.articles.list_records()] == [article_id]
    assert panel.model.rowCount() == 1

    asked = _answer_yes(monkeypatch)
    with qtbot.waitSignal(panel.deleted) as deleted:
        QTest.mouseClick(panel.delete_button, Qt.MouseButton.LeftButton)
    assert asked and "（無題）" in asked[0]
    facade, what, keys = deleted.args
    assert facade is workspace.articles and "（無題）" in what
    assert workspace.articles.list_records() == []
    assert panel.model.rowCount() == 0 and panel.editor.record_id is None

    facade.restore(keys)  # what the window's undo does
    panel.select(article_id)
    qtbot.waitUntil(lambda: panel.editor.record_id == article_id)


def test_filter_narrows_the_list_and_select_shows_a_hidden_article(
    panel: KnowledgePanel, qtbot: QtBot, workspace: Workspace, runner: StoreRunner
) -> None:
    rpa = workspace.articles.add({"title": "RPA の始め方"})
    workspace.articles.add({"title": "庁内研修"})
    panel.reload()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2)
    panel.filter_edit.setText("ｒｐａ")
    assert panel.proxy.rowCount() == 1
    panel.filter_edit.setText("研修")
    panel.select(rpa["id"])
    assert panel.editor.record_id == rpa["id"] and panel.proxy.rowCount() == 2
    # A reload (after a sync, say) keeps both the filter typed and the article open.
    panel.filter_edit.setText("研修")
    panel.reload()
    runner.wait_idle()
    qtbot.wait(50)
    assert panel.filter_edit.text() == "研修" and panel.editor.record_id == rpa["id"]


# -- sharing a visit as knowledge ------------------------------------------------------------


def _open_dialog(
    qtbot: QtBot, workspace: Workspace, runner: StoreRunner, engagement_id: str
) -> ShareKnowledgeDialog:
    dialog = ShareKnowledgeDialog(workspace, runner, engagement_id, _municipalities(workspace))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.loaded)
    return dialog


def test_candidates_are_shown_in_full_unticked_and_stay_out_unless_ticked(
    qtbot: QtBot, workspace: Workspace, runner: StoreRunner, visit: dict[str, Any]
) -> None:
    dialog = _open_dialog(qtbot, workspace, runner, visit["id"])
    assert dialog.title_edit.text() == "白浜町: RPA の導入"
    assert dialog.note_label.text() == "人の情報は、チェックしたものだけが記事に入ります。"
    lines = [dialog.candidates.item(i).text() for i in range(dialog.candidates.count())]
    assert len(lines) == 2
    yamamoto = next(line for line in lines if "山本太郎" in line)
    assert "情報政策課" in yamamoto and "主査" in yamamoto and "0739-00-0000" in yamamoto
    assert all(
        dialog.candidates.item(i).checkState() == Qt.CheckState.Unchecked
        for i in range(dialog.candidates.count())
    )

    with qtbot.waitSignal(dialog.published) as published:
        QTest.mouseClick(dialog.publish_button, Qt.MouseButton.LeftButton)
    article = published.args[0]
    assert article["people"] == []
    assert workspace.articles.get(article["id"])["people"] == []
    assert article["engagements"] == [visit["id"]]
    assert not KnowledgeDrafts(workspace).has_draft(visit["id"])
    assert not dialog.isVisible()


def test_a_ticked_candidate_goes_into_the_article(
    qtbot: QtBot, workspace: Workspace, runner: StoreRunner, visit: dict[str, Any]
) -> None:
    dialog = _open_dialog(qtbot, workspace, runner, visit["id"])
    row = next(
        i
        for i in range(dialog.candidates.count())
        if "山本太郎" in dialog.candidates.item(i).text()
    )
    dialog.candidates.item(row).setCheckState(Qt.CheckState.Checked)  # as a click does
    with qtbot.waitSignal(dialog.published) as published:
        QTest.mouseClick(dialog.publish_button, Qt.MouseButton.LeftButton)
    (person,) = workspace.articles.get(published.args[0]["id"])["people"]
    assert person["name"] == "山本太郎"
    assert person["contact"] == "0739-00-0000" and person["contact_id"] != ""


def test_typing_survives_closing_and_reopening_the_dialog(
    qtbot: QtBot, workspace: Workspace, runner: StoreRunner, visit: dict[str, Any]
) -> None:
    dialog = _open_dialog(qtbot, workspace, runner, visit["id"])
    dialog.body_edit.moveCursor(dialog.body_edit.textCursor().MoveOperation.End)
    type_text(dialog.body_edit, "職員 3 人で始めた。")
    dialog.candidates.item(0).setCheckState(Qt.CheckState.Checked)
    ticked = dialog.candidates.item(0).text()
    QTest.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)  # before the autosave
    assert not dialog.isVisible()
    runner.wait_idle()
    assert KnowledgeDrafts(workspace).has_draft(visit["id"])

    again = _open_dialog(qtbot, workspace, runner, visit["id"])
    assert again.body_edit.toPlainText() == "財務会計から RPA を試した。職員 3 人で始めた。"
    checked = [
        again.candidates.item(i).text()
        for i in range(again.candidates.count())
        if again.candidates.item(i).checkState() == Qt.CheckState.Checked
    ]
    assert checked == [ticked]
    assert workspace.articles.list_records() == []  # a draft is no article


def test_publishing_without_a_title_shows_why_and_writes_nothing(
    qtbot: QtBot, workspace: Workspace, runner: StoreRunner, visit: dict[str, Any]
) -> None:
    dialog = _open_dialog(qtbot, workspace, runner, visit["id"])
    dialog.title_edit.setFocus()
    dialog.title_edit.selectAll()
    QTest.keyClick(dialog.title_edit, Qt.Key.Key_Backspace)
    assert dialog.title_edit.text() == ""
    published: list[object] = []
    dialog.published.connect(published.append)
    QTest.mouseClick(dialog.publish_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error_label.text().startswith("公開できません"))
    assert "題名: " in dialog.error_label.text() and "title" not in dialog.error_label.text()
    assert workspace.articles.list_records() == []
    assert published == [] and dialog.isVisible() and dialog.publish_button.isEnabled()
    assert KnowledgeDrafts(workspace).start(visit["id"]).fields["title"] == ""


def test_discarding_the_draft_asks_and_starts_afresh(
    qtbot: QtBot,
    workspace: Workspace,
    runner: StoreRunner,
    visit: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dialog = _open_dialog(qtbot, workspace, runner, visit["id"])
    type_text(dialog.title_edit, "（書きかけ）")
    asked = _answer_yes(monkeypatch)
    QTest.mouseClick(dialog.discard_button, Qt.MouseButton.LeftButton)
    assert asked
    qtbot.waitUntil(lambda: not dialog.isVisible())
    runner.wait_idle()
    assert not KnowledgeDrafts(workspace).has_draft(visit["id"])
    again = _open_dialog(qtbot, workspace, runner, visit["id"])
    assert again.title_edit.text() == "白浜町: RPA の導入"


def test_engagement_editor_asks_to_share_the_loaded_engagement(
    qtbot: QtBot, workspace: Workspace, runner: StoreRunner, visit: dict[str, Any]
) -> None:
    editor = EngagementEditor(workspace, runner)
    qtbot.addWidget(editor)
    assert not editor.share_button.isEnabled()
    editor.load(visit)
    assert editor.share_button.isEnabled()
    with qtbot.waitSignal(editor.share_requested) as requested:
        QTest.mouseClick(editor.share_button, Qt.MouseButton.LeftButton)
    assert requested.args == [visit["id"]]
    editor.load(None)
    assert not editor.share_button.isEnabled()
