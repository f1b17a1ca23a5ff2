"""The answer sheet (回答票) that municipalities fill in: where to save it, for which fiscal year,
written on the store's worker."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QWidget

from dxdesk.domain.catalog import load_catalog
from dxdesk.domain.fiscal_year import fiscal_year_of, format_fiscal_year
from dxdesk.imports.template import template_municipalities, write_template
from dxdesk.services.survey_definitions import year_definition
from dxdesk.services.workspace import Workspace
from dxdesk.ui.fiscal_year_dialog import choose_fiscal_year
from dxdesk.ui.refusal_text import error_text
from dxdesk.ui.runner import StoreRunner


def ask_fiscal_year(parent: QWidget, default: int) -> int | None:
    return choose_fiscal_year(
        parent,
        QCoreApplication.translate("SurveyImport", "回答票の年度"),
        QCoreApplication.translate("SurveyImport", "年度"),
        default,
    )


def ask_answer_sheet(window: QMainWindow, workspace: Workspace, runner: StoreRunner) -> None:
    path, _filter = QFileDialog.getSaveFileName(
        window,
        QCoreApplication.translate("SurveyImport", "回答票の保存先"),
        str(Path.home() / "回答票.xlsx"),
        "Excel (*.xlsx)",
    )
    if not path:
        return
    year = ask_fiscal_year(window, fiscal_year_of(date.today()))
    if year is not None:
        write_answer_sheet(window, workspace, runner, Path(path), year)


def write_answer_sheet(
    window: QMainWindow, workspace: Workspace, runner: StoreRunner, path: Path, year: int
) -> None:
    """Write the answer sheet on the worker; the status bar says how it went."""
    status = window.statusBar()
    status.showMessage(QCoreApplication.translate("SurveyImport", "回答票を作っています…"))

    def work() -> int:
        catalog = load_catalog()
        # The year's definition: the loaded one, else the shipped one, else the catalog's.
        definition = year_definition(workspace.store, year, catalog).definition
        municipalities = template_municipalities(workspace)
        write_template(
            path,
            definition=definition,
            catalog=catalog,
            municipalities=municipalities,
            fiscal_year=year,
        )
        return len(municipalities)

    def done(count: int) -> None:
        message = QCoreApplication.translate(
            "SurveyImport", "{year} の回答票を作りました: {path}（{count} 市町村）"
        )
        status.showMessage(message.format(year=format_fiscal_year(year), path=path, count=count))

    def failed(error: BaseException) -> None:
        message = QCoreApplication.translate(
            "SurveyImport", "回答票を作れませんでした: {reason}"
        ).format(reason=error_text(error))
        status.showMessage(message, 15000)
        QMessageBox.warning(window, QCoreApplication.translate("SurveyImport", "回答票"), message)

    runner.run(work, on_done=done, on_error=failed)
