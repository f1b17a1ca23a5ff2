"""定例の間隔: how often a municipality's regular consultation (定例よろず相談) is held.

Asked in a small dialog from 概要; the choice is written as the municipality's cadence record
on the store's worker (services/planning.set_cadence), or taken away with 「未設定」.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from dxdesk.domain.calendar_values import MAX_CADENCE_MONTHS
from dxdesk.services.planning import set_cadence
from dxdesk.services.workspace import Workspace
from dxdesk.ui.choice_box import ChoiceBox
from dxdesk.ui.format import cadence_text
from dxdesk.ui.message_label import message_label, show_error
from dxdesk.ui.refusal_text import error_text
from dxdesk.ui.runner import StoreRunner, while_open


class CadenceDialog(QDialog):
    """Choose the cadence of one municipality; 保存 writes it off the UI thread."""

    def __init__(
        self,
        workspace: Workspace,
        runner: StoreRunner,
        code: str,
        name: str,
        current: dict[str, object] | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._runner = runner
        self._code = code
        self.setWindowTitle(self.tr("定例の間隔 — {name}").format(name=name))
        self.months_box = ChoiceBox()
        self.months_box.setAccessibleName(self.tr("定例の間隔"))
        self.months_box.addItem(cadence_text(None), None)
        for months in range(1, MAX_CADENCE_MONTHS + 1):
            self.months_box.addItem(cadence_text(months), months)
        months_now = None if current is None else current.get("months")
        self.months_box.setCurrentIndex(max(self.months_box.findData(months_now), 0))
        self.note_edit = QLineEdit(str((current or {}).get("note") or ""))
        self.note_edit.setPlaceholderText(self.tr("例: 第2火曜の午前"))
        self.note_edit.setAccessibleName(self.tr("メモ"))
        self.error_label = message_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(
            QLabel(
                self.tr(
                    "定例よろず相談をどのくらいの間隔で行うか。間隔の中で実施も予定もない"
                    "市町村は「期限超過」と表示されます。"
                )
            )
        )
        form.addRow(self.tr("間隔"), self.months_box)
        form.addRow(self.tr("メモ"), self.note_edit)
        form.addRow(self.error_label)
        form.addRow(self.buttons)

    def _save(self) -> None:
        months = self.months_box.currentData()
        note = self.note_edit.text().strip()
        code = self._code
        store = self._ws.store
        self.buttons.setEnabled(False)
        show_error(self.error_label, self.tr("保存中…"), error=False)
        self._runner.run(
            lambda: set_cadence(store, code, months, note=note),
            on_done=while_open(self, lambda _none: self.accept()),
            on_error=while_open(self, self._failed),
        )

    def reject(self) -> None:
        """Esc or 取消 while saving waits for the save: the dialog closes once it is written
        (or stays to say why not), so the person is never left guessing whether it was."""
        if self.buttons.isEnabled():
            super().reject()

    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        show_error(
            self.error_label,
            self.tr("保存できませんでした: {reason}").format(reason=error_text(error)),
        )


def ask_cadence(
    parent: QWidget,
    workspace: Workspace,
    runner: StoreRunner,
    code: str,
    name: str,
    current: dict[str, object] | None,
    on_saved: Callable[[], None] | None = None,
) -> CadenceDialog:
    """Open the dialog (window-modal, without blocking); ``on_saved`` runs once it saved."""
    dialog = CadenceDialog(workspace, runner, code, name, current, parent)
    if on_saved is not None:
        dialog.accepted.connect(on_saved)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog
