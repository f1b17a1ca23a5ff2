"""An assessment entered by keyboard only (Tab to the next item, 0–3 answers it), and drop-downs,
dates and spin boxes that change only when the person means it: the mouse wheel scrolls the page,
arrows on a closed drop-down open its list instead of changing the value."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from dataclasses import replace
from pathlib import Path

from PySide6 import QtWidgets
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QWidget
from pytestqt.qtbot import QtBot

import dxdesk.ui
from dxdesk.domain.catalog import load_catalog
from dxdesk.services.workspace import Workspace
from dxdesk.ui.assessment_panel import AssessmentPanel
from dxdesk.ui.choice_box import IgnoresWheel
from dxdesk.ui.main_window import MainWindow
from dxdesk.ui.survey_wizard_pages import FiscalYearSpinBox
from tests.gui.keys import select_municipality

KAINAN = "302023"
DIGIT_KEYS = {0: Qt.Key.Key_0, 1: Qt.Key.Key_1, 2: Qt.Key.Key_2, 3: Qt.Key.Key_3}


def _new_assessment(window: MainWindow, qtbot: QtBot) -> AssessmentPanel:
    select_municipality(window, qtbot, KAINAN)
    window.tabs.setCurrentWidget(window.assessment)
    panel = window.assessment
    panel.new_button.click()
    qtbot.waitUntil(lambda: panel.form.record_id is not None)
    if not window.isActiveWindow():
        with qtbot.waitActive(window):
            window.activateWindow()
    return panel


def _focused() -> QWidget | None:
    return QApplication.focusWidget()


def _tab() -> None:
    """Press Tab where the keyboard focus is, as a person does."""
    focus = _focused()
    assert focus is not None, "nothing has the keyboard focus"
    QTest.keyClick(focus, Qt.Key.Key_Tab)


def _wheel(widget: QWidget, steps: int) -> None:
    """The mouse wheel turned over ``widget``, through the window system as a person turns it
    (negative: towards the person, scrolling down)."""
    window = widget.window().windowHandle()
    assert window is not None
    at = widget.mapTo(widget.window(), widget.rect().center())
    QTest.wheelEvent(window, QPointF(at), QPoint(0, 120 * steps))


def _answer_for(index: int, scale_values: tuple[int, ...]) -> int:
    return scale_values[index % len(scale_values)]


def test_tab_walks_the_26_items_in_order_and_digits_answer_the_focused_one(
    window: MainWindow, qtbot: QtBot, workspace: Workspace
) -> None:
    panel = _new_assessment(window, qtbot)
    catalog = load_catalog()
    assert len(catalog.items) == 26
    panel.assessor_edit.setFocus()
    expected: dict[str, int] = {}
    for index, item in enumerate(catalog.items):
        _tab()
        box = panel.grid.boxes[item.code]
        assert _focused() is box, f"Tab should reach {item.code}, reached {_focused()!r}"
        if item.code.startswith("D"):
            # The prefecture's items are answered 3 (at least one) or 0 (none): 1 and 2 do
            # nothing there.
            unanswered = box.currentData()
            for digit in (1, 2):
                QTest.keyClick(box, DIGIT_KEYS[digit])
                assert box.currentData() == unanswered, item.code
            value = 3 if index % 2 else 0
        else:
            value = _answer_for(index, (3, 2, 1, 0))
        QTest.keyClick(box, DIGIT_KEYS[value])
        assert box.currentData() == value, item.code
        expected[item.code] = value
        # The focused item is on screen (the page scrolls along with Tab).
        assert not box.visibleRegion().isEmpty(), item.code
    _tab()  # leaving the grid saves at once
    record_id = panel.form.record_id or ""
    qtbot.waitUntil(lambda: workspace.assessments.get(record_id)["scores"] == expected)
    assert panel.total_label.text().startswith(f"{sum(expected.values())} / 78 点")


def test_tab_reaches_the_items_of_a_grid_shown_again_after_another_catalogs(
    window: MainWindow, qtbot: QtBot
) -> None:
    """Next year's catalog shows its own grid; back on this year's record, Tab from 実施者 goes
    to this year's items again, not to the hidden grid's (and so on to 確定)."""
    panel = _new_assessment(window, qtbot)
    this_year = panel.grid.catalog
    # Only one catalog is bundled: next year's is this one under another version.
    next_year = replace(this_year, version="2099")
    for catalog in (next_year, this_year, next_year, this_year):
        panel._show_grid(catalog)
        grid = panel.grid
        assert grid.catalog is catalog
        panel.assessor_edit.setFocus()
        QTest.keyClick(panel.assessor_edit, Qt.Key.Key_Tab)
        first = grid.boxes[catalog.codes[0]]
        assert _focused() is first, f"{catalog.version}: Tab reached {_focused()!r}"
        last = grid.boxes[catalog.codes[-1]]
        last.setFocus()
        QTest.keyClick(last, Qt.Key.Key_Tab)
        assert _focused() is panel.level_box, catalog.version


def test_delete_clears_the_focused_answer(
    window: MainWindow, qtbot: QtBot, workspace: Workspace
) -> None:
    panel = _new_assessment(window, qtbot)
    box = panel.grid.boxes["0-3"]
    box.setFocus()
    QTest.keyClick(box, Qt.Key.Key_2)
    assert panel.grid.scores()["0-3"] == 2
    QTest.keyClick(box, Qt.Key.Key_Delete)
    assert panel.grid.scores()["0-3"] is None


def test_the_wheel_scrolls_the_page_and_never_changes_an_answer(
    window: MainWindow, qtbot: QtBot
) -> None:
    panel = _new_assessment(window, qtbot)
    box = panel.grid.boxes["3-1"]
    before = box.currentIndex()
    scroll_bar = panel.items_area.verticalScrollBar()
    top = scroll_bar.value()
    _wheel(box, -1)
    assert box.currentIndex() == before
    assert scroll_bar.value() > top, "the page scrolls instead"
    assert _focused() is not box  # the wheel does not take the focus either
    _wheel(panel.level_box, -1)
    assert panel.level_box.currentData() == 0  # still 未確定


def test_the_wheel_never_changes_a_date_either(window: MainWindow, qtbot: QtBot) -> None:
    # A date with its calendar drop-down (実施日, a visit's 日付, a follow-up's 期限) is scrolled
    # over like the drop-downs beside it.
    panel = _new_assessment(window, qtbot)
    before = panel.assessed_on_edit.date()
    _wheel(panel.assessed_on_edit, -1)
    _wheel(panel.assessed_on_edit, 2)
    assert panel.assessed_on_edit.date() == before
    assert _focused() is not panel.assessed_on_edit


def test_arrow_keys_on_a_closed_drop_down_open_it_instead_of_changing_it(
    window: MainWindow, qtbot: QtBot
) -> None:
    panel = _new_assessment(window, qtbot)
    level = panel.level_box
    level.setFocus()
    for key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_End):
        QTest.keyClick(level, key)
        assert level.currentData() == 0, key  # still 未確定
        level.hidePopup()
    # Down opens the list; choosing in it (Down, Enter) is choosing on purpose.
    QTest.keyClick(level, Qt.Key.Key_Down)
    popup = level.view()
    qtbot.waitUntil(popup.isVisible)
    QTest.keyClick(popup, Qt.Key.Key_Down)
    QTest.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not popup.isVisible())
    assert level.currentIndex() == 1 and level.currentData() != 0
    # (Back to 未確定: a level other than the suggestion waits for its reason.)
    level.setCurrentIndex(0)
    qtbot.waitUntil(lambda: panel.form.state_label.text() == "保存済み")


def test_the_wheel_never_changes_the_fiscal_year_of_a_survey_import(
    window: MainWindow, qtbot: QtBot
) -> None:
    wizard = window.open_survey_import()
    qtbot.waitExposed(wizard)
    year = wizard.choose.year
    year.setValue(2025)
    _wheel(year, 1)
    _wheel(year, -2)
    assert year.fiscal_year() == 2025
    assert _focused() is not year
    # Focused on purpose (a click or Tab), its arrow keys step it as a spin box's do.
    year.setFocus()
    QTest.keyClick(year, Qt.Key.Key_Up)
    assert year.fiscal_year() == 2026
    wizard.reject()


def test_every_drop_down_date_and_spin_box_of_the_window_and_its_dialogs_ignores_the_wheel(
    window: MainWindow, qtbot: QtBot
) -> None:
    _new_assessment(window, qtbot)
    search = window.knowledge.open_search()
    wizard = window.open_survey_import()
    boxes = [
        box
        for top in (window, search, wizard)
        for kind in (QComboBox, QAbstractSpinBox)
        for box in top.findChildren(kind)
    ]
    assert len(boxes) > 30
    assert any(isinstance(box, QAbstractSpinBox) for box in boxes)
    plain = {
        f"{type(box).__name__} {box.accessibleName()}"
        for box in boxes
        if not isinstance(box, IgnoresWheel)
    }
    assert plain == set()
    search.close()
    wizard.reject()


# Every Qt widget the wheel would change: drop-downs and spin boxes (QSpinBox, QDateEdit, …).
# (dir: PySide6 loads a class when it is first asked for, so vars() lacks most of them.)
_WHEEL_CHANGED = {
    name
    for name in dir(QtWidgets)
    if inspect.isclass(kind := getattr(QtWidgets, name))
    and issubclass(kind, (QComboBox, QAbstractSpinBox))
}


def _ui_classes() -> list[type]:
    """The classes each module of dxdesk/ui defines."""
    names = [f"dxdesk.ui.{module.name}" for module in pkgutil.iter_modules(dxdesk.ui.__path__)]
    return [
        kind
        for name in names
        for kind in vars(importlib.import_module(name)).values()
        if inspect.isclass(kind) and kind.__module__ == name
    ]


def test_no_module_makes_a_plain_drop_down_or_spin_box() -> None:
    """Widgets made later (a dialog not opened above) follow the rule too."""
    assert {"QComboBox", "QSpinBox", "QDateEdit", "QDoubleSpinBox"} <= _WHEEL_CHANGED
    ui = Path(dxdesk.ui.__file__).parent
    plain = [
        f"{path.name}:{node.lineno}: {ast.unparse(node)}"
        for path in sorted(ui.glob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and (
            (isinstance(node.func, ast.Name) and node.func.id in _WHEEL_CHANGED)
            or (isinstance(node.func, ast.Attribute) and node.func.attr in _WHEEL_CHANGED)
        )
    ]
    assert plain == []


def test_every_drop_down_and_spin_box_class_of_the_ui_ignores_the_wheel() -> None:
    wheel_changed = [
        kind for kind in _ui_classes() if issubclass(kind, (QComboBox, QAbstractSpinBox))
    ]
    assert FiscalYearSpinBox in wheel_changed
    plain = [kind.__qualname__ for kind in wheel_changed if not issubclass(kind, IgnoresWheel)]
    assert plain == []
