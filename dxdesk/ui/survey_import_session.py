"""What the person chose in the survey import wizard, and the reads and writes those choices make.

Every read and every write runs on the store's worker. The person's choices (the file, the
fiscal year, columns mapped by hand, rows left out) live in ``ImportSession`` and go into every
new read, so a slow answer never undoes a later choice: only the newest request's plan is shown.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Signal

from dxdesk.domain.changes import Source
from dxdesk.imports.columns import Role
from dxdesk.imports.plan import ImportPlan, ImportRefused, apply_plan, plan_for, read_plan
from dxdesk.services.survey_imports import StoredImport
from dxdesk.services.workspace import Workspace
from dxdesk.ui.refusal_text import error_text
from dxdesk.ui.runner import StoreRunner

CONTEXT = "SurveyImport"  # the translation context of the survey's messages outside a class
AUTO = "auto"  # a column's choice: what the file's header says (the municipality columns)
UNDECIDED = "undecided"  # shown on a column mapped to nothing, until the person chooses


class ImportSession(QObject):
    planned = Signal(object)  # the ImportPlan of the newest choices
    failed = Signal(str)
    busy_changed = Signal(bool)
    applied = Signal(object)  # StoredImport
    apply_failed = Signal(str)

    def __init__(self, workspace: Workspace, runner: StoreRunner, parent: QObject) -> None:
        super().__init__(parent)
        self._ws, self._runner = workspace, runner
        self.path: Path | None = None
        self.fiscal_year: int | None = None
        self.overrides: dict[int, str | None] = {}
        self.excluded: set[int] = set()
        self.auto_roles: dict[int, Role] = {}  # what each column's header says, without overrides
        self.plan: ImportPlan | None = None
        self.applying = False
        self._latest = self._reread_asked = self._completed = self._pending = 0

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def read(self, path: Path, fiscal_year: int | None) -> None:
        if path != self.path:  # another file: choices about the last one do not apply
            self.overrides, self.excluded, self.auto_roles, self.plan = {}, set(), {}, None
        self.path, self.fiscal_year = path, fiscal_year
        self._submit(reread=True)

    def choose_item(self, index: int, item: str | None) -> None:
        """A column's question (its code), None to leave it out, or AUTO for its header's."""
        if item == UNDECIDED:
            return
        if item == AUTO:
            self.overrides.pop(index, None)
        else:
            self.overrides[index] = item
        self._submit(reread=True)

    def exclude(self, rows: frozenset[int], excluded: bool) -> None:
        self.excluded = self.excluded | rows if excluded else self.excluded - rows
        self._submit(reread=False)

    def _submit(self, *, reread: bool) -> None:
        ws, path, year = self._ws, self.path, self.fiscal_year
        assert path is not None
        excluded, overrides = frozenset(self.excluded), dict(self.overrides)
        self._latest += 1
        request = self._latest
        survey = self.plan.survey if self.plan else None
        definition = self.plan.definition if self.plan else None
        if reread or survey is None or self._reread_asked > self._completed:
            self._reread_asked = request

            def call() -> ImportPlan:
                return read_plan(
                    ws, path, fiscal_year=year, exclude_rows=excluded, overrides=overrides or None
                )
        else:

            def call() -> ImportPlan:
                return plan_for(
                    ws, survey, fiscal_year=year, exclude_rows=excluded, definition=definition
                )

        self._started()
        self._runner.run(
            call,
            on_done=lambda plan: self._finished(request, plan, overrides),
            on_error=lambda error: self._failed(request, error),
        )

    def _finished(self, request: int, plan: ImportPlan, overrides: dict[int, str | None]) -> None:
        self._completed = request
        if request == self._latest:
            self.plan = plan
            for column in plan.survey.columns:
                if column.index not in overrides:
                    self.auto_roles[column.index] = column.role
            self.planned.emit(plan)
        self._stopped()

    def _failed(self, request: int, error: BaseException) -> None:
        self._completed = request
        if request == self._latest:
            self.plan = None
            unknown_year = isinstance(error, ImportRefused) and self.fiscal_year is None
            self.failed.emit(
                QCoreApplication.translate(
                    "SurveyImport",
                    "どの年度の調査か、ファイルから分かりません。年度を選んでください。",
                )
                if unknown_year
                else error_text(error)
            )
        self._stopped()

    def apply(self) -> None:
        ws, plan = self._ws, self.plan
        assert plan is not None
        self.applying = True
        self._started()

        def done(stored: StoredImport) -> None:
            self.applying = False
            self.applied.emit(stored)
            self._stopped()

        def failed(error: BaseException) -> None:
            self.applying = False
            self.apply_failed.emit(error_text(error))
            self._stopped()

        # The assessments on screen may be rewritten: told as an import, the panels read them again.
        self._runner.run(
            lambda: apply_plan(ws, plan), on_done=done, on_error=failed, source=Source.IMPORT
        )

    def _started(self) -> None:
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)

    def _stopped(self) -> None:
        self._pending -= 1
        if self._pending == 0:
            self.busy_changed.emit(False)
