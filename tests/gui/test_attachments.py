"""資料 on a visit, as an advisor uses them: drop files on the record (several at once), or choose
them with 「ファイルを添付…」; the list shows name, kind and size; a folder is left out, and said
so; open hands a private copy to the system's application; save as; a file not on
this laptop says so. Real store in tmp_path, real files, the system handler caught through Qt's
own hook (QDesktopServices.setUrlHandler)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFileDialog,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from dxdesk.domain.changes import Changes, Source
from dxdesk.services.workspace import Workspace
from dxdesk.ui.attachments_panel import AttachmentsPanel
from dxdesk.ui.engagement_editor import EngagementEditor
from dxdesk.ui.runner import StoreRunner
from tests.gui.conftest import SystemHandler

WAKAYAMA = "302015"


@pytest.fixture
def runner(qapp: object, workspace: Workspace) -> Iterator[StoreRunner]:
    store_runner = StoreRunner(collect=workspace.collect_changes)
    yield store_runner
    store_runner.wait_idle()
    store_runner.shutdown()


@pytest.fixture
def visit(workspace: Workspace) -> dict[str, Any]:
    return workspace.engagements.add(
        {"municipality": WAKAYAMA, "date": "2025-06-12", "title": "窓口BPRの相談"}
    )


@pytest.fixture
def editor(
    qtbot: QtBot, workspace: Workspace, runner: StoreRunner, visit: dict[str, Any]
) -> EngagementEditor:
    widget = EngagementEditor(workspace, runner)
    qtbot.addWidget(widget)
    widget.resize(900, 700)
    widget.show()
    qtbot.waitExposed(widget)
    widget.load(visit)
    qtbot.waitUntil(lambda: widget.attachments.parent_id == visit["id"])
    runner.wait_idle()
    return widget


def drop(widget: QWidget, paths: list[Path], where: QPointF | None = None) -> bool:
    """Drag ``paths`` over ``widget`` (to ``where``, else its centre) and drop them there, as a
    file manager does."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    at = QPointF(widget.rect().center()) if where is None else where
    actions = Qt.DropAction.CopyAction
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(at.toPoint(), actions, mime, buttons, modifiers)
    QApplication.sendEvent(widget, enter)
    if not enter.isAccepted():
        return False
    move = QDragMoveEvent(at.toPoint(), actions, mime, buttons, modifiers)
    QApplication.sendEvent(widget, move)
    event = QDropEvent(at, actions, mime, buttons, modifiers)
    QApplication.sendEvent(widget, event)
    return event.isAccepted()


def drop_on_row(view: QAbstractItemView, text: str, paths: list[Path]) -> bool:
    """Drop ``paths`` on the row of ``view`` that shows ``text``, where it is on screen."""
    model = view.model()
    row = next(
        r
        for r in range(model.rowCount())
        if any(text in str(model.index(r, c).data()) for c in range(model.columnCount()))
    )
    where = QPointF(view.visualRect(model.index(row, 0)).center())
    return drop(view.viewport(), paths, where)


def names_in(panel: AttachmentsPanel) -> list[str]:
    return sorted(record["name"] for record in panel.model.records())


def shown(panel: AttachmentsPanel, name: str) -> list[str]:
    """The name's cell as it reads: the name, then its kind, size and state."""
    row = next(i for i, r in enumerate(panel.model.records()) if r["name"] == name)
    return str(panel.model.index(row, 0).data()).split("\n")


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "手元の資料"
    folder.mkdir()
    plan = folder / "計画案 第2版.docx"
    plan.write_bytes(b"PK\x03\x04" + b"x" * 3000)
    note = folder / "メモ.txt"
    note.write_bytes("窓口の流れ\n".encode() * 10)
    return [plan, note]


def test_files_dropped_on_the_visit_notes_attach_to_the_visit(
    qtbot: QtBot, editor: EngagementEditor, files: list[Path], workspace: Workspace
) -> None:
    """Dropped on the 概要 field (which would otherwise paste the path as text)."""
    summary_before = editor.summary_edit.toPlainText()
    assert drop(editor.summary_edit.viewport(), files)
    panel = editor.attachments
    qtbot.waitUntil(lambda: len(panel.model.records()) == 2)
    assert names_in(panel) == ["メモ.txt", "計画案 第2版.docx"]
    # 3,004 bytes, rounded up; not yet sent to the server
    assert shown(panel, "計画案 第2版.docx") == ["計画案 第2版.docx", "Word・3 KB・送信待ち"]
    assert shown(panel, "メモ.txt")[1] == f"テキスト・{files[1].stat().st_size} バイト・送信待ち"
    assert editor.summary_edit.toPlainText() == summary_before
    assert editor.tabs.currentWidget() is panel  # shown, to say where they went
    assert editor.tabs.tabText(3) == "資料（2）"
    stored = workspace.attachments.list_for("visit", editor.record_id or "")
    assert sorted(r["name"] for r in stored) == names_in(panel)


def test_files_chosen_with_the_button_attach(
    qtbot: QtBot,
    editor: EngagementEditor,
    files: list[Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        QFileDialog, "getOpenFileNames", lambda *args: ([str(p) for p in files], "")
    )
    panel = editor.attachments
    editor.tabs.setCurrentWidget(panel)
    panel.attach_button.click()
    qtbot.waitUntil(lambda: len(panel.model.records()) == 2)
    assert "2 件のファイルを添付しました" in panel.message.text()


def test_a_folder_dropped_with_files_is_left_out_and_said_so(
    qtbot: QtBot, editor: EngagementEditor, files: list[Path], workspace: Workspace
) -> None:
    panel = editor.attachments
    assert drop(panel.view.viewport(), [files[0], files[0].parent])
    qtbot.waitUntil(lambda: len(panel.model.records()) == 1)
    stored = workspace.attachments.list_for("visit", editor.record_id or "")
    assert [r["name"] for r in stored] == [files[0].name]
    assert "1 件のファイルを添付しました" in panel.message.text()
    assert "フォルダ 手元の資料 は添付していません" in panel.message.text()


def test_a_folder_dropped_alone_is_refused(
    qtbot: QtBot, editor: EngagementEditor, files: list[Path], workspace: Workspace
) -> None:
    panel = editor.attachments
    assert drop(panel.view.viewport(), [files[0].parent])
    assert "フォルダは添付できません: 手元の資料" in panel.message.text()
    assert workspace.attachments.list_for("visit", editor.record_id or "") == []


def test_files_dropped_on_an_interview_note_attach_to_the_note(
    qtbot: QtBot, editor: EngagementEditor, files: list[Path], workspace: Workspace
) -> None:
    editor.tabs.setCurrentWidget(editor.interviews)
    editor.interviews.add()
    qtbot.waitUntil(lambda: editor.interview_attachments.parent_id is not None)
    note = editor.interview_attachments.parent_id
    assert note == editor.interviews.form.record_id
    assert drop(editor.interview_notes_edit.viewport(), files[:1])
    qtbot.waitUntil(lambda: len(editor.interview_attachments.model.records()) == 1)
    assert workspace.attachments.list_for("interview", note or "")[0]["name"] == files[0].name
    assert workspace.attachments.list_for("visit", editor.record_id or "") == []


def test_a_file_dropped_on_another_notes_row_attaches_to_that_note(
    qtbot: QtBot,
    editor: EngagementEditor,
    files: list[Path],
    workspace: Workspace,
    visit: dict[str, Any],
) -> None:
    """Not to the note that happens to be selected: to the one under the cursor."""
    sato = workspace.interviews.add({"engagement": visit["id"], "interviewee": "佐藤"})
    suzuki = workspace.interviews.add({"engagement": visit["id"], "interviewee": "鈴木"})
    editor.reload_children()
    editor.tabs.setCurrentWidget(editor.interviews)
    qtbot.waitUntil(lambda: editor.interviews.model.rowCount() == 2)
    editor.interviews.select(sato["id"])
    panel = editor.interview_attachments
    qtbot.waitUntil(lambda: panel.parent_id == sato["id"])
    assert drop_on_row(editor.interviews.view, "鈴木", files[:1])
    qtbot.waitUntil(lambda: len(panel.model.records()) == 1)
    assert panel.parent_id == suzuki["id"]  # the note it went to, chosen to show it
    assert editor.interviews.form.record_id == suzuki["id"]
    assert [r["name"] for r in workspace.attachments.list_for("interview", suzuki["id"])] == [
        files[0].name
    ]
    assert workspace.attachments.list_for("interview", sato["id"]) == []
    assert "ヒアリング「鈴木」に添付しました" in panel.message.text()


def _attach(qtbot: QtBot, panel: AttachmentsPanel, paths: list[Path]) -> None:
    count = len(panel.model.records())
    panel.attach_paths(paths)
    qtbot.waitUntil(lambda: len(panel.model.records()) == count + len(paths))


def _choose(panel: AttachmentsPanel, name: str) -> None:
    row = next(i for i, r in enumerate(panel.model.records()) if r["name"] == name)
    panel.view.selectRow(panel.view.model().mapFromSource(panel.model.index(row, 0)).row())  # type: ignore[attr-defined]


def test_open_hands_a_private_copy_to_the_system(
    qtbot: QtBot,
    editor: EngagementEditor,
    files: list[Path],
    system_handler: SystemHandler,
    workspace: Workspace,
) -> None:
    panel = editor.attachments
    _attach(qtbot, panel, files)
    _choose(panel, "計画案 第2版.docx")
    files[0].write_bytes(b"changed later")  # the attachment is its own copy
    panel.open_button.click()
    qtbot.waitUntil(lambda: len(system_handler.urls) == 1)
    opened = Path(system_handler.urls[0].toLocalFile())
    assert opened.name == "計画案 第2版.docx"
    assert opened.read_bytes() == b"PK\x03\x04" + b"x" * 3000
    assert not opened.is_relative_to(workspace.files.root)  # never the stored bytes themselves
    workspace.attachments.remove_opened_copies()  # what the window's end does
    assert not opened.exists()


def test_a_copy_being_opened_does_not_hold_back_the_store(
    qtbot: QtBot,
    editor: EngagementEditor,
    files: list[Path],
    system_handler: SystemHandler,
    workspace: Workspace,
    runner: StoreRunner,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A big file's copy takes its time on a thread of its own: meanwhile what is typed is
    saved (a store call runs), and the file opens once copied."""
    panel = editor.attachments
    _attach(qtbot, panel, files[:1])
    copying = threading.Event()
    gate = threading.Event()
    threads: list[str] = []
    real_copy_out = workspace.files.copy_out

    def slow_copy_out(*args: Any, **kwargs: Any) -> None:
        threads.append(threading.current_thread().name)
        copying.set()
        gate.wait()  # as a 100 MB copy would take
        real_copy_out(*args, **kwargs)

    monkeypatch.setattr(workspace.files, "copy_out", slow_copy_out)  # (to hold it)
    _choose(panel, files[0].name)
    try:
        panel.open_button.click()
        assert copying.wait(10)
        with qtbot.waitSignal(runner.changed):  # a save, while the copy is under way
            runner.run(lambda: workspace.engagements.update(editor.record_id or "", {"notes": "x"}))
    finally:
        gate.set()
    qtbot.waitUntil(lambda: len(system_handler.urls) == 1)
    assert threads and not threads[0].startswith("dxdesk-store")


def test_save_as_writes_the_file_under_the_name_chosen(
    qtbot: QtBot,
    editor: EngagementEditor,
    files: list[Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    panel = editor.attachments
    _attach(qtbot, panel, files)
    _choose(panel, "メモ.txt")
    asked: list[str] = []
    dest = tmp_path / "保存先.txt"

    def save_name(_parent: object, _title: str, suggested: str, *_args: object) -> tuple[str, str]:
        asked.append(suggested)
        return str(dest), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    panel.save_button.click()
    qtbot.waitUntil(lambda: dest.exists())
    assert Path(asked[0]).name == "メモ.txt"
    assert dest.read_bytes() == files[1].read_bytes()


def test_a_file_not_on_this_laptop_is_marked_and_open_says_how_to_get_it(
    qtbot: QtBot,
    editor: EngagementEditor,
    files: list[Path],
    workspace: Workspace,
    system_handler: SystemHandler,
) -> None:
    panel = editor.attachments
    _attach(qtbot, panel, files[:1])
    record = panel.model.records()[0]
    assert shown(panel, record["name"])[1].endswith("送信待ち")  # not yet sent to the server
    workspace.files.path(record["sha256"]).unlink()  # as on a laptop the file has not reached
    panel.reload()
    qtbot.waitUntil(lambda: shown(panel, record["name"])[1].endswith("未取得"))
    _choose(panel, record["name"])
    panel.open_button.click()
    qtbot.waitUntil(lambda: "まだこのパソコンにありません" in panel.message.text())
    assert system_handler.urls == []


def test_a_sync_that_brings_files_shows_them(
    qtbot: QtBot,
    editor: EngagementEditor,
    files: list[Path],
    workspace: Workspace,
    runner: StoreRunner,
) -> None:
    """Written outside the window's worker (as a sync writes), told by the change notice alone."""
    workspace.attachments.attach("visit", editor.record_id or "", files[:1])
    runner.wait_idle()
    QApplication.processEvents()
    assert editor.attachments.model.records() == []
    runner.announce(Changes(kinds=frozenset({"attachment"}), source=Source.SYNC))
    qtbot.waitUntil(lambda: len(editor.attachments.model.records()) == 1)


def test_drops_wait_until_a_record_is_chosen(
    qtbot: QtBot, workspace: Workspace, runner: StoreRunner, files: list[Path]
) -> None:
    panel = AttachmentsPanel(workspace, runner, "event")
    qtbot.addWidget(panel)
    assert not panel.attach_button.isEnabled()
    assert panel.attach_button.toolTip()
    assert not drop(panel.view.viewport(), files)


def big_file(path: Path, megabytes: int) -> Path:
    with path.open("wb") as out:
        for n in range(megabytes):
            out.write(bytes([n % 256]) * (1024 * 1024))
    return path


def test_a_big_file_shows_its_progress_in_order(
    qtbot: QtBot, editor: EngagementEditor, tmp_path: Path
) -> None:
    panel = editor.attachments
    panel.attach_paths([big_file(tmp_path / "研修の録画.mp4", 24)])
    task = panel.operations.task
    assert task is not None
    steps: list[int] = []
    task.progressed.connect(steps.append)
    qtbot.waitUntil(lambda: len(panel.model.records()) == 1, timeout=60_000)
    assert steps and steps == sorted(steps) and steps[-1] == 1000
    assert shown(panel, "研修の録画.mp4")[1].startswith("動画・24.0 MB")


def test_cancel_attaches_nothing_and_leaves_no_file(
    qtbot: QtBot,
    editor: EngagementEditor,
    runner: StoreRunner,
    tmp_path: Path,
    workspace: Workspace,
) -> None:
    panel = editor.attachments
    # Hold the store's worker, so that 中止 is surely pressed before the copy begins.
    gate = threading.Event()
    runner.run(gate.wait)
    panel.attach_paths([big_file(tmp_path / "大きな資料.pdf", 8)])
    task = panel.operations.task
    assert task is not None
    cancel_button = task.dialog.findChild(QPushButton)
    assert cancel_button is not None and cancel_button.text() == "中止"
    cancel_button.click()
    gate.set()
    qtbot.waitUntil(lambda: panel.message.text() == "添付を中止しました。")
    runner.wait_idle()
    assert workspace.attachments.list_for("visit", editor.record_id or "") == []
    assert list(workspace.files.stored()) == []
    assert panel.model.records() == []
