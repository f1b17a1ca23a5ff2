"""「年度計画を編集…」: the coordinator sets a fiscal year's plan, a count per group session
(per region or per theme where the session is held so) and per national scheme.

A key left at 「計画なし」 is not in the plan (the tables then show what was held alone). The
plan is written on the store worker; a refusal is shown in the dialog, which stays open with
everything typed, and nothing is written.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from dxdesk.domain.programme_plan import TARGET_LIMIT, target_keys, target_label
from dxdesk.services.analysis import AnalysisFacade
from dxdesk.services.programme_counts import ProgrammeYear
from dxdesk.ui.choice_box import NumberBox
from dxdesk.ui.format import fiscal_year_text
from dxdesk.ui.message_label import message_label
from dxdesk.ui.refusal_text import refusal_text
from dxdesk.ui.runner import StoreRunner, while_open

NO_TARGET = -1  # the number box's minimum, shown as 「計画なし」 (not in the plan)


class ProgrammePlanDialog(QDialog):
    def __init__(
        self,
        parent: QWidget | None,
        runner: StoreRunner,
        analysis: AnalysisFacade,
        year: ProgrammeYear,
    ) -> None:
        super().__init__(parent)
        self._runner, self._analysis, self._fiscal_year = runner, analysis, year.fiscal_year
        shown = fiscal_year_text(year.fiscal_year)
        self.setWindowTitle(self.tr("年度計画 {year}").format(year=shown))
        self.setAccessibleName(self.windowTitle())

        intro = QLabel(
            self.tr(
                "{year} に予定する回数を入力してください。地域別は振興局ごと、テーマ別は"
                "テーマごとの回数です。「計画なし」の項目は実施の回数だけを示します。"
            ).format(year=shown)
        )
        intro.setWordWrap(True)
        intro.setAccessibleName(self.tr("年度計画の説明"))
        form_widget = QWidget()
        form = QFormLayout(form_widget)
        self.spins: dict[str, NumberBox] = {}
        for key in target_keys():
            spin = NumberBox()  # scrolling the long form over it does not change a count
            spin.setRange(NO_TARGET, TARGET_LIMIT)
            spin.setSpecialValueText(self.tr("計画なし"))
            spin.setSuffix(self.tr(" 回"))
            spin.setValue(year.targets.get(key, NO_TARGET))
            spin.setAccessibleName(target_label(key))
            label = QLabel(target_label(key))
            label.setBuddy(spin)
            label.setAccessibleName(target_label(key))
            form.addRow(label, spin)
            self.spins[key] = spin
        scroll = QScrollArea()
        scroll.setWidget(form_widget)
        scroll.setWidgetResizable(True)
        scroll.setAccessibleName(self.tr("計画の回数"))
        self.notes = QPlainTextEdit(year.plan_notes)
        self.notes.setAccessibleName(self.tr("計画のメモ"))
        self.notes.setPlaceholderText(self.tr("メモ（例: R7 は広域連携を重点に）"))
        self.notes.setFixedHeight(self.notes.fontMetrics().height() * 4)
        self.message = message_label(error=True)
        self.message.setAccessibleName(self.tr("年度計画の保存の結果"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("保存"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.notes)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(520, 560)

    def targets(self) -> dict[str, int]:
        """The counts entered, without the keys left at 「計画なし」."""
        return {key: spin.value() for key, spin in self.spins.items() if spin.value() >= 0}

    def save(self) -> None:
        """Write the plan on the worker; close once written, or say why not and stay open."""
        self.buttons.setEnabled(False)
        self.message.clear()
        targets, notes = self.targets(), self.notes.toPlainText().strip()
        analysis, fiscal_year = self._analysis, self._fiscal_year
        self._runner.run(
            lambda: analysis.save_programme_plan(fiscal_year, targets, notes),
            on_done=while_open(self, lambda _plan: self.accept()),
            on_error=while_open(self, self._refused),
        )

    def reject(self) -> None:
        """Esc or 取消 while saving waits for the save (as the cadence dialog does)."""
        if self.buttons.isEnabled():
            super().reject()

    def _refused(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.message.setText(
            self.tr("年度計画を保存できませんでした: {reason}").format(reason=refusal_text(error))
        )


def ask_programme_plan(
    parent: QWidget, runner: StoreRunner, analysis: AnalysisFacade, year: ProgrammeYear
) -> ProgrammePlanDialog:
    """Open the dialog for ``year`` (window-modal; the section reads again once it is saved)."""
    dialog = ProgrammePlanDialog(parent, runner, analysis, year)
    dialog.open()
    return dialog
