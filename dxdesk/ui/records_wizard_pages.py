"""The records import wizard's first page (which kind of record, which file) and what its pages
share: the busy bar, the error line, the words for a municipality and a field."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from dxdesk.domain.records import kind_spec
from dxdesk.domain.roster import Municipality
from dxdesk.imports.records_kinds import SUPPORTED_KINDS, field_choices
from dxdesk.imports.records_plan import RecordsPlan
from dxdesk.imports.records_sheet import missing_fields
from dxdesk.ui.choice_box import ChoiceBox
from dxdesk.ui.format import vocabulary_text
from dxdesk.ui.message_label import ERROR_STYLE, message_label
from dxdesk.ui.records_import_session import RecordsImportSession

CONTEXT = "RecordsImport"  # the translation context of the wizard's words outside a class
FILE_PATTERNS = "*.xlsx *.xlsm *.xls *.ods *.csv"


def translated(text: str) -> str:
    """A text marked with QT_TRANSLATE_NOOP("RecordsImport", …), in the UI's language."""
    return QCoreApplication.translate(CONTEXT, text)


def busy_bar() -> QProgressBar:
    bar = QProgressBar()
    bar.setRange(0, 0)  # no steps to count: a moving bar says the app is working
    bar.setAccessibleName(QCoreApplication.translate("RecordsImport", "処理中"))
    bar.setMaximumWidth(200)
    bar.hide()
    return bar


def error_label() -> QLabel:
    label = message_label(style=ERROR_STYLE, selectable=True)
    label.hide()
    return label


def show_message(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


def kind_text(kind: str) -> str:
    return vocabulary_text(kind_spec(kind).label)


def place_text(code: str | None, roster: tuple[Municipality, ...]) -> str:
    """A municipality's name; 県全体 for a record of no municipality (an article)."""
    if code is None:
        return QCoreApplication.translate("RecordsImport", "県全体")
    return next((m.name for m in roster if m.code == code), code)


def field_labels(kind: str) -> dict[str, str]:
    """Field key -> the label a person reads (the combo's words)."""
    return dict(field_choices(kind))


def missing_required(plan: RecordsPlan) -> list[str]:
    """The labels of the fields every row needs that no column is mapped to."""
    return [vocabulary_text(label) for label in missing_fields(plan.kind, plan.layout)]


class ChooseKindFilePage(QWizardPage):
    def __init__(self, session: RecordsImportSession) -> None:
        super().__init__()
        self._session = session
        self.reading = False
        self.read_ok = False  # the read for this page's values succeeded: 次へ may go on
        self.setTitle(self.tr("種類とファイル"))
        self.setSubTitle(
            self.tr(
                "取り込む記録の種類と、その記録の表（.xlsx・.xls・.ods か CSV）を選んでください。"
                "見出しの行の上にタイトルがあってもかまいません。"
            )
        )
        self.kind = ChoiceBox()
        self.kind.setAccessibleName(self.tr("記録の種類"))
        for kind in SUPPORTED_KINDS:
            self.kind.addItem(kind_text(kind), kind)
        self.path_edit = QLineEdit()
        self.path_edit.setAccessibleName(self.tr("取り込むファイル"))
        self.path_edit.textChanged.connect(lambda _text: self._changed())
        self.kind.currentIndexChanged.connect(lambda _index: self._changed())
        browse = QPushButton(self.tr("参照(&R)…"))
        browse.clicked.connect(self._browse)
        self.error = error_label()
        self.busy_bar = busy_bar()
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        kind_row = QHBoxLayout()
        kind_row.addWidget(self.kind)
        kind_row.addStretch(1)
        form = QFormLayout()
        kind_label = QLabel(self.tr("種類(&K)"))
        kind_label.setBuddy(self.kind)
        file_label = QLabel(self.tr("ファイル(&L)"))
        file_label.setBuddy(self.path_edit)
        form.addRow(kind_label, kind_row)
        form.addRow(file_label, row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self.busy_bar)
        self._inputs: tuple[QWidget, ...] = (self.kind, self.path_edit, browse)

    def chosen_kind(self) -> str:
        return str(self.kind.currentData())

    def _changed(self) -> None:
        show_message(self.error, "")  # the error was about the earlier choice
        self.completeChanged.emit()

    def _browse(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("取り込むファイルを選ぶ"),
            self.path_edit.text() or str(Path.home()),
            self.tr("表のファイル ({patterns})").format(patterns=FILE_PATTERNS),
        )
        if path:
            self.path_edit.setText(path)

    def isComplete(self) -> bool:
        return bool(self.path_edit.text().strip()) and not self.reading

    def validatePage(self) -> bool:
        if self.read_ok:
            self.read_ok = False
            return True
        self.set_reading(True)
        self._session.read(self.chosen_kind(), Path(self.path_edit.text().strip()))
        return False  # the wizard goes on when the plan arrives

    def set_reading(self, reading: bool, error: str = "") -> None:
        self.reading = reading
        self.busy_bar.setVisible(reading)
        for widget in self._inputs:
            widget.setEnabled(not reading)
        show_message(self.error, error)
        self.completeChanged.emit()
