"""Logging in to the sync server, and asking for the password where no keychain keeps a token.

The password goes from the field to ``account.login`` (or ``run_sync``) and nowhere else: it is
never stored, logged or put in a message, and the field is cleared once it has been used.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dxdesk.models.store import Store
from dxdesk.sync import account
from dxdesk.sync.account import SyncTarget
from dxdesk.sync.api_client import WipeOrdered
from dxdesk.ui.message_label import message_label
from dxdesk.ui.refusal_text import error_text
from dxdesk.ui.runner import StoreRunner
from dxdesk.ui.sync_status import server_text

ERROR_STYLE = "color: #b00020;"


def _password_edit(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setAccessibleName(name)
    return edit


class LoginDialog(QDialog):
    # The server logged in to, and whether the token is in the keychain (False: no keychain).
    logged_in = Signal(str, bool)
    wipe_ordered = Signal(object)  # the WipeOrdered: this laptop was revoked as lost

    def __init__(
        self,
        parent: QWidget,
        runner: StoreRunner,
        store: Store,
        *,
        target: SyncTarget | None,
        message: str = "",
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._store = store
        self.setWindowTitle(self.tr("同期サーバーにログイン"))
        self.message_label = message_label(message)
        self.message_label.setVisible(bool(message))
        self.server_edit = QLineEdit(placeholderText="https://dxdesk.example.lg.jp:8443")
        self.server_edit.setAccessibleName(self.tr("サーバーの URL"))
        self.user_edit = QLineEdit()
        self.user_edit.setAccessibleName(self.tr("利用者名"))
        self.password_edit = _password_edit(self.tr("パスワード"))
        self.ca_edit = QLineEdit(placeholderText=self.tr("（任意）サーバーの証明書を確認する CA"))
        self.ca_edit.setAccessibleName(self.tr("CA ファイル"))
        self.ca_button = QPushButton(self.tr("参照…"))
        self.ca_button.setAccessibleName(self.tr("CA ファイルを選ぶ"))
        self.ca_button.clicked.connect(self._choose_ca_file)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_edit, 1)
        ca_row.addWidget(self.ca_button)
        self.error_label = message_label()
        self.error_label.setAccessibleName(self.tr("ログインの結果"))
        self.buttons = QDialogButtonBox()
        self.login_button = self.buttons.addButton(
            self.tr("ログイン"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(self.tr("サーバーの URL"), self.server_edit)
        form.addRow(self.tr("利用者名"), self.user_edit)
        form.addRow(self.tr("パスワード"), self.password_edit)
        form.addRow(self.tr("CA ファイル"), ca_row)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message_label)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)

        if target is not None:
            self.server_edit.setText(target.server)
            self.user_edit.setText(target.user)
            self.ca_edit.setText(target.ca_file or "")
            self.password_edit.setFocus()

    def _choose_ca_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("CA ファイルを選ぶ"),
            self.ca_edit.text(),
            self.tr("証明書 (*.pem *.crt *.cer);;すべてのファイル (*)"),
        )
        if path:
            self.ca_edit.setText(path)

    def _show_error(self, text: str) -> None:
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setText(text)

    def accept(self) -> None:
        """ログイン: check the fields, then log in on the network worker."""
        server = self.server_edit.text().strip()
        user = self.user_edit.text().strip()
        password = self.password_edit.text()
        ca_file = self.ca_edit.text().strip() or None
        if not server:
            self._show_error(self.tr("サーバーの URL を入力してください"))
            return
        if not user:
            self._show_error(self.tr("利用者名を入力してください"))
            return
        if not password:
            self._show_error(self.tr("パスワードを入力してください"))
            return
        self._set_busy(True)
        self.error_label.setStyleSheet("")
        self.error_label.setText(
            self.tr("{server} に接続しています…").format(server=server_text(server))
        )
        self._runner.run(
            lambda: account.login(
                self._store, server=server, user=user, password=password, ca_file=ca_file
            ),
            on_done=lambda kept: self._done(server, kept),
            on_error=self._failed,
        )

    def _set_busy(self, busy: bool) -> None:
        for widget in (
            self.server_edit,
            self.user_edit,
            self.password_edit,
            self.ca_edit,
            self.ca_button,
            self.login_button,
        ):
            widget.setEnabled(not busy)

    def _done(self, server: str, kept: Any) -> None:
        self.password_edit.clear()
        self._set_busy(False)
        super().accept()
        self.logged_in.emit(server, bool(kept))

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        if isinstance(error, WipeOrdered):  # this laptop was revoked as lost: the window wipes
            self.reject()
            self.wipe_ordered.emit(error)
            return
        self._show_error(error_text(error))
        self.password_edit.selectAll()
        self.password_edit.setFocus()


class PasswordDialog(QDialog):
    """The password for one sync, where no keychain can keep a token between syncs."""

    password_given = Signal(str)

    def __init__(self, parent: QWidget, target: SyncTarget, *, message: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("同期のパスワード"))
        self.explanation = message_label(
            self.tr(
                "この端末にはログイン情報を保存できないため、同期のたびにパスワードを"
                "入力してください。"
            )
        )
        self.error_label = message_label(message)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setVisible(bool(message))
        self.password_edit = _password_edit(self.tr("パスワード"))
        form = QFormLayout()
        form.addRow(self.tr("同期先"), QLabel(f"{target.user} @ {server_text(target.server)}"))
        form.addRow(self.tr("パスワード"), self.password_edit)
        self.buttons = QDialogButtonBox()
        self.sync_button = self.buttons.addButton(
            self.tr("同期"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addWidget(self.error_label)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
        self.password_edit.setFocus()

    def accept(self) -> None:
        password = self.password_edit.text()
        if not password:
            self.error_label.setText(self.tr("パスワードを入力してください"))
            self.error_label.show()
            return
        self.password_edit.clear()
        super().accept()
        self.password_given.emit(password)
