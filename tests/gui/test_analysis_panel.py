from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QLabel, QTableView
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from dxdesk.demo_data import seed_demo
from dxdesk.domain.percent import format_percent
from dxdesk.services.workspace import Workspace
from dxdesk.ui.analysis_panel import (
    FALL,
    MET,
    NOT_YET,
    RISE,
    UNMET,
    AnalysisPanel,
    change_text,
)
from dxdesk.ui.table_model import RecordTableModel

KPI_HEADERS = ["年度", "4 共創", "3 協働", "2 支援", "1 関与", "確定済み"]


@pytest.fixture
def demo(workspace: Workspace) -> Workspace:
    seed_demo(workspace)
    return workspace


@pytest.fixture
def panel(qtbot: QtBot) -> AnalysisPanel:
    widget = AnalysisPanel()
    qtbot.addWidget(widget)
    return widget


def _headers(model: RecordTableModel) -> list[str]:
    return [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]


def _kpi_row(panel: AnalysisPanel, fiscal_year: int) -> dict[str, Any]:
    """Header -> (text, background colour) of the KPI row of that fiscal year."""
    model = panel.kpi_model
    row = model.row_of(fiscal_year)  # type: ignore[arg-type]
    assert row >= 0, fiscal_year
    cells = {}
    for column, header in enumerate(_headers(model)):
        index = model.index(row, column)
        brush = index.data(Qt.ItemDataRole.BackgroundRole)
        cells[header] = (index.data(), None if brush is None else brush.color())
    return cells


def _item_cells(panel: AnalysisPanel) -> dict[str, dict[str, str]]:
    model = panel.item_model
    headers = _headers(model)
    return {
        model.index(row, 0).data(): {
            header: model.index(row, column).data() for column, header in enumerate(headers)
        }
        for row in range(model.rowCount())
    }


def test_models_pass_the_model_tester(
    qtmodeltester: ModelTester, panel: AnalysisPanel, demo: Workspace
) -> None:
    qtmodeltester.check(panel.kpi_model)
    qtmodeltester.check(panel.item_model)
    panel.show_analysis(demo.analysis.tables())
    qtmodeltester.check(panel.kpi_model)
    qtmodeltester.check(panel.item_model)


def test_kpi_table_shows_the_demo_levels_per_fiscal_year(
    panel: AnalysisPanel, demo: Workspace
) -> None:
    panel.show_analysis(demo.analysis.tables())

    assert _headers(panel.kpi_model) == KPI_HEADERS
    assert panel.kpi_model.rowCount() == 3  # R5, R6 and the target year R7
    fy2023, fy2024 = _kpi_row(panel, 2023), _kpi_row(panel, 2024)
    assert [fy2023[h][0] for h in KPI_HEADERS] == ["R5 (2023)", "2", "10", "12", "6", "30 / 30"]
    assert [fy2024[h][0] for h in KPI_HEADERS] == ["R6 (2024)", "6", "22", "2", "0", "30 / 30"]
    assert fy2024["3 協働"] == ("22", None)  # no target that year: no colour
    fy2025 = _kpi_row(panel, 2025)
    assert fy2025["4 共創"] == ("未確定 / 目標 12", NOT_YET[0])
    assert fy2025["3 協働"] == ("未確定 / 目標 18", NOT_YET[0])
    assert fy2025["2 支援"] == ("—", None)
    assert fy2025["確定済み"][0] == "0 / 30"


def test_kpi_table_marks_targets_met_and_unmet(panel: AnalysisPanel, demo: Workspace) -> None:
    codes = [m["code"] for m in demo.municipalities.overview(assigned_only=False)]
    for code in codes[:13]:
        demo.assessments.add(
            {"municipality": code, "fiscal_year": 2025, "level": 4, "level_reason": "判断"}
        )
    demo.assessments.add(
        {"municipality": codes[13], "fiscal_year": 2025, "level": 3, "level_reason": "判断"}
    )

    panel.show_analysis(demo.analysis.tables())

    fy2025 = _kpi_row(panel, 2025)
    assert fy2025["4 共創"] == ("13 / 目標 12 達成", MET[0])
    assert fy2025["3 協働"] == ("1 / 目標 18 未達", UNMET[0])
    assert fy2025["2 支援"] == ("0", None)
    assert fy2025["確定済み"][0] == "14 / 30"
    tip = panel.kpi_model.index(panel.kpi_model.row_of(2025), 2).data(  # type: ignore[arg-type]
        Qt.ItemDataRole.ToolTipRole
    )
    assert "目標まであと 17" in tip


def test_item_table_shows_the_latest_year_and_the_change(
    panel: AnalysisPanel, demo: Workspace
) -> None:
    tables = demo.analysis.tables()
    panel.show_analysis(tables)

    assert [panel.year_combo.itemText(i) for i in range(panel.year_combo.count())] == [
        "R6 (2024)",
        "R5 (2023)",
    ]
    assert panel.year_combo.currentData() == 2024
    assert _headers(panel.item_model) == [
        "コード",
        "項目",
        "得点率",
        "前年度比",
        "回答団体",
        "分類",
    ]
    cells = _item_cells(panel)
    assert len(cells) == 26
    expected = {row["code"]: row for row in tables["item_ratios"][2024]["rows"]}
    d2 = expected["D2"]
    assert cells["D2"]["項目"] == "個別研修・WS"
    assert cells["D2"]["分類"] == "和歌山県独自指標"
    assert cells["D2"]["得点率"] == format_percent(d2["ratio"])
    assert cells["D2"]["前年度比"] == change_text(d2["change"])
    assert cells["D2"]["前年度比"].startswith("+") and cells["D2"]["前年度比"].endswith(" pt")
    assert cells["D2"]["回答団体"] == "30"
    assert "R5 (2023) との差" in panel.item_summary.text()

    panel.year_combo.setCurrentIndex(panel.year_combo.findData(2023))
    cells = _item_cells(panel)
    assert {row["前年度比"] for row in cells.values()} == {"—"}
    assert "前年度のアセスメントがない" in panel.item_summary.text()


def test_change_is_written_in_points_and_coloured(panel: AnalysisPanel) -> None:
    assert change_text(0.052) == "+5.2 pt"
    assert change_text(-0.03) == "−3.0 pt"
    assert change_text(0.0001) == "±0.0 pt"
    assert change_text(None) == "—"
    item = {"question": "q", "category_id": "0", "category": "分類", "ratio": 0.5, "answered": 2}
    rows = [
        {**item, "code": code, "short": code, "order": order, "change": change}
        for order, (code, change) in enumerate([("0-1", 0.1), ("0-3", -0.2), ("1-1", None)])
    ]
    kpi = {"municipalities": 30, "rows": []}
    year = {"fiscal_year": 2024, "previous_year": 2023, "assessed": 2, "rows": rows}
    panel.show_analysis({"kpi": kpi, "item_ratios": {2024: year}})
    column = panel.item_model.column_of("change")

    def colour(row: int) -> Any:
        brush = panel.item_model.index(row, column).data(Qt.ItemDataRole.ForegroundRole)
        return None if brush is None else brush.color()

    assert (colour(0), colour(1), colour(2)) == (RISE, FALL, None)


def test_item_table_sorts_by_change(panel: AnalysisPanel, demo: Workspace) -> None:
    tables = demo.analysis.tables()
    panel.show_analysis(tables)
    rows = tables["item_ratios"][2024]["rows"]
    largest = max(rows, key=lambda r: r["change"])["code"]
    smallest = min(rows, key=lambda r: r["change"])["code"]

    panel.item_view.sortByColumn(panel.item_model.column_of("change"), Qt.SortOrder.DescendingOrder)
    proxy = panel.item_view.model()
    assert proxy.index(0, 0).data() == largest
    assert proxy.index(proxy.rowCount() - 1, 0).data() == smallest

    # By code is by catalog order, not by string: 3-9 before 3-11.
    panel.item_view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    codes = [proxy.index(r, 0).data() for r in range(proxy.rowCount())]
    assert codes.index("3-9") < codes.index("3-11")
    assert codes[0] == "0-1" and codes[-1] == "D8"


def test_chosen_year_survives_a_refresh(panel: AnalysisPanel, demo: Workspace) -> None:
    tables = demo.analysis.tables()
    panel.show_analysis(tables)
    panel.year_combo.setCurrentIndex(panel.year_combo.findData(2023))
    panel.show_analysis(tables)
    assert panel.year_combo.currentData() == 2023


def test_empty_store_shows_the_targets_and_no_items(
    panel: AnalysisPanel, workspace: Workspace
) -> None:
    panel.show_analysis(workspace.analysis.tables())
    assert panel.kpi_model.rowCount() == 1
    assert panel.item_model.rowCount() == 0
    assert panel.item_model.index(0, 0, QModelIndex()).data() is None
    assert not panel.year_combo.isEnabled()
    assert panel.item_summary.text() == "アセスメントがまだありません"


def test_every_control_has_an_accessible_name(panel: AnalysisPanel) -> None:
    controls = [
        *panel.findChildren(QTableView),
        *panel.findChildren(QComboBox),
        *panel.findChildren(QLabel),
    ]
    assert len(controls) >= 5
    assert all(control.accessibleName() for control in controls), [
        type(c).__name__ for c in controls if not c.accessibleName()
    ]
