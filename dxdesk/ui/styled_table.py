"""A table whose cells carry their own colours and tooltips (達成 green, 未達 red), shared by the
分析 tab's tables and the survey status."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from dxdesk.ui.table_model import RECORD_ROLE, Column, RecordTableModel

MET = (QColor("#d1e7dd"), QColor("#0f5132"))  # background, text
UNMET = (QColor("#f8d7da"), QColor("#842029"))
NOT_YET = (QColor("#eef0f2"), QColor("#5c636a"))
RISE = QColor("#146c43")
FALL = QColor("#b02a37")
FLAT = QColor("#5c636a")


@dataclass(frozen=True)
class CellStyle:
    background: QColor | None = None
    foreground: QColor | None = None
    bold: bool = False


StyleFunction = Callable[[str, dict[str, Any]], CellStyle | None]
TooltipFunction = Callable[[str, dict[str, Any]], str | None]


class StyledTableModel(RecordTableModel):
    """A record table whose cells (not only rows) carry colours and their own tooltips."""

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        style: StyleFunction,
        tooltip: TooltipFunction | None = None,
        centred: Collection[str] = (),
        id_key: str = "id",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(columns, id_key=id_key, parent=parent)
        self._keys = tuple(column.key for column in columns)
        self._centred = frozenset(centred)
        self._style = style
        self._tooltip = tooltip

    def data(
        self,
        index: QModelIndex | QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        styled_roles = (
            Qt.ItemDataRole.BackgroundRole,
            Qt.ItemDataRole.ForegroundRole,
            Qt.ItemDataRole.FontRole,
        )
        if (
            role == Qt.ItemDataRole.TextAlignmentRole
            and index.isValid()
            and self._keys[index.column()] in self._centred
        ):
            return int(Qt.AlignmentFlag.AlignCenter)
        if role in styled_roles or role == Qt.ItemDataRole.ToolTipRole:
            record = super().data(index, RECORD_ROLE)
            if record is None:
                return None
            key = self._keys[index.column()]
            if role == Qt.ItemDataRole.ToolTipRole:
                tip = self._tooltip(key, record) if self._tooltip else None
                return tip if tip is not None else super().data(index, role)
            style = self._style(key, record)
            if style is None:
                return None
            if role == Qt.ItemDataRole.BackgroundRole and style.background is not None:
                return QBrush(style.background)
            if role == Qt.ItemDataRole.ForegroundRole and style.foreground is not None:
                return QBrush(style.foreground)
            if role == Qt.ItemDataRole.FontRole and style.bold:
                font = QFont()
                font.setBold(True)
                return font
            return None
        return super().data(index, role)
