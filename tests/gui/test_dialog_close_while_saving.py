"""Dialogs that save on the store worker: Esc while saving waits for the save, and a dialog
deleted before the worker answers (its owner closed) drops the answer instead of touching it."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot

from dxdesk.services.workspace import Workspace
from dxdesk.ui.cadence_editor import ask_cadence
from dxdesk.ui.programme_plan_dialog import ask_programme_plan
from dxdesk.ui.runner import StoreRunner

CODE = "302015"


@pytest.fixture
def runner(qapp: object, workspace: Workspace) -> Iterator[StoreRunner]:
    store_runner = StoreRunner(collect=workspace.collect_changes)
    yield store_runner
    store_runner.wait_idle()
    store_runner.shutdown()


def _hold(runner: StoreRunner) -> threading.Event:
    """Keep the worker busy until the event is set: the next call's answer waits behind it."""
    release = threading.Event()
    runner.run(release.wait)
    return release


def _drain(runner: StoreRunner, qtbot: QtBot) -> None:
    """Wait until every answer queued so far was delivered (the runner answers in order)."""
    delivered: list[bool] = []
    runner.run(lambda: None, on_done=lambda _none: delivered.append(True))
    qtbot.waitUntil(lambda: delivered == [True], timeout=3000)


def test_esc_while_the_cadence_saves_waits_and_then_closes(
    qtbot: QtBot, workspace: Workspace, runner: StoreRunner
) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    saved: list[bool] = []
    dialog = ask_cadence(
        window, workspace, runner, CODE, "和歌山市", None, lambda: saved.append(True)
    )
    dialog.months_box.setCurrentIndex(dialog.months_box.findData(3))
    release = _hold(runner)
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert shiboken6.isValid(dialog) and dialog.isVisible()  # still saying 保存中…

    release.set()
    _drain(runner, qtbot)
    assert saved == [True]
    assert workspace.cadences.current()[CODE]["months"] == 3


def test_a_cadence_dialog_deleted_while_saving_drops_the_answer(
    qtbot: QtBot, workspace: Workspace, runner: StoreRunner
) -> None:
    window = QWidget()
    window.show()
    dialog = ask_cadence(window, workspace, runner, CODE, "和歌山市", None)
    dialog.months_box.setCurrentIndex(dialog.months_box.findData(2))
    release = _hold(runner)
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    window.deleteLater()  # the owner goes, and the dialog with it
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not shiboken6.isValid(dialog)

    release.set()
    _drain(runner, qtbot)  # (an answer reaching the deleted dialog would raise here)
    assert workspace.cadences.current()[CODE]["months"] == 2  # (written all the same)


def test_esc_while_the_year_plan_saves_waits_for_it(
    qtbot: QtBot, workspace: Workspace, runner: StoreRunner
) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    year = workspace.analysis.programme_year(2025)
    dialog = ask_programme_plan(window, runner, workspace.analysis, year)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # (as a window may have it)
    next(iter(dialog.spins.values())).setValue(4)
    results: list[int] = []
    dialog.finished.connect(results.append)
    release = _hold(runner)
    dialog.save()
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert shiboken6.isValid(dialog) and dialog.isVisible()

    release.set()
    qtbot.waitUntil(lambda: results == [QDialog.DialogCode.Accepted.value], timeout=3000)
    assert 4 in workspace.analysis.programme_year(2025).targets.values()
