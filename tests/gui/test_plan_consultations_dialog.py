"""定例よろず相談を予定する: rows filled with suggestions, a bad row said on that row with nothing
written, then the ticked rows written as planned consultations."""

from __future__ import annotations

import threading
from datetime import date

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from dxdesk.services.workspace import Workspace
from dxdesk.ui.message_label import FIELD_ERROR_STYLE
from dxdesk.ui.plan_consultations_dialog import PlanConsultationsDialog, ask_plan_consultations
from dxdesk.ui.runner import StoreRunner

TODAY = date(2025, 6, 20)


def test_planning_writes_the_ticked_rows_only_once_all_are_right(
    qtbot: QtBot, workspace: Workspace
) -> None:
    workspace.engagements.add(
        {
            "municipality": "302015",
            "date": "2025-06-10",  # 2nd Tuesday
            "type": "regular_consultation",
            "start_time": "14:00",
            "end_time": "15:00",
            "place": "本庁舎",
        }
    )
    workspace.engagements.add(  # already planned: its row starts unticked, saying so
        {
            "municipality": "303046",
            "date": "2025-09-30",
            "type": "regular_consultation",
            "status": "planned",
        }
    )
    runner = StoreRunner(collect=workspace.collect_changes)
    dialog = PlanConsultationsDialog(workspace, runner, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.create_button.isEnabled, timeout=3000)
    rows = {row.code: row for row in dialog.rows}
    assert len(rows) == 30
    assert [code for code, row in rows.items() if not row.tick.isChecked()] == ["303046"]
    assert rows["303046"].note.text() == "予定あり（2025-09-30）"
    first = rows["302015"]
    assert first.date_edit.date().toString("yyyy-MM-dd") == "2025-07-08"
    assert (first.start.text(), first.end.text(), first.place.text()) == (
        "14:00",
        "15:00",
        "本庁舎",
    )
    for code, row in rows.items():
        row.tick.setChecked(code in {"302015", "303046"})
    second = rows["303046"]
    second.start.setText("11:00")
    second.end.setText("10:00")

    dialog.create_button.click()
    qtbot.waitUntil(lambda: "1 件も作成していません" in dialog.message.text(), timeout=3000)
    # The refusal goes under the note (予定あり stays) and on the field at fault, with its
    # reason as the field's tooltip; the other fields and rows are left unmarked.
    assert "予定あり（2025-09-30）" in second.note.text() and "終了" in second.note.text()
    assert first.note.text() == ""
    assert second.end.styleSheet() == FIELD_ERROR_STYLE
    assert second.end.toolTip() == "終了 10:00 が開始 11:00 より前か同じです"
    assert second.start.styleSheet() == "" and first.end.styleSheet() == ""
    assert len(workspace.engagements.list_records(municipality="303046")) == 1
    assert len(workspace.engagements.list_records(municipality="302015")) == 1

    second.end.setText("12:00")
    dialog.create_button.click()
    assert second.end.styleSheet() == "" and second.end.toolTip() == ""
    assert second.note.text() == "予定あり（2025-09-30）"
    qtbot.waitUntil(
        lambda: dialog.result() == PlanConsultationsDialog.DialogCode.Accepted, timeout=3000
    )
    planned = [
        (r["municipality"], r["date"], r["start_time"], r["status"])
        for r in workspace.engagements.list_records()
        if r["status"] == "planned"
    ]
    assert sorted(planned) == [
        ("302015", "2025-07-08", "14:00", "planned"),
        ("303046", "2025-09-30", None, "planned"),
        ("303046", "2025-10-28", "11:00", "planned"),  # (after the one already planned)
    ]
    runner.wait_idle()
    runner.shutdown()


def test_closing_the_dialog_before_its_rows_come_leaves_them_unshown(
    qtbot: QtBot, workspace: Workspace
) -> None:
    # The store's worker is held busy, so the dialog's reading waits behind it while the person
    # closes the dialog (its window deletes it); what was read then arrives for a dialog that is
    # gone, and must be dropped without touching it.
    runner = StoreRunner(collect=workspace.collect_changes)
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    release = threading.Event()
    runner.run(release.wait)
    dialog = ask_plan_consultations(window, workspace, runner)
    dialog.reject()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not shiboken6.isValid(dialog)

    release.set()
    delivered: list[bool] = []
    runner.run(lambda: None, on_done=lambda _none: delivered.append(True))
    # (The runner answers in order: once this call's answer came, the dialog's reading came.)
    qtbot.waitUntil(lambda: delivered == [True], timeout=3000)
    runner.wait_idle()
    runner.shutdown()
