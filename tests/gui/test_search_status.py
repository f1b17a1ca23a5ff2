"""検索 (Ctrl+F): the row of a consultation that is planned (予定) or was cancelled (中止), and
the row of a file attached to one, says so; a held one reads as before."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from dxdesk.services.workspace import Workspace
from dxdesk.ui.runner import StoreRunner
from dxdesk.ui.search_dialog import ID_ROLE, SearchDialog
from dxdesk.ui.search_snippet import HTML_ROLE
from tests.unit.models.attaching import attach

SHIRAHAMA = "304018"


@pytest.fixture
def runner() -> Iterator[StoreRunner]:
    store_runner = StoreRunner()
    yield store_runner
    store_runner.wait_idle()
    store_runner.shutdown()


def test_rows_of_consultations_not_held_say_so(
    qtbot: QtBot, workspace: Workspace, runner: StoreRunner, tmp_path: Path
) -> None:
    ids = {
        status: workspace.engagements.add(
            {"municipality": SHIRAHAMA, "date": "2026-05-12", "status": status, "title": title}
        )["id"]
        for status, title in (
            ("held", "窓口改革の相談"),
            ("planned", "窓口改革の次回"),
            ("cancelled", "窓口改革の臨時"),
        )
    }
    memo = tmp_path / "窓口改革_段取り.txt"
    memo.write_text("段取り", encoding="utf-8")
    attach(workspace, "visit", ids["planned"], memo)
    names = [(r["code"], r["name"]) for r in workspace.municipalities.overview(assigned_only=False)]
    dialog = SearchDialog(workspace, runner, names)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.query_edit.setText("窓口改革")
    dialog.search_now()
    qtbot.waitUntil(lambda: not dialog.pending(), timeout=5000)

    items = [dialog.results.item(r) for r in range(dialog.results.count())]
    # (by the id each row opens: a file's row opens its consultation, so files are left out)
    rows = {str(i.data(ID_ROLE)): i for i in items if i.text().startswith("相談記録")}
    assert rows[ids["planned"]].text().startswith("相談記録 · 白浜町 · 予定　窓口改革の次回")
    assert rows[ids["cancelled"]].text().startswith("相談記録 · 白浜町 · 中止　窓口改革の臨時")
    assert "予定" in rows[ids["planned"]].data(HTML_ROLE)
    held = rows[ids["held"]].text()
    assert held.startswith("相談記録 · 白浜町　窓口改革の相談") and "実施" not in held
    # A file's row opens its consultation (ID_ROLE) and names it as planned.
    [file_row] = [i for i in items if "窓口改革_段取り.txt" in i.text()]
    assert file_row.data(ID_ROLE) == ids["planned"]
    assert "相談記録「窓口改革の次回」（予定）に添付" in file_row.text()
