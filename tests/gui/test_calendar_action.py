"""ファイル → カレンダーに書き出す…: the file is written on the worker and the status bar says
what went in; a folder that cannot be written to is said, with nothing left behind."""

from __future__ import annotations

from pathlib import Path

import pytest
from icalendar import Calendar
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox
from pytestqt.qtbot import QtBot

from dxdesk.services.workspace import Workspace
from dxdesk.ui.main_window import MainWindow


def test_the_menu_writes_the_calendar_and_says_what_went_in(
    qtbot: QtBot,
    window: MainWindow,
    workspace: Workspace,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    workspace.engagements.add(
        {"municipality": "302015", "date": "2026-01-20", "type": "regular_consultation"}
    )
    target = tmp_path / "予定"  # no suffix typed: .ics is added
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), "iCalendar (*.ics)")
    )
    file_menu = window.menuBar().actions()[0].menu()
    assert isinstance(file_menu, QMenu)
    [action] = [a for a in file_menu.actions() if "カレンダー" in a.text()]
    action.trigger()
    written = target.with_suffix(".ics")
    qtbot.waitUntil(lambda: "書き出しました" in window.statusBar().currentMessage())
    assert "相談 1 件" in window.statusBar().currentMessage()
    [entry] = Calendar.from_ical(written.read_bytes()).walk("VEVENT")
    assert "和歌山市" in str(entry["SUMMARY"])


def test_a_folder_that_is_not_there_is_said(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_a: warned.append(text))
    window.calendar.export_to(tmp_path / "ない" / "予定.ics")
    qtbot.waitUntil(lambda: bool(warned))
    assert warned[0].startswith("カレンダーを書き出せませんでした: ")
    assert not (tmp_path / "ない").exists()
