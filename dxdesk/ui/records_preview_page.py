"""The records import wizard's third page: what the import would write, by municipality and by
row, and every error by sheet, row and column, with the way to leave the errors' rows out.

Nothing is written until the person presses 「取り込む」; the page reports the rows to leave out
as a signal, and the session reads again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
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

from dxdesk.domain.records import kind_spec
from dxdesk.domain.roster import Municipality
from dxdesk.imports.records_plan import WRITES, RecordsPlan, RowChange
from dxdesk.ui.format import QT_TRANSLATE_NOOP, vocabulary_text
from dxdesk.ui.message_label import message_label
from dxdesk.ui.records_wizard_pages import (
    busy_bar,
    error_label,
    field_labels,
    kind_text,
    place_text,
    show_message,
    translated,
)
from dxdesk.ui.styled_table import CellStyle, StyledTableModel
from dxdesk.ui.survey_preview_tables import ERROR, read_only_view
from dxdesk.ui.table_model import Column, RecordTableModel

ACTIONS = {
    "create": QT_TRANSLATE_NOOP("RecordsImport", "新規"),
    "update": QT_TRANSLATE_NOOP("RecordsImport", "更新"),
    "unchanged": QT_TRANSLATE_NOOP("RecordsImport", "変更なし"),
    "deleted": QT_TRANSLATE_NOOP("RecordsImport", "削除済み"),
}
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
RECORD_KEYS = ("date", "title", "name", "description")  # what names a record in the list


def place_counts(plan: RecordsPlan) -> dict[str | None, dict[str, Counter[str]]]:
    """Municipality code -> record kind (the plan's, then its rows' children) -> action -> count:
    a visit's interview note and follow-up count under the visit's municipality."""
    counts: dict[str | None, dict[str, Counter[str]]] = {}
    for change in plan.changes:
        kinds = counts.setdefault(change.municipality, {})
        kinds.setdefault(plan.kind, Counter())[change.action] += 1
        for child in change.children:
            kinds.setdefault(child.kind, Counter())[child.action] += 1
    return counts


def kind_order(plan: RecordsPlan) -> list[str]:
    """The plan's kind, then the child kinds its rows hold (in the sheet's field order)."""
    return [plan.kind, *plan.child_counts()]


def count_records(plan: RecordsPlan, roster: tuple[Municipality, ...]) -> list[dict[str, Any]]:
    """A row per municipality in the roster's order (県全体 last) and kind of record (a visit's
    notes and follow-ups below it), then the totals by kind."""
    counts = place_counts(plan)
    places = sorted_places(counts, roster)
    kinds = kind_order(plan)
    rows: list[dict[str, Any]] = []
    totals: dict[str, Counter[str]] = {kind: Counter() for kind in kinds}
    for code in places:
        first = True
        for kind in kinds:
            if kind not in counts[code]:
                continue
            by_action = counts[code][kind]
            totals[kind].update(by_action)
            place = place_text(code, roster) if first else ""  # the place once, over its kinds
            row_id = f"{code}\n{kind}"
            rows.append(
                {"id": row_id, "place": place, "kind": kind_text(kind), **_counts(by_action)}
            )
            first = False
    for n, kind in enumerate(kinds):
        rows.append(
            {
                "id": f"total\n{kind}",
                "place": QCoreApplication.translate("RecordsImport", "合計") if n == 0 else "",
                "kind": kind_text(kind),
                **_counts(totals[kind]),
                "total": True,
            }
        )
    return rows


def _counts(by_action: Mapping[str, int]) -> dict[str, int]:
    return {action: by_action.get(action, 0) for action in ACTIONS}


def change_records(plan: RecordsPlan, roster: tuple[Municipality, ...]) -> list[dict[str, Any]]:
    """The rows that write something, their notes and follow-ups included (or that an earlier
    deletion keeps out)."""
    labels = field_labels(plan.kind)
    return [
        {
            "id": c.row,
            "row": c.row,
            "place": place_text(c.municipality, roster),
            "action": ACTIONS[c.action],
            "record": record_text(c),
            "changed": changed_text(c, labels),
        }
        for c in plan.changes
        if c.writes or c.action == "deleted"
    ]


def record_text(change: RowChange) -> str:
    return " ".join(str(change.values[k]) for k in RECORD_KEYS if change.values.get(k))


def changed_text(change: RowChange, labels: dict[str, str]) -> str:
    """ "件名、概要" for an update; "ヒアリング 新規" or "フォローアップ 更新（内容）" for a child
    record it writes."""
    parts = [labels.get(name, name) for name in change.changed] if change.action == "update" else []
    for child in change.children:
        if child.action in WRITES:
            text = f"{kind_text(child.kind)} {translated(ACTIONS[child.action])}"
            if child.action == "update" and child.changed:
                spec = kind_spec(child.kind)
                names = "、".join(vocabulary_text(spec.field(f).label) for f in child.changed)
                text += f"（{names}）"
            parts.append(text)
    return "、".join(parts)


def writes_text(kind: str, counts: Mapping[str, Mapping[str, int]]) -> str:
    """ "相談記録を新規 3 件・更新 0 件、ヒアリングを新規 2 件": ``kind``'s creates and updates,
    then those of each other kind in ``counts`` (kind -> action -> count) that writes any."""
    both = QCoreApplication.translate(
        "RecordsImport", "{kind}を新規 {created} 件・更新 {updated} 件"
    )
    only_created = QCoreApplication.translate("RecordsImport", "{kind}を新規 {created} 件")
    only_updated = QCoreApplication.translate("RecordsImport", "{kind}を更新 {updated} 件")
    parts = []
    for name in dict.fromkeys([kind, *counts]):
        created, updated = (
            counts.get(name, {}).get("create", 0),
            counts.get(name, {}).get("update", 0),
        )
        label = kind_text(name)
        if name == kind or (created and updated):
            parts.append(both.format(kind=label, created=created, updated=updated))
        elif created:
            parts.append(only_created.format(kind=label, created=created))
        elif updated:
            parts.append(only_updated.format(kind=label, updated=updated))
    return "、".join(parts)


def plan_counts(plan: RecordsPlan) -> dict[str, dict[str, int]]:
    """Record kind -> action -> count over the whole plan, its rows' children included."""
    own = {action: plan.count(action) for action in ACTIONS}
    return {plan.kind: own, **plan.child_counts()}


def sorted_places(
    codes: Collection[str | None], roster: tuple[Municipality, ...]
) -> list[str | None]:
    """In the roster's order, 県全体 (None) last."""
    order = {m.code: n for n, m in enumerate(roster)}
    return sorted(codes, key=lambda code: (code is None, order.get(code or "", len(order))))


def totals_text(plan: RecordsPlan) -> str:
    text = QCoreApplication.translate(
        "RecordsImport", "取り込むと、{writes}書き込みます（変更なし {same} 件）"
    ).format(writes=writes_text(plan.kind, plan_counts(plan)), same=plan.count("unchanged"))
    if plan.count("deleted"):
        text += QCoreApplication.translate(
            "RecordsImport", "（削除済みの {count} 件は取り込みません）"
        ).format(count=plan.count("deleted"))
    text += QCoreApplication.translate("RecordsImport", "。まだ何も書き込んでいません。")
    if plan.skipped:
        text += "\n" + QCoreApplication.translate(
            "RecordsImport", "除いた行（取り込みません）: {rows}"
        ).format(rows="、".join(str(r) for r in sorted(plan.skipped)))
    return text


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
        if self.failure:
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

    def _restore_rows(self) -> None:
        self.apply_failure = ""
        self.rows_skipped.emit(frozenset())
