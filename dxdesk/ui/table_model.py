"""A table model over a list of record dicts, with named columns and roles."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
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

# Column headers are written as QT_TRANSLATE_NOOP("Column", "…") (the tables are built at
# import, before a translator is installed) and translated when the header is drawn.
HEADER_CONTEXT = "Column"

AnyIndex = QModelIndex | QPersistentModelIndex


def fold(text: str) -> str:
    """For matching: full- and half-width forms alike (ＲＰＡ = RPA), case ignored."""
    return unicodedata.normalize("NFKC", text).casefold()


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
        found_by: Sequence[str] = (),
        parent: QObject | None = None,
    ) -> None:
        """``found_by``: record keys the filter also matches without a column of their own
        (a municipality's 振興局 and よみ)."""
        super().__init__(parent)
        self._columns = tuple(columns)
        self._found_by = tuple(found_by)
        self._records: list[dict[str, Any]] = []
        self._id_key = id_key
        self._highlight = highlight
        self._sorted_by: tuple[int, Qt.SortOrder] | None = None
        self._filter_texts: list[str] | None = None

    def set_records(self, records: Sequence[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._records = list(records)
        self._filter_texts = None
        if self._sorted_by is not None:
            self._sort_records(*self._sorted_by)
        self.endResetModel()

    # Sorting and filtering happen here, once per row in Python, rather than in the proxy,
    # which would call data() for every comparison: tens of thousands of rows stay quick.

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._columns):
            return
        self.layoutAboutToBeChanged.emit()
        self._sort_records(column, order)
        self._filter_texts = None
        self.layoutChanged.emit()

    def _sort_records(self, column: int, order: Qt.SortOrder) -> None:
        self._sorted_by = (column, order)
        key = self._columns[column].sort_key
        # None-valued keys (shown blank) go last whichever way the column is sorted.
        present = [r for r in self._records if key(r) != ""]
        blank = [r for r in self._records if key(r) == ""]
        present.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)
        self._records = present + blank

    def row_matches(self, row: int, needle: str) -> bool:
        """Whether any column's text of the row contains ``needle`` (already ``fold``-ed)."""
        if self._filter_texts is None:
            self._filter_texts = [
                fold(
                    "\t".join(
                        [
                            *(c.text(r) for c in self._columns),
                            *(str(r.get(k) or "") for k in self._found_by),
                        ]
                    )
                )
                for r in self._records
            ]
        return needle in self._filter_texts[row]

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
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self._columns)
        ):
            return QCoreApplication.translate(HEADER_CONTEXT, self._columns[section].header)
        return None


class RecordProxy(QSortFilterProxyModel):
    """Hands sorting to the record model and filters with its per-row texts.

    The proxy keeps the source's order (it never sorts itself), so a view over it shows the
    model's sort, and the header's sort indicator still works as usual.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._needle = ""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if isinstance(source, RecordTableModel):
            source.sort(column, order)

    def setFilterFixedString(self, pattern: str) -> None:
        self.beginFilterChange()
        self._needle = fold(pattern)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        source = self.sourceModel()
        if not self._needle or not isinstance(source, RecordTableModel):
            return True
        return source.row_matches(source_row, self._needle)


def sorting_proxy(model: RecordTableModel, parent: QObject | None = None) -> RecordProxy:
    """A proxy that sorts by raw values and filters on every column, case-insensitively."""
    proxy = RecordProxy(parent)
    proxy.setSourceModel(model)
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
