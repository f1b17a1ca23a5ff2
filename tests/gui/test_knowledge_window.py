"""The knowledge features in the window: Ctrl+F opens search and a hit opens its record; a
visit shared as knowledge lands in the ナレッジ tab; know-who opens where a person came from."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from dxdesk.services.search import search
from dxdesk.ui.main_window import MainWindow
from tests.gui.keys import select_municipality, type_text

SHIRAHAMA, KUSHIMOTO = "304018", "304280"


def _visit(window: MainWindow, code: str, **fields: object) -> str:
    payload = {"municipality": code, "date": "2025-06-12", "title": "訪問", **fields}
    return str(window._ws.engagements.add(payload)["id"])


def test_ctrl_f_searches_and_enter_opens_the_visit_in_its_municipality(
    qtbot: QtBot, window: MainWindow
) -> None:
    select_municipality(window, qtbot, SHIRAHAMA)
    visit = _visit(window, KUSHIMOTO, title="鯨の町の観光", notes="観光DXの人材を育てる")
    QTest.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    dialog = window.knowledge.search_dialog
    assert dialog is not None and dialog.isVisible()
    type_text(dialog.query_edit, "人材")
    qtbot.waitUntil(lambda: dialog.results.count() == 1 and not dialog.pending(), timeout=5000)
    QTest.keyClick(dialog.query_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.engagements.editor.record_id == visit, timeout=5000)
    assert window.heading.text().startswith("串本町")
    assert window.tabs.currentWidget() is window.engagements


def test_an_interview_hit_opens_its_visit(qtbot: QtBot, window: MainWindow) -> None:
    visit = _visit(window, SHIRAHAMA)
    window._ws.interviews.add(
        {"engagement": visit, "interviewee": "浜口", "notes": "共同調達の経験がある"}
    )
    dialog = window.knowledge.open_search()
    type_text(dialog.query_edit, "共同調達")
    qtbot.waitUntil(lambda: dialog.results.count() == 1 and not dialog.pending(), timeout=5000)
    QTest.keyClick(dialog.query_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.engagements.editor.record_id == visit, timeout=5000)


def test_sharing_a_visit_publishes_an_article_shown_in_its_tab_and_found(
    qtbot: QtBot, window: MainWindow
) -> None:
    visit = _visit(window, SHIRAHAMA, title="RPA の導入", summary="給与事務を自動化した")
    select_municipality(window, qtbot, SHIRAHAMA)
    window.engagements.select(visit)
    qtbot.waitUntil(lambda: window.engagements.editor.share_button.isEnabled())
    QTest.mouseClick(window.engagements.editor.share_button, Qt.MouseButton.LeftButton)
    [dialog] = window.knowledge._shares.values()
    qtbot.waitUntil(lambda: dialog.loaded)
    with qtbot.waitSignal(dialog.published) as published:
        QTest.mouseClick(dialog.publish_button, Qt.MouseButton.LeftButton)
    article = published.args[0]
    panel = window.knowledge.panel
    qtbot.waitUntil(lambda: window.tabs.currentWidget() is panel, timeout=5000)
    qtbot.waitUntil(lambda: panel.editor.record_id == article["id"], timeout=5000)
    assert {h.id for h in search(window._ws.store, "給与事務")} == {visit, article["id"]}


def test_know_who_opens_the_article_a_person_came_from(qtbot: QtBot, window: MainWindow) -> None:
    article = window._ws.articles.add(
        {
            "title": "オープンデータの担当",
            "municipality": KUSHIMOTO,
            "themes": ["オープンデータ・利活用"],
            "people": [{"name": "浜口 真", "organisation": "総務課", "role": "主査"}],
        }
    )
    know_who = window.knowledge.know_who
    window.tabs.setCurrentWidget(know_who)
    qtbot.waitUntil(lambda: know_who.model.rowCount() == 1, timeout=5000)
    know_who.open_requested.emit("article", article["id"])  # what a double-click emits
    panel = window.knowledge.panel
    qtbot.waitUntil(lambda: window.tabs.currentWidget() is panel, timeout=5000)
    qtbot.waitUntil(lambda: panel.editor.record_id == article["id"], timeout=5000)


def test_the_indexer_catches_up_in_steps_without_a_search(
    qtbot: QtBot, window: MainWindow, monkeypatch: object
) -> None:
    from sqlalchemy import text

    from dxdesk.ui import search_indexer

    monkeypatch.setattr(search_indexer, "STEP", 2)  # type: ignore[attr-defined]
    for n in range(5):
        _visit(window, SHIRAHAMA, notes=f"段階 {n}")
    indexer = window.knowledge.indexer
    busy: list[bool] = []
    indexer.busy_changed.connect(busy.append)
    indexer.start()
    indexer.start()  # asked again while running: one more round after, not a second chain
    qtbot.waitUntil(lambda: busy[-1:] == [False], timeout=5000)
    assert busy == [True, False]
    with window._ws.store.session() as session:
        indexed = session.scalar(text("SELECT count(*) FROM search_index WHERE kind = 'visit'"))
    assert indexed == 5
