"""Importing the answers of a survey spreadsheet: the wizard (choose → preview → confirm → done)
and the window's way to open it.

The pages live in ``survey_wizard_pages`` and ``survey_preview``; the person's choices and the
reads and writes they make, in ``survey_import_session``. The wizard passes the pages' choices
to the session and the session's plans and outcomes back to the pages.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget, QWizard, QWizardPage

from dxdesk.domain.catalog import load_catalog
from dxdesk.domain.fiscal_year import format_fiscal_year
from dxdesk.imports.plan import ImportPlan
from dxdesk.services.survey_imports import StoredImport
from dxdesk.services.workspace import Workspace
from dxdesk.ui.runner import StoreRunner
from dxdesk.ui.survey_import_session import ImportSession
from dxdesk.ui.survey_preview import PreviewPage
from dxdesk.ui.survey_wizard_pages import ChooseFilePage, ConfirmPage

CHOOSE, PREVIEW, CONFIRM, DONE = range(4)


def done_text(plan: ImportPlan, stored: StoredImport) -> str:
    responses = len(stored.responses_created) + len(stored.responses_updated)
    if not stored.created and not stored.updated and not responses:
        return QCoreApplication.translate("SurveyImport", "書き込んだ変更はありません。")
    lines = [
        QCoreApplication.translate(
            "SurveyImport",
            "{year} の調査の回答を {responses} 市町村分、アセスメントを新規 {created} 件・"
            "更新 {updated} 件書き込みました。",
        ).format(
            year=format_fiscal_year(plan.fiscal_year),
            responses=responses,
            created=len(stored.created),
            updated=len(stored.updated),
        )
    ]
    for action, label in (
        ("create", QCoreApplication.translate("SurveyImport", "新規")),
        ("update", QCoreApplication.translate("SurveyImport", "更新")),
    ):
        names = [c.name for c in plan.changes if c.action == action]
        if names:
            lines.append(f"{label}: {'、'.join(names)}")
    return "\n".join(lines)


class SurveyImportWizard(QWizard):
    imported = Signal(object)  # StoredImport: the main window reloads what it shows

    def __init__(self, parent: QWidget, workspace: Workspace, runner: StoreRunner) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("調査の回答を取り込む"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage)
        self.session = ImportSession(workspace, runner, self)
        self.choose = ChooseFilePage(self.session)
        self.preview = PreviewPage(load_catalog())
        self.confirm = ConfirmPage(self.session)
        self.done_page = QWizardPage()
        self.done_page.setTitle(self.tr("完了"))
        self.done_page.setSubTitle(self.tr("取り込みが終わりました。"))
        self.done_label = QLabel()
        self.done_label.setWordWrap(True)
        QVBoxLayout(self.done_page).addWidget(self.done_label)
        for page_id, page in enumerate((self.choose, self.preview, self.confirm, self.done_page)):
            self.setPage(page_id, page)
        self.preview.item_chosen.connect(self.session.choose_item)
        self.preview.rows_excluded.connect(self.session.exclude)
        self.session.planned.connect(self._planned)
        self.session.failed.connect(self._failed)
        self.session.busy_changed.connect(self._busy_changed)
        self.session.applied.connect(self._applied)
        self.session.apply_failed.connect(self._apply_failed)
        self.resize(1000, 700)

    def _planned(self, plan: ImportPlan) -> None:
        self.preview.show_plan(plan, self.session.auto_roles)
        if self.currentId() == CHOOSE and self.choose.reading:
            self.choose.set_reading(False)
            self.choose.accepted = True
            self.next()

    def _failed(self, message: str) -> None:
        if self.currentId() == CHOOSE:
            self.choose.set_reading(False, message)
        else:
            self.preview.show_failure(message)

    def _busy_changed(self, busy: bool) -> None:
        self.preview.set_busy(busy)
        self.confirm.completeChanged.emit()
        self.button(QWizard.WizardButton.CancelButton).setEnabled(not self.session.applying)
        self.button(QWizard.WizardButton.BackButton).setEnabled(not self.session.applying)

    def _applied(self, stored: StoredImport) -> None:
        plan = self.session.plan
        self.confirm.written = True
        self.confirm.busy_bar.hide()
        self.done_label.setText(done_text(plan, stored) if plan else "")
        self.next()
        self.imported.emit(stored)

    def _apply_failed(self, message: str) -> None:
        self.confirm.busy_bar.hide()
        self.confirm.error.setText(message)
        self.confirm.error.show()

    def reject(self) -> None:
        if not self.session.applying:  # the write is all or nothing: it runs to its end
            super().reject()


def show_import_wizard(
    parent: QWidget, workspace: Workspace, runner: StoreRunner, previous: SurveyImportWizard | None
) -> SurveyImportWizard:
    """The open wizard if there is one; else a new one (a finished one is let go)."""
    if previous is not None and previous.isVisible():
        previous.raise_()
        previous.activateWindow()
        return previous
    if previous is not None and not previous.session.busy:
        previous.deleteLater()
    wizard = SurveyImportWizard(parent, workspace, runner)
    wizard.show()
    return wizard
