"""Reports from the window: Ctrl+P previews the visit or assessment on screen (QtPdf), which
prints through the system dialog and saves a copy; every municipality's assessment report for a
year is written in a worker with progress and 中止."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMenu, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from dxdesk.reports.assessment import write_assessment_report
from dxdesk.services.workspace import Workspace
from dxdesk.ui.main_window import MainWindow
from dxdesk.ui.report_preview import ReportPreview
from tests.gui.keys import select_municipality, type_text

NOTES = "庁内のDX推進体制について意見交換した。"
FOLLOW_UP = "手続き一覧の様式を送る"
LONG_NOTES = "\n".join(
    f"{n}. 申請書の様式を課ごとに棚卸しし、押印の要否を確かめた。" for n in range(90)
)
WAIT_MS = 15_000


def pdf_text(document: QPdfDocument) -> str:
    return "\n".join(document.getAllText(page).text() for page in range(document.pageCount()))


def press_ctrl_p(window: MainWindow, qtbot: QtBot) -> None:
    """The shortcut, as typed: it reaches the window once a closed dialog gave focus back."""
    if not window.isActiveWindow():
        with qtbot.waitActive(window):
            window.activateWindow()
    QTest.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)


def wait_rendered(qtbot: QtBot, preview: ReportPreview, count: int = 1) -> QPdfDocument:
    qtbot.waitUntil(lambda: preview.render_count >= count, timeout=WAIT_MS)
    document = preview.document
    assert document.status() == QPdfDocument.Status.Ready
    assert document.pageCount() >= 1
    return document


def open_preview(window: MainWindow, qtbot: QtBot) -> ReportPreview:
    press_ctrl_p(window, qtbot)
    qtbot.waitUntil(lambda: window.reports.preview is not None, timeout=WAIT_MS)
    preview = window.reports.preview
    assert preview is not None
    wait_rendered(qtbot, preview)
    return preview


def add_visit(workspace: Workspace, notes: str = NOTES) -> str:
    engagement = workspace.engagements.add(
        {
            "municipality": "302015",
            "date": "2025-06-12",
            "type": "visit",
            "title": "窓口BPRの相談",
            "notes": notes,
        }
    )
    workspace.follow_ups.add({"engagement": engagement["id"], "description": FOLLOW_UP})
    return str(engagement["id"])


def open_visit(window: MainWindow, qtbot: QtBot, engagement: str) -> None:
    select_municipality(window, qtbot, "302015")
    window.tabs.setCurrentWidget(window.engagements)
    window.engagements.select(engagement)
    qtbot.waitUntil(lambda: window.engagements.editor.record_id == engagement)


def empty_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"  # tmp_path also holds the store and ui.ini
    folder.mkdir()
    return folder


def seed_assessments(workspace: Workspace) -> dict[str, str]:
    """Two municipalities assessed in FY2025 (so the report has a prefecture to compare with)."""
    ids = {}
    for code, score in (("302015", 3), ("302023", 1)):
        record = workspace.assessments.add(
            {"municipality": code, "fiscal_year": 2025, "scores": {"0-1": score, "1-1": score}}
        )
        ids[code] = str(record["id"])
    return ids


def close_preview(window: MainWindow, qtbot: QtBot, preview: ReportPreview) -> Path:
    """Close it with 閉じる; returns the temporary folder it used."""
    assert preview.pdf_path is not None
    folder = preview.pdf_path.parent
    QTest.mouseClick(preview.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.reports.preview is None)
    window.runner.wait_idle()
    return folder


# -- the preview ---------------------------------------------------------------------------


def test_file_menu_offers_the_reports_and_ctrl_p_prints(window: MainWindow) -> None:
    file_menu = window.menuBar().actions()[0].menu()
    assert isinstance(file_menu, QMenu)
    texts = [action.text() for action in file_menu.actions()]
    assert "印刷プレビュー(&P)…" in texts
    assert "KPI 報告…" in texts
    assert "全市町村のアセスメント報告…" in texts
    assert window.reports.print_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Print)


def choose_internal(qtbot: QtBot, preview: ReportPreview) -> QPdfDocument:
    """Pick 内部用 in the preview's drop-down, as a person does, and wait for its pages."""
    box = preview.edition_box
    box.setCurrentIndex(box.findText("内部用"))  # as choosing from the drop-down does
    return wait_rendered(qtbot, preview, count=preview.render_count + 1)


def test_ctrl_p_previews_the_open_visit_with_what_was_just_typed(
    window: MainWindow, qtbot: QtBot, workspace: Workspace
) -> None:
    open_visit(window, qtbot, add_visit(workspace))
    # Typed a moment ago, not yet saved by the debounce: the preview must still show it.
    type_text(window.engagements.editor.summary_edit, "書かない窓口を検討する")
    preview = open_preview(window, qtbot)
    text = pdf_text(preview.document)
    assert "相談記録" in text and "和歌山市" in text
    assert FOLLOW_UP in text and "書かない窓口を検討する" in text
    # 配布用 first: nothing the municipality is not to read.
    assert preview.edition_box.isVisible() and preview.edition_box.currentText() == "配布用"
    assert not preview.confidential_box.isVisible()  # 内部用 is always stamped, 配布用 never
    assert NOTES not in text and "取扱注意" not in text and "同期" not in text
    assert preview.page_label.text() == f"{preview.document.pageCount()} ページ"
    assert preview.file_name == "相談記録_2025-06-12_和歌山市.pdf"
    assert preview.print_button.isEnabled() and preview.save_button.isEnabled()
    assert preview.isVisible()

    first = preview.pdf_path
    assert first is not None
    internal = pdf_text(choose_internal(qtbot, preview))
    assert "取扱注意" in internal and "内部用" in internal
    assert NOTES in internal and "未同期の変更あり" in internal
    assert "書かない窓口を検討する" in internal
    assert preview.file_name == "相談記録_内部用_2025-06-12_和歌山市.pdf"
    assert preview.pdf_path != first and not first.exists()  # one rendering kept at a time
    assert preview.pdf_path is not None and preview.pdf_path.exists()

    folder = close_preview(window, qtbot, preview)
    assert not folder.exists()  # the temporary PDF goes with the dialog


def test_ctrl_p_without_a_chosen_record_says_what_to_choose(
    window: MainWindow, qtbot: QtBot
) -> None:
    select_municipality(window, qtbot, "302015")
    window.tabs.setCurrentWidget(window.overview)
    press_ctrl_p(window, qtbot)
    assert "相談記録タブ" in window.statusBar().currentMessage()
    window.tabs.setCurrentWidget(window.engagements)
    press_ctrl_p(window, qtbot)
    assert window.statusBar().currentMessage() == "印刷する相談記録を一覧から選んでください"
    window.tabs.setCurrentWidget(window.assessment)
    press_ctrl_p(window, qtbot)
    assert window.statusBar().currentMessage() == "印刷するアセスメントを選んでください"
    assert window.reports.preview is None


def test_ctrl_p_on_the_assessment_tab_previews_that_years_report(
    window: MainWindow, qtbot: QtBot, workspace: Workspace
) -> None:
    ids = seed_assessments(workspace)
    select_municipality(window, qtbot, "302023")
    window.tabs.setCurrentWidget(window.assessment)
    qtbot.waitUntil(lambda: window.assessment.form.record_id == ids["302023"])
    preview = open_preview(window, qtbot)
    text = pdf_text(preview.document)
    assert "アセスメント報告" in text and "令和7年度" in text
    assert preview.confidential_box.isVisible() and not preview.edition_box.isVisible()
    assert "海南市" in text and "和歌山市" not in text
    assert preview.file_name == "アセスメント報告_2025_302023_海南市.pdf"
    close_preview(window, qtbot, preview)


def test_a_new_preview_replaces_the_open_one(
    window: MainWindow, qtbot: QtBot, workspace: Workspace
) -> None:
    open_visit(window, qtbot, add_visit(workspace))
    first = open_preview(window, qtbot)
    window.reports.kpi_action.trigger()
    qtbot.waitUntil(lambda: window.reports.preview not in (None, first))
    second = window.reports.preview
    assert second is not None
    assert not first.isVisible()
    text = pdf_text(wait_rendered(qtbot, second))
    assert "DX推進支援 KPI 報告" in text and "和歌山県" in text
    assert second.file_name.startswith("KPI報告_")
    close_preview(window, qtbot, second)


def test_save_copies_the_pdf_under_the_suggested_name(
    window: MainWindow, qtbot: QtBot, workspace: Workspace, tmp_path: Path, monkeypatch: Any
) -> None:
    open_visit(window, qtbot, add_visit(workspace))
    preview = open_preview(window, qtbot)
    asked: list[str] = []

    def save_name(*args: Any) -> tuple[str, str]:
        asked.append(args[2])
        return str(tmp_path / "visit"), "PDF (*.pdf)"  # no suffix typed: .pdf is added

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    QTest.mouseClick(preview.save_button, Qt.MouseButton.LeftButton)
    assert Path(asked[0]).name == "相談記録_2025-06-12_和歌山市.pdf"
    saved = tmp_path / "visit.pdf"
    assert saved.read_bytes().startswith(b"%PDF")
    assert preview.pdf_path is not None
    assert saved.read_bytes() == preview.pdf_path.read_bytes()
    assert str(saved) in preview.state_label.text()
    close_preview(window, qtbot, preview)
    assert saved.exists()  # the copy outlives the temporary one


def test_print_paints_every_page_onto_the_printer(
    window: MainWindow, qtbot: QtBot, workspace: Workspace, tmp_path: Path, monkeypatch: Any
) -> None:
    open_visit(window, qtbot, add_visit(workspace, notes=LONG_NOTES))
    preview = open_preview(window, qtbot)
    choose_internal(qtbot, preview)  # the edition with the notes
    pages = preview.document.pageCount()
    assert pages >= 2  # newPage between pages is exercised
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(printed))
    preview.printer = printer
    shown: list[bool] = []

    def accept(dialog: QPrintDialog) -> int:
        shown.append(dialog.printer() is printer)
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    QTest.mouseClick(preview.print_button, Qt.MouseButton.LeftButton)
    assert shown == [True]
    assert printed.read_bytes().startswith(b"%PDF")

    output = QPdfDocument()
    output.load(str(printed))
    assert output.status() == QPdfDocument.Status.Ready
    assert output.pageCount() == pages
    size = output.pagePointSize(0)
    assert abs(size.width() - 595.3) < 2 and abs(size.height() - 841.9) < 2  # A4
    # The page is really drawn: dark text on white, not an empty sheet.
    image = output.render(0, size.toSize())
    dark = sum(
        1
        for y in range(0, image.height(), 4)
        for x in range(0, image.width(), 4)
        if image.pixelColor(x, y).alpha() > 0 and image.pixelColor(x, y).lightness() < 100
    )
    assert dark > 50
    corner = image.pixelColor(5, 5)
    assert corner.alpha() == 0 or corner.lightness() > 250  # white paper, no black background
    output.close()
    close_preview(window, qtbot, preview)


# -- every municipality --------------------------------------------------------------------


def test_batch_from_the_menu_writes_a_pdf_per_assessed_municipality(
    window: MainWindow, qtbot: QtBot, workspace: Workspace, tmp_path: Path, monkeypatch: Any
) -> None:
    seed_assessments(workspace)
    out = empty_folder(tmp_path)
    monkeypatch.setattr(QInputDialog, "getItem", lambda *args: ("R7 (2025)", True))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args: str(out))
    window.reports.batch_action.trigger()
    task = window.reports.batch
    assert task is not None
    steps: list[int] = []
    task.progressed.connect(steps.append)
    with qtbot.waitSignal(task.finished, timeout=60_000) as blocker:
        pass
    written = sorted(p.name for p in out.iterdir())
    assert written == [
        "アセスメント報告_2025_302015_和歌山市.pdf",
        "アセスメント報告_2025_302023_海南市.pdf",
    ]
    assert all((out / name).read_bytes().startswith(b"%PDF") for name in written)
    assert len(blocker.args[0].written) == 2
    message = window.statusBar().currentMessage()
    assert "2 件作成しました" in message and "28 市町村は除外" in message
    assert steps and max(steps) == 1000  # (nested modal updates may deliver them out of order)


def test_batch_cancelled_before_it_starts_writes_nothing(
    window: MainWindow, qtbot: QtBot, workspace: Workspace, tmp_path: Path
) -> None:
    seed_assessments(workspace)
    gate = threading.Event()
    window.runner.run(gate.wait)  # hold the worker: the batch is queued, not yet running
    out = empty_folder(tmp_path)
    task = window.reports.batch_to(2025, out)
    cancel_button = task.dialog.findChild(QPushButton)
    assert cancel_button is not None and cancel_button.text() == "中止"
    cancel_button.click()
    gate.set()
    with qtbot.waitSignal(task.cancelled, timeout=WAIT_MS):
        pass
    assert list(out.iterdir()) == []
    assert window.statusBar().currentMessage().startswith("アセスメント報告の作成を中止しました")


def test_batch_cancelled_midway_keeps_whole_reports_only(
    window: MainWindow, qtbot: QtBot, workspace: Workspace, tmp_path: Path, monkeypatch: Any
) -> None:
    seed_assessments(workspace)
    tasks: list[Any] = []

    def write_then_cancel(*args: Any, **kwargs: Any) -> Path:
        path = write_assessment_report(*args, **kwargs)
        tasks[0].token.cancel()  # what 中止 does, pressed while the first report was written
        return path

    monkeypatch.setattr("dxdesk.reports.batch.write_assessment_report", write_then_cancel)
    out = empty_folder(tmp_path)
    tasks.append(window.reports.batch_to(2025, out))
    with qtbot.waitSignal(tasks[0].cancelled, timeout=WAIT_MS):
        pass
    left = sorted(p.name for p in out.iterdir())
    assert left == ["アセスメント報告_2025_302015_和歌山市.pdf"]  # whole, and no temp files
    assert (out / left[0]).read_bytes().rstrip().endswith(b"%%EOF")


def test_batch_for_a_year_without_assessments_says_so(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: Any
) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: warnings.append(text))
    out = empty_folder(tmp_path)
    task = window.reports.batch_to(2019, out)
    with qtbot.waitSignal(task.failed, timeout=WAIT_MS):
        pass
    assert warnings and "アセスメントが一つもありません" in warnings[0]
    assert list(out.iterdir()) == []


def test_batch_into_a_missing_folder_fails_with_a_message(
    window: MainWindow, qtbot: QtBot, workspace: Workspace, tmp_path: Path, monkeypatch: Any
) -> None:
    seed_assessments(workspace)
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: warnings.append(text))
    task = window.reports.batch_to(2025, tmp_path / "missing")
    with qtbot.waitSignal(task.failed, timeout=WAIT_MS):
        pass
    assert warnings and "フォルダ" in warnings[0] and "ありません" in warnings[0]
