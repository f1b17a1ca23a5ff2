"""Write PNG screenshots of each main screen with the demo data (not a test).

Run under a real display or Xvfb:  xvfb-run -a .venv/bin/python scripts/screenshots.py OUT_DIR
"""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QApplication, QWizard

from dxdesk.demo_data import seed_demo
from dxdesk.domain.roster import load_roster
from dxdesk.models.tables import SyncConflict
from dxdesk.models.workspace import Workspace, open_workspace
from dxdesk.sync.account import META_SERVER, META_USER
from dxdesk.ui.fonts import register_bundled_font
from dxdesk.ui.main_window import MainWindow
from tests.imports.survey_files import answers_for, google_forms_xlsx


def _settle(app: QApplication, window: MainWindow, ms: int = 400) -> None:
    window.runner.wait_idle()
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    app.processEvents()


def _sync_screens(app: QApplication, window: MainWindow, ws: Workspace, out: Path) -> None:
    """The login dialog, and the conflict dialog on a text conflict written into the store."""
    window.sync.login_action.trigger()
    dialog = window.sync.login_dialog
    assert dialog is not None
    dialog.server_edit.setText("https://dxdesk.pref.example.lg.jp:8443")
    dialog.user_edit.setText("tanaka")
    dialog.password_edit.setText("password")
    _settle(app, window)
    _save(dialog.grab(), out, "20-ログイン.png")
    dialog.reject()
    ws.store.set_meta(META_SERVER, "https://dxdesk.pref.example.lg.jp:8443")
    ws.store.set_meta(META_USER, "tanaka")
    visit = ws.engagements.list_records()[0]
    base = "一 現状\n紙の申請が多い\n\n二 課題\n担当者が一人\n\n三 次回\n未定\n"
    with ws.store.transaction() as session:
        session.add(
            SyncConflict(
                kind="visit",
                record_id=visit["id"],
                field="notes",
                reason="changed",
                base=base,
                theirs=base.replace("未定", "12月に庁内説明会"),
                mine=base.replace("担当者が一人", "担当者が一人（来年度二人に）"),
                theirs_by="suzuki",
                theirs_at=datetime(2026, 11, 20, 5, 30, tzinfo=UTC),
            )
        )
    window.refresh()
    _settle(app, window)
    _save(window.grab(), out, "21-同期の状態.png")
    conflicts = window.sync.open_conflicts()
    conflicts.resize(1100, 720)
    _settle(app, window)
    _save(conflicts.grab(), out, "22-競合.png")
    conflicts.close()


def _survey_screens(app: QApplication, window: MainWindow, tmp: Path, out: Path) -> None:
    """The import wizard's preview on a Forms-like file with one answer it cannot read."""
    codes = [m.code for m in load_roster()[:4]]
    path = google_forms_xlsx(tmp, answers_for(codes, seed=3))
    book = openpyxl.load_workbook(path)
    book.active["E3"] = "たぶん"
    book.save(path)
    wizard = window.open_survey_import()
    wizard.resize(1100, 720)
    wizard.choose.path_edit.setText(str(path))
    _save(wizard.grab(), out, "30-取り込み-ファイル.png")
    wizard.button(QWizard.WizardButton.NextButton).click()
    _settle(app, window, 1500)
    for index in range(3):
        wizard.preview.tabs.setCurrentIndex(index)
        _settle(app, window)
        _save(wizard.grab(), out, f"{31 + index}-取り込み-プレビュー-{index}.png")
    wizard.reject()


def _print_preview(app: QApplication, window: MainWindow, out: Path) -> None:
    """Ctrl+P on the first visit of the list: the preview of its summary."""
    window.tabs.setCurrentWidget(window.engagements)
    window.engagements.view.selectRow(0)
    _settle(app, window)
    preview = window.reports.preview_current()
    if preview is None:
        return
    preview.resize(900, 1000)
    _settle(app, window, 1500)
    _save(preview.grab(), out, "40-印刷プレビュー.png")
    preview.close()


def _knowledge_screens(app: QApplication, window: MainWindow, out: Path) -> None:
    """Ctrl+F with a two-character word, and 「ナレッジとして共有…」 on the first visit."""
    dialog = window.knowledge.open_search()
    dialog.resize(760, 560)
    dialog.query_edit.setText("人材")
    dialog.search_now()
    _settle(app, window, 1000)
    _save(dialog.grab(), out, "50-検索.png")
    dialog.close()
    window.tabs.setCurrentWidget(window.engagements)
    window.engagements.view.selectRow(0)
    _settle(app, window)
    record_id = window.engagements.editor.record_id
    if record_id is None:
        return
    share = window.knowledge.share(record_id)
    share.resize(760, 720)
    _settle(app, window, 1000)
    _save(share.grab(), out, "51-ナレッジとして共有.png")
    share.close()


def _save(image: QPixmap, out: Path, name: str) -> None:
    image.save(str(out / name))
    sys.stdout.write(f"{out / name}\n")


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv)
    register_bundled_font()
    with tempfile.TemporaryDirectory() as tmp:
        ws = open_workspace(Path(tmp))
        seed_demo(ws)
        window = MainWindow(ws, title="DX Desk（デモ）", settings_file=Path(tmp) / "ui.ini")
        window.resize(1366, 820)
        window.show()
        _settle(app, window)
        for index in range(window.tabs.count()):
            window.tabs.setCurrentIndex(index)
            _settle(app, window)
            name = f"{index + 1:02d}-{window.tabs.tabText(index)}.png"
            window.grab().save(str(out / name))
            sys.stdout.write(f"{out / name}\n")
        # The engagement editor's interview notes and follow-ups.
        window.tabs.setCurrentWidget(window.engagements)
        editor = window.engagements.editor
        for index in (1, 2):
            editor.tabs.setCurrentIndex(index)
            _settle(app, window)
            name = f"{window.tabs.count() + index:02d}-相談記録-{index}.png"
            window.grab().save(str(out / name))
            sys.stdout.write(f"{out / name}\n")
        _sync_screens(app, window, ws, out)
        _survey_screens(app, window, Path(tmp), out)
        _print_preview(app, window, out)
        _knowledge_screens(app, window, out)
        window.close()
        window.runner.shutdown()
        ws.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
