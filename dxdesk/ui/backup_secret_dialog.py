"""The backup passphrase (or recovery code) typed once: the window's session key where no
keychain holds it, and the restore offered before any window for an encrypted backup.

The dialog only takes the text; whoever opened it checks it and, when it is wrong, opens a new
one with the reason shown (so Cancel always leaves everything as it was).
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLineEdit, QVBoxLayout, QWidget

from dxdesk.ui.message_label import message_label


class SecretDialog(QDialog):
    def __init__(self, parent: QWidget | None, prompt: str, problem: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("バックアップの合言葉"))
        self.explanation = message_label(prompt)
        self.problem = message_label(problem, error=True)
        self.problem.setVisible(bool(problem))
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setAccessibleName(self.tr("合言葉または回復コード"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("OK"))
        self.ok.setEnabled(False)
        self.cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel.setText(self.tr("キャンセル"))
        self.secret.textChanged.connect(lambda text: self.ok.setEnabled(bool(text)))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.explanation, self.problem, self.secret, self.buttons):
            layout.addWidget(widget)
        self.resize(460, self.sizeHint().height())

    def text(self) -> str:
        return self.secret.text()
