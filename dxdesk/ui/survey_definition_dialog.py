"""What a checked definition workbook holds, before anything is loaded: every problem (sheet,
row, column, message — selectable and copyable, so the secretariat can fix the file with the
list beside it), or the year, title, size and the changes against the year's definition now,
with 読み込む and キャンセル. The dialog only shows; dxdesk/ui/survey_definition_actions.py
reads the file and loads on 読み込む."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dxdesk.domain.survey_definition_diff import DefinitionChange
from dxdesk.imports.definition_workbook import DefinitionCheck
from dxdesk.ui.format import QT_TRANSLATE_NOOP, fiscal_year_text
from dxdesk.ui.survey_preview_tables import read_only_view
from dxdesk.ui.table_model import Column, RecordTableModel

CONTEXT = "SurveyDefinition"
PROBLEM_COLUMNS = (
    Column("sheet", QT_TRANSLATE_NOOP("Column", "シート")),
    Column("row", QT_TRANSLATE_NOOP("Column", "行"), align_right=True),
    Column("column", QT_TRANSLATE_NOOP("Column", "列")),
    Column("value", QT_TRANSLATE_NOOP("Column", "値")),
    Column("message", QT_TRANSLATE_NOOP("Column", "内容")),
)
CHANGE_COLUMNS = (
    Column("code", QT_TRANSLATE_NOOP("Column", "設問番号")),
    Column("what", QT_TRANSLATE_NOOP("Column", "変更")),
    Column("detail", QT_TRANSLATE_NOOP("Column", "内容")),
)
WHAT = {  # CHANGE_LABELS, marked for translation (lupdate reads a literal context only)
    "added": QT_TRANSLATE_NOOP("SurveyDefinition", "追加"),
    "removed": QT_TRANSLATE_NOOP("SurveyDefinition", "削除"),
    "text": QT_TRANSLATE_NOOP("SurveyDefinition", "設問文"),
    "type": QT_TRANSLATE_NOOP("SurveyDefinition", "形式"),
    "choices": QT_TRANSLATE_NOOP("SurveyDefinition", "選択肢"),
    "page": QT_TRANSLATE_NOOP("SurveyDefinition", "ページ"),
    "item": QT_TRANSLATE_NOOP("SurveyDefinition", "項目"),
}


@dataclass(frozen=True)
class DefinitionPreview:
    """A checked workbook and, when it has no problem, what loading it would do."""

    check: DefinitionCheck
    previous: str = ""  # the year's definition now, in words
    unchanged: bool = False  # it is the year's loaded definition already
    changes: tuple[DefinitionChange, ...] = ()
    responses_under_older: int = 0  # the year's stored responses read under another one


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def _table_text(model: RecordTableModel, rows: list[int] | None = None) -> str:
    """Tab-separated, with the header line: pastes into Excel as cells."""
    columns = range(model.columnCount())
    lines = ["\t".join(str(model.headerData(c, Qt.Orientation.Horizontal)) for c in columns)]
    for row in rows if rows is not None else range(model.rowCount()):
        lines.append("\t".join(_cell(model.index(row, c).data()) for c in columns))
    return "\n".join(lines) + "\n"


class DefinitionCheckDialog(QDialog):
    """Accepted (読み込む) only for a file without problems that changes the year's definition."""

    def __init__(self, preview: DefinitionPreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview = preview
        check = preview.check
        self.setWindowTitle(self.tr("調査の定義を読み込む"))
        self.setAccessibleName(self.windowTitle())
        self.setMinimumSize(760, 460)
        layout = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setAccessibleName(self.tr("確認の結果"))
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.heading)

        self.buttons = QDialogButtonBox()
        self.load_button: QPushButton | None = None
        self.copy_button = QPushButton()
        self.copy_button.clicked.connect(self.copy_table)
        if check.definition is None:
            self.model = RecordTableModel(PROBLEM_COLUMNS, parent=self)
            self._show_problems()
            name = self.tr("定義の問題")
            self.copy_button.setText(self.tr("問題をコピー"))
            self._close_button()
        else:
            self.model = RecordTableModel(CHANGE_COLUMNS, parent=self)
            layout.addLayout(self._summary())
            name = self.tr("今の定義からの変更")
            self.copy_button.setText(self.tr("変更をコピー"))
            if preview.unchanged:
                self._close_button()
            else:
                self.load_button = self.buttons.addButton(
                    self.tr("読み込む"), QDialogButtonBox.ButtonRole.AcceptRole
                )
                cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
                cancel.setText(self.tr("キャンセル"))
                cancel.setDefault(True)  # loading is the deliberate click
        self.copy_button.setToolTip(
            self.tr("表をタブ区切りでクリップボードへ（Excel に貼り付けられます）")
        )
        self.copy_button.setEnabled(self.model.rowCount() > 0)
        self.buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        self.view: QTableView = read_only_view(self.model, name)
        self.view.setSelectionMode(QTableView.SelectionMode.ExtendedSelection)
        # A long message wraps in its row rather than hiding behind "…".
        self.view.setWordWrap(True)
        self.view.horizontalHeader().sectionResized.connect(self.view.resizeRowsToContents)
        copy = QShortcut(QKeySequence.StandardKey.Copy, self.view)
        copy.activated.connect(self.copy_selection)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.buttons)

    def _close_button(self) -> None:
        close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setText(self.tr("閉じる"))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.view.resizeRowsToContents()

    def _show_problems(self) -> None:
        check = self.preview.check
        self.heading.setText(
            self.tr(
                "{file} に問題が {count} 件あります。何も読み込んでいません。"
                "次の場所を直してから、もう一度読み込んでください。"
            ).format(file=check.path.name, count=len(check.problems))
        )
        self.model.set_records(
            [
                {
                    "sheet": p.sheet,
                    "row": p.row,
                    "column": p.column or "",
                    "value": _cell(p.value),
                    "message": p.message,
                }
                for p in check.problems
            ]
        )

    def _summary(self) -> QFormLayout:
        preview = self.preview
        definition = preview.check.definition
        assert definition is not None  # (only called for a file without problems)
        if preview.unchanged:
            heading = self.tr(
                "{file} に問題はありません。この年度の今の定義と同じなので、"
                "読み込んでも何も変わりません。"
            )
        else:
            heading = self.tr(
                "{file} に問題はありません。「読み込む」で、この年度の調査の定義になり、"
                "次の同期で全員のパソコンに届きます。"
            )
        self.heading.setText(heading.format(file=preview.check.path.name))
        to_confirm = sum(1 for q in definition.questions if q.to_confirm)
        form = QFormLayout()
        rows = (
            (self.tr("年度"), fiscal_year_text(definition.fiscal_year)),
            (self.tr("調査名"), definition.title),
            (
                self.tr("設問"),
                self.tr("{questions} 問（{pages} ページ）").format(
                    questions=len(definition.questions), pages=len(definition.pages)
                ),
            ),
            (self.tr("要確認の設問"), self.tr("{count} 問").format(count=to_confirm)),
            (self.tr("今の定義"), preview.previous),
            (self.tr("変更"), self._changes_text()),
        )
        for label, text in rows:
            value = QLabel(text)
            value.setWordWrap(True)
            value.setAccessibleName(label)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(label, value)
        if preview.responses_under_older:
            self.older = QLabel(
                self.tr(
                    "この年度の回答 {count} 件は前の定義で取り込まれています。"
                    "その回答は前の定義のまま読めます。新しい定義で読むには取り込み直してください。"
                ).format(count=preview.responses_under_older)
            )
            self.older.setWordWrap(True)
            self.older.setAccessibleName(self.tr("取り込み済みの回答"))
            form.addRow(self.tr("回答"), self.older)
        self.model.set_records(
            [
                {
                    "code": c.code,
                    "what": QCoreApplication.translate(CONTEXT, WHAT[c.what]),
                    "detail": c.detail,
                }
                for c in preview.changes
            ]
        )
        return form

    def _changes_text(self) -> str:
        count = len(self.preview.changes)
        if self.preview.unchanged or count == 0:
            return self.tr("なし（設問と選択肢は今の定義と同じです）")
        questions = len({c.code for c in self.preview.changes})
        return self.tr("{questions} 問で {count} 件（下の表）").format(
            questions=questions, count=count
        )

    def copy_table(self) -> None:
        QGuiApplication.clipboard().setText(_table_text(self.model))

    def copy_selection(self) -> None:
        """Ctrl+C: the selected rows (all of them when none is selected)."""
        rows = sorted({i.row() for i in self.view.selectionModel().selectedIndexes()})
        QGuiApplication.clipboard().setText(_table_text(self.model, rows or None))
