"""A report's PDF pages on screen before printing or saving (印刷プレビュー).

The report is written on the store's worker into a temporary folder that goes when the dialog
closes; each render gets a new file name, so the document on screen is never overwritten while
it is open (Windows refuses to replace an open file).

A report with two editions (the visit's 配布用 and 内部用) offers them in a drop-down, which
replaces the 取扱注意 box: the internal edition is always stamped, the other never.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Sequence
from enum import Enum
from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dxdesk.domain.errors import DomainError
from dxdesk.ui.choice_box import ChoiceBox
from dxdesk.ui.refusal_text import error_text
from dxdesk.ui.runner import StoreRunner


class Edition(Enum):
    """The copy of a report the preview asks for. The visit has two editions, chosen in the
    drop-down: its 配布用 and its 内部用 (the notes too, stamped 取扱注意). Any other report has
    one, and the 取扱注意 box chooses whether the copy is stamped."""

    DISTRIBUTION = "distribution"  # 配布用, or unstamped: to hand out
    INTERNAL = "internal"  # 内部用, or stamped 取扱注意


# Writes the report's edition at the path and returns the file name to suggest when saving,
# e.g. "相談記録_2025-06-12_和歌山市.pdf". Runs on the store's worker.
Render = Callable[[Path, Edition], str]

MAX_PRINT_DPI = 300  # sharp on paper; a 600 dpi A4 page would be a 140 MB image


class ReportPreview(QDialog):
    rendered = Signal()  # a new rendering is on screen
    render_failed = Signal(str)

    def __init__(
        self,
        parent: QWidget,
        runner: StoreRunner,
        *,
        title: str,
        render: Render,
        editions: Sequence[str] = (),
        editions_tip: str = "",
    ) -> None:
        """``editions``: the labels of a report's two editions, the first the default."""
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self._runner = runner
        self._render = render
        self._tmp = tempfile.TemporaryDirectory(
            prefix="dxdesk-preview-", ignore_cleanup_errors=True
        )
        self._generation = 0
        self._closed = False
        self.pdf_path: Path | None = None
        self.file_name = "report.pdf"
        self.render_count = 0
        self.printer: QPrinter | None = None

        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setAccessibleName(self.tr("報告のページ"))

        self.page_label = QLabel()
        self.state_label = QLabel()
        self.state_label.setWordWrap(True)
        self.confidential_box = QCheckBox(self.tr("取扱注意"))
        self.confidential_box.setToolTip(self.tr("各ページに「取扱注意」の印を付けます"))
        self.confidential_box.toggled.connect(lambda _on: self.start())
        self.edition_box = ChoiceBox()
        self.edition_box.addItems(list(editions))
        self.edition_box.setAccessibleName(self.tr("印刷する版"))
        self.edition_box.setToolTip(editions_tip)
        self.edition_box.currentIndexChanged.connect(lambda _index: self.start())
        self._has_editions = bool(editions)
        self.edition_box.setVisible(self._has_editions)
        self.confidential_box.setVisible(not self._has_editions)
        self.print_button = QPushButton(self.tr("印刷…"))
        self.print_button.clicked.connect(self.ask_print)
        self.save_button = QPushButton(self.tr("保存…"))
        self.save_button.clicked.connect(self.ask_save)
        self.close_button = QPushButton(self.tr("閉じる"))
        self.close_button.clicked.connect(self.reject)

        buttons = QHBoxLayout()
        buttons.addWidget(self.page_label)
        buttons.addWidget(self.state_label, 1)
        buttons.addWidget(self.edition_box)
        buttons.addWidget(self.confidential_box)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self._fit_to_screen()
        self._set_ready(False)

    def _fit_to_screen(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        height = 900 if screen is None else min(900, int(screen.availableGeometry().height() * 0.9))
        self.resize(round(height * 0.8), height)

    # -- rendering -------------------------------------------------------------------------

    def start(self) -> None:
        """Write the report anew (on the worker), then show it."""
        self._generation += 1
        generation = self._generation
        path = Path(self._tmp.name) / f"preview-{generation}.pdf"
        if self._has_editions:
            internal = self.edition_box.currentIndex() == 1
        else:
            internal = self.confidential_box.isChecked()
        edition = Edition.INTERNAL if internal else Edition.DISTRIBUTION
        self._set_ready(False)
        self.state_label.setText(self.tr("作成しています…"))
        self._runner.run(
            lambda: self._render(path, edition),
            on_done=lambda name: self._show(generation, path, name),
            on_error=lambda error: self._failed(generation, error),
        )

    def _show(self, generation: int, path: Path, file_name: str) -> None:
        if self._closed or generation != self._generation:
            path.unlink(missing_ok=True)  # a newer rendering is on its way
            return
        old = self.pdf_path
        self.document.load(str(path))  # closes the old document first
        if old is not None:
            old.unlink(missing_ok=True)
        self.pdf_path = path
        if self.document.status() != QPdfDocument.Status.Ready:
            self.pdf_path = None
            self._failed(generation, DomainError(self.tr("作成した PDF を開けません")))
            return
        self.file_name = file_name
        count = self.document.pageCount()
        self.page_label.setText(self.tr("{count} ページ").format(count=count))
        self.state_label.setText("")
        self._set_ready(True)
        self.render_count += 1
        self.rendered.emit()

    def _failed(self, generation: int, error: BaseException) -> None:
        if self._closed or generation != self._generation:
            return
        message = self.tr("報告を作成できませんでした: {reason}").format(reason=error_text(error))
        self.state_label.setText(message)
        self.confidential_box.setEnabled(True)  # to try again
        self.edition_box.setEnabled(True)
        self.render_failed.emit(message)

    def _set_ready(self, ready: bool) -> None:
        self.print_button.setEnabled(ready)
        self.save_button.setEnabled(ready)
        self.confidential_box.setEnabled(ready)
        self.edition_box.setEnabled(ready)

    # -- print and save --------------------------------------------------------------------

    def ask_print(self) -> None:
        if self.printer is None:  # kept: a second print starts from the same choices
            self.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            self.printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        self.printer.setDocName(Path(self.file_name).stem)
        dialog = QPrintDialog(self.printer, self)
        dialog.setWindowTitle(self.tr("印刷"))
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(self.printer)

    def print_to(self, printer: QPrinter) -> int:
        """Paint every page onto ``printer``, each scaled to fit the paper; returns the pages."""
        count = self.document.pageCount()
        if count == 0:
            return 0
        printer.setFullPage(True)  # the PDF has its own margins; map it onto the whole sheet
        dpi = min(printer.resolution(), MAX_PRINT_DPI)
        painter = QPainter()
        if not painter.begin(printer):
            QMessageBox.warning(self, self.tr("印刷"), self.tr("プリンターを開けませんでした"))
            return 0
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            sheet = QRectF(printer.paperRect(QPrinter.Unit.DevicePixel))
            for page in range(count):
                if page > 0:
                    printer.newPage()
                points = self.document.pagePointSize(page)
                scale = min(sheet.width() / points.width(), sheet.height() / points.height())
                target = QRectF(0, 0, points.width() * scale, points.height() * scale)
                target.moveCenter(sheet.center())
                painter.drawImage(target, self._page_image(page, dpi))
        finally:
            painter.end()
            QGuiApplication.restoreOverrideCursor()
        return count

    def _page_image(self, page: int, dpi: int) -> QImage:
        """The page at ``dpi`` on white paper (pdfium leaves the background transparent)."""
        points = self.document.pagePointSize(page)
        size = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
        image = QImage(size, QImage.Format.Format_RGB32)
        image.fill(QColor(Qt.GlobalColor.white))
        painter = QPainter(image)
        painter.drawImage(0, 0, self.document.render(page, size))
        painter.end()
        return image

    def ask_save(self) -> None:
        suggested = str(Path.home() / self.file_name)
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("PDF の保存先"), suggested, "PDF (*.pdf)"
        )
        if path:
            target = Path(path)
            self.save_to(target if target.suffix.lower() == ".pdf" else target.with_suffix(".pdf"))

    def save_to(self, target: Path) -> bool:
        if self.pdf_path is None:
            return False
        try:
            shutil.copyfile(self.pdf_path, target)
        except OSError as exc:
            message = self.tr("{path} に保存できませんでした: {reason}").format(
                path=target, reason=exc.strerror or exc
            )
            QMessageBox.warning(self, self.tr("保存"), message)
            return False
        self.state_label.setText(self.tr("保存しました: {path}").format(path=target))
        return True

    # -- closing ---------------------------------------------------------------------------

    def done(self, result: int) -> None:
        if not self._closed:
            self._closed = True
            self.document.close()
            # After any rendering still queued on the worker, which writes into the folder.
            # (Should the worker be gone, the folder is removed when Python exits.)
            try:
                self._runner.run(self._tmp.cleanup)
            except RuntimeError:
                self._tmp.cleanup()
        super().done(result)


class OnePreview:
    """At most one print preview open for its owner: showing a new one closes the last."""

    def __init__(self) -> None:
        self.current: ReportPreview | None = None

    def show(self, preview: ReportPreview) -> ReportPreview:
        if self.current is not None:
            self.current.close()  # the newest choice replaces it
        preview.finished.connect(lambda _result: self._forget(preview))
        self.current = preview
        preview.show()
        preview.start()
        return preview

    def _forget(self, preview: ReportPreview) -> None:
        if self.current is preview:
            self.current = None
        preview.deleteLater()
