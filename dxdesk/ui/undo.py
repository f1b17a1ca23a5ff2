"""Undo for the last deletion: the records a delete took can be brought back until the next one."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence

from dxdesk.domain.changes import Source
from dxdesk.services.records import RecordFacade, RecordKey
from dxdesk.ui.runner import StoreRunner


@dataclass(frozen=True)
class Deletion:
    facade: RecordFacade
    what: str
    keys: list[RecordKey]


class UndoDelete(QObject):
    restored = Signal(str)  # what came back

    def __init__(self, runner: StoreRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._last: Deletion | None = None
        self.action = QAction(self.tr("元に戻す"), self)
        self.action.setShortcut(QKeySequence.StandardKey.Undo)
        self.action.setEnabled(False)
        self.action.triggered.connect(self.undo)

    def remember(self, facade: RecordFacade, what: str, keys: list[RecordKey]) -> None:
        self._last = Deletion(facade, what, keys)
        self.action.setText(self.tr("元に戻す: {what}の削除").format(what=what))
        self.action.setEnabled(True)

    def undo(self) -> None:
        last, self._last = self._last, None
        self.action.setText(self.tr("元に戻す"))
        self.action.setEnabled(False)
        if last is not None:
            self._runner.run(
                lambda: last.facade.restore(last.keys),
                on_done=lambda _none: self.restored.emit(last.what),
                source=Source.UNDO,  # no panel shows what came back: they read it again
            )
