"""Write PNG screenshots of each main screen with the demo data (not a test).

Run under a real display or Xvfb:

    xvfb-run -a .venv/bin/python scripts/screenshots.py OUT_DIR
        every screen, under names in Japanese (for looking at the UI)
    xvfb-run -a .venv/bin/python scripts/screenshots.py --guide docs/images
        the images the README's advisor guide shows, under stable ASCII names, at a size that
        keeps the repository light (the window at its default 1280×800, 256-colour PNG)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QApplication, QWizard
from sqlalchemy import delete, select

from dxdesk.domain.roster import load_roster
from dxdesk.models.outbox_tables import PendingChange
from dxdesk.models.tables import SyncConflict
from dxdesk.reports.demo_files import DEMO_FILE_MUNICIPALITIES, seed_demo_with_files
from dxdesk.services.workspace import Workspace, open_workspace
from dxdesk.sync.account import META_SERVER, META_USER
from dxdesk.sync.engine import META_LAST_SUCCESS
from dxdesk.ui.fonts import register_bundled_font
from dxdesk.ui.language import install_translators
from dxdesk.ui.main_window import MainWindow
from tests.imports.survey_files import answers_for, google_forms_xlsx

SERVER = "https://dxdesk.pref.example.lg.jp:8443"


@dataclass
class Shots:
    """Where images go and what they are called: every screen, or the guide's set."""

    out: Path
    guide: bool

    @property
    def window_size(self) -> tuple[int, int]:
        return (1280, 800) if self.guide else (1366, 820)

    def dialog_size(self, full: tuple[int, int], guide: tuple[int, int]) -> tuple[int, int]:
        return guide if self.guide else full

    def save(self, image: QPixmap, name: str, guide_name: str | None = None) -> None:
        """``name`` in the full set; ``guide_name`` (without .png) in the guide, or not in it."""
        if self.guide:
            if guide_name is None:
                return
            path = self.out / f"{guide_name}.png"
            # 256 colours: screens are flat colours and grey text; about a fifth of the size.
            compact = image.toImage().convertToFormat(
                QImage.Format.Format_Indexed8, Qt.ImageConversionFlag.ThresholdDither
            )
            compact.save(str(path), quality=0)  # PNG (by the name), most compressed
        else:
            path = self.out / name
            image.save(str(path))
        sys.stdout.write(f"{path}\n")


def _settle(app: QApplication, window: MainWindow, ms: int = 400) -> None:
    window.runner.wait_idle()
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    app.processEvents()


def _sync_screens(app: QApplication, window: MainWindow, ws: Workspace, shots: Shots) -> None:
    """The login dialog, and the conflict dialog on a text conflict written into the store."""
    window.sync.login_action.trigger()
    dialog = window.sync.login_dialog
    assert dialog is not None
    dialog.server_edit.setText(SERVER)
    dialog.user_edit.setText("tanaka")
    dialog.password_edit.setText("password")
    _settle(app, window)
    shots.save(dialog.grab(), "20-ログイン.png", "sync-login")
    dialog.reject()
    ws.store.set_meta(META_SERVER, SERVER)
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
        if shots.guide:
            # As after a sync this session: a few edits since, the last sync's time, online.
            keep = session.scalars(
                select(PendingChange.record_id).order_by(PendingChange.seq.desc()).limit(3)
            ).all()
            session.execute(delete(PendingChange).where(PendingChange.record_id.not_in(keep)))
    if shots.guide:
        ws.store.set_meta(META_LAST_SUCCESS, datetime(2026, 11, 20, 6, 2, tzinfo=UTC).isoformat())
        window.sync.online = True
    window.refresh()
    _settle(app, window)
    shots.save(window.grab(), "21-同期の状態.png")
    if shots.guide:
        shots.save(window.statusBar().grab(), "", "sync-status")
    conflicts = window.sync.open_conflicts()
    conflicts.resize(*shots.dialog_size((1100, 720), (1000, 620)))
    _settle(app, window)
    shots.save(conflicts.grab(), "22-競合.png", "conflict")
    conflicts.close()


def _survey_screens(app: QApplication, window: MainWindow, tmp: Path, shots: Shots) -> None:
    """The import wizard's preview on a Forms-like file with one answer it cannot read."""
    codes = [m.code for m in load_roster()[:4]]
    path = google_forms_xlsx(tmp, answers_for(codes, seed=3))
    book = openpyxl.load_workbook(path)
    book.active["E3"] = "たぶん"
    book.save(path)
    wizard = window.open_survey_import()
    wizard.resize(*shots.dialog_size((1100, 720), (1000, 620)))
    wizard.choose.path_edit.setText(str(path))
    _settle(app, window)
    shots.save(wizard.grab(), "30-取り込み-ファイル.png")
    wizard.button(QWizard.WizardButton.NextButton).click()
    _settle(app, window, 1500)
    guide_names = ("survey-import", None, "survey-import-errors")
    for index in range(3):
        wizard.preview.tabs.setCurrentIndex(index)
        _settle(app, window)
        shots.save(
            wizard.grab(), f"{31 + index}-取り込み-プレビュー-{index}.png", guide_names[index]
        )
    wizard.reject()


def _print_preview(app: QApplication, window: MainWindow, shots: Shots) -> None:
    """Ctrl+P on the first visit of the list: the preview of its summary."""
    window.tabs.setCurrentWidget(window.engagements)
    window.engagements.view.selectRow(0)
    _settle(app, window)
    preview = window.reports.preview_current()
    if preview is None:
        return
    preview.resize(*shots.dialog_size((900, 1000), (760, 860)))
    _settle(app, window, 1500)
    shots.save(preview.grab(), "40-印刷プレビュー.png", "print-preview")
    preview.close()


def _knowledge_screens(app: QApplication, window: MainWindow, shots: Shots) -> None:
    """Ctrl+F with a two-character word, and 「ナレッジとして共有…」 on the first visit."""
    dialog = window.knowledge.open_search()
    dialog.resize(760, 560)
    dialog.query_edit.setText("人材")
    dialog.search_now()
    _settle(app, window, 1000)
    shots.save(dialog.grab(), "50-検索.png", "search")
    dialog.close()
    window.tabs.setCurrentWidget(window.engagements)
    window.engagements.view.selectRow(0)
    _settle(app, window)
    record_id = window.engagements.editor.record_id
    if record_id is None:
        return
    share = window.knowledge.share(record_id)
    share.resize(*shots.dialog_size((760, 720), (760, 620)))
    _settle(app, window, 1000)
    shots.save(share.grab(), "51-ナレッジとして共有.png", "share-knowledge")
    share.close()


def _first_start(app: QApplication, data_dir: Path, shots: Shots) -> None:
    """The window on a new, empty data folder: what `dxdesk` shows the first time."""
    ws = open_workspace(data_dir)
    window = MainWindow(ws, title="DX Desk", settings_file=data_dir / "ui.ini")
    window.resize(*shots.window_size)
    window.show()
    _settle(app, window)
    shots.save(window.grab(), "00-最初の起動.png", "first-start")
    window.close()
    window.runner.shutdown()
    ws.close()


# The main window's tabs in the guide (by position), and the visit editor's tabs.
GUIDE_TABS = {1: "visit", 2: "assessment", 3: "survey", 4: "followups", 5: "events", 6: "analysis"}
GUIDE_VISIT_TABS = {1: "visit-interviews", 2: "visit-followups"}


def _main_screens(app: QApplication, window: MainWindow, shots: Shots) -> None:
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        _settle(app, window)
        name = f"{index + 1:02d}-{window.tabs.tabText(index)}.png"
        shots.save(window.grab(), name, GUIDE_TABS.get(index))
    # The engagement editor's interview notes and follow-ups.
    window.tabs.setCurrentWidget(window.engagements)
    editor = window.engagements.editor
    for index in (1, 2):
        editor.tabs.setCurrentIndex(index)
        _settle(app, window)
        name = f"{window.tabs.count() + index:02d}-相談記録-{index}.png"
        shots.save(window.grab(), name, GUIDE_VISIT_TABS[index])
    editor.tabs.setCurrentIndex(0)
    _attachment_screen(app, window, shots)


def _attachment_screen(app: QApplication, window: MainWindow, shots: Shots) -> None:
    """和歌山市's latest visit, whose 資料 the demo attached: a PDF and a photo."""
    window._select_code(DEMO_FILE_MUNICIPALITIES[0])
    _settle(app, window)
    window.tabs.setCurrentWidget(window.engagements)
    window.engagements.view.selectRow(0)  # newest first: the visit with the files
    editor = window.engagements.editor
    editor.tabs.setCurrentWidget(editor.attachments)
    _settle(app, window, 1500)  # the thumbnails are made on a thread of their own
    shots.save(
        window.grab(), f"{window.tabs.count() + 3:02d}-相談記録-資料.png", "visit-attachments"
    )
    editor.tabs.setCurrentIndex(0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", help="folder for every screen (default: screenshots)")
    parser.add_argument("--guide", metavar="DIR", help="write the README guide's images to DIR")
    args = parser.parse_args(argv)
    if args.guide and args.out:
        parser.error("give either OUT_DIR or --guide DIR")
    shots = Shots(Path(args.guide or args.out or "screenshots"), guide=bool(args.guide))
    shots.out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    install_translators(app, "ja")  # Qt's own buttons in Japanese, as in the app
    register_bundled_font()
    with tempfile.TemporaryDirectory() as tmp:
        _first_start(app, Path(tmp) / "empty", shots)
        ws = open_workspace(Path(tmp) / "demo")
        seed_demo_with_files(ws)
        window = MainWindow(ws, title="DX Desk（デモ）", settings_file=Path(tmp) / "ui.ini")
        window.resize(*shots.window_size)
        window.show()
        _settle(app, window)
        _main_screens(app, window, shots)
        _survey_screens(app, window, Path(tmp), shots)
        _print_preview(app, window, shots)
        _knowledge_screens(app, window, shots)
        _sync_screens(app, window, ws, shots)
        window.close()
        window.runner.shutdown()
        ws.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
