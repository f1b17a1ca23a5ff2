"""The 調査 tab's 「調査の定義を読み込む…」 and 「定義を書き出す…」: the secretariat's way to
check, load and export a definition workbook without the command line.

The workbook is read and checked once, on the store's worker; the dialog
(dxdesk/ui/survey_definition_dialog.py) shows the problems or what loading would change, and
only 読み込む stores the definition already read (store_definition: the file is not read again,
so what was shown is what is loaded). An advisor's folder cannot load (the store refuses as
well, and so does the server): the button says so.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox, QPushButton, QWidget

from dxdesk.domain.fiscal_year import format_fiscal_year
from dxdesk.imports.definition_workbook import read_definition_workbook, write_definition_workbook
from dxdesk.services.survey_definition_loads import (
    DefinitionLoad,
    plan_definition,
    store_definition,
)
from dxdesk.services.survey_definitions import year_definition
from dxdesk.services.workspace import Workspace
from dxdesk.ui.refusal_text import error_text
from dxdesk.ui.runner import StoreRunner
from dxdesk.ui.survey_definition_dialog import DefinitionCheckDialog, DefinitionPreview

WORKBOOK_FILTER = "Excel (*.xlsx)"


def preview_definition(workspace: Workspace, path: Path) -> DefinitionPreview:
    """Read and check ``path``; when it has no problem, what loading it would change (as
    store_definition decides it: the same file or definition as the year's loaded one changes
    nothing). Raises SurveyFileError for a file that is no safe .xlsx."""
    check = read_definition_workbook(path, catalog=None)
    definition = check.definition
    if definition is None:
        return DefinitionPreview(check)
    plan = plan_definition(workspace.store, definition, check.sha256)
    current = plan.current
    if current.id is not None:
        previous = QCoreApplication.translate(
            "SurveyDefinition", "読み込んだ定義 {name}（{count} 問）"
        )
    elif current.source_name:
        previous = QCoreApplication.translate("SurveyDefinition", "同梱の定義 {name}（{count} 問）")
    else:
        previous = QCoreApplication.translate(
            "SurveyDefinition", "アセスメント項目のみ（{count} 問）"
        )
    previous = previous.format(name=current.source_name, count=len(current.definition.questions))
    return DefinitionPreview(
        check, previous, plan.unchanged, tuple(plan.changes), plan.responses_under_older
    )


class SurveyDefinitionActions(QObject):
    """The two buttons and the line that says how their last use went."""

    def __init__(
        self,
        parent: QWidget,
        workspace: Workspace,
        runner: StoreRunner,
        *,
        chosen_year: Callable[[], int],
        loaded: Callable[[int], None],
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._ws = workspace
        self._runner = runner
        self._chosen_year = chosen_year
        self._loaded = loaded
        self._advisor = False
        self._busy = False
        self.dialog: DefinitionCheckDialog | None = None

        self.load_button = QPushButton(self.tr("調査の定義を読み込む…"))
        self.load_button.setAccessibleName(self.tr("調査の定義を読み込む"))
        self.load_button.clicked.connect(self.ask_load)
        self.export_button = QPushButton(self.tr("定義を書き出す…"))
        self.export_button.setAccessibleName(self.tr("調査の定義を書き出す"))
        self.export_button.setToolTip(
            self.tr("表示中の年度の調査の定義を Excel ブックに保存します（編集して読み込めます）")
        )
        self.export_button.clicked.connect(self.ask_export)
        self.message = QLabel()
        self.message.setAccessibleName(self.tr("調査の定義の操作の結果"))
        self.message.setWordWrap(True)
        self._update_load_button()

    def set_advisor(self, advisor: bool) -> None:
        """Told by the tab after each read (the role may change at a sync or a login)."""
        self._advisor = advisor
        self._update_load_button()

    def _update_load_button(self) -> None:
        self.load_button.setEnabled(not self._advisor and not self._busy)
        if self._advisor:
            self.load_button.setToolTip(
                self.tr(
                    "調査の定義を読み込めるのは事務局（コーディネーター）だけです。"
                    "定義の変更は事務局に依頼してください（読み込まれた定義は同期で届きます）"
                )
            )
        else:
            self.load_button.setToolTip(
                self.tr(
                    "設問と選択肢の Excel ブックを確かめ、問題がなければ"
                    "変更点を見てから、その年度の調査の定義として読み込みます"
                )
            )

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self._busy = busy
        self._update_load_button()
        self.message.setText(text)

    # -- loading -----------------------------------------------------------------------------

    def ask_load(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self._parent,
            self.tr("読み込む調査の定義（Excel ブック）"),
            str(Path.home()),
            WORKBOOK_FILTER,
        )
        if path:
            self.check_file(Path(path))

    def check_file(self, path: Path) -> None:
        """Check ``path`` on the worker, then show the dialog (loading on its 読み込む)."""
        self._set_busy(True, self.tr("{file} を確かめています…").format(file=path.name))
        workspace = self._ws

        def failed(error: BaseException) -> None:
            self._set_busy(False)
            self._warn(
                self.tr("{file} を読み込めません: {reason}").format(
                    file=path.name, reason=error_text(error)
                )
            )

        self._runner.run(
            lambda: preview_definition(workspace, path), on_done=self._show, on_error=failed
        )

    def _show(self, preview: DefinitionPreview) -> None:
        self._set_busy(False)
        if self.dialog is not None:
            self.dialog.close()
        dialog = DefinitionCheckDialog(preview, self._parent)
        dialog.accepted.connect(lambda: self.load(preview))
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()

    def load(self, preview: DefinitionPreview) -> None:
        """Store the definition the dialog showed (the store checks the role again)."""
        check = preview.check
        definition = check.definition
        if definition is None:
            return
        name = check.path.name
        self._set_busy(True, self.tr("{file} を読み込んでいます…").format(file=name))
        workspace = self._ws

        def done(load: DefinitionLoad) -> None:
            self._set_busy(False)
            year = format_fiscal_year(load.fiscal_year)
            if load.unchanged:
                text = self.tr("{file} は {year} の今の定義と同じです（何も変わっていません）")
            else:
                text = self.tr(
                    "{file} を {year} の調査の定義として読み込みました"
                    "（{questions} 問、変更 {changes} 件）。次の同期で全員に届きます"
                )
            self.message.setText(
                text.format(
                    file=name, year=year, questions=load.questions, changes=len(load.changes)
                )
            )
            self._loaded(load.fiscal_year)

        def failed(error: BaseException) -> None:
            self._set_busy(False)
            self._warn(
                self.tr("{file} を読み込みませんでした: {reason}").format(
                    file=name, reason=error_text(error)
                )
            )

        self._runner.run(
            lambda: store_definition(
                workspace, definition, source_name=name, source_sha256=check.sha256
            ),
            on_done=done,
            on_error=failed,
        )

    # -- exporting ---------------------------------------------------------------------------

    def ask_export(self) -> None:
        year = self._chosen_year()
        suggested = Path.home() / f"調査定義_{format_fiscal_year(year).split(' ')[0]}.xlsx"
        path, _filter = QFileDialog.getSaveFileName(
            self._parent,
            self.tr("{year} の調査の定義の保存先").format(year=format_fiscal_year(year)),
            str(suggested),
            WORKBOOK_FILTER,
        )
        if path:
            target = Path(path)
            self.export_to(year, target if target.suffix else target.with_suffix(".xlsx"))

    def export_to(self, fiscal_year: int, path: Path) -> None:
        """The year's definition (loaded, shipped, or the catalog's items) as a workbook."""
        self.message.setText(self.tr("調査の定義を書き出しています…"))
        store = self._ws.store

        def work() -> int:
            definition = year_definition(store, fiscal_year).definition
            write_definition_workbook(definition, path)
            return len(definition.questions)

        def done(questions: int) -> None:
            self.message.setText(
                self.tr("{year} の調査の定義（{questions} 問）を書き出しました: {path}").format(
                    year=format_fiscal_year(fiscal_year), questions=questions, path=path
                )
            )

        def failed(error: BaseException) -> None:
            self.message.clear()
            self._warn(
                self.tr("調査の定義を書き出せませんでした: {reason}").format(
                    reason=error_text(error)
                )
            )

        self._runner.run(work, on_done=done, on_error=failed)

    def _warn(self, text: str) -> None:
        self.message.setText(text)
        QMessageBox.warning(self._parent, self.tr("調査の定義"), text)
