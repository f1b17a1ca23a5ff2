"""The shape shared by the record panels: a list with 新規 and 削除 above it, the chosen record's
editor to the right, and the Delete key deleting from the list."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)


def lay_out_list_and_editor(
    panel: QWidget,
    *,
    view: QTableView,
    editor: QWidget,
    new_button: QPushButton,
    delete_button: QPushButton,
    delete: Callable[[], None],
    above_list: QWidget | None = None,
) -> None:
    buttons = QHBoxLayout()
    buttons.addWidget(new_button)
    buttons.addWidget(delete_button)
    buttons.addStretch(1)
    left = QWidget()
    left_layout = QVBoxLayout(left)
    left_layout.setContentsMargins(0, 0, 0, 0)
    left_layout.addLayout(buttons)
    if above_list is not None:
        left_layout.addWidget(above_list)
    left_layout.addWidget(view)
    splitter = QSplitter()
    splitter.addWidget(left)
    splitter.addWidget(editor)
    splitter.setStretchFactor(1, 2)
    QVBoxLayout(panel).addWidget(splitter)
    delete_button.clicked.connect(delete)
    QShortcut(
        QKeySequence.StandardKey.Delete, view, delete, context=Qt.ShortcutContext.WidgetShortcut
    )
