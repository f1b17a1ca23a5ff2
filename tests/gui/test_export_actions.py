"""ファイル → 書き出す…: one menu entry offers the workbook or one kind as CSV; the CSV of 連絡先
is written on the worker with the BOM Excel needs, and the status bar says how many rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMenu, QWidget
from pytestqt.qtbot import QtBot

from dxdesk.reports.xlsx_export import KIND_SHEETS
from dxdesk.services.workspace import Workspace
from dxdesk.ui.export_actions import KIND_LABELS
from dxdesk.ui.main_window import MainWindow


def test_the_menu_writes_the_contacts_as_csv_with_a_bom(
    qtbot: QtBot,
    window: MainWindow,
    workspace: Workspace,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    workspace.contacts.add({"municipality": "302015", "name": "山田 太郎"})
    offered: list[list[str]] = []

    def pick(_parent: QWidget, _title: str, _label: str, items: list[str], *_a: object) -> object:
        offered.append(items)
        return next(item for item in items if item.startswith("連絡先")), True

    target = tmp_path / "連絡先"  # no suffix typed: .csv is added
    monkeypatch.setattr(QInputDialog, "getItem", pick)
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), "CSV (*.csv)")
    )
    file_menu = window.menuBar().actions()[0].menu()
    assert isinstance(file_menu, QMenu)
    [action] = [a for a in file_menu.actions() if a.text().startswith("書き出す")]
    action.trigger()
    qtbot.waitUntil(lambda: "書き出しました" in window.statusBar().currentMessage())
    assert offered[0][0] == "すべての記録（Excel ブック）"
    assert len(offered[0]) == 1 + len(KIND_SHEETS)
    assert "（1 件）" in window.statusBar().currentMessage()
    data = target.with_suffix(".csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert "山田 太郎" in data.decode("utf-8-sig")


def test_every_kind_has_a_label() -> None:
    assert KIND_LABELS.keys() == KIND_SHEETS.keys()
