"""ファイル → 書き出す…: every record as one Excel workbook (dxdesk/reports/xlsx_export.py) or
one kind as a CSV file (dxdesk/reports/csv_export.py), the same files as ``dxdesk export xlsx``
and ``dxdesk export csv KIND``; written on the store's worker, the result in the status bar.

It knows the window only as a QMainWindow (its status bar): main_window imports this module,
never the reverse.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMainWindow, QMessageBox

from dxdesk.reports.csv_export import export_csv
from dxdesk.reports.xlsx_export import KIND_SHEETS, export_xlsx
from dxdesk.services.workspace import Workspace
from dxdesk.ui.format import QT_TRANSLATE_NOOP
from dxdesk.ui.refusal_text import error_text
from dxdesk.ui.runner import StoreRunner

MESSAGE_MS = 15_000
XLSX_FILTER = "Excel (*.xlsx)"
CSV_FILTER = "CSV (*.csv)"

# The kinds by the names people know them by (the workbook's sheet names, which stay Japanese
# in the file); a kind added to KIND_SHEETS without a label here is offered by its sheet name.
KIND_LABELS = {
    "visit": QT_TRANSLATE_NOOP("Export", "相談記録"),
    "interview": QT_TRANSLATE_NOOP("Export", "ヒアリング"),
    "followup": QT_TRANSLATE_NOOP("Export", "フォローアップ"),
    "contact": QT_TRANSLATE_NOOP("Export", "連絡先"),
    "assessment": QT_TRANSLATE_NOOP("Export", "アセスメント"),
    "article": QT_TRANSLATE_NOOP("Export", "ナレッジ"),
    "event": QT_TRANSLATE_NOOP("Export", "合同の場"),
    "cadence": QT_TRANSLATE_NOOP("Export", "定例の間隔"),
    "programme_plan": QT_TRANSLATE_NOOP("Export", "年度計画"),
    "attachment": QT_TRANSLATE_NOOP("Export", "添付ファイルの一覧"),
}


def kind_label(kind: str) -> str:
    label = KIND_LABELS.get(kind)
    return QCoreApplication.translate("Export", label) if label else KIND_SHEETS[kind]


class ExportActions(QObject):
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

    def choices(self) -> list[tuple[str | None, str]]:
        """What can be written, in the order offered: None is the whole workbook."""
        workbook = self.tr("すべての記録（Excel ブック）")
        csv = [
            (kind, self.tr("{kind}（CSV）").format(kind=kind_label(kind))) for kind in KIND_SHEETS
        ]
        return [(None, workbook), *csv]

    def ask_export(self) -> None:
        """Ask what to write, then where; a cancel at either step writes nothing."""
        choices = self.choices()
        text, chosen = QInputDialog.getItem(
            self._window,
            self.tr("書き出す"),
            self.tr("書き出すもの:"),
            [label for _kind, label in choices],
            0,
            False,
        )
        if not chosen:
            return
        kind = next(kind for kind, label in choices if label == text)
        suffix, file_filter = (".xlsx", XLSX_FILTER) if kind is None else (".csv", CSV_FILTER)
        stem = "DXDesk" if kind is None else KIND_SHEETS[kind]
        name, _filter = QFileDialog.getSaveFileName(
            self._window, self.tr("書き出す"), str(Path.home() / f"{stem}{suffix}"), file_filter
        )
        if name:
            path = Path(name)
            self.export_to(path if path.suffix else path.with_suffix(suffix), kind)

    def export_to(self, path: Path, kind: str | None) -> None:
        """Write the workbook (``kind`` None) or one kind's CSV on the worker, then say so."""
        self._flush()  # what is being typed goes in too
        status = self._window.statusBar()
        status.showMessage(self.tr("書き出しています…"))
        workspace = self._ws

        def done(rows: int) -> None:
            if kind is None:
                message = self.tr("Excel に書き出しました: {path}（{rows} 件）")
            else:
                message = self.tr("CSV に書き出しました: {path}（{rows} 件）")
            status.showMessage(message.format(path=path, rows=rows), MESSAGE_MS)

        def failed(error: BaseException) -> None:
            message = self.tr("書き出せませんでした: {reason}").format(reason=error_text(error))
            status.showMessage(message, MESSAGE_MS)
            QMessageBox.warning(self._window, self.tr("書き出す"), message)

        def write() -> int:
            if kind is None:
                return sum(export_xlsx(workspace, path).values())
            return export_csv(workspace, kind, path)

        self._runner.run(write, on_done=done, on_error=failed)
