"""The window's report commands: print preview (Ctrl+P) of the visit or assessment on screen,
the KPI report, and every municipality's assessment report for a year into a folder.

They know the window only by what they need of it (its status bar as a QMainWindow's, what it
shows, and how to save what is typed): main_window imports this module, never the reverse.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenu, QMessageBox, QWidget

from dxdesk.domain.fiscal_year import fiscal_year_of, format_fiscal_year
from dxdesk.reports.assessment import write_assessment_report
from dxdesk.reports.batch import BatchResult, report_file_name, write_all_assessment_reports
from dxdesk.reports.kpi import write_kpi_report
from dxdesk.reports.visit import INTERNAL, write_visit_report
from dxdesk.services.workspace import Workspace
from dxdesk.ui.fiscal_year_dialog import choose_fiscal_year
from dxdesk.ui.long_task import LongTask
from dxdesk.ui.report_preview import Edition, OnePreview, Render, ReportPreview
from dxdesk.ui.runner import StoreRunner

MESSAGE_MS = 10_000


@dataclass(frozen=True)
class OnScreen:
    """What the window's current tab shows that a print preview could print."""

    kind: Literal["visit", "assessment"] | None = None  # None: a tab with nothing to print
    record_id: str | None = None  # the open record of that kind, if one is open


def visit_render(ws: Workspace, engagement_id: str) -> Render:
    """The 配布用 edition, or the 内部用 one with the notes, interviews and sync state."""

    def render(path: Path, edition: Edition) -> str:
        internal = edition is Edition.INTERNAL
        engagement = ws.engagements.get(engagement_id)
        name = ws.municipalities.get(engagement["municipality"])["name"]
        write_visit_report(ws, engagement_id, path, internal=internal)
        marked = f"_{INTERNAL}" if internal else ""
        return f"相談記録{marked}_{engagement.get('date') or '日付なし'}_{name}.pdf"

    return render


def assessment_render(ws: Workspace, assessment_id: str) -> Render:
    """The report, stamped 取扱注意 as its internal edition."""

    def render(path: Path, edition: Edition) -> str:
        confidential = edition is Edition.INTERNAL
        record = ws.assessments.get(assessment_id)
        code, year = str(record["municipality"]), int(record["fiscal_year"])
        write_assessment_report(
            ws, code, year, path, confidential=confidential, assessment_id=assessment_id
        )
        return report_file_name(code, ws.municipalities.get(code)["name"], year)

    return render


def kpi_render(ws: Workspace) -> Render:
    """The report, stamped 取扱注意 as its internal edition."""

    def render(path: Path, edition: Edition) -> str:
        write_kpi_report(ws, path, confidential=edition is Edition.INTERNAL)
        return f"KPI報告_{date.today().isoformat()}.pdf"

    return render


def ask_report_year(parent: QWidget, default: int) -> int | None:
    return choose_fiscal_year(
        parent,
        QCoreApplication.translate("ReportActions", "報告の年度"),
        QCoreApplication.translate("ReportActions", "年度"),
        default,
    )


class ReportActions(QObject):
    def __init__(
        self,
        window: QMainWindow,
        workspace: Workspace,
        runner: StoreRunner,
        *,
        on_screen: Callable[[], OnScreen],
        flush: Callable[[], None],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._ws = workspace
        self._runner = runner
        self._on_screen = on_screen
        self._flush = flush
        self._previews = OnePreview()
        self.batch: LongTask | None = None  # the newest run of 全市町村のアセスメント報告

        self.print_action = QAction(self.tr("印刷プレビュー(&P)…"), self)
        self.print_action.setShortcut(QKeySequence.StandardKey.Print)
        self.print_action.triggered.connect(self.preview_current)
        self.kpi_action = QAction(self.tr("KPI 報告…"), self)
        self.kpi_action.triggered.connect(self.preview_kpi)
        self.batch_action = QAction(self.tr("全市町村のアセスメント報告…"), self)
        self.batch_action.triggered.connect(self._ask_batch)

    def add_to_menu(self, menu: QMenu) -> None:
        menu.addAction(self.print_action)
        menu.addAction(self.kpi_action)
        menu.addAction(self.batch_action)

    # -- previews --------------------------------------------------------------------------

    def preview_current(self) -> ReportPreview | None:
        """The visit on the 相談記録 tab or the assessment on the アセスメント tab."""
        self._flush()  # queued on the worker before the report reads the store
        shown = self._on_screen()
        if shown.kind == "visit":
            engagement = shown.record_id
            if engagement is not None:
                return self._open(
                    self.tr("印刷プレビュー: 相談記録"),
                    visit_render(self._ws, engagement),
                    editions=(self.tr("配布用"), self.tr("内部用")),
                    editions_tip=self.tr(
                        "配布用: 市町村へお渡しする版（メモ・ヒアリング・同期の状態を含みません）\n"
                        "内部用: すべてを含み、各ページに「取扱注意」が付きます"
                    ),
                )
            hint = self.tr("印刷する相談記録を一覧から選んでください")
        elif shown.kind == "assessment":
            assessment = shown.record_id
            if assessment is not None:
                render = assessment_render(self._ws, assessment)
                return self._open(self.tr("印刷プレビュー: アセスメント報告"), render)
            hint = self.tr("印刷するアセスメントを選んでください")
        else:
            hint = self.tr(
                "印刷するには、相談記録タブで相談記録を、"
                "またはアセスメントタブでアセスメントを選んでください"
            )
        self._window.statusBar().showMessage(hint, MESSAGE_MS)
        return None

    def preview_kpi(self) -> ReportPreview:
        self._flush()
        return self._open(self.tr("印刷プレビュー: KPI 報告"), kpi_render(self._ws))

    def _open(
        self,
        title: str,
        render: Render,
        *,
        editions: tuple[str, str] | tuple[()] = (),
        editions_tip: str = "",
    ) -> ReportPreview:
        preview = ReportPreview(
            self._window,
            self._runner,
            title=title,
            render=render,
            editions=editions,
            editions_tip=editions_tip,
        )
        preview.render_failed.connect(
            lambda message: self._window.statusBar().showMessage(message, MESSAGE_MS)
        )
        return self._previews.show(preview)

    @property
    def preview(self) -> ReportPreview | None:
        """The print preview open, if one is."""
        return self._previews.current

    # -- every municipality ----------------------------------------------------------------

    def _ask_batch(self) -> None:
        year = ask_report_year(self._window, fiscal_year_of(date.today()))
        if year is None:
            return
        folder = QFileDialog.getExistingDirectory(
            self._window, self.tr("アセスメント報告の保存先フォルダ"), str(Path.home())
        )
        if folder:
            self.batch_to(year, Path(folder))

    def batch_to(self, fiscal_year: int, directory: Path) -> LongTask:
        """Write each assessed municipality's report for the year, with progress and 中止."""
        self._flush()
        year = format_fiscal_year(fiscal_year)
        title = self.tr("アセスメント報告")
        task = LongTask(
            self._window,
            self._runner,
            title=title,
            label=self.tr("{year} のアセスメント報告を作成しています…").format(year=year),
            work=lambda progress: write_all_assessment_reports(
                self._ws, fiscal_year, directory, progress=progress, cancel=task.token
            ),
        )
        status = self._window.statusBar()

        def finished(result: BatchResult) -> None:
            message = self.tr(
                "{year} のアセスメント報告を {written} 件作成しました"
                "（アセスメントのない {skipped} 市町村は除外）: {folder}"
            )
            status.showMessage(
                message.format(
                    year=year,
                    written=len(result.written),
                    skipped=len(result.skipped),
                    folder=directory,
                ),
                MESSAGE_MS * 3,
            )

        def failed(message: str) -> None:
            status.showMessage(message, MESSAGE_MS)
            QMessageBox.warning(self._window, title, message)

        task.finished.connect(finished)
        task.failed.connect(failed)
        cancelled = self.tr("アセスメント報告の作成を中止しました（作成済みの報告は残ります）")
        task.cancelled.connect(lambda: status.showMessage(cancelled, MESSAGE_MS))
        self.batch = task
        task.start()
        return task
