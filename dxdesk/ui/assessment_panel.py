"""アセスメント: one municipality's assessments, the items on their scales, the live suggestion
of a support level with its reasons, and the level the advisor confirms."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from dxdesk.domain.catalog import Catalog, load_catalog
from dxdesk.domain.changes import Changes
from dxdesk.domain.fiscal_year import fiscal_year_of
from dxdesk.domain.level_rule import load_level_rule, suggest_level
from dxdesk.domain.percent import format_percent
from dxdesk.domain.scoring import exact_ratio, summarize
from dxdesk.domain.support_levels import LEVELS
from dxdesk.domain.vocabulary import ASSESSMENT_METHODS
from dxdesk.services.records import RecordKey
from dxdesk.services.workspace import Workspace
from dxdesk.ui.autosave import (
    AutosaveForm,
    Binding,
    choice_binding,
    date_binding,
    long_text_binding,
    new_date_edit,
    text_binding,
)
from dxdesk.ui.choice_box import ChoiceBox
from dxdesk.ui.format import fiscal_year_text, level_text, vocabulary_text
from dxdesk.ui.runner import StoreRunner
from dxdesk.ui.score_grid import ScoreGrid
from dxdesk.ui.stale_record import StaleRecord
from dxdesk.ui.survey_report_actions import (
    SurveyReportActions,
    SurveyReportState,
    read_survey_report_state,
)

Record = dict[str, Any]
UNCONFIRMED = 0
YEARS_OFFERED = 5


def _describe(record: Record) -> str:
    method = vocabulary_text(ASSESSMENT_METHODS.get(record["method"], record["method"]))
    when = record["assessed_on"] or QCoreApplication.translate("AssessmentPanel", "日付なし")
    return f"{fiscal_year_text(record['fiscal_year'])}　{method}　{when}"


def _level_binding(box: QComboBox) -> Binding:
    box.addItem(QCoreApplication.translate("AssessmentPanel", "未確定"), UNCONFIRMED)
    for level in LEVELS:
        box.addItem(level_text(level), level)

    def read() -> int | None:
        value = int(box.currentData())
        return None if value == UNCONFIRMED else value

    return Binding(
        box,
        read,
        lambda v: box.setCurrentIndex(max(box.findData(v or UNCONFIRMED), 0)),
        box.currentIndexChanged,
    )


class GridStack(QStackedWidget):
    """One score grid per catalog version; ``edited`` when the user answers an item."""

    edited = Signal()


class AssessmentPanel(QWidget):
    deleted = Signal(object, str, list)  # facade, what was deleted (for undo), record keys

    def __init__(
        self, workspace: Workspace, runner: StoreRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._runner = runner
        self._municipality: str | None = None
        self._records: list[Record] = []
        runner.changed.connect(self._store_changed)

        # Which assessment, and making a new one.
        self.chooser = ChoiceBox()
        self.chooser.setAccessibleName(self.tr("表示するアセスメント"))
        self.year_box = ChoiceBox()
        self.year_box.setAccessibleName(self.tr("新しいアセスメントの年度"))
        this_year = fiscal_year_of(date.today())
        for fiscal_year in range(this_year, this_year - YEARS_OFFERED, -1):
            self.year_box.addItem(fiscal_year_text(fiscal_year), fiscal_year)
        self.new_button = QPushButton(self.tr("この年度で新規作成"))
        self.new_button.setAccessibleName(self.tr("アセスメントを新規作成"))
        self.delete_button = QPushButton(self.tr("削除"))
        self.delete_button.setAccessibleName(self.tr("アセスメントを削除"))
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("アセスメント")))
        top.addWidget(self.chooser, 1)
        top.addSpacing(16)
        top.addWidget(self.year_box)
        top.addWidget(self.new_button)
        top.addWidget(self.delete_button)
        # The survey's reports, beside the assessment the survey's scored items make.
        self.survey_reports = SurveyReportActions(self, workspace, runner)
        self.survey_button = QPushButton(self.tr("調査の比較レポート…"))
        self.survey_button.setAccessibleName(self.tr("この市町村の調査の比較レポート"))
        self._survey_tip = self.tr(
            "全設問の回答を県全体・振興局管内の回答と並べた PDF を表示します"
        )
        self.survey_button.setToolTip(self._survey_tip)
        self.survey_all_button = QPushButton(self.tr("調査の全体集計…"))
        self.survey_all_button.setAccessibleName(self.tr("全市町村の調査レポートと全体集計"))
        self._survey_all_tip = self.tr(
            "回答した全市町村の比較レポートと全体集計（PDF・Excel）をフォルダへ書き出します"
        )
        self.survey_all_button.setToolTip(self._survey_all_tip)
        # Both stay off until the worker has read whether this folder sees every answer.
        self.survey_button.setEnabled(False)
        self.survey_all_button.setEnabled(False)
        survey_row = QHBoxLayout()
        survey_row.addStretch(1)
        survey_row.addWidget(self.survey_button)
        survey_row.addWidget(self.survey_all_button)

        # The record's fields; scores and the confirmation are placed by hand below.
        self.method_box = ChoiceBox()
        self.assessed_on_edit = new_date_edit()
        self.assessor_edit = QLineEdit(placeholderText=self.tr("実施者"))
        self.grids = GridStack()
        self._grid_for: dict[str, ScoreGrid] = {}
        self.level_box = ChoiceBox()
        self.reason_edit = QPlainTextEdit(
            placeholderText=self.tr("判断理由（提案と違う分類にするときは必ず）")
        )
        self.reason_edit.setMaximumHeight(110)
        self.reason_edit.setTabChangesFocus(True)  # a reason needs no tab characters
        self.form = AutosaveForm(
            workspace.assessments,
            runner,
            {
                "method": (self.tr("方法"), choice_binding(self.method_box, ASSESSMENT_METHODS)),
                "assessed_on": (self.tr("実施日"), date_binding(self.assessed_on_edit)),
                "assessor": (self.tr("実施者"), text_binding(self.assessor_edit)),
                "scores": (self.tr("回答"), self._scores_binding()),
                "level": (self.tr("確定した支援分類"), _level_binding(self.level_box)),
                "level_reason": (self.tr("判断理由"), long_text_binding(self.reason_edit)),
            },
            self,
            laid_out={"method", "assessed_on", "assessor"},
        )
        self.form.saved.connect(self._saved)
        # The store may hold newer values than the open assessment shows.
        self._stale = StaleRecord(self.form, flush=self.form.flush, kinds=("assessment",))

        self.items_area = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        # Not a Tab stop of its own: Tab goes from 実施者 to the first item (and scrolls the page
        # along); the keys an item leaves (PageUp, PageDown) still reach it and scroll.
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidget(self.grids)
        scroll.setAccessibleName(self.tr("評価項目"))
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.form)
        left_layout.addWidget(scroll, 1)

        # The live reading of the answers.
        self.total_label = QLabel()
        self.total_label.setAccessibleName(self.tr("合計と得点率"))
        self.total_label.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.categories_label = QLabel()
        self.categories_label.setAccessibleName(self.tr("分類別の得点率"))
        self.suggested_label = QLabel()
        self.suggested_label.setAccessibleName(self.tr("提案される支援分類"))
        self.suggested_label.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.reasons_label = QLabel()
        self.reasons_label.setAccessibleName(self.tr("提案の理由"))
        self.reasons_label.setWordWrap(True)
        summary_box = QGroupBox(self.tr("集計と提案"))
        summary_form = QFormLayout(summary_box)
        summary_form.addRow(self.tr("合計"), self.total_label)
        summary_form.addRow(self.tr("分類別"), self.categories_label)
        summary_form.addRow(self.tr("提案"), self.suggested_label)
        summary_form.addRow(self.tr("理由"), self.reasons_label)
        self.mismatch_label = QLabel()
        self.mismatch_label.setWordWrap(True)
        self.mismatch_label.setStyleSheet("color: #a61b1b;")
        confirm_box = QGroupBox(self.tr("支援分類の確定"))
        confirm_form = QFormLayout(confirm_box)
        confirm_form.addRow(self.tr("確定"), self.level_box)
        confirm_form.addRow(self.tr("判断理由"), self.reason_edit)
        confirm_form.addRow("", self.mismatch_label)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(summary_box)
        right_layout.addWidget(confirm_box)
        right_layout.addStretch(1)
        right.setMaximumWidth(390)

        self.body = QSplitter()
        self.body.addWidget(left)
        self.body.addWidget(right)
        # The items take the room (the reading beside them keeps its natural width), so that
        # answer and 前年度 show whole at the window's default size.
        self.body.setStretchFactor(0, 1)
        self.body.setStretchFactor(1, 0)
        self.empty_label = QLabel()
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(survey_row)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.body, 1)

        self.chooser.currentIndexChanged.connect(self._chosen)
        self.new_button.clicked.connect(self.new_assessment)
        self.delete_button.clicked.connect(self.delete_current)
        self.survey_button.clicked.connect(self._ask_survey_report)
        self.survey_all_button.clicked.connect(lambda: self.survey_reports.ask_all())
        self.level_box.currentIndexChanged.connect(lambda _i: self._update_reading())
        self.reason_edit.textChanged.connect(self._update_reading)
        self._show_empty()
        self._read_survey_state(None)

    # -- the scores binding: one grid per catalog version ---------------------------------

    def _show_grid(self, catalog: Catalog) -> None:
        """The score grid of ``catalog`` on screen (made the first time)."""
        if catalog.version not in self._grid_for:
            grid = ScoreGrid(catalog)
            grid.edited.connect(lambda _code: self._update_reading())
            grid.edited.connect(lambda _code: self.grids.edited.emit())
            self._grid_for[catalog.version] = grid
            self.grids.addWidget(grid)
        grid = self._grid_for[catalog.version]
        self.grids.setCurrentWidget(grid)
        # Tab: 実施者, the items in the catalog's order, 確定, 判断理由. Chained each time a grid
        # is shown: a grid made later would come last in the window's chain, and one chained
        # when made would take 実施者's next place from a grid made before it (another catalog
        # version), so that Tab skipped that grid's items once it was shown again.
        chain = [self.assessor_edit, *grid.boxes.values(), self.level_box, self.reason_edit]
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)

    @property
    def grid(self) -> ScoreGrid:
        grid = self.grids.currentWidget()
        assert isinstance(grid, ScoreGrid)
        return grid

    def _scores_binding(self) -> Binding:
        # Bound to the stack, so it reaches whichever grid the record's catalog version shows.
        return Binding(
            self.grids,
            lambda: self.grid.scores(),
            self._write_scores,
            self.grids.edited,
        )

    def _write_scores(self, scores: dict[str, int] | None) -> None:
        grid = self.grids.currentWidget()
        if isinstance(grid, ScoreGrid):
            grid.set_scores(scores)

    # -- showing -------------------------------------------------------------------------

    def _store_changed(self, changes: Changes) -> None:
        self._stale.judge(changes, self.form.record_id, self._municipality)

    def show_assessments(self, municipality: str, records: list[Record]) -> None:
        keep = self.form.record_id if municipality == self._municipality else None
        if self._stale.take():
            self.form.load(None)  # (saves what is typed first) chosen again below, as stored
        self._municipality = municipality
        self._read_survey_state(municipality)
        self._records = list(records)
        self.chooser.blockSignals(True)
        self.chooser.clear()
        for record in self._records:
            self.chooser.addItem(_describe(record), record["id"])
        self.chooser.blockSignals(False)
        index = self.chooser.findData(keep) if keep else 0
        if self._records:
            self.chooser.setCurrentIndex(max(index, 0))
            self._chosen(self.chooser.currentIndex())
        else:
            self._show_empty()

    def _read_survey_state(self, municipality: str | None) -> None:
        """Whether this folder may make the survey's reports (the role the last sync gave),
        the name and the newest year with answers, read on the worker."""
        workspace = self._ws
        self._runner.run(
            lambda: read_survey_report_state(workspace, municipality),
            on_done=self._show_survey_state,
        )

    def _show_survey_state(self, state: SurveyReportState) -> None:
        if state.municipality is not None and state.municipality != self._municipality:
            return  # another municipality was chosen while this was read
        self.survey_reports.state = state
        self._update_survey_buttons()

    def _update_survey_buttons(self) -> None:
        state = self.survey_reports.state
        known = state is not None and state.municipality == self._municipality
        refused = state.refused if state is not None else ""
        self.survey_button.setEnabled(known and not refused and self._municipality is not None)
        self.survey_all_button.setEnabled(state is not None and not refused)
        self.survey_button.setToolTip(refused or self._survey_tip)
        self.survey_all_button.setToolTip(refused or self._survey_all_tip)

    def _ask_survey_report(self) -> None:
        state = self.survey_reports.state
        if self._municipality is not None and state is not None:
            self.survey_reports.ask_comparison(self._municipality, state.name)

    def _show_empty(self) -> None:
        self.form.load(None)
        self.body.hide()
        self.delete_button.setEnabled(False)
        self.new_button.setEnabled(self._municipality is not None)
        self._update_survey_buttons()
        self.empty_label.setText(
            self.tr(
                "この市町村のアセスメントはまだありません。年度を選んで「この年度で新規作成」を"
                "押すと、26 項目の回答欄が開きます。"
            )
            if self._municipality
            else ""
        )
        self.empty_label.show()

    def _record(self, record_id: str | None) -> Record | None:
        return next((r for r in self._records if r["id"] == record_id), None)

    def _chosen(self, index: int) -> None:
        record = self._record(self.chooser.itemData(index))
        if record is None:
            self._show_empty()
            return
        if record["id"] != self.form.record_id:
            # (The same record stays as the user left it: what is on screen is newer.)
            self.form.flush()
            self._show_grid(load_catalog(record["catalog_version"]))
            self.form.load(record)
        self.grid.set_previous(self._previous_scores(record))
        self.empty_label.hide()
        self.body.show()
        self.delete_button.setEnabled(True)
        self.new_button.setEnabled(True)
        self._update_reading()

    def _previous_scores(self, record: Record) -> dict[str, int] | None:
        """The answers of the latest assessment of the fiscal year before, if there is one."""
        previous = [r for r in self._records if r["fiscal_year"] == record["fiscal_year"] - 1]
        return previous[0]["scores"] if previous else None

    def _update_reading(self) -> None:
        """Total, ratios and the suggested level, recomputed from the answers on screen."""
        if self.form.record_id is None:
            return
        grid = self.grid
        catalog: Catalog = grid.catalog
        scores = grid.answered()
        summary = summarize(catalog, scores)
        suggestion = suggest_level(load_level_rule(catalog.version), catalog, scores)
        self.total_label.setText(
            self.tr(
                "{total} / {maximum} 点　得点率 {ratio}\n（回答 {answered} / {items} 項目）"
            ).format(
                total=summary.total,
                maximum=summary.maximum,
                ratio=format_percent(exact_ratio(summary.total, summary.maximum)),
                answered=summary.answered,
                items=summary.item_count,
            )
        )
        self.categories_label.setText(
            "\n".join(
                f"{c.category_id}. {c.name}　{format_percent(exact_ratio(c.total, c.maximum))}"
                for c in summary.categories
            )
        )
        self.suggested_label.setText(level_text(suggestion.level))
        self.reasons_label.setText("\n".join(f"・{reason}" for reason in suggestion.reasons))
        level = self.level_box.currentData()
        needs_reason = level not in (UNCONFIRMED, suggestion.level)
        if needs_reason and not self.reason_edit.toPlainText().strip():
            self.mismatch_label.setText(
                self.tr(
                    "提案（{level}）と違う分類にするときは、"
                    "判断理由を書いてください。書くまで確定は保存されません。"
                ).format(level=level_text(suggestion.level))
            )
        else:
            self.mismatch_label.setText("")

    # -- saving, creating, deleting --------------------------------------------------------

    def _saved(self, record: Record) -> None:
        for i, existing in enumerate(self._records):
            if existing["id"] == record["id"]:
                self._records[i] = record
                index = self.chooser.findData(record["id"])
                self.chooser.setItemText(index, _describe(record))
                return

    def new_assessment(self) -> None:
        municipality = self._municipality
        if municipality is None:
            return
        payload = {
            "municipality": municipality,
            "fiscal_year": int(self.year_box.currentData()),
            "method": "in_person",
            "assessed_on": date.today().isoformat(),
        }
        self._runner.run(lambda: self._ws.assessments.add(payload), on_done=self._added)

    def _added(self, record: Record) -> None:
        if record["municipality"] != self._municipality:
            return
        records = sorted(
            [*self._records, record],
            key=lambda r: (r["fiscal_year"], r["assessed_on"] or "", r["updated_at"]),
            reverse=True,
        )
        self.form.flush()
        self._municipality = None  # show_assessments keeps nothing: choose the new one
        self.show_assessments(record["municipality"], records)
        self.chooser.setCurrentIndex(self.chooser.findData(record["id"]))

    def delete_current(self) -> None:
        record = self._record(self.form.record_id)
        if record is None:
            return
        what = self.tr("{assessment} のアセスメント").format(assessment=_describe(record))
        answer = QMessageBox.question(
            self, self.tr("アセスメントの削除"), self.tr("{what}を削除しますか？").format(what=what)
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.form.load(None)
        self._runner.run(
            lambda: self._ws.assessments.delete(record["id"]),
            on_done=lambda keys: self._deleted(record, what, keys),
        )

    def _deleted(self, record: Record, what: str, keys: list[RecordKey]) -> None:
        records = [r for r in self._records if r["id"] != record["id"]]
        self._municipality = None
        self.show_assessments(record["municipality"], records)
        self.deleted.emit(self._ws.assessments, what, keys)
