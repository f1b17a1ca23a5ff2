"""ノウフー (know-who): who, in which municipality, knows about which theme, and where it says so.

The list is loaded whole on the store worker (``reload``); the filters narrow what was loaded,
so choosing a theme or typing a name touches no store and answers at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from dxdesk.domain.changes import Changes
from dxdesk.services.know_who import KnownPerson, Source, know_who
from dxdesk.services.workspace import Workspace
from dxdesk.ui.choice_box import ChoiceBox
from dxdesk.ui.format import QT_TRANSLATE_NOOP, untitled_text
from dxdesk.ui.overview_panel import make_table_view
from dxdesk.ui.runner import StoreRunner
from dxdesk.ui.search_dialog import kind_text
from dxdesk.ui.table_model import RECORD_ROLE, Column, RecordTableModel

LIST_SEPARATOR = "、"
# What know_who() reads people from: articles, visits, their interviews, contacts.
KNOW_WHO_KINDS = ("article", "visit", "interview", "contact")


def source_text(source: Source) -> str:
    """ナレッジ: 題名, ヒアリング: 2025-05-01 RPA導入, 連絡先."""
    kind = kind_text(source.kind)
    if source.kind == "article":  # an article still being written has no title yet
        return f"{kind}: {untitled_text(source.label)}"
    return kind if source.label in ("", "連絡先") else f"{kind}: {source.label}"


def person_record(person: KnownPerson) -> dict[str, Any]:
    return {
        "id": f"{person.municipality or ''}/{person.name}",
        "name": person.name,
        "municipality": person.municipality_name or (person.municipality or ""),
        "affiliation": " / ".join(p for p in (person.organisation, person.role) if p),
        "themes": LIST_SEPARATOR.join(person.themes),
        "contact": person.contact,
        "sources": LIST_SEPARATOR.join(source_text(s) for s in person.sources),
        "person": person,
    }


KNOW_WHO_COLUMNS = (
    Column("name", QT_TRANSLATE_NOOP("Column", "氏名")),
    Column("municipality", QT_TRANSLATE_NOOP("Column", "市町村")),
    Column("affiliation", QT_TRANSLATE_NOOP("Column", "所属・役割")),
    Column("themes", QT_TRANSLATE_NOOP("Column", "テーマ")),
    Column("contact", QT_TRANSLATE_NOOP("Column", "連絡先")),
    Column("sources", QT_TRANSLATE_NOOP("Column", "出典")),
)


class KnowWhoPanel(QWidget):
    open_requested = Signal(str, str)  # kind, record id of the row's first source

    def __init__(
        self, workspace: Workspace, runner: StoreRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._runner = runner
        self._people: list[KnownPerson] = []
        self._ticket = 0
        self._stale = True  # read when first shown
        runner.changed.connect(self._store_changed)
        self.model = RecordTableModel(KNOW_WHO_COLUMNS, parent=self)
        self.view = make_table_view(self.model, self.tr("詳しい人の一覧"))
        self.theme_box = ChoiceBox()
        self.theme_box.setAccessibleName(self.tr("テーマで絞り込み"))
        self.theme_box.addItem(self.tr("すべて"), None)
        self.municipality_box = ChoiceBox()
        self.municipality_box.setAccessibleName(self.tr("市町村で絞り込み"))
        self.municipality_box.addItem(self.tr("すべて"), None)
        self.filter_edit = QLineEdit(placeholderText=self.tr("絞り込み（氏名・所属・出典など）"))
        self.filter_edit.setAccessibleName(self.tr("詳しい人の絞り込み"))
        self.filter_edit.setClearButtonEnabled(True)
        self.summary = QLabel()

        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("テーマ")))
        filters.addWidget(self.theme_box)
        filters.addWidget(QLabel(self.tr("市町村")))
        filters.addWidget(self.municipality_box)
        filters.addWidget(self.filter_edit, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.summary)
        layout.addWidget(self.view)

        self.theme_box.currentIndexChanged.connect(self._apply_filters)
        self.municipality_box.currentIndexChanged.connect(self._apply_filters)
        self.filter_edit.textChanged.connect(
            self.view.model().setFilterFixedString  # type: ignore[attr-defined]
        )
        self.filter_edit.textChanged.connect(self._show_summary)
        self.view.activated.connect(self._open)  # Enter, double-click

    def set_municipalities(self, municipalities: Sequence[tuple[str, str]]) -> None:
        _refill(self.municipality_box, [(name, code) for code, name in municipalities])

    def _store_changed(self, changes: Changes) -> None:
        """Any write of what names people (an interview typed in this window included): read
        again now if shown, else when next shown."""
        if changes.touches(*KNOW_WHO_KINDS):
            self._stale = True
            if self.isVisible():
                self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()

    def reload(self) -> None:
        """Load everyone known to know something, on the worker."""
        self._stale = False
        self._ticket += 1
        ticket = self._ticket
        store = self._ws.store
        self._runner.run(
            lambda: know_who(store),
            on_done=lambda people: self._loaded(ticket, people),
            on_error=lambda error: self._failed(ticket, error),
        )

    def _loaded(self, ticket: int, people: list[KnownPerson]) -> None:
        if ticket != self._ticket:
            return
        self._people = people
        themes = sorted({t for p in people for t in p.themes})
        _refill(self.theme_box, [(t, t) for t in themes])
        self._apply_filters()

    def _failed(self, ticket: int, error: BaseException) -> None:
        if ticket == self._ticket:
            self.summary.setText(self.tr("読み込めませんでした: {error}").format(error=error))

    def _apply_filters(self) -> None:
        theme = self.theme_box.currentData()
        code = self.municipality_box.currentData()
        shown = [
            p
            for p in self._people
            if (theme is None or theme in p.themes) and (code is None or p.municipality == code)
        ]
        self.model.set_records([person_record(p) for p in shown])
        self._show_summary()

    def _show_summary(self) -> None:
        self.summary.setText(self.tr("{count} 人").format(count=self.view.model().rowCount()))

    def _open(self, index: QModelIndex) -> None:
        record = index.data(RECORD_ROLE)
        if record and record["person"].sources:
            first = record["person"].sources[0]
            self.open_requested.emit(first.kind, first.id)


def _refill(box: QComboBox, choices: Sequence[tuple[str, str]]) -> None:
    """Replace the choices after すべて, keeping the chosen one when it is still there."""
    chosen = box.currentData()
    box.blockSignals(True)
    while box.count() > 1:
        box.removeItem(1)
    for text, data in choices:
        box.addItem(text, data)
    box.setCurrentIndex(max(0, box.findData(chosen)))
    box.blockSignals(False)
    if box.currentData() != chosen:
        box.currentIndexChanged.emit(box.currentIndex())
