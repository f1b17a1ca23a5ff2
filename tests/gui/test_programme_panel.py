"""分析 「計画と実績」: the section reads on the store worker, a coordinator edits the year's plan
in its dialog and the tables show it against what was held; an advisor's folder cannot edit."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QHeaderView, QTableView
from pytestqt.qtbot import QtBot

from dxdesk.domain.changes import Changes, Source
from dxdesk.domain.fiscal_year import fiscal_year_of
from dxdesk.models.store import META_SYNC_ROLE
from dxdesk.services.workspace import Workspace
from dxdesk.ui.analysis_panel import AnalysisPanel
from dxdesk.ui.programme_plan_dialog import ProgrammePlanDialog
from dxdesk.ui.runner import StoreRunner
from dxdesk.ui.styled_table import StyledTableModel

WAKAYAMA, KAINAN = "302015", "302023"


@pytest.fixture
def runner(qapp: object, workspace: Workspace) -> Iterator[StoreRunner]:
    store_runner = StoreRunner(collect=workspace.collect_changes)
    yield store_runner
    store_runner.wait_idle()
    store_runner.shutdown()


def _cells(model: StyledTableModel, row_id: str) -> list[str]:
    row = model.row_of(row_id)
    assert row >= 0, row_id
    return [model.index(row, column).data() for column in range(model.columnCount())]


def test_section_shows_the_plan_against_held_and_a_coordinator_edits_it(
    qtbot: QtBot, workspace: Workspace, runner: StoreRunner
) -> None:
    workspace.events.add(
        {
            "type": "regional_consultation",
            "date": "2025-06-20",
            "title": "地域別よろず相談（海草）",
            "region": "海草",
            "attendance": {WAKAYAMA: 3, KAINAN: 2},
        }
    )
    workspace.events.add(
        {
            "type": "regional_consultation",
            "date": "2026-01-20",
            "title": "地域別よろず相談（海草）第2回",
            "region": "海草",
            "status": "planned",
        }
    )
    workspace.engagements.add(
        {
            "municipality": KAINAN,
            "date": "2025-08-03",
            "title": "経営・財務マネジメント強化事業",
            "type": "national_scheme",
            "scheme": "management_finance",
        }
    )
    panel = AnalysisPanel()
    qtbot.addWidget(panel)
    panel.follow(runner, workspace.analysis)
    panel.show()
    section = panel.programme
    section.show_year(2025)
    qtbot.waitUntil(lambda: section.year_combo.currentData() == 2025)
    assert section.year_combo.findData(2025) >= 0 and section.year_combo.isEnabled()
    assert section.schemes_label.text() == "国の制度: 1団体1件（計画なし）"
    assert section.attendance_label.text() == "合同の場 1回: 2市町村5名が参加"
    assert _cells(section.region_model, "海草") == ["海草", "1", "1", "0"]  # held, planned
    assert "年度計画はまだありません" in section.plan_label.text()
    assert section.edit_button.isVisible()  # a folder never synced is its own secretariat

    section.edit_button.click()
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ProgrammePlanDialog))
    assert dialog.spins["regional_consultation"].text() == "計画なし"
    dialog.spins["regional_consultation"].setValue(2)
    dialog.spins["scheme.management_finance"].setValue(5)
    dialog.notes.setPlainText("広域連携を重点に")
    dialog.save()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: "計画 5件" in section.schemes_label.text())
    assert section.schemes_label.text() == "国の制度: 1団体1件（計画 5件）"
    assert _cells(section.region_model, "海草") == ["海草", "1 / 2（未達）", "1", "0"]
    assert _cells(section.region_model, "伊都") == ["伊都", "0 / 2（未達）", "0", "0"]
    assert _cells(section.event_model, "regional_consultation")[1] == "1 / 14（未達）"
    assert "広域連携を重点に" in section.plan_label.text()
    assert workspace.programme_plans.for_year(2025) is not None

    # After a sync makes this an advisor's folder, the plan is shown but not editable.
    workspace.store.set_meta(META_SYNC_ROLE, "advisor")
    runner.announce(Changes(source=Source.SYNC))
    qtbot.waitUntil(lambda: not section.edit_button.isVisible())
    assert "事務局が設定します" in section.plan_label.text()
    assert section.year_combo.currentData() == 2025  # the chosen year stays


def test_section_opens_on_the_latest_year_with_records_when_this_one_has_none(
    qtbot: QtBot, workspace: Workspace, runner: StoreRunner
) -> None:
    # (FY2021 is long past, whatever today is: this fiscal year has nothing to show.)
    workspace.events.add(
        {"type": "regional_consultation", "date": "2021-06-20", "title": "地域別", "region": "海草"}
    )
    panel = AnalysisPanel()
    qtbot.addWidget(panel)
    panel.follow(runner, workspace.analysis)
    panel.show()
    section = panel.programme
    qtbot.waitUntil(section.year_combo.isEnabled)
    assert section.year_combo.currentData() == 2021
    assert section.year_combo.findData(fiscal_year_of(date.today())) >= 0  # still offered

    # 実施 / 計画 reads as the other counts do (right), and the names take the room left.
    model = section.event_model
    versus = next(
        c
        for c in range(model.columnCount())
        if model.headerData(c, Qt.Orientation.Horizontal) == "実施 / 計画"
    )
    alignment = model.index(0, versus).data(Qt.ItemDataRole.TextAlignmentRole)
    assert Qt.AlignmentFlag(alignment) & Qt.AlignmentFlag.AlignRight
    view = section.tables.widget(0)
    assert isinstance(view, QTableView)
    header = view.horizontalHeader()
    assert header.sectionResizeMode(0) == QHeaderView.ResizeMode.Stretch
    assert not header.stretchLastSection()
