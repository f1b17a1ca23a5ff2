"""The store's passphrase asked before any window where no keychain holds its key (issue 23):
chosen once (typed twice) for a new data folder, then asked at each start.

The dialog closes only once ``store_key.unlock`` took the passphrase (the key is then in this
process's memory); a wrong one is said in the dialog, which stays. Cancel changes nothing.
scrypt takes about 0.4 s: it runs on a thread of its own, the dialog busy meanwhile.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from dxdesk.models import backup_keys, store_key
from dxdesk.models.store import StoreError
from dxdesk.ui.message_label import message_label


class _Relay(QObject):
    answered = Signal(str, bool)  # the refusal's one line ("" when unlocked); a wrong one


class StorePassphraseDialog(QDialog):
    def __init__(self, parent: QWidget | None, needed: store_key.PassphraseNeeded) -> None:
        super().__init__(parent)
        self._needed = needed
        self._busy = False
        self._relay = _Relay()
        self._relay.answered.connect(self._answered)
        self.setWindowTitle(self.tr("記録の合言葉"))
        n = backup_keys.MIN_PASSPHRASE
        self.explanation = message_label(
            self.tr(
                "この端末にはキーチェーンがないため、データフォルダの記録を、いま決める合言葉"
                "（{n} 文字以上）で暗号化します。合言葉は起動のたびに尋ねます。\n\n"
                "合言葉を忘れると、この端末の記録は開けなくなり、戻せません"
                "（サーバーにある記録は同期で戻ります。暗号化したバックアップからも復元できます）。"
            ).format(n=n)
            if needed.choose
            else self.tr(
                "データフォルダの記録は合言葉で暗号化されています。合言葉を入力してください。"
            )
        )
        self.first = QLineEdit()
        self.first.setEchoMode(QLineEdit.EchoMode.Password)
        self.first.setAccessibleName(self.tr("合言葉"))
        self.second = QLineEdit()
        self.second.setEchoMode(QLineEdit.EchoMode.Password)
        self.second.setAccessibleName(self.tr("合言葉（確認）"))
        form = QFormLayout()
        form.addRow(self.tr("合言葉"), self.first)
        if needed.choose:
            form.addRow(self.tr("もう一度"), self.second)
        self.problem = message_label(error=True)
        self.problem.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("決める") if needed.choose else self.tr("開く"))
        self.ok.setEnabled(False)
        self.cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel.setText(self.tr("キャンセル"))
        self.first.textChanged.connect(lambda text: self.ok.setEnabled(bool(text)))
        self.buttons.accepted.connect(self._decide)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)
        self.adjustSize()

    def _say(self, problem: str) -> None:
        self.problem.setText(problem)
        self.problem.show()
        self.adjustSize()  # room for the line, the explanation kept whole

    def _decide(self) -> None:
        passphrase = self.first.text()
        if self._needed.choose:
            if passphrase != self.second.text():
                self._say(self.tr("2つの合言葉が一致しません"))
                return
            if len(passphrase) < backup_keys.MIN_PASSPHRASE:
                self._say(
                    self.tr("合言葉は {n} 文字以上にしてください").format(
                        n=backup_keys.MIN_PASSPHRASE
                    )
                )
                return
        self._set_busy(True)
        threading.Thread(
            target=self._unlock, args=(passphrase,), name="dxdesk-store-unlock", daemon=True
        ).start()

    def _unlock(self, passphrase: str) -> None:
        """On the thread: the key unsealed (or sealed, when chosen) and kept in memory."""
        try:
            store_key.unlock(self._needed.data_dir, passphrase)
        except store_key.WrongPassphrase as exc:
            self._relay.answered.emit(str(exc), True)
            return
        except StoreError as exc:
            self._relay.answered.emit(str(exc), False)
            return
        except Exception as exc:  # the dialog waits for an answer, whatever ends the thread
            self._relay.answered.emit(str(exc) or type(exc).__name__, False)
            return
        self._relay.answered.emit("", False)

    @Slot(str, bool)
    def _answered(self, problem: str, wrong: bool) -> None:
        self._set_busy(False)
        if not problem:
            self.accept()
            return
        # store_key.WRONG_MESSAGE, in the window's language
        self._say(
            self.tr("合言葉が違います。何も変えていません。もう一度入力してください")
            if wrong
            else problem
        )
        self.first.clear()
        self.second.clear()
        self.first.setFocus()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for widget in (self.first, self.second, self.buttons):
            widget.setEnabled(not busy)
        if busy:
            self.setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.unsetCursor()

    def reject(self) -> None:
        if not self._busy:  # the thread answers this dialog: it stays until then
            super().reject()


def ask_store_passphrase(parent: QWidget | None, needed: store_key.PassphraseNeeded) -> bool:
    """Whether the store's key is now in memory (False: the person cancelled)."""
    return StorePassphraseDialog(parent, needed).exec() == QDialog.DialogCode.Accepted
