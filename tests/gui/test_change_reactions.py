"""One change notice, judged by each panel (issue 18, item 4; DESIGN §7).

A write says what it changed (``Changes``) and ``StoreRunner.changed`` carries it; each panel
decides for itself. These fail if a panel stops reacting to a change that concerns it, or reads
a record again over what someone is typing; and if the report commands import the window back.
"""

from __future__ import annotations

import ast
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

import dxdesk.ui
from dxdesk.domain.changes import Changes, Source
from dxdesk.services.workspace import Workspace
from dxdesk.ui.engagement_editor import EngagementEditor
from dxdesk.ui.format import level_text
from dxdesk.ui.main_window import MainWindow
from dxdesk.ui.report_actions import OnScreen, ReportActions
from dxdesk.ui.runner import StoreRunner
from tests.gui.keys import select_municipality, type_text

WAKAYAMA = "302015"
HASHIMOTO = "302031"


def _row(window: MainWindow, code: str) -> dict[str, object]:
    return window.municipalities.records()[window.municipalities.row_of(code)]


# -- the municipality list ------------------------------------------------------------------


def test_a_visit_moved_in_date_moves_the_last_visit_in_the_list(
    window: MainWindow, qtbot: QtBot, workspace: Workspace
) -> None:
    visit = workspace.engagements.add({"municipality": WAKAYAMA, "date": "2025-04-01"})
    window.refresh()
    qtbot.waitUntil(lambda: _row(window, WAKAYAMA)["last_engagement"] == "2025-04-01")
    _show_visit(window, qtbot, visit["id"])
    # Written by the window's own form: the list hears it from the change notice alone.
    window.runner.run(lambda: workspace.engagements.update(visit["id"], {"date": "2025-05-09"}))
    qtbot.waitUntil(lambda: _row(window, WAKAYAMA)["last_engagement"] == "2025-05-09")


def test_a_note_typed_in_a_visit_does_not_read_the_list_again(
    window: MainWindow, qtbot: QtBot, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only what the list shows moves it: a visit's notes are saved without reading it."""
    visit = workspace.engagements.add({"municipality": WAKAYAMA, "date": "2025-04-01"})
    select_municipality(window, qtbot, WAKAYAMA)
    window.runner.wait_idle()
    qtbot.wait(0)
    reads: list[bool] = []
    monkeypatch.setattr(window, "refresh", lambda *, status=True: reads.append(status))
    with qtbot.waitSignal(window.runner.changed) as told:
        window.runner.run(lambda: workspace.engagements.update(visit["id"], {"notes": "メモ"}))
    changes = told.args[0] if told.args else None
    assert isinstance(changes, Changes)
    assert changes.kinds == {"visit"} and "notes" in changes.fields
    assert changes.municipalities == {WAKAYAMA}
    qtbot.wait(0)
    assert reads == []


def test_a_login_reads_the_list_again(window: MainWindow, qtbot: QtBot) -> None:
    with qtbot.waitSignal(window.overview_loaded):
        window.sync.logged_in.emit()


# -- the chosen municipality's tabs ---------------------------------------------------------


def test_a_confirmed_level_reaches_the_overview_tab(
    window: MainWindow, qtbot: QtBot, workspace: Workspace
) -> None:
    """The 概要 tab lists the assessments with their levels: the assessment tab's own write is
    told to the window, which fills the chosen municipality again."""
    assessment = workspace.assessments.add({"municipality": WAKAYAMA, "fiscal_year": 2025})
    select_municipality(window, qtbot, WAKAYAMA)
    window.runner.wait_idle()
    levels = window.overview.levels
    qtbot.waitUntil(lambda: levels.rowCount() == 1)
    window.runner.run(lambda: workspace.assessments.update(assessment["id"], {"level": 1}))
    qtbot.waitUntil(lambda: levels.records()[0]["level"] == 1)
    assert levels.index(0, 1).data() == level_text(1)
    qtbot.waitUntil(lambda: _row(window, WAKAYAMA)["level"] == 1)


def test_the_date_and_answers_of_an_assessment_reach_the_overview_tab(
    window: MainWindow, qtbot: QtBot, workspace: Workspace
) -> None:
    """概要 shows 実施日, 得点率 and 提案, from assessed_on and the answers."""
    assessment = workspace.assessments.add({"municipality": WAKAYAMA, "fiscal_year": 2025})
    select_municipality(window, qtbot, WAKAYAMA)
    levels = window.overview.levels
    qtbot.waitUntil(lambda: levels.rowCount() == 1)
    window.runner.run(
        lambda: workspace.assessments.update(assessment["id"], {"assessed_on": "2025-06-02"})
    )
    qtbot.waitUntil(lambda: levels.records()[0]["assessed_on"] == "2025-06-02")
    total = levels.records()[0]["total"]
    window.runner.run(
        lambda: workspace.assessments.update(assessment["id"], {"scores": {"0-1": 3}})
    )
    qtbot.waitUntil(lambda: levels.records()[0]["total"] != total)


def test_the_list_shows_the_level_of_the_latest_assessment_by_its_date(
    window: MainWindow, qtbot: QtBot, workspace: Workspace
) -> None:
    earlier = workspace.assessments.add(
        {
            "municipality": WAKAYAMA,
            "fiscal_year": 2025,
            "assessed_on": "2025-05-01",
            "level": 1,
            "level_reason": "理由",
        }
    )
    workspace.assessments.add(
        {
            "municipality": WAKAYAMA,
            "fiscal_year": 2025,
            "assessed_on": "2025-06-01",
            "level": 2,
            "level_reason": "理由",
        }
    )
    window.refresh()
    qtbot.waitUntil(lambda: _row(window, WAKAYAMA)["level"] == 2)
    window.runner.run(
        lambda: workspace.assessments.update(earlier["id"], {"assessed_on": "2025-07-01"})
    )
    qtbot.waitUntil(lambda: _row(window, WAKAYAMA)["level"] == 1)


def test_the_analysis_tab_follows_an_edit_of_the_answers(
    window: MainWindow, qtbot: QtBot, workspace: Workspace
) -> None:
    assessment = workspace.assessments.add(
        {"municipality": WAKAYAMA, "fiscal_year": 2025, "scores": {"0-1": 1}}
    )
    window.tabs.setCurrentWidget(window.analysis)
    items = window.analysis.item_model
    qtbot.waitUntil(lambda: items.rowCount() > 0)
    before = items.records()
    window.runner.run(
        lambda: workspace.assessments.update(assessment["id"], {"scores": {"0-1": 3}})
    )
    qtbot.waitUntil(lambda: items.records() != before)


def test_an_interview_typed_in_a_visit_reaches_the_know_who_tab(
    window: MainWindow, qtbot: QtBot, workspace: Workspace
) -> None:
    visit = workspace.engagements.add({"municipality": WAKAYAMA, "date": "2025-04-01"})
    know_who = window.knowledge.know_who
    window.tabs.setCurrentWidget(know_who)
    qtbot.waitUntil(lambda: know_who.summary.text() == "0 人")
    window.runner.run(
        lambda: workspace.interviews.add({"engagement": visit["id"], "interviewee": "串本 次郎"})
    )
    qtbot.waitUntil(lambda: know_who.summary.text() == "1 人")
    # Edited while another tab is shown: read again when shown again.
    window.tabs.setCurrentWidget(window.overview)
    window.runner.run(
        lambda: workspace.interviews.add({"engagement": visit["id"], "interviewee": "白浜 花子"})
    )
    window.runner.wait_idle()
    window.tabs.setCurrentWidget(know_who)
    qtbot.waitUntil(lambda: know_who.summary.text() == "2 人")


def test_a_change_to_another_municipality_leaves_the_chosen_one_alone(
    window: MainWindow, qtbot: QtBot, workspace: Workspace
) -> None:
    select_municipality(window, qtbot, WAKAYAMA)
    other = workspace.assessments.add({"municipality": HASHIMOTO, "fiscal_year": 2025})
    window.runner.wait_idle()
    qtbot.wait(0)
    shown: list[str] = []
    window.municipality_shown.connect(shown.append)
    window.runner.run(lambda: workspace.assessments.update(other["id"], {"level": 1}))
    qtbot.waitUntil(lambda: _row(window, HASHIMOTO)["level"] == 1)
    window.runner.wait_idle()
    qtbot.wait(20)
    assert shown == []


# -- forms: fresh when nobody types, kept when someone does ----------------------------------


def _show_visit(window: MainWindow, qtbot: QtBot, visit_id: str) -> EngagementEditor:
    """The visit open in 相談記録, as a person opens it: its municipality, the tab, the row."""
    select_municipality(window, qtbot, WAKAYAMA)
    window.tabs.setCurrentWidget(window.engagements)
    window.engagements.select(visit_id)
    editor = window.engagements.editor
    qtbot.waitUntil(lambda: editor.record_id == visit_id)
    return editor


def _open_assessment(window: MainWindow, qtbot: QtBot, workspace: Workspace) -> str:
    record = workspace.assessments.add(
        {"municipality": WAKAYAMA, "fiscal_year": 2025, "assessor": "田中"}
    )
    select_municipality(window, qtbot, WAKAYAMA)
    window.tabs.setCurrentWidget(window.assessment)
    qtbot.waitUntil(lambda: window.assessment.form.record_id == record["id"])
    return str(record["id"])


def test_an_import_rewriting_the_open_assessment_shows_it(
    window: MainWindow, qtbot: QtBot, workspace: Workspace
) -> None:
    record_id = _open_assessment(window, qtbot, workspace)
    panel = window.assessment
    assert panel.assessor_edit.text() == "田中"
    window.filter_edit.setFocus()  # nobody is typing in the form
    window.runner.run(
        lambda: workspace.assessments.update(record_id, {"assessor": "佐藤"}),
        source=Source.IMPORT,
    )
    qtbot.waitUntil(lambda: panel.assessor_edit.text() == "佐藤")
    assert panel.form.record_id == record_id


def test_a_sync_keeps_what_is_typed_in_the_assessment_then_shows_the_store(
    window: MainWindow, qtbot: QtBot, workspace: Workspace
) -> None:
    record_id = _open_assessment(window, qtbot, workspace)
    panel = window.assessment
    type_text(panel.reason_edit, "入力中の理由")
    workspace.assessments.update(record_id, {"assessor": "同期で届いた人"})
    window.runner.announce(Changes(source=Source.SYNC, everything=True))
    window.runner.wait_idle()
    qtbot.wait(50)
    assert panel.reason_edit.hasFocus()
    assert panel.reason_edit.toPlainText() == "入力中の理由"
    assert panel.reason_edit.textCursor().position() == len("入力中の理由")
    assert panel.assessor_edit.text() == "田中"  # the form was left alone
    qtbot.waitUntil(lambda: workspace.assessments.get(record_id)["level_reason"] == "入力中の理由")
    # Nobody typing: the next notice reads it again, with what was typed saved.
    window.filter_edit.setFocus()
    window.runner.announce(Changes(source=Source.SYNC, everything=True))
    qtbot.waitUntil(lambda: panel.assessor_edit.text() == "同期で届いた人")
    assert panel.reason_edit.toPlainText() == "入力中の理由"


def test_typing_begun_before_the_load_keeps_the_assessment_until_a_later_load(
    window: MainWindow, qtbot: QtBot, workspace: Workspace
) -> None:
    """Nobody types when the notice comes, but someone starts before the municipality's load
    (one store call later) arrives: their form is kept, and read again at a later load."""
    record_id = _open_assessment(window, qtbot, workspace)
    panel = window.assessment
    window.filter_edit.setFocus()
    workspace.assessments.update(record_id, {"assessor": "同期で届いた人"})
    gate = threading.Event()
    window.runner.run(lambda: gate.wait(10))  # the load waits behind this
    window.runner.announce(Changes(source=Source.SYNC, everything=True))
    type_text(panel.reason_edit, "入力中の理由")
    gate.set()
    window.runner.wait_idle()
    qtbot.wait(50)
    assert panel.reason_edit.hasFocus()
    assert panel.reason_edit.toPlainText() == "入力中の理由"
    assert panel.assessor_edit.text() == "田中"  # the form was left alone
    # Still stale: the next load, with nobody typing, reads it (what was typed saved first).
    window.filter_edit.setFocus()
    # (A load for a visit: the assessment is not rewritten again, only still stale.)
    window.runner.announce(Changes(kinds=frozenset({"visit"}), source=Source.SYNC))
    qtbot.waitUntil(lambda: panel.assessor_edit.text() == "同期で届いた人")
    assert panel.reason_edit.toPlainText() == "入力中の理由"


def test_typing_begun_before_the_load_keeps_the_visit(
    window: MainWindow, qtbot: QtBot, workspace: Workspace
) -> None:
    visit = workspace.engagements.add(
        {"municipality": WAKAYAMA, "date": "2025-04-01", "title": "元の件名"}
    )
    editor = _show_visit(window, qtbot, visit["id"])
    window.filter_edit.setFocus()
    workspace.engagements.update(visit["id"], {"title": "同期で届いた件名"})
    gate = threading.Event()
    window.runner.run(lambda: gate.wait(10))
    window.runner.announce(
        Changes(
            kinds=frozenset({"visit"}), municipalities=frozenset({WAKAYAMA}), source=Source.SYNC
        )
    )
    type_text(editor.notes_edit, "入力中のメモ")
    gate.set()
    window.runner.wait_idle()
    qtbot.wait(50)
    assert editor.notes_edit.hasFocus()
    assert editor.notes_edit.toPlainText() == "入力中のメモ"
    assert editor.title_edit.text() == "元の件名"


def test_a_sync_that_brought_nothing_reads_no_form_again(
    window: MainWindow, qtbot: QtBot, workspace: Workspace
) -> None:
    record_id = _open_assessment(window, qtbot, workspace)
    panel = window.assessment
    workspace.assessments.update(record_id, {"assessor": "書き換え"})
    window.filter_edit.setFocus()
    window.runner.announce(Changes(source=Source.SYNC))
    window.runner.wait_idle()
    qtbot.wait(50)
    assert panel.assessor_edit.text() == "田中"


def test_a_restore_reads_the_open_visit_again(
    window: MainWindow, qtbot: QtBot, workspace: Workspace
) -> None:
    visit = workspace.engagements.add(
        {"municipality": WAKAYAMA, "date": "2025-04-01", "title": "元の件名"}
    )
    editor = _show_visit(window, qtbot, visit["id"])
    workspace.engagements.update(visit["id"], {"title": "バックアップの件名"})
    window.runner.announce(Changes(source=Source.RESTORE, everything=True))
    qtbot.waitUntil(lambda: editor.title_edit.text() == "バックアップの件名")
    assert editor.record_id == visit["id"]


def test_an_undo_brings_a_deleted_interview_back_into_the_open_visit(
    window: MainWindow, qtbot: QtBot, workspace: Workspace
) -> None:
    visit = workspace.engagements.add({"municipality": WAKAYAMA, "date": "2025-04-01"})
    note = workspace.interviews.add({"engagement": visit["id"], "interviewee": "情報政策課"})
    keys = workspace.interviews.delete(note["id"])
    interviews = _show_visit(window, qtbot, visit["id"]).interviews
    window.runner.wait_idle()
    qtbot.waitUntil(lambda: interviews.model.rowCount() == 0)
    window.undo.remember(workspace.interviews, "ヒアリング", keys)
    window.undo.action.trigger()
    qtbot.waitUntil(lambda: interviews.model.rowCount() == 1)


def test_a_sync_lists_the_articles_it_brought(
    window: MainWindow, qtbot: QtBot, workspace: Workspace
) -> None:
    panel = window.knowledge.panel
    window.tabs.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0)
    window.runner.wait_idle()
    article = workspace.articles.add({"title": "届いた記事", "category": "know_how"})
    window.runner.announce(Changes(kinds=frozenset({"article"}), source=Source.SYNC))
    qtbot.waitUntil(lambda: panel.model.row_of(article["id"]) >= 0)


# -- the report commands know the window only by a narrow interface --------------------------


def test_the_report_commands_need_no_main_window(
    qtbot: QtBot, workspace: Workspace, tmp_path: Path
) -> None:
    parent = QMainWindow()
    qtbot.addWidget(parent)
    runner = StoreRunner(parent)
    flushed: list[bool] = []
    reports = ReportActions(
        parent,
        workspace,
        runner,
        on_screen=lambda: OnScreen("visit", None),
        flush=lambda: flushed.append(True),
    )
    try:
        assert reports.preview_current() is None
        assert flushed == [True]
        assert parent.statusBar().currentMessage() == "印刷する相談記録を一覧から選んでください"
    finally:
        runner.shutdown()


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_only_the_app_imports_the_main_window() -> None:
    """No panel or action module imports the window (report_actions used to, in a cycle)."""
    ui = Path(dxdesk.ui.__file__).parent
    importers = {
        path.name for path in ui.glob("*.py") if "dxdesk.ui.main_window" in _imported_modules(path)
    }
    assert importers == {"app.py"}
