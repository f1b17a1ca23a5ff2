"""ファイル → カレンダーに書き出す…: consultations, group sessions and follow-ups' due dates as
an iCalendar file for Outlook or Google Calendar (dxdesk/reports/calendar_export.py), written on
the store's worker; importing it again updates the same entries rather than adding them twice.

It knows the window only as a QMainWindow (its status bar): main_window imports this module,
never the reverse.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox

from dxdesk.reports.calendar_export import CalendarResult, write_calendar
from dxdesk.services.workspace import Workspace
from dxdesk.ui.refusal_text import error_text
from dxdesk.ui.runner import StoreRunner

MESSAGE_MS = 15_000
CALENDAR_FILTER = "iCalendar (*.ics)"


class CalendarActions(QObject):
    def __init__(
        self,
        window: QMainWindow,
        workspace: Workspace,
        runner: StoreRunner,
        *,
        flush: Callable[[], None],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._ws = workspace
        self._runner = runner
        self._flush = flush

    def ask_export(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self._window,
            self.tr("カレンダーに書き出す"),
            str(Path.home() / "DXDesk.ics"),
            CALENDAR_FILTER,
        )
        if name:
            path = Path(name)
            self.export_to(path if path.suffix else path.with_suffix(".ics"))

    def export_to(self, path: Path) -> None:
        """Write the calendar on the worker, then say what went in (or why nothing did)."""
        self._flush()  # what is being typed goes in too
        status = self._window.statusBar()
        status.showMessage(self.tr("カレンダーを書き出しています…"))
        workspace = self._ws

        def done(result: CalendarResult) -> None:
            status.showMessage(
                self.tr(
                    "カレンダーを書き出しました: {path}（相談 {visits} 件、合同の場 {events} 件、"
                    "期限 {due} 件）。Outlook や Google カレンダーに取り込めます"
                ).format(
                    path=path,
                    visits=result.counts["visit"],
                    events=result.counts["event"],
                    due=result.counts["follow_up"],
                ),
                MESSAGE_MS,
            )

        def failed(error: BaseException) -> None:
            message = self.tr("カレンダーを書き出せませんでした: {reason}").format(
                reason=error_text(error)
            )
            status.showMessage(message, MESSAGE_MS)
            QMessageBox.warning(self._window, self.tr("カレンダーに書き出す"), message)

        self._runner.run(
            lambda: write_calendar(workspace, path, start=None, end=None, mine=False),
            on_done=done,
            on_error=failed,
        )
