"""Importing past records from a spreadsheet (ファイル → 記録を取り込む…), the wizard of
``dxdesk import-records``: kind and file → the columns' fields → confirm → done.

The pages live in ``records_wizard_pages`` (the first), ``records_mapping_page`` and
``records_preview_page`` (a plan's words and counts: ``records_plan_text``); the person's
choices and the reads and writes they make, in ``records_import_session``. The wizard passes
the pages' choices to the session and the session's plans and outcomes back to the pages. What
the import writes reaches the window's panels as the import's change notice (the runner tells
it), as the survey import's does.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget, QWizard, QWizardPage

from dxdesk.domain.roster import Municipality
from dxdesk.imports.records_plan import RecordsPlan
from dxdesk.services.workspace import Workspace
from dxdesk.ui.message_label import message_label
from dxdesk.ui.records_import_session import RecordsImportSession
from dxdesk.ui.records_mapping_page import MappingPage
from dxdesk.ui.records_plan_text import place_counts, plan_counts, sorted_places, writes_text
from dxdesk.ui.records_preview_page import ConfirmPage
from dxdesk.ui.records_wizard_pages import ChooseKindFilePage, place_text
from dxdesk.ui.runner import StoreRunner

CHOOSE, MAPPING, CONFIRM, DONE = range(4)


def done_text(plan: RecordsPlan, written: int, roster: tuple[Municipality, ...]) -> str:
    """What was written (``written``: apply_records' count) from which sheet, by kind, then by
    municipality; and how to import the workbook's other sheets of the kind."""
    if not written:
        lines = [
            QCoreApplication.translate(
                "RecordsImport",
                "シート「{sheet}」から書き込んだ変更はありません（どの記録も取り込み済みです）。",
            ).format(sheet=plan.sheet)
        ]
    else:
        lines = [
            QCoreApplication.translate(
                "RecordsImport", "シート「{sheet}」から{writes}書き込みました。"
            ).format(sheet=plan.sheet, writes=writes_text(plan.kind, plan_counts(plan)))
        ]
        line = QCoreApplication.translate("RecordsImport", "{place}: {writes}")
        by_place = place_counts(plan)
        for code in sorted_places(by_place, roster):
            if any(c["create"] or c["update"] for c in by_place[code].values()):
                writes = writes_text(plan.kind, by_place[code])
                lines.append(line.format(place=place_text(code, roster), writes=writes))
    if plan.other_sheets:
        lines += [
            "",
            QCoreApplication.translate(
                "RecordsImport",
                "ほかのシート（{sheets}）は、もう一度「記録を取り込む」で同じファイルを選び、"
                "「シート」で選んで取り込めます。",
            ).format(sheets="、".join(f"「{name}」" for name in plan.other_sheets)),
        ]
    return "\n".join(lines)


class RecordsImportWizard(QWizard):
    imported = Signal(object)  # the RecordsPlan written

    def __init__(self, parent: QWidget, workspace: Workspace, runner: StoreRunner) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("記録を取り込む"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage)
        self.session = RecordsImportSession(workspace, runner, self)
        self.choose = ChooseKindFilePage(self.session)
        self.mapping = MappingPage()
        self.confirm = ConfirmPage(self.session.roster)
        self.done_page = QWizardPage()
        self.done_page.setTitle(self.tr("完了"))
        self.done_page.setSubTitle(self.tr("取り込みが終わりました。"))
        self.done_label = message_label(selectable=True)
        layout = QVBoxLayout(self.done_page)
        layout.addWidget(self.done_label)
        layout.addStretch(1)
        for page_id, page in enumerate((self.choose, self.mapping, self.confirm, self.done_page)):
            self.setPage(page_id, page)
        self.mapping.column_mapped.connect(self.session.map_column)
        self.mapping.sheet_chosen.connect(self.session.choose_sheet)
        self.confirm.rows_skipped.connect(self.session.skip)
        self.confirm.commit_requested.connect(self.session.apply)
        self.confirm.reread_requested.connect(self.session.reread)
        self.session.planned.connect(self._planned)
        self.session.failed.connect(self._failed)
        self.session.busy_changed.connect(self._busy_changed)
        self.session.applied.connect(self._applied)
        self.session.apply_failed.connect(self._apply_failed)
        self.resize(1000, 700)

    def _planned(self, plan: RecordsPlan) -> None:
        path = self.session.path
        self.mapping.show_plan(plan, path.name if path is not None else "", self.session.sheets)
        self.confirm.show_plan(plan)
        if self.currentId() == CHOOSE and self.choose.reading:
            self.choose.set_reading(False)
            self.choose.read_ok = True
            self.next()

    def _failed(self, message: str) -> None:
        # Page 1 shows only its own read's failure: after Back from the mapping page while a
        # column's re-read runs, that read's failure belongs to the pages it was made for.
        if self.currentId() == CHOOSE and self.choose.reading:
            self.choose.set_reading(False, message)
        else:
            self.mapping.show_failure(message)
            self.confirm.show_failure(message)

    def _busy_changed(self, busy: bool) -> None:
        self.mapping.set_busy(busy)
        self.confirm.set_busy(busy)
        applying = self.session.applying
        self.button(QWizard.WizardButton.CancelButton).setEnabled(not applying)
        # Back only where there is a page to go back to (QWizard's own rule), never mid-write.
        has_history = self.currentId() in (MAPPING, CONFIRM)
        self.button(QWizard.WizardButton.BackButton).setEnabled(not applying and has_history)

    def _applied(self, plan: RecordsPlan, written: int) -> None:
        self.confirm.written = True
        self.done_label.setText(done_text(plan, written, self.session.roster))
        self.next()
        self.imported.emit(plan)

    def _apply_failed(self, message: str) -> None:
        # Nothing was written; the session reads the file again and the page shows that plan.
        self.confirm.show_apply_failure(message)

    def reject(self) -> None:
        if not self.session.applying:  # the write is all or nothing: it runs to its end
            super().reject()

    def done(self, result: int) -> None:
        self.session.forget()  # a read still running answers nobody once the wizard is closed
        super().done(result)


def open_records_import(
    window: QWidget, workspace: Workspace, runner: StoreRunner
) -> RecordsImportWizard:
    """The window's open wizard if there is one; else a new one (a finished one is let go)."""
    earlier = window.findChildren(
        RecordsImportWizard, options=Qt.FindChildOption.FindDirectChildrenOnly
    )
    for previous in earlier:
        if previous.isVisible():
            previous.raise_()
            previous.activateWindow()
            return previous
        if not previous.session.busy:
            previous.deleteLater()
    wizard = RecordsImportWizard(window, workspace, runner)
    wizard.show()
    return wizard
