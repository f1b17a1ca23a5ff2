"""「ナレッジとして共有」 from a consultation that is only planned (予定): the dialog says why it
cannot be shared and offers nothing to edit; asked again once the consultation is held, the
window makes the draft anew instead of showing the old refusal."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from dxdesk.services.knowledge_drafts import KnowledgeDrafts
from dxdesk.services.workspace import Workspace
from dxdesk.ui.knowledge_actions import KnowledgeActions, Place
from dxdesk.ui.runner import StoreRunner

SHIRAHAMA = "304018"


@pytest.fixture
def runner(qapp: object) -> Iterator[StoreRunner]:
    store_runner = StoreRunner()
    yield store_runner
    store_runner.wait_idle()
    store_runner.shutdown()


def test_a_planned_consultation_is_refused_and_asked_anew_once_held(
    qtbot: QtBot, workspace: Workspace, runner: StoreRunner
) -> None:
    visit = workspace.engagements.add(
        {
            "municipality": SHIRAHAMA,
            "date": "2026-05-10",
            "status": "planned",
            "title": "RPA の導入",
            "summary": "財務会計から RPA を試す予定。",
        }
    )["id"]
    window = QMainWindow()
    qtbot.addWidget(window)
    shown: list[Place] = []
    actions = KnowledgeActions(window, workspace, runner, shown.append)

    refused = actions.share(visit)
    qtbot.waitUntil(lambda: refused.failed)
    message = refused.error_label.text()
    assert "予定（未実施）" in message and "ナレッジとして共有できません" in message, message
    assert "実施したあとで" in message  # what to do
    assert refused.error_label.isVisible()
    assert not refused.form.isEnabled() and not refused.publish_button.isEnabled()
    assert not refused.discard_button.isEnabled()
    assert not KnowledgeDrafts(workspace).has_draft(visit)

    workspace.engagements.update(visit, {"status": "held"})
    again = actions.share(visit)
    assert again is not refused
    qtbot.waitUntil(lambda: again.loaded)
    assert again.title_edit.text() == "白浜町: RPA の導入" and again.error_label.text() == ""
    assert again.form.isEnabled() and again.publish_button.isEnabled()
    again.close()
    runner.wait_idle()
    actions.shutdown()
