"""得点率 on screen follows the one rule of the printed reports (rounded half up): 46/78 = 58.97 %
reads 59 % in the assessment form, its suggestion, the overview and the analysis table."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from dxdesk.domain.catalog import load_catalog
from dxdesk.services.workspace import Workspace
from dxdesk.ui.analysis_panel import ratio_text
from dxdesk.ui.main_window import MainWindow
from tests.gui.keys import select_municipality

KAINAN = "302023"


def scores_46_of_78() -> dict[str, int]:
    """46 of 78 points, five D items present: the D category is 15/24 = 62.5 %."""
    national = [i.code for i in load_catalog().items if not i.code.startswith("D")]
    scores = {code: 2 if n < 13 else 1 for n, code in enumerate(national)}
    scores |= {f"D{n}": 3 if n in (1, 2, 3, 4, 7) else 0 for n in range(1, 9)}
    assert sum(scores.values()) == 46
    return scores


def test_46_of_78_reads_59_percent_on_every_screen(
    window: MainWindow, qtbot: QtBot, workspace: Workspace
) -> None:
    record = workspace.assessments.add(
        {"municipality": KAINAN, "fiscal_year": 2025, "scores": scores_46_of_78()}
    )
    select_municipality(window, qtbot, KAINAN)
    window.tabs.setCurrentWidget(window.assessment)
    panel = window.assessment
    qtbot.waitUntil(lambda: panel.form.record_id == record["id"])
    assert "46 / 78 点　得点率 59%" in panel.total_label.text()
    assert "D. 和歌山県独自指標　63%" in panel.categories_label.text()  # 62.5 % goes up
    assert "得点率 59%（基準 50% 以上）" in panel.reasons_label.text()

    levels = window.overview.levels
    qtbot.waitUntil(lambda: levels.rowCount() == 1)
    horizontal = Qt.Orientation.Horizontal
    headers = [levels.headerData(c, horizontal) for c in range(levels.columnCount())]
    column = headers.index("得点率")
    assert levels.index(0, column).data() == "59%"

    assert ratio_text(46 / 78) == "59%"  # the analysis table's 得点率
    assert ratio_text(0.125) == "13%"
