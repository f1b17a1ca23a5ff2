"""The import preview's three tables: which column holds what, what would change, what is
wrong. Their columns, their colours, the errors' check boxes and the records each one shows."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHeaderView, QTableView

from dxdesk.imports.columns import Role
from dxdesk.imports.plan import Change, ImportPlan
from dxdesk.imports.survey import Problem
from dxdesk.imports.workbook import column_letter
from dxdesk.ui.format import QT_TRANSLATE_NOOP
from dxdesk.ui.survey_import_session import CONTEXT
from dxdesk.ui.table_model import RECORD_ROLE, AnyIndex, Column, RecordTableModel

DOUBTFUL = QColor("#fff3b0")
ERROR = QColor("#fde0e0")
EXCLUDED = QColor("#e6e6e6")

ACTIONS = {
    "create": QT_TRANSLATE_NOOP("SurveyImport", "新規"),
    "update": QT_TRANSLATE_NOOP("SurveyImport", "更新"),
    "unchanged": QT_TRANSLATE_NOOP("SurveyImport", "変更なし"),
}
ROLES = {  # what a column is when it is no question (the header says so)
    Role.CODE: QT_TRANSLATE_NOOP("SurveyImport", "市町村コード"),
    Role.NAME: QT_TRANSLATE_NOOP("SurveyImport", "市町村名"),
    Role.RESPONDENT: QT_TRANSLATE_NOOP("SurveyImport", "回答者"),
    Role.TIME: QT_TRANSLATE_NOOP("SurveyImport", "回答日時"),
    Role.META: QT_TRANSLATE_NOOP("SurveyImport", "フォームの情報"),
}
STATES = {
    "doubtful": QT_TRANSLATE_NOOP("SurveyImport", "要確認"),
    "unmapped": QT_TRANSLATE_NOOP("SurveyImport", "未割り当て（選んでください）"),
}
MAPPING_COLUMNS = (
    Column("letter", QT_TRANSLATE_NOOP("Column", "列")),
    Column("header", QT_TRANSLATE_NOOP("Column", "見出し")),
    Column("target", QT_TRANSLATE_NOOP("Column", "取り込み先"), display=lambda r: ""),
    Column("state", QT_TRANSLATE_NOOP("Column", "状態")),
)
CHANGE_COLUMNS = (
    Column("row", QT_TRANSLATE_NOOP("Column", "行"), align_right=True),
    Column("name", QT_TRANSLATE_NOOP("Column", "市町村")),
    Column("action", QT_TRANSLATE_NOOP("Column", "内容"), display=lambda r: _tr(r["action"])),
    Column("items", QT_TRANSLATE_NOOP("Column", "変わる項目")),
    Column("answers", QT_TRANSLATE_NOOP("Column", "回答")),
)
ERROR_COLUMNS = (
    Column("excluded", QT_TRANSLATE_NOOP("Column", "除外"), display=lambda r: ""),
    Column("sheet", QT_TRANSLATE_NOOP("Column", "シート")),
    Column("row", QT_TRANSLATE_NOOP("Column", "行"), align_right=True),
    Column("column", QT_TRANSLATE_NOOP("Column", "列")),
    Column("value", QT_TRANSLATE_NOOP("Column", "値")),
    Column("message", QT_TRANSLATE_NOOP("Column", "内容")),
)


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def _cell_text(value: Any) -> str:
    return "" if value is None else str(value)


def change_text(scores: dict[str, tuple[int | None, int]]) -> str:
    """ "3-12: 1→3、D1: —→3" (— where there was no answer before)."""
    return "、".join(f"{k}: {'—' if b is None else b}→{a}" for k, (b, a) in scores.items())


class ExclusionModel(RecordTableModel):
    """The errors, each with a check box that leaves its row out of the import."""

    toggled = Signal(int, bool)  # sheet row, excluded

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.column() == 0 and self._problem_row(index) is not None:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.CheckStateRole and index.column() == 0:
            record = super().data(index, RECORD_ROLE)
            if record is None or record["row"] is None:
                return None
            return Qt.CheckState.Checked if record["excluded"] else Qt.CheckState.Unchecked
        return super().data(index, role)

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        row = self._problem_row(index)
        if role != Qt.ItemDataRole.CheckStateRole or index.column() != 0 or row is None:
            return False
        checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value)
        super().data(index, RECORD_ROLE)["excluded"] = checked
        self.dataChanged.emit(index, self.index(index.row(), self.columnCount() - 1))
        self.toggled.emit(row, checked)
        return True

    def _problem_row(self, index: AnyIndex) -> int | None:
        record = super().data(index, RECORD_ROLE)
        return None if record is None else record["row"]


def read_only_view(model: RecordTableModel, name: str) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.verticalHeader().hide()
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    view.setWordWrap(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    return view


def mapping_model(parent: QObject) -> RecordTableModel:
    """The file's columns, a doubtful guess or an undecided column highlighted."""
    return RecordTableModel(MAPPING_COLUMNS, highlight=_mapping_colour, parent=parent)


def _mapping_colour(record: dict[str, Any]) -> QColor | None:
    if record["role"] is Role.UNMAPPED:
        return ERROR
    return DOUBTFUL if record["doubtful"] else None


def changes_model(parent: QObject) -> RecordTableModel:
    return RecordTableModel(CHANGE_COLUMNS, parent=parent)


def errors_model(parent: QObject) -> ExclusionModel:
    """The errors, an excluded row greyed."""
    return ExclusionModel(
        ERROR_COLUMNS, highlight=lambda r: EXCLUDED if r["excluded"] else ERROR, parent=parent
    )


def mapping_records(plan: ImportPlan) -> list[dict[str, Any]]:
    """A record for each of the file's columns, its state said when a person must decide."""
    return [
        {
            "index": c.index,
            "letter": column_letter(c.index),
            "header": c.header,
            "role": c.role,
            "question": c.question,
            "item": c.item,
            "doubtful": c.doubtful,
            "state": _tr(STATES["doubtful"])
            if c.doubtful
            else (_tr(STATES["unmapped"]) if c.role is Role.UNMAPPED else ""),
        }
        for c in plan.survey.columns
    ]


def change_records(plan: ImportPlan) -> list[dict[str, Any]]:
    return [
        {
            "row": c.row,
            "name": c.name,
            "action": ACTIONS[c.action],
            "items": change_text(c.scores),
            "answers": answers_text(c),
        }
        for c in plan.changes
    ]


def answers_text(change: Change) -> str:
    """ "64 問（採点項目以外 38）" the questions a row answers, and "、変わる 3" on an update."""
    text = _tr("{count} 問（採点項目以外 {others}").format(
        count=change.answered, others=change.answered - change.scored
    )
    if change.action == "update":
        text += _tr("、変わる {count}").format(count=len(change.answers))
    return text + "）"


def error_records(problems: list[Problem], excluded: frozenset[int]) -> list[dict[str, Any]]:
    return [
        {
            "excluded": p.row in excluded,
            "sheet": p.sheet,
            "row": p.row,
            "column": p.column or "",
            "value": _cell_text(p.value),
            "message": p.message,
        }
        for p in problems
    ]
