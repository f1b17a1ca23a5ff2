"""概要's 定例よろず相談: the advisors the server assigns (未同期 before a sync), the cadence set
through its dialog, the last held and next planned consultation, and 期限超過."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from dxdesk.domain.changes import Changes, Source
from dxdesk.models.tables import MunicipalityRow
from dxdesk.services.workspace import Workspace
from dxdesk.sync.engine import META_LAST_SUCCESS
from dxdesk.ui.cadence_editor import CadenceDialog
from dxdesk.ui.overview_panel import OverviewPanel
from dxdesk.ui.runner import StoreRunner

CODE = "302015"


@pytest.fixture
def panel(qtbot: QtBot, workspace: Workspace) -> Iterator[OverviewPanel]:
    runner = StoreRunner(collect=workspace.collect_changes)
    shown = OverviewPanel(workspace, runner)
    qtbot.addWidget(shown)
    shown.show()
    yield shown
    runner.wait_idle()
    runner.shutdown()


def _show(panel: OverviewPanel, workspace: Workspace, qtbot: QtBot) -> None:
    panel.show_municipality(workspace.municipalities.get(CODE), [], [])
    qtbot.waitUntil(panel.cadence_button.isEnabled, timeout=3000)


def test_cadence_set_in_its_dialog_makes_an_old_consultation_overdue(
    panel: OverviewPanel, workspace: Workspace, qtbot: QtBot
) -> None:
    today = date.today()
    held = (today - timedelta(days=100)).isoformat()
    workspace.engagements.add(
        {"municipality": CODE, "date": held, "type": "regular_consultation", "title": "定例"}
    )
    workspace.engagements.add(  # cancelled: neither held nor planned
        {"municipality": CODE, "date": today.isoformat(), "type": "visit", "status": "cancelled"}
    )
    _show(panel, workspace, qtbot)
    assert panel.advisors_label.text().startswith("未同期")
    assert panel.cadence_label.text() == "未設定"
    assert panel.last_held_label.text() == f"{held}　定例"
    assert panel.next_planned_label.text() == "なし"
    assert "期限超過" not in panel.overdue_label.text()  # no cadence: never overdue

    QTest.mouseClick(panel.cadence_button, Qt.MouseButton.LeftButton)
    dialog = panel.findChild(CadenceDialog)
    assert isinstance(dialog, CadenceDialog)
    dialog.months_box.setCurrentIndex(dialog.months_box.findData(2))
    dialog.note_edit.setText("第2火曜の午前")
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    qtbot.waitUntil(lambda: panel.cadence_label.text() == "2か月ごと", timeout=3000)
    stored = workspace.cadences.current()[CODE]
    assert (stored["months"], stored["note"]) == (2, "第2火曜の午前")
    qtbot.waitUntil(lambda: panel.overdue_label.text().startswith("期限超過"), timeout=3000)

    # A consultation planned within the cadence: no longer overdue, and shown as next.
    ahead = (today + timedelta(days=20)).isoformat()
    workspace.engagements.add(
        {
            "municipality": CODE,
            "date": ahead,
            "type": "regular_consultation",
            "status": "planned",
            "start_time": "10:00",
            "title": "定例よろず相談",
        }
    )
    _show(panel, workspace, qtbot)
    assert panel.next_planned_label.text() == f"{ahead} 10:00　定例よろず相談"
    assert "期限超過" not in panel.overdue_label.text()


def test_advisors_are_the_servers_after_a_sync(
    panel: OverviewPanel, workspace: Workspace, qtbot: QtBot
) -> None:
    workspace.store.set_meta(META_LAST_SUCCESS, "2025-06-20T09:00:00+00:00")
    _show(panel, workspace, qtbot)
    assert panel.advisors_label.text().startswith("なし")
    with workspace.store.transaction() as session:
        row = session.get(MunicipalityRow, CODE)
        assert row is not None
        row.advisors = ["suzuki", "tanaka"]
    _show(panel, workspace, qtbot)
    assert panel.advisors_label.text() == "suzuki、tanaka"


def test_rhythm_is_read_again_only_when_a_write_moves_it(
    panel: OverviewPanel, workspace: Workspace, qtbot: QtBot
) -> None:
    _show(panel, workspace, qtbot)
    assert panel.next_planned_label.text() == "なし"
    ahead = (date.today() + timedelta(days=20)).isoformat()
    # Written behind the panel's back: only a notice that moves the rhythm shows it.
    workspace.engagements.add(
        {"municipality": CODE, "date": ahead, "type": "visit", "status": "planned", "title": "訪問"}
    )
    runner = panel._runner

    def tell(fields: set[str]) -> None:
        runner.announce(
            Changes(
                kinds=frozenset({"visit"}),
                municipalities=frozenset({CODE}),
                fields=frozenset(fields),
                source=Source.EDIT,
            )
        )
        answered: list[bool] = []
        runner.run(lambda: None, on_done=lambda _none: answered.append(True))
        qtbot.waitUntil(lambda: answered == [True], timeout=3000)

    tell({"summary", "notes"})  # a summary typed and saved: the rhythm is as it was
    assert panel.next_planned_label.text() == "なし"
    tell({"date"})
    assert panel.next_planned_label.text() == f"{ahead}　訪問"


def test_rhythm_box_says_nothing_of_the_previous_municipality_while_reading(
    panel: OverviewPanel, workspace: Workspace, qtbot: QtBot
) -> None:
    _show(panel, workspace, qtbot)
    release = threading.Event()
    panel._runner.run(release.wait)
    try:
        panel.show_municipality(workspace.municipalities.get("302023"), [], [])
        labels = (panel.advisors_label, panel.cadence_label, panel.last_held_label)
        assert [label.text() for label in labels] == ["…", "…", "…"]
        assert panel.next_planned_label.text() == panel.overdue_label.text() == "…"
    finally:
        release.set()
    qtbot.waitUntil(panel.cadence_button.isEnabled, timeout=3000)
    assert panel.cadence_label.text() == "未設定"
