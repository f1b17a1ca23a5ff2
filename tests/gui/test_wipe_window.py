"""The window ordered to wipe: the store erased and sealed, the notice shown, the window closed
with nothing left open on the deleted store (sync/wipe.py, ui/wipe_notice.py)."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from dxdesk.models.store import StoreError
from dxdesk.services.workspace import Workspace
from dxdesk.sync.api_client import WipeOrdered
from dxdesk.ui.main_window import MainWindow


def test_a_wipe_order_erases_the_store_shows_the_notice_and_closes(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    data_dir = workspace.store.data_dir
    workspace.engagements.add({"municipality": "302015", "date": "2026-12-01", "title": "訪問"})
    window.runner.wait_idle()
    window.sync.files.wipe_ordered.emit(WipeOrdered("消去", "d1"))  # as a file fetch tells it
    qtbot.waitUntil(lambda: not window.isVisible())
    assert not data_dir.exists()
    notice = window.wipe_notice
    assert notice.isVisible() and "消去しました" in notice.text()
    # Anything still asking the store is refused: no new empty store is made (and synced).
    with pytest.raises(StoreError, match="消去されました"):
        workspace.store.meta("sync_server")
    assert not data_dir.exists()
    notice.close()
