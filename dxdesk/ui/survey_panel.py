"""調査: who has answered a fiscal year's survey, from which file and when, and who has not.

The not-answered list is what the secretariat sends reminders from, so it stands beside the
table with a button that copies the names for a mail. The table is read on the store worker
when someone looks at the tab and responses or definitions changed since its last read (an
import, a sync, a login that changed this laptop's municipalities).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QStringListModel
from PySide6.QtGui import QAction, QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from dxdesk.domain.changes import Changes, Source
from dxdesk.domain.fiscal_year import fiscal_year_of
from dxdesk.services.survey_access import is_advisor
from dxdesk.services.survey_status import (
    DefinitionSummary,
    SurveyStatus,
    survey_status,
    year_choice,
)
from dxdesk.services.workspace import Workspace
from dxdesk.ui.choice_box import ChoiceBox
from dxdesk.ui.format import fiscal_year_text
from dxdesk.ui.overview_panel import make_table_view
from dxdesk.ui.runner import StoreRunner
from dxdesk.ui.survey_definition_actions import SurveyDefinitionActions
from dxdesk.ui.survey_status_table import SurveyStatusModel

SURVEY_KINDS = ("survey_response", "survey_definition")
# After these, this laptop's municipalities may differ (a login, a sync's new assignment).
RESCOPING = frozenset({Source.LOGIN, Source.SYNC, Source.RESTORE})


@dataclass(frozen=True)
class SurveyRead:
    years: list[int]  # newest first: those with responses, and this one
    status: SurveyStatus
    advisor: bool = False  # an advisor's folder loads no definition


class SurveyPanel(QWidget):
    def __init__(
        self, workspace: Workspace, runner: StoreRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("調査"))
        self._ws = workspace
        self._runner = runner
        self._stale = True
        self._not_answered: list[str] = []
        self._year_wanted: int | None = None  # read next (a definition just loaded for it)

        self.year_combo = ChoiceBox()
        self.year_combo.setAccessibleName(self.tr("調査の年度"))
        self.year_combo.setMinimumContentsLength(10)
        self.year_combo.currentIndexChanged.connect(self._year_chosen)
        year_label = QLabel(self.tr("年度(&Y)"))
        year_label.setBuddy(self.year_combo)
        self.definition_label = QLabel()
        self.definition_label.setAccessibleName(self.tr("調査の定義"))
        self.definition_label.setStyleSheet("color: #5c636a;")
        self.sheet_button = QPushButton(self.tr("回答票を作成…"))
        self.import_button = QPushButton(self.tr("調査の回答を取り込む…"))
        for button in (self.sheet_button, self.import_button):
            button.setEnabled(False)  # until the window hands over its actions
        top = QHBoxLayout()
        top.addWidget(year_label)
        top.addWidget(self.year_combo)
        top.addStretch(1)
        top.addWidget(self.sheet_button)
        top.addWidget(self.import_button)

        self.definitions = SurveyDefinitionActions(
            self, workspace, runner, chosen_year=self.chosen_year, loaded=self.show_year
        )
        definition_row = QHBoxLayout()
        definition_row.addWidget(self.definition_label)
        definition_row.addWidget(self.definitions.message, 1)
        definition_row.addWidget(self.definitions.load_button)
        definition_row.addWidget(self.definitions.export_button)

        self.summary = QLabel()
        self.summary.setAccessibleName(self.tr("回答の集計"))
        self.model = SurveyStatusModel(self)
        self.view = make_table_view(self.model, self.tr("市町村ごとの回答状況"))

        self.not_answered_model = QStringListModel(self)
        self.not_answered_view = QListView()
        self.not_answered_view.setModel(self.not_answered_model)
        self.not_answered_view.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.not_answered_view.setAccessibleName(self.tr("未回答の市町村"))
        self.copy_button = QPushButton(self.tr("未回答の市町村をコピー"))
        self.copy_button.setToolTip(
            self.tr("未回答の市町村名を 1 行に 1 つずつクリップボードへ（督促のメール用）")
        )
        self.copy_button.clicked.connect(self.copy_not_answered)
        self.copied = QLabel()
        self.copied.setAccessibleName(self.tr("コピーの結果"))
        self.copied.setWordWrap(True)
        self.not_answered_box = QGroupBox(self.tr("未回答の市町村"))
        self.not_answered_box.setAccessibleName(self.not_answered_box.title())
        box_layout = QVBoxLayout(self.not_answered_box)
        box_layout.addWidget(self.not_answered_view)
        box_layout.addWidget(self.copy_button)
        box_layout.addWidget(self.copied)

        splitter = QSplitter()
        splitter.addWidget(self.view)
        splitter.addWidget(self.not_answered_box)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(definition_row)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)
        runner.changed.connect(self._store_changed)

    def use_actions(self, answer_sheet: QAction, survey_import: QAction) -> None:
        """The buttons do what the window's 回答票を作成… and 調査の回答を取り込む… do."""
        self.sheet_button.clicked.connect(answer_sheet.trigger)
        self.import_button.clicked.connect(survey_import.trigger)
        self.sheet_button.setEnabled(True)
        self.import_button.setEnabled(True)

    # -- reading -----------------------------------------------------------------------------

    def _store_changed(self, changes: Changes) -> None:
        if changes.touches(*SURVEY_KINDS) or changes.source in RESCOPING:
            self._stale = True
            self._read_if_shown()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._read_if_shown()

    def _read_if_shown(self) -> None:
        if self._stale and self.isVisible():
            self.reload()

    def reload(self) -> None:
        """Read the chosen year's status (the newest answered year's, before one is chosen)."""
        self._stale = False
        chosen = self._year_wanted or self.year_combo.currentData()
        self._year_wanted = None
        workspace = self._ws

        def read() -> SurveyRead:
            years, shown = year_choice(workspace)
            year = chosen if isinstance(chosen, int) else shown
            return SurveyRead(years, survey_status(workspace, year), is_advisor(workspace.store))

        self._runner.run(read, on_done=self.show_status)

    def _year_chosen(self, _index: int = -1) -> None:
        self.reload()

    def chosen_year(self) -> int:
        """The year on show (this fiscal year before the first read)."""
        chosen = self.year_combo.currentData()
        return chosen if isinstance(chosen, int) else fiscal_year_of(date.today())

    def show_year(self, fiscal_year: int) -> None:
        """Show ``fiscal_year`` (offered even without answers: its definition was just loaded)."""
        self._year_wanted = fiscal_year
        self.reload()

    # -- showing -----------------------------------------------------------------------------

    def show_status(self, read: SurveyRead) -> None:
        status = read.status
        years = sorted({*read.years, status.fiscal_year}, reverse=True)
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        for year in years:
            self.year_combo.addItem(fiscal_year_text(year), year)
        self.year_combo.setCurrentIndex(self.year_combo.findData(status.fiscal_year))
        self.year_combo.blockSignals(False)

        self.definition_label.setText(self._definition_text(status.definition))
        self.definitions.set_advisor(read.advisor)
        self.model.set_records([m.as_json() for m in status.municipalities])
        self.summary.setText(
            self.tr("回答済み {answered} / {total} 団体、未回答 {missing} 団体").format(
                answered=len(status.answered),
                total=len(status.municipalities),
                missing=len(status.not_answered),
            )
        )
        self._not_answered = [m.name for m in status.not_answered]
        self.not_answered_model.setStringList(self._not_answered)
        self.not_answered_box.setTitle(
            self.tr("未回答の市町村（{count} 団体）").format(count=len(self._not_answered))
        )
        self.copy_button.setEnabled(bool(self._not_answered))
        self.copied.clear()

    def _definition_text(self, summary: DefinitionSummary) -> str:
        if summary.origin == "loaded":
            text = self.tr("定義: 読み込んだ {name}（{count} 問）")
        elif summary.origin == "shipped":
            text = self.tr("定義: 同梱の {name}（{count} 問）")
        else:
            text = self.tr("定義: 読み込まれていません。アセスメント項目のみ（{count} 問）")
        # Shipped: 「令和6年度 市町村DX推進状況調査」 says more than the file it came in.
        shipped = summary.origin == "shipped" and summary.title
        name = f"「{summary.title}」" if shipped else summary.source_name
        return text.format(name=name, count=summary.questions)

    def copy_not_answered(self) -> None:
        """The names, one per line, for a reminder mail."""
        if not self._not_answered:
            return
        QGuiApplication.clipboard().setText("\n".join(self._not_answered) + "\n")
        self.copied.setText(
            self.tr("{count} 団体の名前をコピーしました").format(count=len(self._not_answered))
        )
