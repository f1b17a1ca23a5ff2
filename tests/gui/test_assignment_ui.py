"""At login the window learns the account's municipalities: its list narrows then, not at the
first sync, so the person never starts a record the server would refuse (real server, TLS)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from dxdesk.services.records import InvalidRecord
from dxdesk.services.workspace import Workspace
from dxdesk.ui.main_window import MainWindow
from tests.gui.test_sync_ui import close_notice, log_in
from tests.server.fixtures import RunningServer, add_user

WAKAYAMA, KAINAN = "302015", "302023"


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'server.sqlite3'}"


def test_the_list_narrows_at_login_and_other_municipalities_are_refused(
    window: MainWindow,
    qtbot: QtBot,
    workspace: Workspace,
    server: RunningServer,
    no_keychain: None,
) -> None:
    add_user(server.database, "tanaka", codes=(KAINAN,))
    log_in(window, qtbot, server, "tanaka")
    close_notice(window, qtbot)
    qtbot.waitUntil(lambda: window.municipalities.rowCount() == 1)
    with pytest.raises(InvalidRecord, match="担当: 海南市 \\(302023\\)"):
        workspace.engagements.add({"municipality": WAKAYAMA, "date": "2026-11-20"})
