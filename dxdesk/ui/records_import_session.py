"""What the person chose in the records import wizard, and the reads and writes those choices make.

As in the survey import (``survey_import_session``), every read and every write runs on the
store's worker, and the person's choices (the kind, the file, the sheet, columns mapped by
hand, rows left out) live here and go into every new read: a slow answer never undoes a later
choice, since only the newest request's plan is shown.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from dxdesk.domain.changes import Source
from dxdesk.domain.roster import Municipality, load_roster
from dxdesk.imports.records_import import apply_records, plan_records
from dxdesk.imports.records_plan import RecordsPlan
from dxdesk.services.workspace import Workspace
from dxdesk.ui.refusal_text import error_text
from dxdesk.ui.runner import StoreRunner


class RecordsImportSession(QObject):
    planned = Signal(object)  # the RecordsPlan of the newest choices
    failed = Signal(str)  # why the newest choices could not be read (for a person)
    busy_changed = Signal(bool)
    applied = Signal(object, int)  # the RecordsPlan that was written, records written
    apply_failed = Signal(str)  # why nothing was written; a fresh plan of the same choices follows

    def __init__(self, workspace: Workspace, runner: StoreRunner, parent: QObject) -> None:
        super().__init__(parent)
        self._ws, self._runner = workspace, runner
        self.kind = ""
        self.path: Path | None = None
        self.sheet: str | None = None  # None: the sheet plan_records finds best
        self.sheet_chosen = False  # the person chose self.sheet (else it is the one found best)
        # 0-based column -> field, or None (unused); the key type is plan_records' (str: a header)
        self.overrides: dict[str | int, str | None] = {}
        self.skipped: frozenset[int] = frozenset()  # 1-based sheet rows left out
        self.plan: RecordsPlan | None = None
        self.failure = ""
        self.applying = False
        self.roster: tuple[Municipality, ...] = load_roster()
        self._latest = self._pending = 0

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def read(self, kind: str, path: Path) -> None:
        if (kind, path) != (self.kind, self.path):  # choices about another file do not apply
            self.overrides, self.skipped, self.plan = {}, frozenset(), None
            self.sheet, self.sheet_chosen = None, False
        elif not self.sheet_chosen:  # the file may have changed: find its best sheet again
            self.sheet = None
        self.kind, self.path = kind, path
        self._submit()

    def choose_sheet(self, name: str) -> None:
        """Import this sheet of the workbook. The columns mapped and the rows left out name the
        other sheet's columns and rows, so they are dropped."""
        if name == self.sheet:  # picking the shown sheet again keeps the columns and rows chosen
            return
        self.sheet, self.sheet_chosen = name, True
        self.overrides, self.skipped = {}, frozenset()
        self._submit()

    @property
    def sheets(self) -> list[str]:
        """The sheets with a header of this kind (the one read first), in the workbook's order;
        one name when there is nothing to choose."""
        plan = self.plan
        if plan is None:
            return []
        names = {plan.sheet, *plan.other_sheets}
        return [name for name in plan.sheet_order if name in names]

    def map_column(self, index: int, field: str | None) -> None:
        """The person chose what a column holds (None: the column is not used)."""
        self.overrides[index] = field
        self._submit()

    def skip(self, rows: frozenset[int]) -> None:
        """Leave these sheet rows out of the import (an empty set puts every row back)."""
        self.skipped = rows
        self._submit()

    def reread(self) -> None:
        """Read the file again with the same choices (the last read failed, e.g. a locked store)."""
        self._submit()

    def forget(self) -> None:
        """Drop the answers of the reads still running (the wizard was closed): none is shown."""
        self._latest += 1

    def _submit(self) -> None:
        ws, kind, path, roster, sheet = self._ws, self.kind, self.path, self.roster, self.sheet
        assert path is not None
        overrides, skipped = dict(self.overrides), self.skipped
        self._latest += 1
        request = self._latest

        def call() -> RecordsPlan:
            return plan_records(
                ws, kind, path, overrides or None, roster=roster, skip_rows=skipped, sheet=sheet
            )

        self._started()
        self._runner.run(
            call,
            on_done=lambda plan: self._finished(request, plan),
            on_error=lambda error: self._failed(request, error),
        )

    def _finished(self, request: int, plan: RecordsPlan) -> None:
        if request == self._latest:
            self.plan, self.failure = plan, ""
            # The sheet read stays the one read: a column mapped by hand applies to every sheet
            # and could make another the best, so later reads name it.
            self.sheet = plan.sheet
            self.planned.emit(plan)
        self._stopped()

    def _failed(self, request: int, error: BaseException) -> None:
        if request == self._latest:
            self.failure = error_text(error)
            self.failed.emit(self.failure)
        self._stopped()

    def apply(self) -> None:
        ws, plan = self._ws, self.plan
        assert plan is not None
        self.applying = True
        self._started()

        def done(written: int) -> None:
            self.applying = False
            self.applied.emit(plan, written)
            self._stopped()

        def failed(error: BaseException) -> None:
            # Nothing was written (one transaction). The plan is not offered again: whatever
            # refused it (the same rows written meanwhile by a sync or another import, an
            # assignment narrowed, a locked database) is read afresh with the same choices.
            self.applying = False
            self.apply_failed.emit(error_text(error))
            self._submit()
            self._stopped()

        # Told as an import: the window reads again whatever it shows of what was written.
        self._runner.run(
            lambda: apply_records(ws, plan), on_done=done, on_error=failed, source=Source.IMPORT
        )

    def _started(self) -> None:
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)

    def _stopped(self) -> None:
        self._pending -= 1
        if self._pending == 0:
            self.busy_changed.emit(False)
