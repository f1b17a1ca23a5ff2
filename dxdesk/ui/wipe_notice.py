"""The window when the server orders this laptop, revoked as lost, wiped (sync/wipe.py).

The sync has stopped at the order. Here the window stops its workers, closes and seals the store
(nothing opens it again, so no empty store is made and synced), erases the data folder and the
keychain entries, then says so in a message and closes: nothing is left open on what was deleted.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMainWindow, QMessageBox

from dxdesk.models.store import Store
from dxdesk.sync import wipe
from dxdesk.sync.api_client import WipeOrdered


def wipe_and_close(
    window: QMainWindow, store: Store, order: WipeOrdered, *, stop_workers: Callable[[], None]
) -> QMessageBox:
    """Erase this laptop's data and close ``window``; the returned message stays open (the
    application ends when it is closed). ``stop_workers`` () waits for every worker to stop."""
    stop_workers()
    wipe.seal(store)
    report = wipe.complete(order, Path(store.data_dir))
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        QCoreApplication.translate("Wipe", "この端末のデータを消去しました"),
        report.notice(),
    )
    box.setAccessibleName(QCoreApplication.translate("Wipe", "消去の通知"))
    box.open()
    window.close()
    return box
