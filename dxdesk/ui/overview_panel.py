"""概要: the municipality's profile, its staff contacts (know-who) and levels by fiscal year.

The window fills the panel when a municipality is chosen or a sync, an import, an undo or a
restore wrote it (its load fills every tab); the panel itself hears the window's own edits
of what it shows (a level confirmed in the アセスメント tab) and reads its lists again.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dxdesk.domain.changes import Changes, Source
from dxdesk.domain.percent import format_percent
from dxdesk.domain.scoring import exact_ratio
from dxdesk.services.workspace import Workspace
from dxdesk.ui.format import QT_TRANSLATE_NOOP, fiscal_year_text, level_text
from dxdesk.ui.runner import StoreRunner
from dxdesk.ui.table_model import Column, RecordTableModel, sorting_proxy

# Column widths follow the first rows only: measuring every row of a long list costs seconds.
RESIZE_SAMPLE_ROWS = 60

CONTACT_COLUMNS = (
    Column("name", QT_TRANSLATE_NOOP("Column", "氏名")),
    Column("department", QT_TRANSLATE_NOOP("Column", "所属")),
    Column("title", QT_TRANSLATE_NOOP("Column", "役職")),
    Column("phone", QT_TRANSLATE_NOOP("Column", "電話")),
    Column("email", QT_TRANSLATE_NOOP("Column", "メール")),
)
LEVEL_COLUMNS = (
    Column(
        "fiscal_year",
        QT_TRANSLATE_NOOP("Column", "年度"),
        display=lambda r: fiscal_year_text(r["fiscal_year"]),
    ),
    Column(
        "level", QT_TRANSLATE_NOOP("Column", "支援分類"), display=lambda r: level_text(r["level"])
    ),
    Column(
        "suggested_level",
        QT_TRANSLATE_NOOP("Column", "提案"),
        display=lambda r: level_text(r["suggested_level"]),
    ),
    Column(
        "ratio",
        QT_TRANSLATE_NOOP("Column", "得点率"),
        display=lambda r: format_percent(exact_ratio(r["total"], r["maximum"])),
        align_right=True,
    ),
    Column("assessed_on", QT_TRANSLATE_NOOP("Column", "実施日")),
)
# What LEVEL_COLUMNS show of an assessment (提案 and 得点率 come from its answers, read by its
# catalog version), and which of a municipality's assessments they are.
LEVEL_FIELDS = frozenset(
    {"fiscal_year", "level", "scores", "catalog_version", "assessed_on", "municipality", "deleted"}
)


def make_table_view(
    model: RecordTableModel, name: str, *, sort_column: int = 0, descending: bool = False
) -> QTableView:
    """A read-only, sortable table over ``model`` as every list of the app shows it."""
    view = QTableView()
    view.setModel(sorting_proxy(model, view))
    view.setSortingEnabled(True)
    view.setAccessibleName(name)
    view.verticalHeader().hide()
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    view.setWordWrap(False)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setResizeContentsPrecision(RESIZE_SAMPLE_ROWS)
    view.horizontalHeader().setStretchLastSection(True)
    order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
    view.sortByColumn(sort_column, order)
    return view


class OverviewPanel(QWidget):
    def __init__(
        self, workspace: Workspace, runner: StoreRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._runner = runner
        self._code: str | None = None
        runner.changed.connect(self._store_changed)
        self._labels = {key: QLabel() for key in ("name", "kana", "kind", "region", "population")}
        profile = QGroupBox(self.tr("プロフィール"))
        form = QFormLayout(profile)
        for key, title in (
            ("name", self.tr("名称")),
            ("kana", self.tr("よみ")),
            ("kind", self.tr("区分")),
            ("region", self.tr("振興局")),
            ("population", self.tr("人口（2020年）")),
        ):
            form.addRow(title, self._labels[key])
        self.contacts = RecordTableModel(CONTACT_COLUMNS, parent=self)
        self.levels = RecordTableModel(LEVEL_COLUMNS, parent=self)
        contacts_box = QGroupBox(self.tr("連絡先（ノウフー）"))
        QVBoxLayout(contacts_box).addWidget(make_table_view(self.contacts, self.tr("連絡先")))
        levels_box = QGroupBox(self.tr("年度別の支援分類"))
        QVBoxLayout(levels_box).addWidget(
            make_table_view(self.levels, self.tr("年度別の支援分類"), descending=True)
        )
        layout = QVBoxLayout(self)
        layout.addWidget(profile)
        layout.addWidget(contacts_box, 1)
        layout.addWidget(levels_box, 1)

    def show_municipality(
        self,
        municipality: dict[str, Any],
        contacts: list[dict[str, Any]],
        assessments: list[dict[str, Any]],
    ) -> None:
        self._code = municipality["code"]
        gun = municipality.get("gun") or ""
        self._labels["name"].setText(f"{gun}{municipality['name']}（{municipality['code']}）")
        self._labels["kana"].setText(municipality["kana"])
        self._labels["kind"].setText(municipality["kind"])
        self._labels["region"].setText(municipality["region"])
        population = municipality.get("population")
        self._labels["population"].setText(
            self.tr("不明")
            if population is None
            else self.tr("{population} 人").format(population=f"{population:,}")
        )
        self.contacts.set_records(contacts)
        self.levels.set_records(assessments)

    def _store_changed(self, changes: Changes) -> None:
        """The window's own edit of a contact or of what the levels show, in this municipality.
        (Other sources fill every tab through the window's load of the municipality.)"""
        code = self._code
        if changes.source is not Source.EDIT or code is None or not changes.concerns(code):
            return
        if changes.touches("contact") or changes.wrote("assessment", LEVEL_FIELDS):
            self._runner.run(
                lambda: (
                    self._ws.contacts.list_records(municipality=code),
                    self._ws.assessments.list_records(municipality=code),
                ),
                on_done=lambda lists: self._show_lists(code, *lists),
            )

    def _show_lists(
        self, code: str, contacts: list[dict[str, Any]], assessments: list[dict[str, Any]]
    ) -> None:
        if code == self._code:  # (not if another municipality was chosen meanwhile)
            self.contacts.set_records(contacts)
            self.levels.set_records(assessments)
