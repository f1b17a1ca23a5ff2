"""The survey's reports from the アセスメント tab: a municipality's comparison report in the
print preview, and every answering municipality's report with the overview (PDF and Excel)
into a folder, with progress and 中止."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from dxdesk.domain.fiscal_year import fiscal_year_of, format_fiscal_year
from dxdesk.reports.survey_batch import (
    INTERNAL_FOLDER,
    SurveyBatchResult,
    write_all_survey_reports,
)
from dxdesk.reports.survey_comparison import survey_file_name, write_survey_comparison
from dxdesk.services.survey_access import sees_whole_prefecture
from dxdesk.services.survey_responses import response_years
from dxdesk.services.workspace import Workspace
from dxdesk.ui.fiscal_year_dialog import choose_fiscal_year
from dxdesk.ui.long_task import LongTask
from dxdesk.ui.report_preview import Edition, OnePreview, Render, ReportPreview
from dxdesk.ui.runner import StoreRunner


@dataclass(frozen=True)
class SurveyReportState:
    """What the buttons need, read on the store worker: whether this folder may make the
    prefecture's figures (refused: the reason shown), the newest year with answers, the name."""

    municipality: str | None
    name: str
    refused: str  # "" when this folder sees every municipality's answers
    newest_year: int | None


def read_survey_report_state(ws: Workspace, code: str | None) -> SurveyReportState:
    """On the store worker."""
    name = str(ws.municipalities.get(code)["name"]) if code is not None else ""
    refused = (
        ""
        if sees_whole_prefecture(ws.store)
        else QCoreApplication.translate(
            "SurveyReportActions",
            "県全体の集計は事務局の端末で作成してください"
            "（この端末には担当の市町村の回答しかありません）",
        )
    )
    years = response_years(ws.store)
    return SurveyReportState(code, name, refused, years[0] if years else None)


def survey_comparison_render(ws: Workspace, code: str, name: str, fiscal_year: int) -> Render:
    """The report, stamped 取扱注意 as its internal edition."""

    def render(path: Path, edition: Edition) -> str:
        confidential = edition is Edition.INTERNAL
        write_survey_comparison(ws, code, fiscal_year, path, confidential=confidential)
        return survey_file_name(code, name, fiscal_year)

    return render


class SurveyReportActions(QObject):
    """Owned by the panel that shows the buttons; one preview and one batch at a time."""

    def __init__(self, parent: QWidget, workspace: Workspace, runner: StoreRunner) -> None:
        super().__init__(parent)
        self._parent = parent
        self._ws = workspace
        self._runner = runner
        self._previews = OnePreview()
        self.batch: LongTask | None = None
        self.message = ""  # the last outcome said to the user, for the status line
        self.state: SurveyReportState | None = None  # the last read (set by the panel)

    def ask_year(self, title: str) -> int | None:
        """The newest year with answers first (this fiscal year when there are none)."""
        newest = self.state.newest_year if self.state is not None else None
        default = newest if newest is not None else fiscal_year_of(date.today())
        return choose_fiscal_year(self._parent, title, self.tr("調査の年度"), default)

    # -- one municipality ------------------------------------------------------------------

    def ask_comparison(self, code: str, name: str) -> ReportPreview | None:
        year = self.ask_year(self.tr("調査の比較レポート"))
        return None if year is None else self.preview_comparison(code, name, year)

    def preview_comparison(self, code: str, name: str, fiscal_year: int) -> ReportPreview:
        title = self.tr("印刷プレビュー: 調査の比較レポート（{name}、{year}）").format(
            name=name, year=format_fiscal_year(fiscal_year)
        )
        preview = ReportPreview(
            self._parent,
            self._runner,
            title=title,
            render=survey_comparison_render(self._ws, code, name, fiscal_year),
        )
        return self._previews.show(preview)

    @property
    def preview(self) -> ReportPreview | None:
        """The print preview open, if one is."""
        return self._previews.current

    # -- every municipality and the overview -----------------------------------------------

    def ask_all(self) -> LongTask | None:
        year = self.ask_year(self.tr("調査の全体集計"))
        if year is None:
            return None
        folder = QFileDialog.getExistingDirectory(
            self._parent, self.tr("調査レポートの保存先フォルダ"), str(Path.home())
        )
        return self.all_to(year, Path(folder)) if folder else None

    def all_to(self, fiscal_year: int, directory: Path) -> LongTask:
        """Each answering municipality's report, 調査_全体_<year>.pdf and .xlsx into ``directory``
        (all or none)."""
        year = format_fiscal_year(fiscal_year)
        title = self.tr("調査の全体集計")
        task = LongTask(
            self._parent,
            self._runner,
            title=title,
            label=self.tr("{year} の調査レポートを作成しています…").format(year=year),
            work=lambda progress: write_all_survey_reports(
                self._ws, fiscal_year, directory, progress=progress, cancel=task.token
            ),
        )

        def finished(result: SurveyBatchResult) -> None:
            missing = "、".join(result.not_answered) or self.tr("なし")
            self.message = self.tr(
                "{year} の調査レポートを {count} 件作成しました: {folder}\n"
                "（全体集計の PDF と Excel は「{internal}」フォルダに、事務局の内部用として）\n"
                "未回答の市町村: {missing}"
            ).format(
                year=year,
                count=len(result.written),
                folder=directory,
                internal=INTERNAL_FOLDER,
                missing=missing,
            )
            QMessageBox.information(self._parent, title, self.message)

        def failed(message: str) -> None:
            self.message = message
            QMessageBox.warning(self._parent, title, message)

        def cancelled() -> None:
            self.message = self.tr("調査レポートの作成を中止しました（フォルダは変わっていません）")

        task.finished.connect(finished)
        task.failed.connect(failed)
        task.cancelled.connect(cancelled)
        self.batch = task
        task.start()
        return task
