"""分析 「計画と実績」: one fiscal year's plan against what was held, in five tables (group
sessions, 地域別 per region, テーマ別 per theme, national schemes, 定例 per municipality).

The figures are ``AnalysisFacade.programme_year`` (services/programme_counts.py), read on the
store worker when the section is shown and again after a consultation, session, cadence or plan
changed (or a sync, a login or a restore: the role and the records may differ). A coordinator
gets 「年度計画を編集…」; an advisor sees the plan, read-only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from dxdesk.domain.changes import Changes, Source
from dxdesk.domain.fiscal_year import fiscal_year_bounds, fiscal_year_of
from dxdesk.services.analysis import AnalysisFacade
from dxdesk.services.programme_counts import (
    ProgrammeYear,
    attendance_text,
    scheme_totals_text,
    versus_text,
)
from dxdesk.ui.choice_box import ChoiceBox
from dxdesk.ui.format import QT_TRANSLATE_NOOP, cadence_text, fiscal_year_text, vocabulary_text
from dxdesk.ui.overview_panel import make_table_view
from dxdesk.ui.programme_plan_dialog import ask_programme_plan
from dxdesk.ui.runner import StoreRunner
from dxdesk.ui.styled_table import MET, NOT_YET, UNMET, CellStyle, StyledTableModel
from dxdesk.ui.table_model import Column

PROGRAMME_KINDS = ("visit", "event", "cadence", "programme_plan")
# After these the role (who may edit the plan) and the records on this laptop may differ.
RESCOPING = frozenset({Source.LOGIN, Source.SYNC, Source.RESTORE})
NONE = "—"
VERSUS = QT_TRANSLATE_NOOP("Column", "実施 / 計画")


@dataclass(frozen=True)
class ProgrammeRead:
    """One read on the worker: the years to offer, the year shown, and the folder's role."""

    years: list[int]
    year: ProgrammeYear
    may_edit: bool


def _counts(target_key: str, header: str) -> tuple[Column, ...]:
    """実施 / 計画, 予定, 中止: planned and cancelled beside held, never counted in it."""
    return (
        Column(
            "versus",
            header,
            display=lambda r: versus_text(r["held"], r[target_key]),
            sort_value=lambda r: r["held"],
            align_right=True,
        ),
        Column("planned", QT_TRANSLATE_NOOP("Column", "予定"), align_right=True),
        Column("cancelled", QT_TRANSLATE_NOOP("Column", "中止"), align_right=True),
    )


EVENT_COLUMNS = (
    Column(
        "label",
        QT_TRANSLATE_NOOP("Column", "種別"),
        display=lambda r: vocabulary_text(r["label"]),
        sort_value=lambda r: r["order"],
    ),
    *_counts("target", VERSUS),
    Column("municipalities", QT_TRANSLATE_NOOP("Column", "参加団体"), align_right=True),
    Column("people", QT_TRANSLATE_NOOP("Column", "参加人数"), align_right=True),
)
REGION_COLUMNS = (
    Column("key", QT_TRANSLATE_NOOP("Column", "振興局"), sort_value=lambda r: r["order"]),
    *_counts("target", VERSUS),
)
THEME_COLUMNS = (
    Column("key", QT_TRANSLATE_NOOP("Column", "テーマ"), sort_value=lambda r: r["order"]),
    *_counts("target", VERSUS),
)
SCHEME_COLUMNS = (
    Column("name", QT_TRANSLATE_NOOP("Column", "制度"), sort_value=lambda r: r["order"]),
    Column("municipalities", QT_TRANSLATE_NOOP("Column", "団体"), align_right=True),
    Column(
        "versus",
        QT_TRANSLATE_NOOP("Column", "件 / 計画"),
        display=lambda r: versus_text(r["uses"], r["target"]),
        sort_value=lambda r: r["uses"],
        align_right=True,
    ),
)
REGULAR_COLUMNS = (
    Column("name", QT_TRANSLATE_NOOP("Column", "市町村"), sort_value=lambda r: r["code"]),
    Column("region", QT_TRANSLATE_NOOP("Column", "振興局")),
    Column(
        "months",
        QT_TRANSLATE_NOOP("Column", "間隔"),
        display=lambda r: NONE if r["months"] is None else cadence_text(r["months"]),
        sort_value=lambda r: r["months"] or 0,
    ),
    *_counts("expected", QT_TRANSLATE_NOOP("Column", "実施 / 目安")),
)


def _versus_style(key: str, record: dict[str, Any]) -> CellStyle | None:
    """Reached: green; short of it in a year that is over: red; short so far: grey."""
    if key != "versus":
        return None
    target = record.get("target", record.get("expected"))
    if target is None:
        return None
    held = record.get("uses", record.get("held", 0))
    background, foreground = MET if held >= target else UNMET if record["year_over"] else NOT_YET
    return CellStyle(background, foreground, bold=held >= target)


def _rows(items: list[dict[str, Any]], year_over: bool) -> list[dict[str, Any]]:
    return [{**item, "order": i, "year_over": year_over} for i, item in enumerate(items)]


class ProgrammePanel(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("計画と実績"), parent)
        self.setAccessibleName(self.title())
        self._runner: StoreRunner | None = None
        self._analysis: AnalysisFacade | None = None
        self._stale = False
        self._year_wanted: int | None = None
        self._shown: ProgrammeYear | None = None

        self.year_combo = ChoiceBox()
        self.year_combo.setAccessibleName(self.tr("計画と実績の年度"))
        self.year_combo.setMinimumContentsLength(10)
        self.year_combo.currentIndexChanged.connect(self._year_chosen)
        year_label = QLabel(self.tr("年度(&F)"))
        year_label.setBuddy(self.year_combo)
        year_label.setAccessibleName(self.tr("計画と実績の年度"))
        self.edit_button = QPushButton(self.tr("年度計画を編集…"))
        self.edit_button.setAccessibleName(self.tr("年度計画を編集"))
        self.edit_button.setToolTip(
            self.tr("地域別・テーマ別などの回数と国の制度の利用件数の計画を設定します")
        )
        self.edit_button.clicked.connect(self.ask_edit_plan)
        self.edit_button.hide()  # until a read says this folder may edit
        self.plan_label = QLabel()
        self.plan_label.setAccessibleName(self.tr("年度計画"))
        self.plan_label.setWordWrap(True)
        self.plan_label.setStyleSheet("color: #5c636a;")
        self.schemes_label = QLabel()
        self.schemes_label.setAccessibleName(self.tr("国の制度の利用"))
        self.attendance_label = QLabel()
        self.attendance_label.setAccessibleName(self.tr("合同の場の参加"))

        self.event_model = StyledTableModel(
            EVENT_COLUMNS, style=_versus_style, id_key="type", parent=self
        )
        self.region_model = StyledTableModel(
            REGION_COLUMNS, style=_versus_style, id_key="key", parent=self
        )
        self.theme_model = StyledTableModel(
            THEME_COLUMNS, style=_versus_style, id_key="key", parent=self
        )
        self.scheme_model = StyledTableModel(
            SCHEME_COLUMNS, style=_versus_style, id_key="name", parent=self
        )
        self.regular_model = StyledTableModel(
            REGULAR_COLUMNS, style=_versus_style, id_key="code", parent=self
        )
        self.tables = QTabWidget()
        self.tables.setAccessibleName(self.tr("計画と実績の表"))
        for model, name in (
            (self.event_model, self.tr("合同の場")),
            (self.region_model, self.tr("地域別（振興局ごと）")),
            (self.theme_model, self.tr("テーマ別（テーマごと）")),
            (self.scheme_model, self.tr("国の制度")),
            (self.regular_model, self.tr("定例（市町村ごと）")),
        ):
            view = make_table_view(model, name)
            # The names take the room left, not the last count (参加人数 ran half the width).
            header = view.horizontalHeader()
            header.setStretchLastSection(False)
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            self.tables.addTab(view, name)

        top = QHBoxLayout()
        top.addWidget(year_label)
        top.addWidget(self.year_combo)
        top.addSpacing(12)
        top.addWidget(self.schemes_label)
        top.addSpacing(12)
        top.addWidget(self.attendance_label, 1)
        top.addWidget(self.edit_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.plan_label)
        layout.addWidget(self.tables, 1)
        self.year_combo.setEnabled(False)

    # -- reading -----------------------------------------------------------------------------

    def follow(self, runner: StoreRunner, analysis: AnalysisFacade) -> None:
        """Read on ``runner`` when shown, and again once what the section counts changed."""
        self._runner, self._analysis, self._stale = runner, analysis, True
        runner.changed.connect(self._store_changed)
        self._read_if_shown()

    def _store_changed(self, changes: Changes) -> None:
        if changes.touches(*PROGRAMME_KINDS) or changes.source in RESCOPING:
            self._stale = True
            self._read_if_shown()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._read_if_shown()

    def _read_if_shown(self) -> None:
        if self._stale and self.isVisible():
            self.reload()

    def reload(self) -> None:
        """Read the chosen year; before one is chosen, this fiscal year if it has records or a
        plan, else the latest year that has (as the 合同の場 tab opens)."""
        runner, analysis = self._runner, self._analysis
        if runner is None or analysis is None:
            return
        self._stale = False
        chosen = self._year_wanted or self.year_combo.currentData()
        self._year_wanted = None
        current = fiscal_year_of(date.today())

        def read() -> ProgrammeRead:
            with_data = set(analysis.programme_years())
            if isinstance(chosen, int):
                fiscal_year = chosen
            elif current in with_data or not with_data:
                fiscal_year = current
            else:
                fiscal_year = max(with_data)
            years = sorted({current, fiscal_year, *with_data}, reverse=True)
            return ProgrammeRead(
                years, analysis.programme_year(fiscal_year), analysis.may_edit_plan()
            )

        runner.run(read, on_done=self.show_programme)

    def show_year(self, fiscal_year: int) -> None:
        self._year_wanted = fiscal_year
        self.reload()

    def _year_chosen(self, _index: int = -1) -> None:
        self.reload()

    # -- showing -----------------------------------------------------------------------------

    def show_programme(self, read: ProgrammeRead) -> None:
        year = read.year
        self._shown = year
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        for fiscal_year in read.years:
            self.year_combo.addItem(fiscal_year_text(fiscal_year), fiscal_year)
        self.year_combo.setCurrentIndex(self.year_combo.findData(year.fiscal_year))
        self.year_combo.setEnabled(True)
        self.year_combo.blockSignals(False)
        self.edit_button.setVisible(read.may_edit)

        over = fiscal_year_bounds(year.fiscal_year)[1] < date.today()
        data = year.as_json()
        self.event_model.set_records(_rows(data["events"], over))
        self.region_model.set_records(_rows(data["regional"], over))
        self.theme_model.set_records(_rows(data["themes"], over))
        self.scheme_model.set_records(_rows(data["schemes"], over))
        self.regular_model.set_records(_rows(data["regular"], over))
        self.schemes_label.setText(scheme_totals_text(year.scheme_totals))
        self.attendance_label.setText(attendance_text(year.attendance))
        self.plan_label.setText(self._plan_text(year, read.may_edit))

    def _plan_text(self, year: ProgrammeYear, may_edit: bool) -> str:
        shown = fiscal_year_text(year.fiscal_year)
        if year.plan_id is None:
            if may_edit:
                return self.tr(
                    "{year} の年度計画はまだありません。「年度計画を編集…」で回数を設定すると"
                    "実施と並べて示します。"
                ).format(year=shown)
            return self.tr(
                "{year} の年度計画はまだありません（計画は事務局が設定し、同期で届きます）。"
            ).format(year=shown)
        text = self.tr(
            "「実施 / 計画」は実施した回数と {year} の年度計画の回数です（予定・中止は"
            "実施に数えません）。地域別は振興局ごと、テーマ別はテーマごとの計画です。"
        ).format(year=shown)
        if year.plan_notes:
            text += self.tr(" 計画のメモ: {notes}").format(notes=year.plan_notes)
        if not may_edit:
            text += self.tr("（計画は事務局が設定します）")
        return text

    # -- the plan ----------------------------------------------------------------------------

    def ask_edit_plan(self) -> None:
        if self._runner is None or self._analysis is None or self._shown is None:
            return
        ask_programme_plan(self, self._runner, self._analysis, self._shown)
