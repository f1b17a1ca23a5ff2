"""The records import wizard's second page: which field each of the sheet's columns holds.

Presentation only: the page shows a plan's columns (a guessed one tinted, for a person to check)
and, when the workbook has more than one sheet of the kind, which sheet is read; it reports the
person's choice of a column's field or of a sheet as a signal; the session reads again and the
wizard hands the new plan back.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from dxdesk.imports.records_kinds import field_choices
from dxdesk.imports.records_plan import RecordsPlan
from dxdesk.imports.records_sheet import ColumnChoice
from dxdesk.imports.workbook import column_letter
from dxdesk.ui.choice_box import ChoiceBox
from dxdesk.ui.format import QT_TRANSLATE_NOOP
from dxdesk.ui.message_label import message_label
from dxdesk.ui.records_wizard_pages import (
    busy_bar,
    error_label,
    missing_required,
    show_message,
    translated,
)
from dxdesk.ui.survey_preview_tables import DOUBTFUL, read_only_view
from dxdesk.ui.table_model import Column, RecordTableModel

EXAMPLES = 3  # values shown under 例
EXAMPLE_CHARS = 12  # each cut here: enough to know a column by, the 項目 combos stay in view
GUESSED = QT_TRANSLATE_NOOP("RecordsImport", "推測")
MAPPING_COLUMNS = (
    Column("letter", QT_TRANSLATE_NOOP("Column", "列")),
    Column("header", QT_TRANSLATE_NOOP("Column", "見出し")),
    Column("examples", QT_TRANSLATE_NOOP("Column", "例")),
    Column("field", QT_TRANSLATE_NOOP("Column", "項目"), display=lambda r: ""),
    Column("guessed", QT_TRANSLATE_NOOP("Column", "確認"), display=lambda r: r["mark"]),
)
FIELD_COLUMN = 3


def cell_example(value: Any) -> str:
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        value = value.date()
    text = value.isoformat() if isinstance(value, date) else str(value).strip()
    text = " ".join(text.split())  # a cell's line breaks shown as spaces
    return text if len(text) <= EXAMPLE_CHARS else text[: EXAMPLE_CHARS - 1] + "…"


def examples(plan: RecordsPlan, index: int) -> str:
    """The first few non-empty values below the header in column ``index``."""
    found: list[str] = []
    for row in plan.layout.sheet.rows[plan.layout.header_row :]:
        value = row[index] if index < len(row) else None
        if value is not None and str(value).strip():
            found.append(cell_example(value))
            if len(found) == EXAMPLES:
                break
    return " / ".join(found)


def mapping_records(plan: RecordsPlan) -> list[dict[str, Any]]:
    return [
        {
            "id": c.index,
            "letter": c.letter,
            "header": c.header or QCoreApplication.translate("RecordsImport", "（見出しなし）"),
            "examples": examples(plan, c.index),
            "field": c.field,
            "guessed": c.guessed and c.field is not None,
            "mark": translated(GUESSED) if c.guessed and c.field is not None else "",
        }
        for c in plan.layout.columns
    ]


def fields_twice(columns: tuple[ColumnChoice, ...]) -> dict[str, list[str]]:
    """Fields that two columns or more were mapped to, with their column letters."""
    found: dict[str, list[str]] = {}
    for column in columns:
        if column.field is not None:
            found.setdefault(column.field, []).append(column_letter(column.index))
    return {field: letters for field, letters in found.items() if len(letters) > 1}


class MappingPage(QWizardPage):
    column_mapped = Signal(int, object)  # 0-based column, field key or None (使わない)
    sheet_chosen = Signal(str)  # the sheet's name

    def __init__(self) -> None:
        super().__init__()
        self.plan: RecordsPlan | None = None
        self.failure = ""
        self._busy = False
        self.setTitle(self.tr("列の割り当て"))
        self.setSubTitle(
            self.tr(
                "表の各列をどの項目として取り込むか確かめ、違っていれば「項目」で選び直してください。"
            )
        )
        self.summary = message_label(selectable=True)
        self.guesses = message_label(style=f"background: {DOUBTFUL.name()};")
        self.guesses.hide()
        self.sheet_combo = ChoiceBox()
        self.sheet_combo.activated.connect(
            lambda _i: self.sheet_chosen.emit(self.sheet_combo.currentData())
        )
        sheet_label = QLabel(self.tr("シート(&S)"))
        sheet_label.setBuddy(self.sheet_combo)
        sheet_hint = message_label()
        sheet_hint.setText(
            self.tr(
                "取り込むのは選んだシートだけです。ほかのシートは、取り込んだあとでもう一度"
                "このウィザードで選べます。"
            )
        )
        self.sheet_row = QWidget()  # shown only when there is a sheet to choose
        sheet_line = QHBoxLayout(self.sheet_row)
        sheet_line.setContentsMargins(0, 0, 0, 0)
        sheet_line.addWidget(sheet_label)
        sheet_line.addWidget(self.sheet_combo)
        sheet_line.addWidget(sheet_hint, 1)
        self.sheet_row.hide()
        self.notes = message_label(selectable=True)  # fields with no column
        self.notes.hide()
        self.status = error_label()
        self.busy_bar = busy_bar()
        self.model = RecordTableModel(
            MAPPING_COLUMNS,
            highlight=lambda r: DOUBTFUL if r["guessed"] else None,
            parent=self,
        )
        self.view = read_only_view(self.model, self.tr("列の割り当て"))
        self.view.setTabKeyNavigation(False)  # Tab goes from combo to combo, not cell by cell
        header = self.view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(FIELD_COLUMN, QHeaderView.ResizeMode.Fixed)
        sample = self._combo("visit")
        header.resizeSection(FIELD_COLUMN, sample.sizeHint().width())
        self.view.verticalHeader().setDefaultSectionSize(sample.sizeHint().height())
        sample.deleteLater()
        self.combos: dict[int, QComboBox] = {}  # by the sheet's 0-based column index
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.busy_bar)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.sheet_row)
        layout.addWidget(self.status)
        layout.addWidget(self.notes)
        layout.addWidget(self.guesses)
        layout.addWidget(self.view, 1)

    # -- what the wizard tells the page ------------------------------------------------------

    def show_plan(self, plan: RecordsPlan, file_name: str, sheets: list[str]) -> None:
        """Show ``plan``; ``sheets``: the workbook's sheets of this kind, in its order."""
        self.plan, self.failure = plan, ""
        self.sheet_combo.clear()  # filled without a signal: activated is the person's alone
        for name in sheets:
            self.sheet_combo.addItem(name, name)
        self.sheet_combo.setCurrentIndex(self.sheet_combo.findData(plan.sheet))
        self.sheet_row.setVisible(len(sheets) > 1)
        focused = next((i for i, c in self.combos.items() if c.hasFocus()), None)
        self.model.set_records(mapping_records(plan))
        self.combos = {}
        for row, column in enumerate(plan.layout.columns):
            combo = self._combo(plan.kind)
            combo.setAccessibleName(self.tr("{letter}列の項目").format(letter=column.letter))
            combo.setCurrentIndex(max(combo.findData(column.field or ""), 0))
            combo.activated.connect(lambda _i, c=combo, i=column.index: self._chosen(i, c))
            self.view.setIndexWidget(self.model.index(row, FIELD_COLUMN), combo)
            self.combos[column.index] = combo
        if focused in self.combos:
            self.combos[focused].setFocus()
        self.summary.setText(
            self.tr(
                "{file}: シート「{sheet}」の {row} 行目を見出しとして読みました（{count} 列）。"
            ).format(
                file=file_name,
                sheet=plan.sheet,
                row=plan.header_row,
                count=len(plan.layout.columns),
            )
        )
        notes = [
            self.tr("{field}の列がないため、すべて「{value}」とします。").format(
                field=label, value=value
            )
            for label, value in plan.defaults.items()
        ]
        self.notes.setText("\n".join(notes))
        self.notes.setVisible(bool(notes))
        guessed = sum(1 for c in plan.layout.columns if c.guessed and c.field is not None)
        self.guesses.setText(
            self.tr(
                "見出しから推測して割り当てた列が {count} 列あります（色の付いた行）。"
                "合っているか確かめてください。"
            ).format(count=guessed)
        )
        self.guesses.setVisible(guessed > 0)
        self._show_status()

    def show_failure(self, message: str) -> None:
        self.failure = message
        self._show_status()

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.busy_bar.setVisible(busy)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return (
            self.plan is not None
            and not self._busy
            and not self.failure
            and not missing_required(self.plan)
            and not fields_twice(self.plan.layout.columns)
        )

    # -- showing -----------------------------------------------------------------------------

    def _combo(self, kind: str) -> QComboBox:
        combo = ChoiceBox()
        combo.addItem(self.tr("使わない"), "")
        for key, label in field_choices(kind):
            combo.addItem(label, key)
        return combo

    def _chosen(self, index: int, combo: QComboBox) -> None:
        self.column_mapped.emit(index, combo.currentData() or None)

    def _show_status(self) -> None:
        lines = [self.failure] if self.failure else []
        plan = self.plan
        if plan is not None and not self.failure:
            missing = missing_required(plan)
            if missing:
                lines.append(
                    self.tr(
                        "必ず要る項目「{fields}」の列がありません。その列の「項目」で選んでください。"
                    ).format(fields="・".join(missing))
                )
            labels = dict(field_choices(plan.kind))
            for field, letters in fields_twice(plan.layout.columns).items():
                lines.append(
                    self.tr(
                        "項目「{field}」が {columns} 列に割り当てられています。"
                        "どれか一つにしてください。"
                    ).format(field=labels.get(field, field), columns="・".join(letters))
                )
        show_message(self.status, "\n".join(lines))
        self.completeChanged.emit()
