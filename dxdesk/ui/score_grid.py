"""The 26 assessment items grouped by category, each answered on its scale's labels, with the
previous year's answer beside it."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QGridLayout, QLabel, QWidget

from dxdesk.domain.catalog import Catalog, Item
from dxdesk.ui.choice_box import ChoiceBox

# The catalog's wording (category names, item texts, scale labels) is the programme's official
# Japanese and is shown as it is in every UI language; only the grid's own words translate.
UNANSWERED = -1


def _previous_text(item: Item, previous: Mapping[str, int] | None) -> str:
    """The previous year's answer in words (the column's tooltip and accessible text)."""
    if previous is None:
        return QCoreApplication.translate("ScoreGrid", "前年度なし")
    value = previous.get(item.code)
    if value is None:
        return QCoreApplication.translate("ScoreGrid", "前年度: 未回答")
    return QCoreApplication.translate("ScoreGrid", "前年度: {value} {label}").format(
        value=value, label=item.scale.label_for(value)
    )


def _previous_value(item: Item, previous: Mapping[str, int] | None) -> str:
    """What the 前年度 column shows: the score alone (its label is the drop-down's beside it),
    so that the column fits beside the answers at the window's default size."""
    if previous is None:
        return "－"
    value = previous.get(item.code)
    return QCoreApplication.translate("ScoreGrid", "未回答") if value is None else str(value)


class ScoreBox(ChoiceBox):
    """One item's answer. With the focus on it, a digit answers it (0–3; the prefecture's
    items take 3 or 0 only, other digits do nothing) and Delete or Backspace clears it."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        if len(text) == 1 and text.isdecimal():  # also a full-width digit (int("３") == 3)
            index = self.findData(int(text))
            if index >= 0:
                self.setCurrentIndex(index)
            else:
                QApplication.beep()  # not on this item's scale (1 or 2 on D1–D8)
            return
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.setCurrentIndex(max(self.findData(UNANSWERED), 0))
            return
        super().keyPressEvent(event)


class ScoreGrid(QWidget):
    edited = Signal(str)  # the item code the user answered

    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.catalog = catalog
        self.boxes: dict[str, ScoreBox] = {}
        self.previous_labels: dict[str, QLabel] = {}
        self.previous_headings: list[QLabel] = []
        grid = QGridLayout(self)
        grid.setColumnStretch(2, 1)
        grid.setHorizontalSpacing(12)
        self.keys_hint = QLabel(
            self.tr("Tab で次の項目へ。数字キー（0〜3）で回答、Delete で未回答に戻します。")
        )
        self.keys_hint.setStyleSheet("color: #555;")
        self.keys_hint.setWordWrap(True)
        grid.addWidget(self.keys_hint, 0, 0, 1, 3)
        row = 1
        for category in catalog.categories:
            heading = QLabel(f"{category.id}. {category.name}")
            heading.setStyleSheet("font-weight: bold; padding-top: 8px;")
            grid.addWidget(heading, row, 0, 1, 2)
            previous_heading = QLabel()
            previous_heading.setStyleSheet("color: #555; padding-top: 8px;")
            grid.addWidget(previous_heading, row, 2, alignment=Qt.AlignmentFlag.AlignLeft)
            self.previous_headings.append(previous_heading)
            row += 1
            for item in catalog.items_in(category.id):
                label = QLabel(f"{item.code}　{item.short}")
                label.setToolTip(item.question)
                box = ScoreBox()
                box.addItem(self.tr("未回答"), UNANSWERED)
                for option in item.scale.options:
                    box.addItem(f"{option.value}　{option.label}", option.value)
                box.setAccessibleName(f"{item.code} {item.short}")
                box.setToolTip(item.question)
                box.currentIndexChanged.connect(lambda _i, code=item.code: self.edited.emit(code))
                label.setBuddy(box)
                previous = QLabel()
                previous.setStyleSheet("color: #555;")
                previous.setAccessibleName(self.tr("{code} の前年度の回答").format(code=item.code))
                grid.addWidget(label, row, 0)
                grid.addWidget(box, row, 1)
                grid.addWidget(previous, row, 2, alignment=Qt.AlignmentFlag.AlignLeft)
                self.boxes[item.code] = box
                self.previous_labels[item.code] = previous
                row += 1
        grid.setRowStretch(row, 1)
        self.set_previous(None)

    def scores(self) -> dict[str, int | None]:
        """Every item's answer; None where unanswered (which removes a stored answer)."""
        return {
            code: (None if box.currentData() == UNANSWERED else int(box.currentData()))
            for code, box in self.boxes.items()
        }

    def answered(self) -> dict[str, int]:
        return {code: value for code, value in self.scores().items() if value is not None}

    def set_scores(self, scores: Mapping[str, int] | None) -> None:
        for code, box in self.boxes.items():
            value = (scores or {}).get(code)
            box.blockSignals(True)
            box.setCurrentIndex(max(box.findData(UNANSWERED if value is None else value), 0))
            box.blockSignals(False)

    def set_previous(self, previous: Mapping[str, int] | None) -> None:
        for item in self.catalog.items:
            label = self.previous_labels[item.code]
            label.setText(_previous_value(item, previous))
            label.setToolTip(_previous_text(item, previous))
            label.setAccessibleDescription(label.toolTip())
        heading = self.tr("前年度") if previous is not None else self.tr("前年度なし")
        for label in self.previous_headings:
            label.setText(heading)
