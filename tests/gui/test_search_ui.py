"""Search (Ctrl+F) and know-who as an advisor uses them: type a word, see it marked, open it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QComboBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from dxdesk.domain.fiscal_year import fiscal_year_of
from dxdesk.models.store import StoreError
from dxdesk.services.workspace import Workspace
from dxdesk.ui import search_dialog
from dxdesk.ui.know_who_panel import KnowWhoPanel
from dxdesk.ui.runner import StoreRunner
from dxdesk.ui.search_dialog import ID_ROLE, KIND_ROLE, SearchDialog
from dxdesk.ui.search_snippet import HIGHLIGHT, HTML_ROLE
from dxdesk.ui.table_model import RECORD_ROLE
from tests.gui.keys import type_text

SHIRAHAMA, KUSHIMOTO = "304018", "304280"
HUMAN_RESOURCES = "DX人材育成・確保"
OPEN_DATA = "オープンデータ・利活用"


@pytest.fixture
def runner() -> Iterator[StoreRunner]:
    store_runner = StoreRunner()
    yield store_runner
    store_runner.wait_idle()
    store_runner.shutdown()


def _names(ws: Workspace) -> list[tuple[str, str]]:
    return [(r["code"], r["name"]) for r in ws.municipalities.overview(assigned_only=False)]


@pytest.fixture
def dialog(qtbot: QtBot, workspace: Workspace, runner: StoreRunner) -> SearchDialog:
    widget = SearchDialog(workspace, runner, _names(workspace))
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _visit(ws: Workspace, code: str = SHIRAHAMA, **fields: object) -> str:
    payload = {"municipality": code, "date": "2025-06-12", "title": "訪問", **fields}
    return str(ws.engagements.add(payload)["id"])


def _search(qtbot: QtBot, dialog: SearchDialog, query: str) -> list[tuple[str, str]]:
    """Type ``query`` as a person does and wait for the answer: (kind, id) of every row."""
    dialog.query_edit.clear()
    type_text(dialog.query_edit, query)
    assert dialog.pending()  # nothing is searched while typing goes on
    qtbot.waitUntil(lambda: not dialog.pending(), timeout=5000)
    return _rows(dialog)


def _rows(dialog: SearchDialog) -> list[tuple[str, str]]:
    items = [dialog.results.item(r) for r in range(dialog.results.count())]
    return [(i.data(KIND_ROLE), i.data(ID_ROLE)) for i in items]


def _choose(qtbot: QtBot, dialog: SearchDialog, box: QComboBox, data: object) -> None:
    box.setCurrentIndex(box.findData(data))
    assert dialog.pending()
    qtbot.waitUntil(lambda: not dialog.pending(), timeout=5000)


def _double_click(qtbot: QtBot, view: QAbstractItemView, index: QModelIndex) -> None:
    """As a mouse does it: a click, then the second press that Qt reports as a double-click."""
    where = view.visualRect(index).center()
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)


def test_a_two_character_word_is_found_and_shown_marked(
    qtbot: QtBot, dialog: SearchDialog, workspace: Workspace
) -> None:
    people = _visit(workspace, title="人材の相談", notes="【重要】DX人材の育成について研修計画")
    _visit(workspace, notes="財務会計の RPA")
    assert _search(qtbot, dialog, "人材") == [("visit", people)]
    assert dialog.status.text() == "1 件"
    item = dialog.results.item(0)
    rich = item.data(HTML_ROLE)
    assert f"{HIGHLIGHT}人材</span>" in rich  # bold on yellow
    assert "【重要】" in rich  # a bracket of the text itself stays, unmarked
    assert "【人材】" not in rich and "【人材】" not in item.text()
    assert "相談記録 · 白浜町" in item.text()
    assert "人材の相談" in item.text()
    assert dialog.results.sizeHintForRow(0) > 2 * dialog.fontMetrics().height()  # two lines
    assert not dialog.grab().isNull()  # the delegate paints


def test_text_is_escaped_and_full_width_finds_half_width(
    qtbot: QtBot, dialog: SearchDialog, workspace: Workspace
) -> None:
    rpa = _visit(workspace, title="<script>", notes="RPA & AI の導入を試す")
    assert _search(qtbot, dialog, "ＲＰＡ") == [("visit", rpa)]
    rich = dialog.results.item(0).data(HTML_ROLE)
    assert f"{HIGHLIGHT}RPA</span> &amp; AI" in rich
    assert "&lt;script&gt;" in rich and "<script>" not in rich
    assert _search(qtbot, dialog, "見つからない言葉") == []
    assert dialog.status.text() == "見つかりませんでした"


def test_filters_narrow_the_results(
    qtbot: QtBot, dialog: SearchDialog, workspace: Workspace
) -> None:
    this_year = fiscal_year_of(date.today())
    visit = _visit(workspace, date="2020-06-01", notes="研修の計画", themes=[HUMAN_RESOURCES])
    contact = str(
        workspace.contacts.add(
            {"municipality": KUSHIMOTO, "name": "串本 花子", "notes": "研修担当"}
        )["id"]
    )
    article = str(
        workspace.articles.add(
            {"title": "研修の進め方", "body": "全庁研修", "fiscal_year": this_year}
        )["id"]
    )
    assert set(_search(qtbot, dialog, "研修")) == {
        ("visit", visit),
        ("contact", contact),
        ("article", article),
    }
    _choose(qtbot, dialog, dialog.kind_box, "contact")
    assert _rows(dialog) == [("contact", contact)]
    _choose(qtbot, dialog, dialog.kind_box, None)
    _choose(qtbot, dialog, dialog.municipality_box, SHIRAHAMA)
    assert _rows(dialog) == [("visit", visit)]
    _choose(qtbot, dialog, dialog.municipality_box, None)
    _choose(qtbot, dialog, dialog.year_box, this_year)
    assert _rows(dialog) == [("article", article)]
    assert dialog.year_box.currentText() == f"R{this_year - 2018} ({this_year})"
    _choose(qtbot, dialog, dialog.year_box, None)
    dialog.theme_box.setCurrentText(HUMAN_RESOURCES)
    qtbot.waitUntil(lambda: not dialog.pending(), timeout=5000)
    assert _rows(dialog) == [("visit", visit)]


class HeldRunner:
    """Runs nothing until told, so a test chooses the order the answers arrive in."""

    def __init__(self) -> None:
        self.calls: list[tuple[Callable[[], Any], Any, Any]] = []

    def run(self, call: Callable[[], Any], on_done: Any = None, on_error: Any = None) -> None:
        self.calls.append((call, on_done, on_error))

    def answer(self, n: int) -> None:
        call, on_done, on_error = self.calls[n]
        try:
            result = call()
        except Exception as error:
            on_error(error)
        else:
            on_done(result)


def test_a_slower_older_answer_does_not_overwrite_a_newer_one(
    qtbot: QtBot, workspace: Workspace
) -> None:
    training = _visit(workspace, notes="研修の計画")
    people = _visit(workspace, notes="人材の確保")
    held = HeldRunner()
    dialog = SearchDialog(workspace, held, _names(workspace))  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.query_edit.setText("研修")
    dialog.search_now()
    dialog.query_edit.setText("人材")
    dialog.search_now()
    held.answer(1)
    assert _rows(dialog) == [("visit", people)]
    held.answer(0)  # the first query's answer arrives last
    assert _rows(dialog) == [("visit", people)]
    assert not dialog.pending()
    dialog.query_edit.setText("研修")
    dialog.search_now()
    assert dialog.pending()  # the old rows are not this query's answer
    held.answer(2)
    assert _rows(dialog) == [("visit", training)]


def test_a_search_error_is_shown_not_raised(
    qtbot: QtBot, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> list[object]:
        raise StoreError("データベースが壊れています")

    monkeypatch.setattr(search_dialog, "search", broken)
    held = HeldRunner()
    dialog = SearchDialog(workspace, held, [])  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.query_edit.setText("人材")
    dialog.search_now()
    held.answer(0)
    assert "データベースが壊れています" in dialog.status.text()
    assert dialog.results.count() == 0


def test_enter_and_double_click_open_the_chosen_result(
    qtbot: QtBot, dialog: SearchDialog, workspace: Workspace
) -> None:
    first = _visit(workspace, date="2025-06-12", notes="窓口業務の改善")
    second = _visit(workspace, date="2025-07-01", notes="窓口業務の標準化")
    found = _search(qtbot, dialog, "窓口業務")
    assert {record_id for _, record_id in found} == {first, second}
    with qtbot.waitSignal(dialog.open_requested) as opened:
        QTest.keyClick(dialog.query_edit, Qt.Key.Key_Return)  # Enter in the query: the first
    assert opened.args == list(found[0])
    QTest.keyClick(dialog.query_edit, Qt.Key.Key_Down)  # into the list
    assert dialog.results.hasFocus()
    QTest.keyClick(dialog.results, Qt.Key.Key_Down)
    with qtbot.waitSignal(dialog.open_requested) as opened:
        QTest.keyClick(dialog.results, Qt.Key.Key_Return)
    assert opened.args == list(found[1])
    with qtbot.waitSignal(dialog.open_requested) as opened:
        _double_click(qtbot, dialog.results, dialog.results.model().index(0, 0))
    assert opened.args == list(found[0])
    dialog.focus_query()
    assert dialog.query_edit.selectedText() == "窓口業務"
    QTest.keyClick(dialog.query_edit, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


@pytest.fixture
def panel(qtbot: QtBot, workspace: Workspace, runner: StoreRunner) -> KnowWhoPanel:
    widget = KnowWhoPanel(workspace, runner)
    qtbot.addWidget(widget)
    widget.set_municipalities(_names(workspace))
    return widget


def _people(panel: KnowWhoPanel) -> list[dict[str, Any]]:
    proxy = panel.view.model()
    return [proxy.index(r, 0).data(RECORD_ROLE) for r in range(proxy.rowCount())]


def test_know_who_lists_an_articles_people_and_filters_by_theme(
    qtbot: QtBot, panel: KnowWhoPanel, workspace: Workspace, qtmodeltester: ModelTester
) -> None:
    article = workspace.articles.add(
        {
            "title": "RPA導入の進め方",
            "municipality": SHIRAHAMA,
            "themes": [HUMAN_RESOURCES],
            "people": [{"name": "山田 太郎", "organisation": "総務課", "role": "係長"}],
        }
    )
    visit = _visit(
        workspace, code=KUSHIMOTO, date="2025-05-01", title="オープンデータ", themes=[OPEN_DATA]
    )
    workspace.interviews.add({"engagement": visit, "interviewee": "串本 次郎", "role": "課長"})
    panel.reload()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2, timeout=5000)
    qtmodeltester.check(panel.model)
    by_name = {p["name"]: p for p in _people(panel)}
    yamada = by_name["山田 太郎"]
    assert yamada["municipality"] == "白浜町"
    assert yamada["affiliation"] == "総務課 / 係長"
    assert yamada["themes"] == HUMAN_RESOURCES
    assert yamada["sources"] == "ナレッジ: RPA導入の進め方"
    assert by_name["串本 次郎"]["sources"] == "ヒアリング: 2025-05-01 オープンデータ"
    assert panel.summary.text() == "2 人"

    panel.theme_box.setCurrentIndex(panel.theme_box.findData(HUMAN_RESOURCES))
    assert [p["name"] for p in _people(panel)] == ["山田 太郎"]
    panel.theme_box.setCurrentIndex(0)
    panel.municipality_box.setCurrentIndex(panel.municipality_box.findData(KUSHIMOTO))
    assert [p["name"] for p in _people(panel)] == ["串本 次郎"]
    panel.municipality_box.setCurrentIndex(0)
    type_text(panel.filter_edit, "総務")
    assert [p["name"] for p in _people(panel)] == ["山田 太郎"]
    assert panel.summary.text() == "1 人"

    panel.show()
    qtbot.waitExposed(panel)
    with qtbot.waitSignal(panel.open_requested) as opened:
        _double_click(qtbot, panel.view, panel.view.model().index(0, 0))
    assert opened.args == ["article", article["id"]]


def test_know_who_keeps_the_chosen_theme_across_a_reload(
    qtbot: QtBot, panel: KnowWhoPanel, workspace: Workspace
) -> None:
    workspace.articles.add({"title": "公開", "themes": [OPEN_DATA], "people": [{"name": "佐藤"}]})
    panel.reload()
    qtbot.waitUntil(lambda: panel.theme_box.count() == 2, timeout=5000)
    panel.theme_box.setCurrentIndex(1)
    workspace.articles.add(
        {"title": "人材", "themes": [HUMAN_RESOURCES], "people": [{"name": "鈴木"}]}
    )
    panel.reload()
    qtbot.waitUntil(lambda: panel.theme_box.count() == 3, timeout=5000)
    assert panel.theme_box.currentData() == OPEN_DATA
    assert [p["name"] for p in _people(panel)] == ["佐藤"]
