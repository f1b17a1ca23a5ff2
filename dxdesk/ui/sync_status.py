"""What the status bar always shows about sync (DESIGN §6): where this device syncs and as
whom, online or offline, changes and files waiting, the last successful sync, open conflicts.

The state is read on the store's worker without touching the keychain: a locked keychain
would otherwise ask for its password at every refresh.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QColor, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from dxdesk.models.store import Store
from dxdesk.sync import account
from dxdesk.sync.account import SyncTarget
from dxdesk.sync.conflicts import open_conflict_count
from dxdesk.sync.engine import META_LAST_SUCCESS
from dxdesk.sync.files import waiting_upload_count

CONFLICT_COLOR = QColor("#b00020")


@dataclass(frozen=True)
class SyncState:
    target: SyncTarget | None
    pending_records: int
    open_conflicts: int
    last_success: datetime | None
    pending_files: int = 0  # attachments whose bytes the server has not confirmed yet


def read_state(store: Store) -> SyncState:
    """The status bar's figures, from the store only (run on the store's worker)."""
    last = store.meta(META_LAST_SUCCESS)
    return SyncState(
        target=account.target(store),
        pending_records=store.pending_record_count(),
        open_conflicts=open_conflict_count(store),
        last_success=datetime.fromisoformat(last) if last else None,
        pending_files=waiting_upload_count(store),
    )


def local_time_text(moment: datetime | None) -> str:
    """A server or store time (UTC) as the user's local time, to the minute."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def server_text(server: str) -> str:
    return server.split("://", 1)[-1]


class SyncStatusWidgets(QWidget):
    """The permanent widgets at the right of the status bar, and the sync button."""

    conflicts_clicked = Signal()

    def __init__(self, sync_action: QAction, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.target_label = QLabel()
        self.target_label.setAccessibleName(self.tr("同期先"))
        self.state_label = QLabel()
        self.state_label.setAccessibleName(self.tr("同期の状態"))
        self.last_sync_label = QLabel()
        self.last_sync_label.setAccessibleName(self.tr("最終同期"))
        self.conflicts_button = QToolButton()
        self.conflicts_button.setAutoRaise(True)
        # Given its text now and restyled only when the count goes to or from zero: restyling
        # it at every refresh measurably slowed the window's repaints (test_long_work.py).
        self.conflicts_button.setText(self.tr("競合なし"))
        self.conflicts_button.setEnabled(False)
        self._marked = False
        self.conflicts_button.setAccessibleName(self.tr("未解決の競合"))
        self.conflicts_button.setToolTip(self.tr("クリックすると競合の解決画面を開きます"))
        self.conflicts_button.clicked.connect(self.conflicts_clicked)
        self.sync_button = QToolButton()
        self.sync_button.setDefaultAction(sync_action)
        self.sync_button.setAccessibleName(self.tr("今すぐ同期"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (
            self.target_label,
            self.state_label,
            self.last_sync_label,
            self.conflicts_button,
            self.sync_button,
        ):
            layout.addWidget(widget)

    def show_state(self, state: SyncState, *, online: bool | None, busy: bool) -> None:
        """``online`` is the last sync's outcome in this session (None: not tried yet)."""
        target = state.target
        if target is None:
            self.target_label.setText(self.tr("同期先: 未設定"))
            self.target_label.setToolTip(self.tr("ファイル → ログイン… で同期サーバーを設定します"))
        else:
            self.target_label.setText(
                self.tr("{user} @ {server}").format(
                    user=target.user, server=server_text(target.server)
                )
            )
            self.target_label.setToolTip(target.server)
        pending = state.pending_records
        if busy:
            text = self.tr("同期中… — 変更 {n} 件").format(n=pending)
        elif target is None or online is None:
            text = self.tr("未接続 — 変更 {n} 件は端末内に保存済み").format(n=pending)
        elif online:
            text = self.tr("オンライン — 変更 {n} 件が送信待ち").format(n=pending)
        else:
            text = self.tr("オフライン — 変更 {n} 件は端末内に保存済み").format(n=pending)
        if state.pending_files:
            text += self.tr("、送信待ちファイル {n} 件").format(n=state.pending_files)
        self.state_label.setText(text)
        if state.last_success is None:
            self.last_sync_label.setText(self.tr("最終同期: なし"))
        else:
            self.last_sync_label.setText(
                self.tr("最終同期: {time}").format(time=local_time_text(state.last_success))
            )
        conflicts = state.open_conflicts
        if conflicts:
            self.conflicts_button.setText(self.tr("競合 {n} 件").format(n=conflicts))
        else:
            self.conflicts_button.setText(self.tr("競合なし"))
        self._mark_conflicts(conflicts > 0)

    def _mark_conflicts(self, marked: bool) -> None:
        """Red and bold while conflicts wait (a palette: a style sheet slows every repaint)."""
        button = self.conflicts_button
        button.setEnabled(marked)
        if marked == self._marked:
            return
        self._marked = marked
        palette = self.palette()
        if marked:
            palette.setColor(QPalette.ColorRole.ButtonText, CONFLICT_COLOR)
        button.setPalette(palette)
        font = button.font()
        font.setBold(marked)
        button.setFont(font)
