"""Starting the desktop app: Qt, the bundled font, the store, the main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from dxdesk.domain.progress import Cancelled
from dxdesk.models.backups import Restored
from dxdesk.models.store import StoreError, StoreUnreadable, needs_encrypting
from dxdesk.models.store_key import PassphraseNeeded
from dxdesk.resources import resource_path
from dxdesk.services.workspace import Workspace, open_workspace
from dxdesk.ui.backup_start import restore_at_start
from dxdesk.ui.fonts import register_bundled_font
from dxdesk.ui.garbage import UiThreadCollector
from dxdesk.ui.language import choose_language, install_translators, remember_language
from dxdesk.ui.main_window import MainWindow
from dxdesk.ui.store_encrypting_dialog import open_encrypting
from dxdesk.ui.store_passphrase_dialog import ask_store_passphrase

APP_TITLE = "DX Desk"


def _seed_demo_in_background(window: MainWindow, workspace: Workspace) -> None:
    from dxdesk.reports.demo_files import seed_demo_with_files

    def done(_counts: object) -> None:
        window.statusBar().showMessage(
            QCoreApplication.translate("app", "デモデータを作成しました"), 5000
        )
        window.refresh()

    window.statusBar().showMessage(QCoreApplication.translate("app", "デモデータを作成しています…"))
    window.runner.run(lambda: seed_demo_with_files(workspace), on_done=done)


def _unreadable_message(exc: StoreUnreadable) -> str:
    """The store's one line (StoreUnreadable), in the window's language."""
    return QCoreApplication.translate(
        "app",
        "データフォルダの記録 {path} が読めません（壊れています）。\n\nファイルには手を付けず、そのまま残してあります。\n自動バックアップから戻せます（コマンドでは dxdesk backups で一覧、dxdesk restore FILE で復元）。復元のあと同期すると、サーバーにある新しい記録も戻ります。",  # noqa: E501 (one literal for lupdate)
    ).format(path=exc.path)


def _open_asking(data_dir: Path, smoke: bool) -> Workspace | None:
    """The workspace, its passphrase asked where no keychain holds the key (PassphraseNeeded
    is raised under --smoke, where nobody answers) and an old plaintext store encrypted with
    its progress shown; None when the person cancels the passphrase. Raises what opening
    raises (``Cancelled``: the encryption was stopped, the plaintext store stays whole)."""
    while True:
        try:
            if needs_encrypting(data_dir):
                return open_encrypting(data_dir)
            return open_workspace(data_dir)
        except PassphraseNeeded as needed:
            if smoke:
                raise  # nobody answers: said as any other StoreError
            if not ask_store_passphrase(None, needed):
                return None


def _open(data_dir: Path, smoke: bool) -> tuple[Workspace | None, Restored | None]:
    """The workspace, or None after the message; a store that cannot be read is offered its
    newest backup right there (not under --smoke, where nobody answers)."""
    try:
        return _open_asking(data_dir, smoke), None
    except StoreUnreadable as exc:
        message = _unreadable_message(exc)
        if smoke:
            sys.stderr.write(f"dxdesk: エラー: {' '.join(message.split())}\n")
            return None, None
        restored = restore_at_start(None, data_dir, message)
        if restored is None:
            return None, None
    except (StoreError, Cancelled) as exc:
        # Before any window: nothing of the folder is touched, nothing is made in its place.
        _say_not_opened(exc, smoke)
        return None, None
    try:
        workspace = _open_asking(data_dir, smoke)
    except (StoreError, Cancelled) as exc:
        _say_not_opened(exc, smoke)
        return None, None
    return workspace, None if workspace is None else restored


def _say_not_opened(exc: StoreError | Cancelled, smoke: bool) -> None:
    message = (
        QCoreApplication.translate(
            "app",
            "記録の暗号化を中止しました。記録は暗号化する前のまま残してあります。終了します。",
        )
        if isinstance(exc, Cancelled)
        else str(exc)
    )
    if smoke:
        sys.stderr.write(f"dxdesk: エラー: {' '.join(message.split())}\n")
    elif isinstance(exc, Cancelled):
        QMessageBox.information(None, APP_TITLE, message)
    else:
        QMessageBox.critical(None, APP_TITLE, message)


def run_app(
    *, data_dir: Path, demo: bool = False, smoke: bool = False, lang: str | None = None
) -> int:
    """Open the window on ``data_dir``; ``lang`` ("ja"/"en") overrides and updates the setting."""
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_TITLE)
    app.setWindowIcon(QIcon(str(resource_path("icons", "dxdesk.png"))))
    settings_file = data_dir / "ui.ini"
    install_translators(app, choose_language(settings_file, lang))
    register_bundled_font()
    workspace, restored = _open(data_dir, smoke)
    if workspace is None:
        return 2
    if lang is not None:  # the data folder exists and is usable now
        remember_language(settings_file, lang)
    title = QCoreApplication.translate("app", "{title}（デモ）").format(title=APP_TITLE)
    window = MainWindow(
        workspace,
        title=title if demo else APP_TITLE,
        settings_file=settings_file,
        automatic_backups=not smoke,
    )
    collector = UiThreadCollector(app)
    window.show()
    if restored is not None:
        window.backups.restored_at_start(restored)
    if demo and workspace.store.is_empty():
        _seed_demo_in_background(window, workspace)
    if smoke:

        def report() -> None:
            window.grab()  # forces a full paint of the window
            sys.stdout.write(window.windowTitle() + "\n")
            window.ask_before_closing = False  # kept edits stay kept; nobody is there to ask
            window.close()
            app.quit()

        QTimer.singleShot(0, report)
    status = app.exec()
    window.runner.shutdown()
    collector.stop()
    workspace.close()
    return status
