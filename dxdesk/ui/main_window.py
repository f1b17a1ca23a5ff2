"""The advisor's workspace: their municipalities on the left, the chosen one on the right."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelection, QSettings, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from dxdesk.models.records import RecordFacade, RecordKey
from dxdesk.models.workspace import Workspace
from dxdesk.ui.analysis_panel import AnalysisPanel
from dxdesk.ui.assessment_panel import AssessmentPanel
from dxdesk.ui.engagements_panel import EngagementsPanel
from dxdesk.ui.follow_ups_panel import FollowUpsPanel
from dxdesk.ui.format import level_text
from dxdesk.ui.long_task import LongTask
from dxdesk.ui.overview_panel import OverviewPanel, make_table_view
from dxdesk.ui.runner import StoreRunner
from dxdesk.ui.table_model import ID_ROLE, Column, RecordTableModel, select_record
from dxdesk.ui.undo import UndoDelete

MUNICIPALITY_COLUMNS = (
    Column("name", "市町村", sort_value=lambda r: r["kana"]),
    Column("region", "振興局"),
    Column("level", "支援分類", display=lambda r: level_text(r["level"])),
    Column("last_engagement", "最終相談"),
    Column("open_follow_ups", "未完了", align_right=True),
)


class MainWindow(QMainWindow):
    overview_loaded = Signal()  # the municipality list and follow-ups are on screen
    municipality_shown = Signal(str)  # the chosen municipality's tabs are filled in (its code)

    def __init__(self, workspace: Workspace, *, title: str, settings_file: Path) -> None:
        super().__init__()
        self._ws = workspace
        self._settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
        self.runner = StoreRunner(self)
        self.setWindowTitle(title)
        self._current: str | None = None

        self.filter_edit = QLineEdit(placeholderText="市町村を絞り込む（Ctrl+F）")
        self.filter_edit.setAccessibleName("市町村の絞り込み")
        self.filter_edit.setClearButtonEnabled(True)
        self.municipalities = RecordTableModel(MUNICIPALITY_COLUMNS, id_key="code", parent=self)
        self.municipality_view = make_table_view(self.municipalities, "担当市町村")
        self.municipality_view.setSelectionMode(
            self.municipality_view.SelectionMode.SingleSelection
        )
        proxy = self.municipality_view.model()
        self.filter_edit.textChanged.connect(proxy.setFilterFixedString)  # type: ignore[attr-defined]

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.filter_edit)
        left_layout.addWidget(self.municipality_view)

        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 16pt; font-weight: bold; padding: 4px;")
        self.overview = OverviewPanel()
        self.engagements = EngagementsPanel(workspace, self.runner)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.overview, "概要")
        self.tabs.addTab(self.engagements, "相談記録")
        self.assessment = AssessmentPanel(workspace, self.runner)
        self.tabs.addTab(self.assessment, "アセスメント")
        self.follow_ups = FollowUpsPanel()
        self.tabs.addTab(self.follow_ups, "フォローアップ（全市町村）")
        self.analysis = AnalysisPanel()
        self.tabs.addTab(self.analysis, "分析")
        self._analysis_stale = True
        self.tabs.currentChanged.connect(lambda _i: self._load_analysis_if_shown())
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.heading)
        right_layout.addWidget(self.tabs)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([410, 990])
        self.setCentralWidget(splitter)

        self.sync_state = QLabel()
        self.sync_state.setAccessibleName("同期の状態")
        self.statusBar().addPermanentWidget(self.sync_state)
        self.runner.failed.connect(lambda message: self.statusBar().showMessage(message, 10000))

        self.municipality_view.selectionModel().selectionChanged.connect(self._selected)
        self.engagements.changed.connect(self.refresh)
        self.undo = UndoDelete(self.runner, self)
        self.engagements.deleted.connect(self._deleted)
        self.assessment.deleted.connect(self._deleted)
        self.assessment.changed.connect(self._reload)
        self.undo.restored.connect(self._restored)
        self._build_menus()

        geometry = self._settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        self.refresh()

    # -- loading ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the municipality list and the sync state from the store (off the UI thread).

        The list comes first; the follow-ups of every municipality, a longer read, after the
        chosen municipality's own tabs.
        """

        def load() -> tuple[list[dict[str, Any]], int]:
            return self._ws.municipalities.overview(), self._ws.store.pending_record_count()

        self.runner.run(load, on_done=self._show_overview)
        self._analysis_stale = True
        self._load_analysis_if_shown()

    def _show_overview(self, result: tuple[list[dict[str, Any]], int]) -> None:
        records, pending = result
        selected = self._current or self._settings.value("selection/municipality")
        self.municipalities.set_records(records)
        self.sync_state.setText(f"未接続 — 変更 {pending} 件は端末内に保存済み")
        self._select_code(selected if isinstance(selected, str) else None)
        self.overview_loaded.emit()

        today = date.today()
        codes = [m["code"] for m in records]
        names = {m["code"]: m["name"] for m in records}
        self.runner.run(
            lambda: self._ws.follow_ups.open_items(today=today, municipalities=codes),
            on_done=lambda items: self.follow_ups.show_items(items, names, today),
        )

    def _load_analysis_if_shown(self) -> None:
        """The 分析 figures read every assessment: computed when someone looks at them."""
        if self.tabs.currentWidget() is self.analysis and self._analysis_stale:
            self._analysis_stale = False
            self.runner.run(self._ws.analysis.tables, on_done=self.analysis.show_analysis)

    def _select_code(self, code: str | None) -> None:
        select_record(self.municipality_view, code)

    def _selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if not indexes:
            return
        code = indexes[0].data(ID_ROLE)
        if code == self._current:
            return
        self._current = code
        self._settings.setValue("selection/municipality", code)
        self._load_municipality(code)

    def _load_municipality(self, code: str) -> None:

        def load() -> dict[str, Any]:
            return {
                "municipality": self._ws.municipalities.get(code),
                "contacts": self._ws.contacts.list_records(municipality=code),
                "assessments": self._ws.assessments.list_records(municipality=code),
                "engagements": self._ws.engagements.list_records(municipality=code),
            }

        self.runner.run(load, on_done=self._show_municipality)

    def _show_municipality(self, data: dict[str, Any]) -> None:
        municipality = data["municipality"]
        if municipality["code"] != self._current:
            return  # the user moved on while this loaded
        self.heading.setText(f"{municipality['name']}　{municipality['region']}")
        self.overview.show_municipality(municipality, data["contacts"], data["assessments"])
        self.engagements.show_engagements(municipality["code"], data["engagements"])
        self.assessment.show_assessments(municipality["code"], data["assessments"])
        self.municipality_shown.emit(municipality["code"])

    # -- actions ---------------------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("ファイル(&F)")
        backup_action = file_menu.addAction("バックアップを作成(&B)…")
        backup_action.triggered.connect(self._ask_backup)
        file_menu.addSeparator()
        quit_action = file_menu.addAction("終了(&X)")
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        edit_menu = self.menuBar().addMenu("編集(&E)")
        edit_menu.addAction(self.undo.action)
        edit_menu.addSeparator()
        new_action = edit_menu.addAction("相談記録を追加")
        new_action.setShortcut(QKeySequence.StandardKey.New)
        new_action.triggered.connect(self._new_engagement)
        find_action = edit_menu.addAction("市町村を絞り込む")
        find_action.setShortcut(QKeySequence.StandardKey.Find)
        find_action.triggered.connect(self._focus_filter)

    def _ask_backup(self) -> None:
        name = f"dxdesk-backup-{date.today().isoformat()}.sqlite3"
        path, _filter = QFileDialog.getSaveFileName(
            self, "バックアップの保存先", str(Path.home() / name), "SQLite (*.sqlite3)"
        )
        if path:
            self.backup_to(Path(path))

    def backup_to(self, target: Path) -> LongTask:
        """Copy the store to ``target`` with progress and Cancel; the window stays responsive."""
        self.engagements.editor.flush()
        self.assessment.form.flush()
        task = LongTask(
            self,
            self.runner,
            title="バックアップ",
            label=f"{target.name} にコピーしています…",
            work=lambda progress: self._ws.store.backup(target, progress=progress),
        )
        status = self.statusBar()
        task.finished.connect(
            lambda path: status.showMessage(f"バックアップしました: {path}", 10000)
        )
        task.cancelled.connect(lambda: status.showMessage("バックアップを中止しました", 10000))
        task.failed.connect(lambda message: QMessageBox.warning(self, "バックアップ", message))
        task.start()
        return task

    def _deleted(self, facade: RecordFacade, what: str, keys: list[RecordKey]) -> None:
        self.undo.remember(facade, what, keys)
        self.statusBar().showMessage(f"{what}を削除しました（Ctrl+Z で元に戻せます）", 15000)

    def _restored(self, what: str) -> None:
        self.statusBar().showMessage(f"{what}を元に戻しました", 10000)
        self._reload()

    def _reload(self) -> None:
        """Reload the list and the chosen municipality (after an undo or a confirmed level)."""
        self.refresh()
        if self._current is not None:
            self._load_municipality(self._current)

    def _new_engagement(self) -> None:
        self.tabs.setCurrentWidget(self.engagements)
        self.engagements.new_engagement()

    def _focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.engagements.editor.flush()
        self.assessment.form.flush()
        self.runner.wait_idle()
        self._settings.setValue("window/geometry", self.saveGeometry())
        self._settings.sync()
        super().closeEvent(event)
