"""A table model over a list of record dicts, with named columns and roles."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView

RECORD_ROLE = Qt.ItemDataRole.UserRole + 1  # the whole record dict
ID_ROLE = Qt.ItemDataRole.UserRole + 2  # the record's id (or municipality code)
SORT_ROLE = Qt.ItemDataRole.UserRole + 3  # a raw value that sorts right

AnyIndex = QModelIndex | QPersistentModelIndex


def _blank(value: Any) -> str:
    return "" if value is None else str(value)


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    display: Callable[[dict[str, Any]], str] | None = None
    sort_value: Callable[[dict[str, Any]], Any] | None = None
    align_right: bool = False

    def text(self, record: dict[str, Any]) -> str:
        return self.display(record) if self.display else _blank(record.get(self.key))

    def sort_key(self, record: dict[str, Any]) -> Any:
        value = self.sort_value(record) if self.sort_value else record.get(self.key)
        # None sorts last whatever the column holds.
        return "" if value is None else value


class RecordTableModel(QAbstractTableModel):
    def __init__(
        self,
        columns: Sequence[Column],
        *,
        id_key: str = "id",
        highlight: Callable[[dict[str, Any]], QColor | None] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._columns = tuple(columns)
        self._records: list[dict[str, Any]] = []
        self._id_key = id_key
        self._highlight = highlight

    def set_records(self, records: Sequence[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._records = list(records)
        self.endResetModel()

    def records(self) -> list[dict[str, Any]]:
        return list(self._records)

    def row_of(self, record_id: str) -> int:
        for row, record in enumerate(self._records):
            if record.get(self._id_key) == record_id:
                return row
        return -1

    def column_of(self, key: str) -> int:
        return next(i for i, c in enumerate(self._columns) if c.key == key)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        record = self._records[index.row()]
        column = self._columns[index.column()]
        match role:
            case Qt.ItemDataRole.DisplayRole | Qt.ItemDataRole.ToolTipRole:
                return column.text(record)
            case Qt.ItemDataRole.TextAlignmentRole if column.align_right:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            case Qt.ItemDataRole.BackgroundRole if self._highlight is not None:
                colour = self._highlight(record)
                return None if colour is None else QBrush(colour)
            case _ if role == RECORD_ROLE:
                return record
            case _ if role == ID_ROLE:
                return record.get(self._id_key)
            case _ if role == SORT_ROLE:
                return column.sort_key(record)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self._columns)
        ):
            return self._columns[section].header
        return None


def sorting_proxy(model: RecordTableModel, parent: QObject | None = None) -> QSortFilterProxyModel:
    """A proxy that sorts by raw values and filters on every column, case-insensitively."""
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    proxy.setFilterKeyColumn(-1)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    return proxy


def select_record(view: QAbstractItemView, record_id: Any | None) -> bool:
    """Select the row of ``record_id``, or the first row when it is None or gone; False when
    the view has no rows.

    Goes through the selection model, so it also works while the view is hidden in a tab.
    """
    model = view.model()
    rows = [model.index(row, 0) for row in range(model.rowCount())]
    if not rows:
        return False
    index = next((i for i in rows if i.data(ID_ROLE) == record_id), rows[0])
    flags = (
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    )
    view.selectionModel().setCurrentIndex(index, flags)
    return True
