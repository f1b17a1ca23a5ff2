"""The import wizard's preview: which column holds what, what would change, what is wrong.

Presentation only: the page shows a plan and reports the person's choices (a column's item, the
rows to leave out) as signals; the wizard reads again and hands back the new plan. The tables'
columns, models and records are in ``survey_preview_tables``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from dxdesk.domain.catalog import Catalog
from dxdesk.domain.survey_definition import SurveyDefinition, catalog_definition
from dxdesk.imports.columns import Column, Role
from dxdesk.imports.plan import ImportPlan
from dxdesk.imports.survey import Problem
from dxdesk.imports.workbook import column_letter
from dxdesk.ui.choice_box import ChoiceBox
from dxdesk.ui.message_label import message_label
from dxdesk.ui.survey_import_session import AUTO, CONTEXT, UNDECIDED
from dxdesk.ui.survey_preview_tables import (
    ROLES,
    change_records,
    changes_model,
    error_records,
    errors_model,
    mapping_model,
    mapping_records,
    read_only_view,
)

ERROR_STYLE = "color: #b00020;"
QUESTION_CHARS = 30  # a question's text is cut here in the combo box (whole in its tooltip)


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def _wrapped(style: str = "") -> QLabel:
    return message_label(style=style, selectable=True)


class PreviewPage(QWizardPage):
    item_chosen = Signal(int, object)  # column index, question code, None (取り込まない) or AUTO
    rows_excluded = Signal(object, bool)  # sheet rows (frozenset[int]), excluded or put back

    def __init__(self, catalog: Catalog) -> None:
        super().__init__()
        self._catalog = catalog
        self.plan: ImportPlan | None = None
        self.failure = ""
        self._busy = False
        self._seen: list[Problem] = []  # problems of rows since excluded, to show them checked
        self.setTitle(self.tr("プレビュー"))
        self.setSubTitle(self.tr("取り込む前に、列の対応と変わる内容を確かめてください。"))
        self.summary = _wrapped()
        self.status = _wrapped(ERROR_STYLE)
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setAccessibleName(self.tr("読み込み中"))
        self.busy_bar.hide()

        self.mapping = mapping_model(self)
        self.mapping_view = read_only_view(self.mapping, self.tr("列の対応"))
        header = self.mapping_view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        sample = self._combo(Role.IGNORED, catalog_definition(catalog, 0))
        header.resizeSection(2, sample.sizeHint().width())
        self.mapping_view.verticalHeader().setDefaultSectionSize(sample.sizeHint().height())
        sample.deleteLater()
        self.doubtful = _wrapped("background: #fff3b0;")
        self.combos: dict[int, QComboBox] = {}  # by the file's 0-based column index
        self.changes = changes_model(self)
        self.changes_view = read_only_view(self.changes, self.tr("変わる内容"))
        self.notes = _wrapped()
        self.errors = errors_model(self)
        self.errors.toggled.connect(lambda row, on: self.rows_excluded.emit(frozenset({row}), on))
        self.errors_view = read_only_view(self.errors, self.tr("エラー"))
        self.exclude_button = QPushButton(self.tr("エラーのある行を除外"))
        self.exclude_button.clicked.connect(self._exclude_error_rows)

        self.tabs = QTabWidget()
        for widgets in (
            (self.doubtful, self.mapping_view),
            (self.changes_view, self.notes),
            (self.errors_view, self.exclude_button),
        ):
            tab = QVBoxLayout()
            for widget in widgets:
                tab.addWidget(widget, 1 if isinstance(widget, QTableView) else 0)
            holder = QWidget()
            holder.setLayout(tab)
            self.tabs.addTab(holder, "")
        busy = QHBoxLayout()
        busy.addWidget(self.summary, 1)
        busy.addWidget(self.busy_bar)
        layout = QVBoxLayout(self)
        layout.addLayout(busy)
        layout.addWidget(self.status)
        layout.addWidget(self.tabs, 1)
        self._retitle_tabs()

    # -- what the wizard tells the page ------------------------------------------------------

    def show_plan(self, plan: ImportPlan, auto_roles: dict[int, Role]) -> None:
        had_problems = self.plan is not None and bool(self.plan.problems)
        if self.plan is None or self.plan.survey.path != plan.survey.path:
            self._seen = []
        self.plan, self.failure = plan, ""
        self._show_mapping(plan, auto_roles)
        self._show_changes(plan)
        self._show_errors(plan)
        survey = plan.survey
        self.summary.setText(
            self.tr("{file}: シート「{sheet}」の {row} 行目が見出しです。").format(
                file=survey.path.name, sheet=survey.sheet, row=survey.header_row
            )
        )
        if plan.problems and not had_problems:
            self.tabs.setCurrentIndex(2)
        self._show_status()

    def show_failure(self, message: str) -> None:
        self.failure = message
        self._show_status()

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.busy_bar.setVisible(busy)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        plan = self.plan
        return (
            plan is not None
            and not self._busy
            and not self.failure
            and plan.writable
            and not self.items_twice()
        )

    def items_twice(self) -> dict[str, list[str]]:
        """Questions that two columns or more were mapped to, with their column letters."""
        found: dict[str, list[str]] = {}
        for column in self.plan.survey.columns if self.plan else ():
            if column.role is Role.QUESTION and column.question is not None:
                found.setdefault(column.question, []).append(column_letter(column.index))
        return {code: letters for code, letters in found.items() if len(letters) > 1}

    # -- showing -----------------------------------------------------------------------------

    def _show_mapping(self, plan: ImportPlan, auto_roles: dict[int, Role]) -> None:
        focused = next((i for i, c in self.combos.items() if c.hasFocus()), None)
        columns = plan.survey.columns
        definition = plan.survey.definition or catalog_definition(self._catalog, 0)
        self.mapping.set_records(mapping_records(plan))
        self.combos = {}
        for row, column in enumerate(columns):
            combo = self._combo(auto_roles.get(column.index, Role.IGNORED), definition)
            combo.setAccessibleName(
                self.tr("{letter}列の取り込み先").format(letter=column_letter(column.index))
            )
            if column.role is Role.UNMAPPED:
                combo.insertItem(0, self.tr("（選んでください）"), UNDECIDED)
            wanted = _wanted(column)
            combo.setCurrentIndex(max(combo.findData(wanted), 0))
            combo.activated.connect(lambda _i, c=combo, i=column.index: self._chosen(i, c))
            self.mapping_view.setIndexWidget(self.mapping.index(row, 2), combo)
            self.combos[column.index] = combo
        if focused in self.combos:
            self.combos[focused].setFocus()
        undecided = [
            self.tr("{letter}列「{header}」→ {question}").format(
                letter=column_letter(c.index), header=c.header, question=c.question
            )
            if c.doubtful
            else self.tr("{letter}列「{header}」→ 未割り当て").format(
                letter=column_letter(c.index), header=c.header or self.tr("（見出しなし）")
            )
            for c in columns
            if c.doubtful or c.role is Role.UNMAPPED
        ]
        self.doubtful.setText(
            self.tr(
                "要確認: {columns}。設問を選ぶか「取り込まない」を選んでください"
                "（決めるまで取り込めません）。"
            ).format(columns="、".join(undecided))
        )
        self.doubtful.setVisible(bool(undecided))

    def _combo(self, auto_role: Role, definition: SurveyDefinition) -> QComboBox:
        combo = ChoiceBox()
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(QUESTION_CHARS)
        combo.addItem(self.tr("取り込まない"), "")
        if auto_role in ROLES:
            combo.addItem(_tr(ROLES[auto_role]), AUTO)
        for question in definition.questions:
            text = f"{question.code} {question.text}"
            cut = text if len(text) <= QUESTION_CHARS else text[: QUESTION_CHARS - 1] + "…"
            combo.addItem(cut, question.code)
            combo.setItemData(combo.count() - 1, text, Qt.ItemDataRole.ToolTipRole)
        return combo

    def _chosen(self, index: int, combo: QComboBox) -> None:
        data = combo.currentData()
        self.item_chosen.emit(index, data or None)

    def _show_changes(self, plan: ImportPlan) -> None:
        self.changes.set_records(change_records(plan))
        notes = list(plan.notes)
        if plan.earlier is not None:
            notes.append(
                self.tr(
                    "このファイルは {when} に取り込み済みです。取り込んでも何も変わりません。"
                ).format(when=_when(plan.earlier.get("imported_at")))
            )
        unanswered = sum(1 for r in plan.rows if r.valid and not r.answers)
        if unanswered:
            notes.append(
                self.tr("回答のない {count} 行は取り込みません。").format(count=unanswered)
            )
        if plan.excluded:
            notes.append(
                self.tr("除外した行: {rows}").format(
                    rows="、".join(str(r) for r in sorted(plan.excluded))
                )
            )
        self.notes.setText("\n".join(notes))

    def _show_errors(self, plan: ImportPlan) -> None:
        self._seen += [p for p in plan.problems if p.row is not None and p not in self._seen]
        shown = list(plan.problems)
        shown += [p for p in self._seen if p.row in plan.excluded and p not in shown]
        shown.sort(key=lambda p: (p.sheet, p.row or 0, p.column or ""))
        scroll = self.errors_view.verticalScrollBar().value()
        self.errors.set_records(error_records(shown, plan.excluded))
        self.errors_view.verticalScrollBar().setValue(scroll)
        self.exclude_button.setEnabled(any(p.row is not None for p in plan.problems))
        self._retitle_tabs()

    def _show_status(self) -> None:
        plan, lines = self.plan, []
        if self.failure:
            lines.append(self.failure)
        elif plan is not None and plan.problems:
            lines.append(
                self.tr(
                    "エラーが {count} 件あります。直したファイルを選び直すか、"
                    "エラーのある行を除外してください。"
                ).format(count=len(plan.problems))
            )
        for item, letters in self.items_twice().items():
            lines.append(
                self.tr(
                    "項目 {item} が {columns} 列に割り当てられています。どれか一つにしてください。"
                ).format(item=item, columns="・".join(letters))
            )
        self.status.setText("\n".join(lines))
        self.status.setVisible(bool(lines))
        self.completeChanged.emit()

    def _retitle_tabs(self) -> None:
        plan = self.plan
        columns = plan.survey.columns if plan else []
        questions = sum(1 for c in columns if c.role is Role.QUESTION)
        self.tabs.setTabText(0, self.tr("列の対応（設問 {count}）").format(count=questions))
        changes = len(plan.changes) if plan else 0
        self.tabs.setTabText(1, self.tr("変わる内容（{count}）").format(count=changes))
        problems = len(plan.problems) if plan else 0
        self.tabs.setTabText(2, self.tr("エラー（{count}）").format(count=problems))

    def _exclude_error_rows(self) -> None:
        if self.plan is not None:
            rows = frozenset(p.row for p in self.plan.problems if p.row is not None)
            if rows:
                self.rows_excluded.emit(rows, True)


def _wanted(column: Column) -> str:
    """The combo entry a column's mapping shows."""
    if column.role in ROLES:
        return AUTO
    if column.role is Role.UNMAPPED:
        return UNDECIDED
    return column.question or ""


def _when(imported_at: Any) -> str:
    try:
        return datetime.fromisoformat(str(imported_at)).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return str(imported_at or "")
