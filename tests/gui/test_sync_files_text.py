"""What the status line says a sync did with files (ui/sync_files.files_text)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from dxdesk.sync.summary import SyncSummary
from dxdesk.ui.sync_files import files_text


def test_nothing_moved_says_nothing(qtbot: QtBot) -> None:
    assert files_text(SyncSummary()) == ""


def test_files_left_for_the_next_sync_are_counted(qtbot: QtBot) -> None:
    text = files_text(SyncSummary(files_sent=2, files_received=3, files_failed=1))
    assert text == " ファイル: 送信 2 件、受信 3 件（1 件は次の同期で受け取ります）"


def test_a_full_disk_says_why_fetching_ahead_stopped(qtbot: QtBot) -> None:
    why = "ディスクの空きが足りません。不要なファイルを削除してから、もう一度試してください"
    text = files_text(SyncSummary(files_received=1, files_failed=4, files_problem=why))
    assert text == f" ファイル: 送信 0 件、受信 1 件（{why}）"
