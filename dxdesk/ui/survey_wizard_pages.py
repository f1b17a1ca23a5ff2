"""The survey import wizard's first and third pages: choosing the file and its fiscal year, and
confirming what will be written."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from dxdesk.domain.errors import DomainError
from dxdesk.domain.fiscal_year import (
    FIRST_FISCAL_YEAR,
    LAST_FISCAL_YEAR,
    format_fiscal_year,
    parse_fiscal_year,
)
from dxdesk.imports.plan import ImportPlan
from dxdesk.ui.choice_box import IgnoresWheel
from dxdesk.ui.message_label import message_label
from dxdesk.ui.survey_import_session import ImportSession
from dxdesk.ui.survey_preview import ERROR_STYLE


class FiscalYearSpinBox(IgnoresWheel, QSpinBox):
    """A fiscal year shown "R7 (2025)", typed as 2025, R7 or 令和7年度; optionally none. The wheel
    passes it by (see choice_box); Up and Down step it once it has the focus."""

    def __init__(self, *, none_text: str = "") -> None:
        super().__init__()
        self.setRange(FIRST_FISCAL_YEAR - (1 if none_text else 0), LAST_FISCAL_YEAR)
        self.setSpecialValueText(none_text)
        self.setAccessibleName(QCoreApplication.translate("SurveyImport", "年度"))

    def fiscal_year(self) -> int | None:
        return None if self.specialValueText() and self.value() == self.minimum() else self.value()

    def textFromValue(self, val: int) -> str:
        return format_fiscal_year(val) if val >= FIRST_FISCAL_YEAR else self.specialValueText()

    def valueFromText(self, text: str) -> int:
        try:
            return parse_fiscal_year(text)
        except DomainError:
            return self.value()

    def validate(self, input: str, pos: int) -> tuple[QValidator.State, str, int]:
        if input == self.specialValueText() and input:
            return QValidator.State.Acceptable, input, pos
        try:
            parse_fiscal_year(input)
        except DomainError:
            return QValidator.State.Intermediate, input, pos
        return QValidator.State.Acceptable, input, pos


def _busy_bar() -> QProgressBar:
    bar = QProgressBar()
    bar.setRange(0, 0)  # no steps to count: a moving bar says the app is working
    bar.setAccessibleName(QCoreApplication.translate("SurveyImport", "処理中"))
    bar.hide()
    return bar


def _message_label() -> QLabel:
    label = message_label(style=ERROR_STYLE)
    label.hide()
    return label


class ChooseFilePage(QWizardPage):
    def __init__(self, session: ImportSession) -> None:
        super().__init__()
        self._session = session
        self.reading = False
        self.accepted = False  # the read for this page's values succeeded: 次へ may go on
        self.setTitle(self.tr("ファイルを選ぶ"))
        self.setSubTitle(
            self.tr("市町村から届いた回答のファイル（.xlsx・.xls・.ods か CSV）を選んでください。")
        )
        self.path_edit = QLineEdit()
        self.path_edit.setAccessibleName(self.tr("回答のファイル"))
        self.path_edit.textChanged.connect(lambda _text: self.completeChanged.emit())
        browse = QPushButton(self.tr("参照…"))
        browse.clicked.connect(self._browse)
        self.year = FiscalYearSpinBox(none_text=self.tr("ファイルから判定"))
        self.error = _message_label()
        self.busy_bar = _busy_bar()
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        form = QFormLayout()
        form.addRow(self.tr("ファイル"), row)
        year_row = QHBoxLayout()
        year_row.addWidget(self.year)
        year_row.addStretch(1)
        form.addRow(self.tr("年度"), year_row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self.busy_bar)
        self._inputs: tuple[QWidget, ...] = (self.path_edit, browse, self.year)

    def _browse(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("回答のファイルを選ぶ"),
            self.path_edit.text() or str(Path.home()),
            self.tr("調査の回答 (*.xlsx *.xlsm *.xls *.ods *.csv)"),
        )
        if path:
            self.path_edit.setText(path)

    def isComplete(self) -> bool:
        return bool(self.path_edit.text().strip()) and not self.reading

    def validatePage(self) -> bool:
        if self.accepted:
            self.accepted = False
            return True
        self.set_reading(True)
        self._session.read(Path(self.path_edit.text().strip()), self.year.fiscal_year())
        return False  # the wizard goes on when the plan arrives

    def set_reading(self, reading: bool, error: str = "") -> None:
        self.reading = reading
        self.busy_bar.setVisible(reading)
        for widget in self._inputs:
            widget.setEnabled(not reading)
        self.error.setText(error)
        self.error.setVisible(bool(error))
        self.completeChanged.emit()


class ConfirmPage(QWizardPage):
    def __init__(self, session: ImportSession) -> None:
        super().__init__()
        self._session = session
        self.written = False
        self.setTitle(self.tr("確認"))
        self.setSubTitle(self.tr("「取り込む」を押すと書き込みます。"))
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("取り込む"))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.error = _message_label()
        self.busy_bar = _busy_bar()
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self.busy_bar)

    def initializePage(self) -> None:
        plan = self._session.plan
        self.summary.setText(summary_text(plan) if plan else "")
        self.error.hide()

    def isComplete(self) -> bool:
        return self._session.plan is not None and not self._session.busy

    def validatePage(self) -> bool:
        if self.written:
            return True
        self.error.hide()
        self.busy_bar.show()
        self._session.apply()
        return False  # the wizard goes on when the import is written


def summary_text(plan: ImportPlan) -> str:
    year = format_fiscal_year(plan.fiscal_year)
    if plan.earlier is not None:
        return QCoreApplication.translate(
            "SurveyImport", "このファイルは取り込み済みです。取り込んでも何も変わりません。"
        )
    created = sum(1 for c in plan.changes if c.action == "create")
    updated = sum(1 for c in plan.changes if c.action == "update")
    if created or updated:
        text = QCoreApplication.translate(
            "SurveyImport",
            "{year} の調査として {count} 市町村の回答を新規 {created} 件・"
            "更新 {updated} 件書き込みます（採点項目は調査のアセスメントにも）。"
            "対面のアセスメントは変更しません。",
        ).format(year=year, count=created + updated, created=created, updated=updated)
    else:
        text = QCoreApplication.translate(
            "SurveyImport", "{year} の調査として書き込む変更はありません。"
        ).format(year=year)
    unchanged = len(plan.changes) - created - updated
    if unchanged:
        text += QCoreApplication.translate(
            "SurveyImport", "{count} 市町村は回答が同じなので、そのままにします。"
        ).format(count=unchanged)
    if plan.excluded:
        text += QCoreApplication.translate(
            "SurveyImport", "除外した {count} 行は取り込みません。"
        ).format(count=len(plan.excluded))
    return text
