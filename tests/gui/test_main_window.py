from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMenu
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from dxdesk.services.workspace import Workspace
from dxdesk.ui.main_window import MainWindow
from dxdesk.ui.municipality_list import MUNICIPALITY_COLUMNS
from dxdesk.ui.table_model import ID_ROLE, RecordTableModel
from tests.gui.keys import select_municipality as _select
from tests.gui.keys import type_text


def test_municipality_model_passes_the_model_tester(
    qtmodeltester: ModelTester, workspace: Workspace
) -> None:
    model = RecordTableModel(MUNICIPALITY_COLUMNS, id_key="code")
    qtmodeltester.check(model)
    model.set_records(workspace.municipalities.overview())
    qtmodeltester.check(model)
    assert model.index(0, 0).data(ID_ROLE) == "302015"
    assert model.headerData(0, Qt.Orientation.Horizontal) == "市町村"


def test_bundled_font_is_registered(window: MainWindow) -> None:
    assert "IPAexGothic" in QFontDatabase.families()
    assert window.font().family() == "IPAexGothic"


def test_filter_narrows_the_municipality_list(window: MainWindow, qtbot: QtBot) -> None:
    type_text(window.filter_edit, "日高")
    proxy = window.municipality_view.model()
    names = {proxy.index(r, 0).data() for r in range(proxy.rowCount())}
    assert "日高町" in names and "日高川町" in names and "御坊市" in names  # region 日高 too
    assert "和歌山市" not in names


def test_new_engagement_typed_notes_are_saved_as_you_type(
    window: MainWindow, qtbot: QtBot, workspace: Workspace
) -> None:
    _select(window, qtbot, "302023")
    window.tabs.setCurrentWidget(window.engagements)
    QTest.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = window.engagements.editor
    qtbot.waitUntil(lambda: editor.record_id is not None)
    type_text(editor.title_edit, "窓口BPR 打合せ")
    type_text(editor.notes_edit, "申請書の棚卸しから始める")
    # No focus change, no close: the debounce alone must store it.
    qtbot.waitUntil(lambda: editor.state_label.text() == "保存済み", timeout=3000)
    stored: dict[str, Any] = workspace.engagements.get(editor.record_id or "")
    assert stored["municipality"] == "302023"
    assert stored["title"] == "窓口BPR 打合せ"
    assert stored["notes"] == "申請書の棚卸しから始める"
    qtbot.waitUntil(lambda: window.engagements.model.rowCount() == 1)
    model = window.engagements.model
    assert model.index(0, model.column_of("title")).data() == "窓口BPR 打合せ"


def test_switching_records_saves_pending_typing_first(
    window: MainWindow, qtbot: QtBot, workspace: Workspace
) -> None:
    first = workspace.engagements.add({"municipality": "302031", "date": "2025-05-01"})
    workspace.engagements.add({"municipality": "302031", "date": "2025-06-01"})
    _select(window, qtbot, "302031")
    window.engagements.select(first["id"])
    editor = window.engagements.editor
    qtbot.waitUntil(lambda: editor.record_id == first["id"])
    type_text(editor.summary_edit, "切り替え直前の入力")
    window.engagements.view.selectRow(0)  # the other one, before the debounce fires
    window.runner.wait_idle()
    qtbot.waitUntil(
        lambda: workspace.engagements.get(first["id"])["summary"] == "切り替え直前の入力"
    )


def test_status_bar_tells_the_local_state_truthfully(
    window: MainWindow, qtbot: QtBot, workspace: Workspace
) -> None:
    assert window.sync_state.text() == "未接続 — 変更 0 件は端末内に保存済み"
    workspace.contacts.add({"municipality": "302015", "name": "森 誠"})
    window.refresh()
    qtbot.waitUntil(lambda: "変更 1 件" in window.sync_state.text())


def test_smoke_flag_opens_paints_and_exits(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "dxdesk", "--data-dir", str(tmp_path), "--smoke"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "DX Desk"


def test_smoke_does_not_wait_for_a_question_when_edits_are_kept(tmp_path: Path) -> None:
    """The close question is for a person: --smoke closes without asking (it hung before)."""
    from dxdesk.services.workspace import open_workspace

    workspace = open_workspace(tmp_path)
    visit = workspace.engagements.add({"municipality": "302015", "date": "2025-06-12"})
    workspace.engagements.save_edits(visit["id"], {"title": "長" * 501})
    assert workspace.engagements.kept_edits() != []
    workspace.close()
    result = subprocess.run(
        [sys.executable, "-m", "dxdesk", "--data-dir", str(tmp_path), "--smoke"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "DX Desk"


def test_follow_ups_view_lists_open_items_across_municipalities(
    window: MainWindow, qtbot: QtBot, workspace: Workspace
) -> None:
    from datetime import date, timedelta

    today = date.today()
    workspace.follow_ups.add(
        {
            "municipality": "302015",
            "description": "期限切れの宿題",
            "due": (today - timedelta(days=3)).isoformat(),
        }
    )
    workspace.follow_ups.add(
        {
            "municipality": "304271",
            "description": "来月の宿題",
            "due": (today + timedelta(days=30)).isoformat(),
        }
    )
    workspace.follow_ups.add(
        {"municipality": "302023", "description": "済んだこと", "status": "done"}
    )
    window.refresh()
    panel = window.follow_ups
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2)
    proxy = panel.view.model()
    rows = [[proxy.index(r, c).data() for c in range(3)] for r in range(proxy.rowCount())]
    assert [row[1:] for row in rows] == [["和歌山市", "期限切れの宿題"], ["北山村", "来月の宿題"]]
    overdue = proxy.index(0, 0).data(Qt.ItemDataRole.BackgroundRole)
    assert overdue is not None
    assert proxy.index(1, 0).data(Qt.ItemDataRole.BackgroundRole) is None
    assert "期限切れ 1 件" in panel.summary.text()


def test_the_analysis_tab_reads_the_years_plans_against_held(
    window: MainWindow, qtbot: QtBot
) -> None:
    """The window wires its 分析 tab to the workspace: 計画と実績 reads when the tab is shown."""
    programme = window.analysis.programme
    assert programme.year_combo.count() == 0
    window.tabs.setCurrentWidget(window.analysis)
    qtbot.waitUntil(lambda: programme.year_combo.count() > 0, timeout=5000)


def test_every_menu_gives_each_access_key_to_one_item(window: MainWindow) -> None:
    """Alt+F then a letter must open one thing: a letter shared by two items only cycles."""
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        assert isinstance(menu, QMenu)
        keys: dict[str, str] = {}
        for action in menu.actions():
            found = re.search(r"&([^&])", action.text())
            if found is None:
                continue
            key = found.group(1).upper()
            assert key not in keys, f"{menu_action.text()}: {keys[key]} / {action.text()}"
            keys[key] = action.text()
