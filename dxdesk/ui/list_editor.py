"""The shape shared by the record panels: a list with 新規 and 削除 above it, the chosen record's
editor to the right, and the Delete key deleting from the list."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, Qt
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
    more_buttons: Sequence[QPushButton] = (),
) -> None:
    """``more_buttons`` (actions on the chosen record) go at the right of 新規 and 削除."""
    buttons = QHBoxLayout()
    buttons.addWidget(new_button)
    buttons.addWidget(delete_button)
    buttons.addStretch(1)
    for button in more_buttons:
        buttons.addWidget(button)
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
    ListWidthFitter(splitter, view, editor)
    QVBoxLayout(panel).addWidget(splitter)
    delete_button.clicked.connect(delete)
    QShortcut(
        QKeySequence.StandardKey.Delete, view, delete, context=Qt.ShortcutContext.WidgetShortcut
    )


# The editor keeps at least this share of the panel when the list is widened for its columns.
EDITOR_SHARE = 0.4


def columns_width(view: QTableView) -> int:
    """The width at which ``view`` shows each of its columns whole (the widest of its cells and
    its header), with its vertical scroll bar and frame: no sideways scroll bar."""
    header = view.horizontalHeader()
    shown = [
        column
        for column in map(header.logicalIndex, range(header.count()))
        if not header.isSectionHidden(column)
    ]
    widths = [max(view.sizeHintForColumn(c), header.sectionSizeHint(c)) for c in shown]
    if widths and header.stretchLastSection():
        # The last column stretches, but never below the header's default section size.
        widths[-1] = max(widths[-1], header.defaultSectionSize())
    return sum(widths) + view.verticalScrollBar().sizeHint().width() + 2 * view.frameWidth()


class ListWidthFitter(QObject):
    """Widens the list once, the first time it is on screen with rows, so that its columns show
    whole (the editor beside it keeps its minimum and at least EDITOR_SHARE of the width);
    afterwards the splitter is the person's."""

    def __init__(self, splitter: QSplitter, view: QTableView, editor: QWidget) -> None:
        super().__init__(splitter)
        self._splitter = splitter
        self._view = view
        self._editor = editor
        splitter.installEventFilter(self)
        view.model().modelReset.connect(self.fit)
        view.model().rowsInserted.connect(self.fit)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Show, QEvent.Type.Resize):
            self.fit()
        return False

    def fit(self) -> None:
        view, splitter = self._view, self._splitter
        if not splitter.isVisible() or view.model().rowCount() == 0:
            return
        self._splitter.removeEventFilter(self)
        view.model().modelReset.disconnect(self.fit)
        view.model().rowsInserted.disconnect(self.fit)
        needed = columns_width(view)
        left, right = splitter.sizes()
        total = left + right
        room = total - max(self._editor.minimumSizeHint().width(), int(total * EDITOR_SHARE))
        width = min(needed + (left - view.width()), room)  # (the list's margins, buttons' row)
        if width > left:
            splitter.setSizes([width, total - width])
