"""分析: municipalities per support level against the KPI, one fiscal year's plan against what
was held (計画と実績, ui/programme_panel.py), and each item's 得点率 by year.

The panel shows what ``AnalysisFacade.tables()`` returned. Given a store worker (``follow``), it
runs that call itself when someone looks at the panel and an assessment changed since its last
read: the figures read every assessment, so they are computed when shown, not at each edit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dxdesk.domain.changes import Changes
from dxdesk.domain.percent import NO_VALUE, format_percent, format_point_change, percent_units
from dxdesk.domain.support_levels import LEVELS
from dxdesk.services.analysis import AnalysisFacade
from dxdesk.ui.choice_box import ChoiceBox
from dxdesk.ui.format import QT_TRANSLATE_NOOP, fiscal_year_text, level_text
from dxdesk.ui.overview_panel import make_table_view
from dxdesk.ui.programme_panel import ProgrammePanel
from dxdesk.ui.runner import StoreRunner

# Re-exported: the survey status table and the tests import the colours and the model from here.
from dxdesk.ui.styled_table import FALL as FALL
from dxdesk.ui.styled_table import FLAT as FLAT
from dxdesk.ui.styled_table import MET as MET
from dxdesk.ui.styled_table import NOT_YET as NOT_YET
from dxdesk.ui.styled_table import RISE as RISE
from dxdesk.ui.styled_table import UNMET as UNMET
from dxdesk.ui.styled_table import CellStyle as CellStyle
from dxdesk.ui.styled_table import StyledTableModel as StyledTableModel
from dxdesk.ui.table_model import Column

# -- the KPI table: one row per fiscal year, one column per level ------------------------------


def _level_key(level: int) -> str:
    return f"level_{level}"


def _level_of(key: str) -> int | None:
    return int(key.removeprefix("level_")) if key.startswith("level_") else None


def kpi_cell_text(record: Mapping[str, Any], level: int) -> str:
    """ "22", "6 / 目標 12 未達", "22 / 目標 18 達成", "未確定 / 目標 12" or "—"."""
    count = record["counts"].get(level)
    target = record["targets"].get(level)
    if target is None:
        return NO_VALUE if count is None else str(count)
    shown = QCoreApplication.translate("AnalysisPanel", "未確定") if count is None else str(count)
    met = record["met"].get(level)
    if met is None:
        return QCoreApplication.translate("AnalysisPanel", "{count} / 目標 {target}").format(
            count=shown, target=target
        )
    if met:
        text = QCoreApplication.translate("AnalysisPanel", "{count} / 目標 {target} 達成")
    else:
        text = QCoreApplication.translate("AnalysisPanel", "{count} / 目標 {target} 未達")
    return text.format(count=shown, target=target)


def _kpi_style(key: str, record: dict[str, Any]) -> CellStyle | None:
    level = _level_of(key)
    if level is None or level not in record["targets"]:
        return None
    met = record["met"].get(level)
    background, foreground = NOT_YET if met is None else (MET if met else UNMET)
    return CellStyle(background, foreground, bold=met is not None)


def _kpi_tooltip(key: str, record: dict[str, Any]) -> str | None:
    level = _level_of(key)
    if level is None:
        return None
    year = fiscal_year_text(record["fiscal_year"])
    count = record["counts"].get(level)
    target = record["targets"].get(level)
    if count is None:
        counted = QCoreApplication.translate(
            "AnalysisPanel", "{year} はまだ支援分類が確定していません"
        ).format(year=year)
    else:
        counted = QCoreApplication.translate(
            "AnalysisPanel", "{year} に {level} と確定した市町村: {count}"
        ).format(year=year, level=level_text(level), count=count)
    if target is None:
        return counted
    if count is None:
        return QCoreApplication.translate("AnalysisPanel", "{counted}（目標 {target}）").format(
            counted=counted, target=target
        )
    gap = target - count
    verdict = (
        QCoreApplication.translate("AnalysisPanel", "目標を達成")
        if gap <= 0
        else QCoreApplication.translate("AnalysisPanel", "目標まであと {gap}").format(gap=gap)
    )
    return QCoreApplication.translate(
        "AnalysisPanel", "{counted}（目標 {target}、{verdict}）"
    ).format(counted=counted, target=target, verdict=verdict)


def _kpi_columns() -> tuple[Column, ...]:
    def level_column(level: int) -> Column:
        return Column(
            _level_key(level),
            level_text(level),
            display=lambda r: kpi_cell_text(r, level),
            sort_value=lambda r: -1 if r["counts"].get(level) is None else r["counts"][level],
        )

    return (
        Column(
            "fiscal_year",
            QT_TRANSLATE_NOOP("Column", "年度"),
            display=lambda r: fiscal_year_text(r["fiscal_year"]),
        ),
        *(level_column(level) for level in LEVELS),
        Column(
            "confirmed",
            QT_TRANSLATE_NOOP("Column", "確定済み"),
            display=lambda r: f"{r['confirmed']} / {r['municipalities']}",
        ),
    )


# -- the item table: one row per assessment item -----------------------------------------------


# The table's words for a ratio and a change are the domain's, as on paper ("—" when absent).
ratio_text = format_percent
change_text = format_point_change


def _item_style(key: str, record: dict[str, Any]) -> CellStyle | None:
    if key != "change" or record["change"] is None:
        return None
    tenths = percent_units(record["change"], 1)  # the colour follows the text shown
    return CellStyle(foreground=RISE if tenths > 0 else FALL if tenths < 0 else FLAT)


def _item_tooltip(key: str, record: dict[str, Any]) -> str | None:
    if key in ("code", "short"):
        return f"{record['code']} {record['question']}"
    return None


ITEM_COLUMNS = (
    Column("code", QT_TRANSLATE_NOOP("Column", "コード"), sort_value=lambda r: r["order"]),
    Column("short", QT_TRANSLATE_NOOP("Column", "項目")),
    Column(
        "ratio",
        QT_TRANSLATE_NOOP("Column", "得点率"),
        display=lambda r: ratio_text(r["ratio"]),
        sort_value=lambda r: -1.0 if r["ratio"] is None else r["ratio"],
        align_right=True,
    ),
    Column(
        "change",
        QT_TRANSLATE_NOOP("Column", "前年度比"),
        display=lambda r: change_text(r["change"]),
        sort_value=lambda r: float("-inf") if r["change"] is None else r["change"],
        align_right=True,
    ),
    Column("answered", QT_TRANSLATE_NOOP("Column", "回答団体"), align_right=True),
    Column("category", QT_TRANSLATE_NOOP("Column", "分類"), sort_value=lambda r: r["order"]),
)


def _fit_height(view: QTableView) -> None:
    """Make a short table exactly as tall as its rows, so the space goes to the long one."""
    rows = view.model().rowCount()
    height = (
        view.horizontalHeader().sizeHint().height()
        + rows * view.verticalHeader().defaultSectionSize()
        + 2 * view.frameWidth()
    )
    view.setFixedHeight(height)


class AnalysisPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("分析"))
        self._years: dict[int, dict[str, Any]] = {}
        self._runner: StoreRunner | None = None
        self._tables: Callable[[], Mapping[str, Any]] | None = None
        self._stale = False

        kpi_columns = _kpi_columns()
        self.kpi_model = StyledTableModel(
            kpi_columns,
            style=_kpi_style,
            tooltip=_kpi_tooltip,
            centred=[c.key for c in kpi_columns if c.key != "fiscal_year"],
            id_key="fiscal_year",
            parent=self,
        )
        self.kpi_view = make_table_view(self.kpi_model, self.tr("支援分類ごとの市町村数"))
        # A matrix: the level columns share the width; no scrolling, a few rows at most.
        header = self.kpi_view.horizontalHeader()
        header.setStretchLastSection(False)
        for column in range(1, len(kpi_columns)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.kpi_view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.kpi_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        _fit_height(self.kpi_view)
        self.kpi_note = QLabel(
            self.tr(
                "確定した支援分類（市町村・年度ごとに最新のアセスメント）の数です。"
                "目標のある年度は 達成（緑）・未達（赤）で示します。"
            )
        )
        self.kpi_note.setWordWrap(True)
        self.kpi_note.setAccessibleName(self.tr("KPI の説明"))
        self.kpi_note.setStyleSheet("color: #5c636a;")
        kpi_box = QGroupBox(self.tr("支援分類ごとの市町村数（KPI）"))
        kpi_box.setAccessibleName(kpi_box.title())
        kpi_layout = QVBoxLayout(kpi_box)
        kpi_layout.addWidget(self.kpi_view)
        kpi_layout.addWidget(self.kpi_note)

        self.year_combo = ChoiceBox()
        self.year_combo.setAccessibleName(self.tr("得点率の年度"))
        self.year_combo.setMinimumContentsLength(10)
        self.year_combo.currentIndexChanged.connect(self._year_chosen)
        year_label = QLabel(self.tr("年度(&Y)"))
        year_label.setBuddy(self.year_combo)
        year_label.setAccessibleName(self.tr("年度"))
        self.item_summary = QLabel()
        self.item_summary.setAccessibleName(self.tr("得点率の集計対象"))
        self.item_model = StyledTableModel(
            ITEM_COLUMNS, style=_item_style, tooltip=_item_tooltip, id_key="code", parent=self
        )
        self.item_view = make_table_view(self.item_model, self.tr("項目別の得点率"))
        chooser = QHBoxLayout()
        chooser.addWidget(year_label)
        chooser.addWidget(self.year_combo)
        chooser.addSpacing(12)
        chooser.addWidget(self.item_summary, 1)
        items_box = QGroupBox(self.tr("項目別の得点率"))
        items_box.setAccessibleName(items_box.title())
        items_layout = QVBoxLayout(items_box)
        items_layout.addLayout(chooser)
        items_layout.addWidget(self.item_view)

        self.programme = ProgrammePanel()

        layout = QVBoxLayout(self)
        layout.addWidget(kpi_box)
        layout.addWidget(self.programme, 1)
        layout.addWidget(items_box, 1)
        self._year_chosen()

    def follow(self, runner: StoreRunner, analysis: AnalysisFacade) -> None:
        """Read ``analysis.tables`` on ``runner`` when shown, and again once assessments
        changed; the 計画と実績 section reads ``analysis`` itself."""
        self._runner, self._tables, self._stale = runner, analysis.tables, True
        runner.changed.connect(self._store_changed)
        self.programme.follow(runner, analysis)
        self._read_if_shown()

    def _store_changed(self, changes: Changes) -> None:
        if changes.touches("assessment"):
            self._stale = True
            self._read_if_shown()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._read_if_shown()

    def _read_if_shown(self) -> None:
        if self._stale and self.isVisible() and self._runner and self._tables:
            self._stale = False
            self._runner.run(self._tables, on_done=self.show_analysis)

    def show_analysis(self, data: Mapping[str, Any]) -> None:
        """Show ``AnalysisFacade.tables()``: ``{"kpi": ..., "item_ratios": ...}``."""
        kpi = data["kpi"]
        self.kpi_model.set_records(
            [{**row, "municipalities": kpi["municipalities"]} for row in kpi["rows"]]
        )
        _fit_height(self.kpi_view)

        previous = self.year_combo.currentData()
        self._years = dict(data["item_ratios"])
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        for fiscal_year in sorted(self._years, reverse=True):
            self.year_combo.addItem(fiscal_year_text(fiscal_year), fiscal_year)
        keep = self.year_combo.findData(previous) if previous is not None else -1
        self.year_combo.setCurrentIndex(keep if keep >= 0 else 0)  # else the latest
        self.year_combo.blockSignals(False)
        self._year_chosen()

    def _year_chosen(self, _index: int = -1) -> None:
        fiscal_year = self.year_combo.currentData()
        year = self._years.get(fiscal_year) if fiscal_year is not None else None
        self.year_combo.setEnabled(bool(self._years))
        if year is None:
            self.item_model.set_records([])
            self.item_summary.setText(self.tr("アセスメントがまだありません"))
            return
        self.item_model.set_records(year["rows"])
        previous = year["previous_year"]
        compared = (
            self.tr("前年度比は {year} との差").format(year=fiscal_year_text(previous))
            if previous is not None
            else self.tr("前年度のアセスメントがないため前年度比はありません")
        )
        self.item_summary.setText(
            self.tr("{count} 団体の最新のアセスメントから（{compared}）").format(
                count=year["assessed"], compared=compared
            )
        )
