"""Attachments in the window: a deleted file comes back with 元に戻す like any record; a photo's
row shows it upright; the chosen follow-up's files in フォローアップ（全市町村）; an article's
files in ナレッジ."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPointF, QSize, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from dxdesk.models.backups import restore_backup
from dxdesk.services.workspace import Workspace
from dxdesk.ui.attachments_panel import AttachmentsPanel
from dxdesk.ui.main_window import MainWindow
from dxdesk.ui.table_model import select_record
from tests.gui.backup_passphrase import PASSPHRASE, give_backup_passphrase
from tests.gui.keys import select_municipality
from tests.gui.test_attachments import drop, drop_on_row
from tests.gui.test_attachments_thumbnails import upright_photo

WAKAYAMA = "302015"


@pytest.fixture
def visit(workspace: Workspace) -> dict[str, Any]:
    return workspace.engagements.add(
        {"municipality": WAKAYAMA, "date": "2025-06-12", "title": "窓口BPRの相談"}
    )


def visit_files(window: MainWindow, qtbot: QtBot, visit_id: str, count: int) -> AttachmentsPanel:
    """The 資料 of the visit, shown in the window once it lists ``count`` files."""
    select_municipality(window, qtbot, WAKAYAMA)
    window.tabs.setCurrentWidget(window.engagements)
    window.engagements.select(visit_id)
    editor = window.engagements.editor
    qtbot.waitUntil(lambda: editor.record_id == visit_id)
    editor.tabs.setCurrentWidget(editor.attachments)
    qtbot.waitUntil(lambda: len(editor.attachments.model.records()) == count)
    return editor.attachments


def test_a_deleted_file_comes_back_with_undo(
    window: MainWindow,
    qtbot: QtBot,
    workspace: Workspace,
    visit: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    photo = upright_photo(tmp_path / "ホワイトボード.jpg")
    [attached] = workspace.attachments.attach("visit", visit["id"], [photo])
    panel = visit_files(window, qtbot, visit["id"], 1)
    asked: list[str] = []

    def yes(_parent: object, _title: str, text: str, *_args: object) -> object:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)
    panel.view.selectRow(0)
    panel.delete_button.click()
    qtbot.waitUntil(lambda: panel.model.records() == [])
    assert "ホワイトボード.jpg" in asked[0]
    assert workspace.attachments.list_for("visit", visit["id"]) == []
    assert "ホワイトボード.jpg" in window.undo.action.text()
    window.undo.action.trigger()
    qtbot.waitUntil(lambda: len(panel.model.records()) == 1)  # told by the undo's notice
    assert panel.model.records()[0]["id"] == attached["id"]
    opened = workspace.attachments.private_copy(attached["id"])
    assert opened.read_bytes() == photo.read_bytes()
    window.close()  # its end removes the plaintext copies opened for viewers
    assert not opened.exists()


def test_a_photo_row_shows_the_photo_upright(
    window: MainWindow, qtbot: QtBot, workspace: Workspace, visit: dict[str, Any], tmp_path: Path
) -> None:
    workspace.attachments.attach("visit", visit["id"], [upright_photo(tmp_path / "窓口.jpg")])
    panel = visit_files(window, qtbot, visit["id"], 1)

    def picture() -> QSize | None:
        icon = panel.model.index(0, 0).data(Qt.ItemDataRole.DecorationRole)
        sizes = icon.availableSizes() if isinstance(icon, QIcon) else []
        return sizes[0] if sizes else None  # (the style's file icon has none until drawn)

    qtbot.waitUntil(lambda: picture() is not None)
    size = picture()
    assert size is not None and size.height() > size.width()


def test_the_chosen_follow_up_shows_its_files(
    window: MainWindow, qtbot: QtBot, workspace: Workspace, visit: dict[str, Any], tmp_path: Path
) -> None:
    item = workspace.follow_ups.add({"engagement": visit["id"], "description": "様式の見直し"})
    memo = tmp_path / "様式案.xlsx"
    memo.write_bytes(b"PK\x03\x04" + b"y" * 2048)
    workspace.attachments.attach("followup", item["id"], [memo])
    window.refresh()
    panel = window.follow_ups
    window.tabs.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: panel.model.row_of(item["id"]) >= 0)
    assert panel.attachments.parent_id is None
    assert select_record(panel.view, item["id"])
    qtbot.waitUntil(lambda: len(panel.attachments.model.records()) == 1)
    assert panel.attachments.model.index(0, 0).data() == "様式案.xlsx\nExcel・3 KB・送信待ち"
    # A file dropped on the list of follow-ups (below its rows) goes to the chosen one.
    photo = upright_photo(tmp_path / "掲示板.jpg")
    below_rows = QPointF(
        panel.view.viewport().rect().center().x(), panel.view.viewport().height() - 5
    )
    assert drop(panel.view.viewport(), [photo], below_rows)
    qtbot.waitUntil(lambda: len(panel.attachments.model.records()) == 2)
    assert {r["name"] for r in workspace.attachments.list_for("followup", item["id"])} == {
        "様式案.xlsx",
        "掲示板.jpg",
    }


def test_a_file_dropped_on_another_follow_ups_row_attaches_to_that_one(
    window: MainWindow, qtbot: QtBot, workspace: Workspace, visit: dict[str, Any], tmp_path: Path
) -> None:
    first = workspace.follow_ups.add({"engagement": visit["id"], "description": "様式の見直し"})
    second = workspace.follow_ups.add({"engagement": visit["id"], "description": "掲示の更新"})
    window.refresh()
    panel = window.follow_ups
    window.tabs.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: panel.model.row_of(second["id"]) >= 0)
    assert select_record(panel.view, first["id"])
    qtbot.waitUntil(lambda: panel.attachments.parent_id == first["id"])
    photo = upright_photo(tmp_path / "掲示板.jpg")
    assert drop_on_row(panel.view, "掲示の更新", [photo])
    qtbot.waitUntil(lambda: len(panel.attachments.model.records()) == 1)
    assert panel.attachments.parent_id == second["id"]  # chosen, so its files show
    assert [r["name"] for r in workspace.attachments.list_for("followup", second["id"])] == [
        "掲示板.jpg"
    ]
    assert workspace.attachments.list_for("followup", first["id"]) == []
    assert "フォローアップ「掲示の更新」に添付しました" in panel.attachments.message.text()


def test_an_article_shows_its_files(
    window: MainWindow, qtbot: QtBot, workspace: Workspace, tmp_path: Path
) -> None:
    article = workspace.articles.add({"title": "RPA の進め方", "category": "know_how"})
    slides = tmp_path / "説明資料.pptx"
    slides.write_bytes(b"PK\x03\x04" + b"z" * 4096)
    workspace.attachments.attach("article", article["id"], [slides])
    panel = window.knowledge.panel
    window.tabs.setCurrentWidget(panel)
    panel.select(article["id"])
    editor = panel.editor
    qtbot.waitUntil(lambda: editor.record_id == article["id"])
    qtbot.waitUntil(lambda: len(editor.attachments.model.records()) == 1)
    assert editor.attachments.model.index(0, 0).data().startswith("説明資料.pptx\nPowerPoint・")


def _delete_then_undo(
    window: MainWindow, qtbot: QtBot, panel: AttachmentsPanel, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Delete the panel's first file (answering yes), then 元に戻す in the window brings it back."""
    monkeypatch.setattr(QMessageBox, "question", lambda *_args: QMessageBox.StandardButton.Yes)
    before = [record["id"] for record in panel.model.records()]
    panel.view.selectRow(0)
    panel.delete_button.click()
    qtbot.waitUntil(lambda: len(panel.model.records()) == len(before) - 1)
    assert window.undo.action.isEnabled()
    window.undo.action.trigger()
    qtbot.waitUntil(lambda: [r["id"] for r in panel.model.records()] == before)


def test_an_articles_deleted_file_comes_back_with_undo(
    window: MainWindow,
    qtbot: QtBot,
    workspace: Workspace,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    article = workspace.articles.add({"title": "RPA の進め方", "category": "know_how"})
    workspace.attachments.attach("article", article["id"], [upright_photo(tmp_path / "図.jpg")])
    panel = window.knowledge.panel
    window.tabs.setCurrentWidget(panel)
    panel.select(article["id"])
    qtbot.waitUntil(lambda: len(panel.editor.attachments.model.records()) == 1)
    _delete_then_undo(window, qtbot, panel.editor.attachments, monkeypatch)


def test_a_follow_ups_deleted_file_comes_back_with_undo(
    window: MainWindow,
    qtbot: QtBot,
    workspace: Workspace,
    visit: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    item = workspace.follow_ups.add({"engagement": visit["id"], "description": "様式の見直し"})
    workspace.attachments.attach("followup", item["id"], [upright_photo(tmp_path / "掲示.jpg")])
    window.refresh()
    panel = window.follow_ups
    window.tabs.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: panel.model.row_of(item["id"]) >= 0)
    assert select_record(panel.view, item["id"])
    qtbot.waitUntil(lambda: len(panel.attachments.model.records()) == 1)
    _delete_then_undo(window, qtbot, panel.attachments, monkeypatch)


def test_a_backup_made_from_the_menu_carries_the_files(
    window: MainWindow, qtbot: QtBot, workspace: Workspace, visit: dict[str, Any], tmp_path: Path
) -> None:
    photo = upright_photo(tmp_path / "ホワイトボード.jpg")
    workspace.attachments.attach("visit", visit["id"], [photo])
    give_backup_passphrase(window, qtbot, workspace.store.data_dir)
    target = tmp_path / "usb" / "copy.dxbackup"
    target.parent.mkdir()
    task = window.backup_to(target)
    with qtbot.waitSignal(task.finished, timeout=60_000):
        pass
    files = [path for path in (target.parent / "copy.dxbackup.files").rglob("*") if path.is_file()]
    assert len(files) == 1 and photo.read_bytes() not in files[0].read_bytes()  # encrypted
    # The app's own restore, on another laptop, brings the photo back.
    restored = restore_backup(tmp_path / "other", str(target), secret=PASSPHRASE)
    assert restored.files.put_back == 1
