"""At the window's default size (1280×800) the visit list shows its 件名 column and the
assessment its 前年度 column, whole; in English too, the lists show every column whole."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLocale, QPoint
from PySide6.QtWidgets import QApplication, QTableView, QWidget
from pytestqt.qtbot import QtBot

from dxdesk.domain.catalog import load_catalog
from dxdesk.services.workspace import Workspace
from dxdesk.ui.engagements_panel import TITLE_COLUMN
from dxdesk.ui.language import install_translators
from dxdesk.ui.main_window import MainWindow
from tests.gui.keys import select_municipality

WAKAYAMA = "302015"
TITLES = {
    "regular_consultation": "定例よろず相談（11月）",
    "theme_consultation": "テーマ別よろず相談（12月）",
    "visit": "窓口BPRの相談",
}


def _inside(widget: QWidget, area: QWidget) -> bool:
    """Whether ``widget`` lies whole, left to right, within ``area`` (a viewport)."""
    left = widget.mapTo(area, QPoint(0, 0)).x()
    return left >= 0 and left + widget.width() <= area.width()


@pytest.fixture
def english(qapp: QApplication) -> Iterator[None]:
    """The UI in English (requested before ``window``, which is then made in English)."""
    before = QLocale()
    installed = install_translators(qapp, "en")
    yield
    for translator in installed:
        qapp.removeTranslator(translator)
    QLocale.setDefault(before)


def _columns_cut(view: QTableView) -> list[str]:
    """The columns of ``view`` that do not show whole, and a sideways scroll bar if it has one."""
    header = view.horizontalHeader()
    cut = [
        str(view.model().headerData(column, header.orientation()))
        for column in range(header.count())
        if view.columnViewportPosition(column) + view.columnWidth(column) > view.viewport().width()
        or view.columnWidth(column)
        < max(view.sizeHintForColumn(column), header.sectionSizeHint(column))
    ]
    return cut + (["(scrolls sideways)"] if view.horizontalScrollBar().maximum() > 0 else [])


def test_in_english_the_lists_show_every_column_whole(
    english: None, window: MainWindow, qtbot: QtBot, workspace: Workspace
) -> None:
    # English headers and names run longer than Japanese: the lists widen to fit them, the
    # visit list by the same measure as the municipality list.
    assert window.tabs.tabText(0) != "概要", "the window was made before English was set up"
    assert _columns_cut(window.municipality_view) == []
    for day in range(10, 13):
        workspace.engagements.add(
            {
                "municipality": WAKAYAMA,
                "date": f"2026-11-{day}",
                "type": "theme_consultation",
                "mode": "オンライン",
                "title": "窓口BPR",
            }
        )
    window.refresh()
    select_municipality(window, qtbot, WAKAYAMA)
    window.tabs.setCurrentWidget(window.engagements)
    view = window.engagements.view
    qtbot.waitUntil(lambda: view.model().rowCount() == 3)
    assert _columns_cut(view) == []


def test_the_visit_list_shows_the_title_column_whole(
    window: MainWindow, qtbot: QtBot, workspace: Workspace
) -> None:
    assert (window.width(), window.height()) == (1280, 800)
    for day, (kind, title) in enumerate(TITLES.items(), start=10):
        workspace.engagements.add(
            {"municipality": WAKAYAMA, "date": f"2026-11-{day}", "type": kind, "title": title}
        )
    window.refresh()
    select_municipality(window, qtbot, WAKAYAMA)
    window.tabs.setCurrentWidget(window.engagements)
    view = window.engagements.view
    qtbot.waitUntil(lambda: view.model().rowCount() == len(TITLES))
    column = TITLE_COLUMN
    assert view.model().headerData(column, view.horizontalHeader().orientation()) == "件名"
    right_edge = view.columnViewportPosition(column) + view.columnWidth(column)
    assert view.columnViewportPosition(column) >= 0
    assert right_edge <= view.viewport().width(), "the 件名 column runs past the list"
    assert view.columnWidth(column) >= view.sizeHintForColumn(column), "titles are cut"


def test_the_assessment_shows_the_previous_year_column_whole(
    window: MainWindow, qtbot: QtBot, workspace: Workspace
) -> None:
    catalog = load_catalog()
    # The longest answers the scales have, last year and this.
    longest = {item.code: 1 if not item.code.startswith("D") else 3 for item in catalog.items}
    workspace.assessments.add({"municipality": WAKAYAMA, "fiscal_year": 2024, "scores": longest})
    current = workspace.assessments.add(
        {"municipality": WAKAYAMA, "fiscal_year": 2025, "scores": longest}
    )
    select_municipality(window, qtbot, WAKAYAMA)
    window.tabs.setCurrentWidget(window.assessment)
    panel = window.assessment
    qtbot.waitUntil(lambda: panel.form.record_id == current["id"])
    area = panel.items_area
    qtbot.waitUntil(lambda: area.viewport().width() > 0)
    assert area.horizontalScrollBar().maximum() == 0, "the items scroll sideways"
    for item in catalog.items:
        label = panel.grid.previous_labels[item.code]
        assert "前年度" in label.text() + label.toolTip(), item.code
        assert label.width() >= label.sizeHint().width(), f"{item.code}: {label.text()} is cut"
        assert _inside(label, area.viewport()), f"{item.code}: 前年度 is out of view"
        box = panel.grid.boxes[item.code]
        assert _inside(box, area.viewport()), f"{item.code}: the answer is out of view"
