"""The people who know (know-who) of an article: a small table of name, organisation, role, contact.

Each keystroke in a cell is committed at once (not only when the cell closes), so the article's
autosave sees it and a crash loses nothing typed.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dxdesk.domain.people import PERSON_KEYS

# The columns shown, in order; ``contact_id`` rides along on the name cell.
SHOWN_KEYS = ("name", "organisation", "role", "contact")
CONTACT_ID_ROLE = Qt.ItemDataRole.UserRole + 1

AnyIndex = QModelIndex | QPersistentModelIndex


class _CommitAsTyped(QStyledItemDelegate):
    """A line editor per cell that writes to the table on every edit."""

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        editor = QLineEdit(parent)
        editor.setFrame(False)
        editor.textEdited.connect(lambda _text: self.commitData.emit(editor))
        return editor

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        # The table echoes each commit back to the open editor; rewriting the same text would
        # move the cursor to the end under the user's typing.
        if isinstance(editor, QLineEdit) and editor.text() == (index.data() or ""):
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:
        if isinstance(editor, QLineEdit) and editor.text() == (index.data() or ""):
            return  # closing an unchanged cell is no edit
        super().setModelData(editor, model, index)


class PeopleEditor(QWidget):
    edited = Signal()  # the user changed the list (not set_value)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, len(SHOWN_KEYS))
        self.table.setHorizontalHeaderLabels(
            [self.tr("氏名"), self.tr("所属"), self.tr("役割"), self.tr("連絡先")]
        )
        self.table.setAccessibleName(self.tr("詳しい人の一覧"))
        self.table.setItemDelegate(_CommitAsTyped(self.table))
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setMinimumHeight(self.table.fontMetrics().height() * 6)
        self.add_button = QPushButton(self.tr("人を追加"))
        self.remove_button = QPushButton(self.tr("選んだ人を外す"))
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.itemChanged.connect(lambda _item: self.edited.emit())

        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def _append(self, person: dict[str, Any]) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, key in enumerate(SHOWN_KEYS):
            item = QTableWidgetItem(str(person.get(key) or ""))
            if key == "name":
                item.setData(CONTACT_ID_ROLE, str(person.get("contact_id") or ""))
            self.table.setItem(row, column, item)

    def add_row(self) -> None:
        """A blank row, its name cell open for typing; it counts once it has a name."""
        self.table.blockSignals(True)
        try:
            self._append({})
        finally:
            self.table.blockSignals(False)
        row = self.table.rowCount() - 1
        self.table.setCurrentCell(row, 0)
        self.table.setFocus()
        self.table.edit(self.table.model().index(row, 0))

    def remove_selected(self) -> None:
        rows = sorted({index.row() for index in self.table.selectedIndexes()}, reverse=True)
        if not rows and self.table.currentRow() >= 0:
            rows = [self.table.currentRow()]
        if not rows:
            return
        for row in rows:
            self.table.removeRow(row)
        self.edited.emit()

    def value(self) -> list[dict[str, str]]:
        """The people listed, each with every key; rows without a name are left out."""
        people = []
        for row in range(self.table.rowCount()):
            texts = {}
            for column, key in enumerate(SHOWN_KEYS):
                item = self.table.item(row, column)
                texts[key] = "" if item is None else item.text().strip()
            if not texts["name"]:
                continue
            name_item = self.table.item(row, 0)
            contact_id = "" if name_item is None else name_item.data(CONTACT_ID_ROLE) or ""
            person = {**texts, "contact_id": contact_id}
            people.append({key: person[key] for key in PERSON_KEYS})
        return people

    def set_value(self, people: list[dict[str, Any]] | None) -> None:
        self.table.blockSignals(True)
        try:
            self.table.setRowCount(0)
            for person in people or []:
                self._append(person)
        finally:
            self.table.blockSignals(False)
