"""The setting of how many attachments a sync brings ahead of time (sync/file_budget.py).

Files attached in the last N months to the records of the advisor's municipalities (and
prefecture-wide ones) are downloaded during each sync, newest first, up to M MB in all; any
other file comes when it is first opened. Read and written on the store's worker; until the
setting is read, OK stays disabled (and a setting that cannot be read is said so).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from dxdesk.models.store import Store
from dxdesk.sync.file_budget import MAX_MEGABYTES, MAX_MONTHS, FileBudget, read_budget, set_budget
from dxdesk.ui.choice_box import NumberBox
from dxdesk.ui.refusal_text import error_text
from dxdesk.ui.runner import StoreRunner


class FileBudgetDialog(QDialog):
    def __init__(self, parent: QWidget, runner: StoreRunner, store: Store) -> None:
        super().__init__(parent)
        self._runner = runner
        self._store = store
        title = self.tr("ファイルの事前ダウンロード")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        explanation = QLabel(
            self.tr(
                "同期のたびに、担当市町村の記録と県内共通の記録に添付されたファイルを、新しい"
                "ものから順にこの端末へ受け取っておきます（オフラインでも開けます）。"
                "範囲外のファイルは、開いたときに受け取ります。\n"
                "0 にすると、前もっては受け取りません。"
            )
        )
        explanation.setWordWrap(True)
        self.months = NumberBox()
        self.months.setRange(0, MAX_MONTHS)
        self.months.setSuffix(self.tr(" か月"))
        self.months.setAccessibleName(self.tr("対象の期間（か月）"))
        self.megabytes = NumberBox()
        self.megabytes.setRange(0, MAX_MEGABYTES)
        self.megabytes.setSingleStep(100)
        self.megabytes.setSuffix(" MB")
        self.megabytes.setAccessibleName(self.tr("合計の上限（MB）"))
        form = QFormLayout()
        form.addRow(self.tr("直近の期間(&P):"), self.months)
        form.addRow(self.tr("合計の上限(&L):"), self.megabytes)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(form)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        runner.run(lambda: read_budget(store), on_done=self._show, on_error=self._not_read)

    def _show(self, budget: FileBudget) -> None:
        self.months.setValue(budget.months)
        self.megabytes.setValue(budget.megabytes)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)

    def _not_read(self, error: BaseException) -> None:
        self.problem.setText(
            self.tr(
                "今の設定を読めませんでした: {error}\n"
                "閉じて、もう一度開いてください。続くときは管理者に連絡してください。"
            ).format(error=error_text(error))
        )

    def budget(self) -> FileBudget:
        return FileBudget(months=self.months.value(), megabytes=self.megabytes.value())

    def _save(self) -> None:
        budget, store = self.budget(), self._store
        self.buttons.setEnabled(False)
        self._runner.run(
            lambda: set_budget(store, budget),
            on_done=lambda _r: self.accept(),
            on_error=self._not_saved,
        )

    def _not_saved(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.problem.setText(
            self.tr("保存できませんでした: {error}").format(error=error_text(error))
        )
