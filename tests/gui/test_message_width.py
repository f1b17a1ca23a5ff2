"""A long message (a path, a server's answer) wraps inside its window and never widens it: every
message label is made by one helper (ui/message_label.py), not only the autosaving forms'."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from dxdesk.services.workspace import Workspace
from dxdesk.ui.runner import StoreRunner
from dxdesk.ui.survey_import_session import ImportSession
from dxdesk.ui.survey_wizard_pages import ChooseFilePage
from dxdesk.ui.sync_conflicts import ConflictDialog
from dxdesk.ui.sync_login import LoginDialog

# One unbreakable run, as a long file path or URL in an error is.
LONG = "ファイル /" + "very_long_folder_name/" * 40 + "x.xlsx を読み書きできません"


@pytest.fixture
def runner(qapp: object) -> Iterator[StoreRunner]:
    store_runner = StoreRunner()
    yield store_runner
    store_runner.wait_idle()
    store_runner.shutdown()


Make = Callable[[QWidget, Workspace, StoreRunner], tuple[QWidget, QLabel]]


def _login(parent: QWidget, ws: Workspace, runner: StoreRunner) -> tuple[QWidget, QLabel]:
    dialog = LoginDialog(parent, runner, ws.store, target=None)
    return dialog, dialog.error_label


def _conflicts(parent: QWidget, ws: Workspace, runner: StoreRunner) -> tuple[QWidget, QLabel]:
    dialog = ConflictDialog(parent, ws, runner, me="tanaka")
    return dialog, dialog.state_label


def _survey(parent: QWidget, ws: Workspace, runner: StoreRunner) -> tuple[QWidget, QLabel]:
    page = ChooseFilePage(ImportSession(ws, runner, parent))
    page.setParent(parent)
    return page, page.error


@pytest.mark.parametrize("make", [_login, _conflicts, _survey], ids=lambda m: m.__name__)
def test_a_long_message_never_widens_its_window(
    qtbot: QtBot, workspace: Workspace, runner: StoreRunner, make: Make
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    window, label = make(parent, workspace, runner)
    label.show()
    before = window.sizeHint().width()
    label.setText(LONG)
    assert window.sizeHint().width() == before
    assert label.wordWrap()
