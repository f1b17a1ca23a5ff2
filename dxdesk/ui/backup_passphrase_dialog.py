"""ファイル → バックアップの合言葉を設定…: the passphrase chosen once, the recovery code shown once.

The key is made on the store's worker (scrypt takes about 0.4 s); the code is shown with a
「控えました」 checkbox that must be ticked before the dialog closes, and is never kept.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from dxdesk.models import backup_keys
from dxdesk.models.backup_crypto import BackupKey
from dxdesk.ui.message_label import message_label
from dxdesk.ui.runner import StoreRunner


class PassphraseDialog(QDialog):
    def __init__(self, parent: QWidget, data_dir: Path, runner: StoreRunner) -> None:
        super().__init__(parent)
        self._data_dir = data_dir
        self._runner = runner
        self.setWindowTitle(self.tr("バックアップの合言葉"))
        self.explanation = message_label(
            self.tr(
                "バックアップを暗号化する合言葉を決めてください（{n} 文字以上）。\n"
                "別の端末で復元するときに必要です。決めるまで自動バックアップは止まっています。"
            ).format(n=backup_keys.MIN_PASSPHRASE)
        )
        self.first = QLineEdit()
        self.first.setEchoMode(QLineEdit.EchoMode.Password)
        self.first.setAccessibleName(self.tr("合言葉"))
        self.second = QLineEdit()
        self.second.setEchoMode(QLineEdit.EchoMode.Password)
        self.second.setAccessibleName(self.tr("合言葉（確認）"))
        form = QFormLayout()
        form.addRow(self.tr("合言葉"), self.first)
        form.addRow(self.tr("もう一度"), self.second)
        self.problem = QLabel()
        self.code = QLabel()
        self.code.setAccessibleName(self.tr("回復コード"))
        self.code.hide()
        self.noted = QCheckBox(self.tr("控えました"))
        self.noted.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("決める"))
        self.cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel.setText(self.tr("あとで"))
        self.buttons.accepted.connect(self._decide)
        self.buttons.rejected.connect(self.reject)
        self.noted.toggled.connect(self.ok.setEnabled)
        layout = QVBoxLayout(self)
        for widget in (self.explanation, self.problem, self.code, self.noted):
            layout.addWidget(widget)
        layout.insertLayout(1, form)
        layout.addWidget(self.buttons)
        self._set_up = False
        self.key: BackupKey | None = None  # once set up

    def _decide(self) -> None:
        if self._set_up:  # the code was shown and noted
            self.accept()
            return
        passphrase = self.first.text()
        if passphrase != self.second.text():
            self.problem.setText(self.tr("2つの合言葉が一致しません"))
            return
        if len(passphrase) < backup_keys.MIN_PASSPHRASE:
            self.problem.setText(
                self.tr("合言葉は {n} 文字以上にしてください").format(n=backup_keys.MIN_PASSPHRASE)
            )
            return
        self.ok.setEnabled(False)
        self._runner.run(
            lambda: backup_keys.set_up(self._data_dir, passphrase),
            on_done=self._show_code,
            on_error=self._failed,
        )

    def _failed(self, error: BaseException) -> None:
        self.ok.setEnabled(True)
        self.problem.setText(str(error))

    def _show_code(self, done: backup_keys.SetUp) -> None:
        self._set_up = True
        self.first.clear()
        self.second.clear()
        self.first.setEnabled(False)
        self.second.setEnabled(False)
        self.problem.setText(
            self.tr(
                "合言葉を決めました。合言葉を忘れたときは次の回復コードで復元できます。"
                "今だけ表示します。紙に書いて別に保管してください。"
            )
        )
        self.code.setText(done.recovery_code)
        self.code.show()
        self.noted.show()
        self.cancel.hide()
        self.ok.setText(self.tr("閉じる"))
        self.ok.setEnabled(False)
        self.key = done.key
