"""The records import wizard's third page: what the import would write, by municipality and by
row, and every error by sheet, row and column, with the way to leave the errors' rows out.

Nothing is written until the person presses 「取り込む」; the page reports the rows to leave out
as a signal, and the session reads again.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from dxdesk.domain.roster import Municipality
from dxdesk.imports.records_plan import RecordsPlan
from dxdesk.ui.format import QT_TRANSLATE_NOOP
from dxdesk.ui.message_label import message_label
from dxdesk.ui.records_plan_text import change_records, count_records, totals_text
from dxdesk.ui.records_wizard_pages import busy_bar, error_label, show_message, translated
from dxdesk.ui.styled_table import CellStyle, StyledTableModel
from dxdesk.ui.survey_preview_tables import ERROR, read_only_view
from dxdesk.ui.table_model import Column, RecordTableModel

COUNT_COLUMNS = (
    Column("place", QT_TRANSLATE_NOOP("Column", "市町村")),
    Column("kind", QT_TRANSLATE_NOOP("Column", "種類")),
    Column("create", QT_TRANSLATE_NOOP("Column", "新規"), align_right=True),
    Column("update", QT_TRANSLATE_NOOP("Column", "更新"), align_right=True),
    Column("unchanged", QT_TRANSLATE_NOOP("Column", "変更なし"), align_right=True),
    Column("deleted", QT_TRANSLATE_NOOP("Column", "削除済み"), align_right=True),
)
CHANGE_COLUMNS = (
    Column("row", QT_TRANSLATE_NOOP("Column", "行"), align_right=True),
    Column("place", QT_TRANSLATE_NOOP("Column", "市町村")),
    Column(
        "action", QT_TRANSLATE_NOOP("Column", "内容"), display=lambda r: translated(r["action"])
    ),
    Column("record", QT_TRANSLATE_NOOP("Column", "記録")),
    Column("changed", QT_TRANSLATE_NOOP("Column", "変わる項目")),
    Column("kept", QT_TRANSLATE_NOOP("Column", "アプリの内容を残す項目")),
)
ERROR_COLUMNS = (
    Column("sheet", QT_TRANSLATE_NOOP("Column", "シート")),
    Column("row", QT_TRANSLATE_NOOP("Column", "行"), align_right=True),
    Column("column", QT_TRANSLATE_NOOP("Column", "列")),
    Column("value", QT_TRANSLATE_NOOP("Column", "値")),
    Column("message", QT_TRANSLATE_NOOP("Column", "内容")),
)
COUNT_WIDTH = 80  # a count's column: wide enough that 新規 and 1234 read as one table
TOTAL_STYLE = CellStyle(background=QColor("#eef0f2"), bold=True)


def _tab(*widgets: QWidget) -> QWidget:
    layout = QVBoxLayout()
    for widget in widgets:
        layout.addWidget(widget, 1 if isinstance(widget, QTableView) else 0)
    holder = QWidget()
    holder.setLayout(layout)
    return holder


class ConfirmPage(QWizardPage):
    rows_skipped = Signal(object)  # the sheet rows (frozenset[int]) to leave out; empty: none
    commit_requested = Signal()  # 取り込む: write the plan shown
    reread_requested = Signal()  # read the file again with the same choices

    def __init__(self, roster: tuple[Municipality, ...]) -> None:
        super().__init__()
        self._roster = roster
        self.plan: RecordsPlan | None = None
        self.failure = ""
        self.apply_failure = ""  # why the last 取り込む wrote nothing, shown over the fresh plan
        self.written = False
        self._busy = False
        self.setTitle(self.tr("確認"))
        self.setSubTitle(self.tr("「取り込む」を押すと書き込みます。"))
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("取り込む"))
        self.summary = message_label(selectable=True)
        self.status = error_label()
        self.busy_bar = busy_bar()
        self.counts = StyledTableModel(
            COUNT_COLUMNS,
            style=lambda _key, r: TOTAL_STYLE if r.get("total") else None,
            parent=self,
        )
        self.counts_view = read_only_view(self.counts, self.tr("市町村別の件数"))
        counts_header = self.counts_view.horizontalHeader()
        counts_header.setStretchLastSection(False)  # the counts stay beside their names
        counts_header.setMinimumSectionSize(COUNT_WIDTH)
        self.changes = RecordTableModel(CHANGE_COLUMNS, parent=self)
        self.changes_view = read_only_view(self.changes, self.tr("書き込む記録"))
        self.errors = RecordTableModel(ERROR_COLUMNS, highlight=lambda _r: ERROR, parent=self)
        self.errors_view = read_only_view(self.errors, self.tr("エラー"))
        for view in (self.counts_view, self.changes_view, self.errors_view):
            view.setTabKeyNavigation(False)  # Tab goes on to the buttons, not cell by cell
        self.skip_button = QPushButton(self.tr("エラーの行を除いて取り込む(&E)"))
        self.skip_button.clicked.connect(self._skip_error_rows)
        self.restore_button = QPushButton(self.tr("除いた行を戻す(&U)"))
        self.restore_button.clicked.connect(self._restore_rows)
        self.reread_button = QPushButton(self.tr("読み直す(&D)"))
        self.reread_button.clicked.connect(self._reread)
        self.reread_button.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.skip_button)
        buttons.addStretch(1)
        button_row = QWidget()
        button_row.setLayout(buttons)
        self.tabs = QTabWidget()
        self.tabs.addTab(_tab(self.counts_view), "")
        self.tabs.addTab(_tab(self.changes_view), "")
        self.tabs.addTab(_tab(self.errors_view, button_row), "")
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.busy_bar)
        restore = QHBoxLayout()  # outside the tabs: seen whichever tab is shown
        restore.addStretch(1)
        restore.addWidget(self.reread_button)
        restore.addWidget(self.restore_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(restore)
        layout.addWidget(self.status)
        layout.addWidget(self.tabs, 1)

    # -- what the wizard tells the page ------------------------------------------------------

    def show_plan(self, plan: RecordsPlan) -> None:
        had_problems = self.plan is not None and bool(self.plan.problems)
        self.plan, self.failure = plan, ""
        self.counts.set_records(count_records(plan, self._roster))
        deleted = plan.count("deleted") or any(
            c.get("deleted") for c in plan.child_counts().values()
        )
        self.counts_view.setColumnHidden(self.counts.column_of("deleted"), not deleted)
        self.counts_view.setColumnHidden(self.counts.column_of("kind"), not plan.child_counts())
        self.changes.set_records(change_records(plan, self._roster))
        kept = self.changes.column_of("kept")
        self.changes_view.setColumnHidden(kept, not any(r["kept"] for r in self.changes.records()))
        self.errors.set_records(
            [
                {
                    "id": n,
                    "sheet": p.sheet,
                    "row": p.row,
                    "column": p.column,
                    "value": "" if p.value is None else str(p.value),
                    "message": p.message,
                }
                for n, p in enumerate(plan.problems)
            ]
        )
        self.tabs.setTabText(0, self.tr("市町村別"))
        self.tabs.setTabText(
            1, self.tr("書き込む記録（{count}）").format(count=self.changes.rowCount())
        )
        self.tabs.setTabText(2, self.tr("エラー（{count}）").format(count=len(plan.problems)))
        if plan.problems and not had_problems:
            self.tabs.setCurrentIndex(2)
        elif not plan.problems and self.tabs.currentIndex() == 2:
            self.tabs.setCurrentIndex(0)
        self.summary.setText(totals_text(plan))
        self.skip_button.setEnabled(bool(plan.problem_rows()))
        self.restore_button.setVisible(bool(plan.skipped))
        self._show_status()

    def show_failure(self, message: str) -> None:
        self.failure = message
        self._show_status()

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.busy_bar.setVisible(busy)
        self.skip_button.setEnabled(not busy and bool(self.plan and self.plan.problem_rows()))
        self.restore_button.setEnabled(not busy)
        self.reread_button.setEnabled(not busy)
        self._show_status()

    def show_apply_failure(self, message: str) -> None:
        """The write refused: nothing was written, and the session reads the file again."""
        self.apply_failure = message
        self._show_status()

    def isComplete(self) -> bool:
        return (
            self.plan is not None and not self._busy and not self.failure and not self.plan.problems
        )

    def initializePage(self) -> None:
        self.apply_failure = ""
        self._show_status()
        self.tabs.setFocus()  # not a widget of the page left behind

    def validatePage(self) -> bool:
        if self.written:
            return True
        self.apply_failure = ""
        self._show_status()
        self.commit_requested.emit()
        return False  # the wizard goes on when the import is written

    # -- showing -----------------------------------------------------------------------------

    def _show_status(self) -> None:
        plan, lines = self.plan, []
        if self.apply_failure:
            lines.append(
                self.tr("何も書き込んでいません。{reason}").format(reason=self.apply_failure)
            )
            if plan is not None and not self._busy and not self.failure:
                lines.append(self.tr("ファイルを読み直しました。下の結果を確かめてください。"))
        # A failed read leaves nothing to confirm: the way on is to read again.
        self.reread_button.setVisible(bool(self.failure))
        if self.failure:
            if self.failure != self.apply_failure:  # a locked store: said once
                lines.append(self.failure)
        elif plan is not None and plan.problems:
            lines.append(
                self.tr(
                    "エラーが {count} 件（{rows} 行）あります。ファイルを直して選び直すか、"
                    "「エラーの行を除いて取り込む」を押してください。"
                ).format(count=len(plan.problems), rows=len(plan.problem_rows()))
            )
        show_message(self.status, "\n".join(lines))
        self.completeChanged.emit()

    def _skip_error_rows(self) -> None:
        if self.plan is not None and self.plan.problem_rows():
            self.apply_failure = ""  # the person acted on the fresh plan
            self.rows_skipped.emit(frozenset(self.plan.skipped) | set(self.plan.problem_rows()))

    def _reread(self) -> None:
        self.apply_failure = ""
        self.reread_requested.emit()

    def _restore_rows(self) -> None:
        self.apply_failure = ""
        self.rows_skipped.emit(frozenset())
