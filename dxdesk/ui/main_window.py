"""The advisor's workspace: their municipalities on the left, the chosen one on the right.

The window builds its panels and wires them; it names none of them when the store changes.
Every write and event reaches each panel as one ``Changes`` on ``runner.changed``, and each
decides for itself what to read again and what to keep (DESIGN §7). The window's own share is
the municipality list and the chosen municipality's load, which fills the tabs.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelection, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QActionGroup, QCloseEvent, QKeySequence
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

from dxdesk.domain.changes import Changes, Source
from dxdesk.services.records import RecordFacade, RecordKey
from dxdesk.services.workspace import Workspace
from dxdesk.sync.api_client import WipeOrdered
from dxdesk.ui.analysis_panel import AnalysisPanel
from dxdesk.ui.assessment_panel import AssessmentPanel
from dxdesk.ui.attachments_panel import set_file_fetcher
from dxdesk.ui.autosave import AutosaveForm, flush_forms
from dxdesk.ui.backup_actions import BackupActions
from dxdesk.ui.calendar_actions import CalendarActions
from dxdesk.ui.engagements_panel import EngagementsPanel
from dxdesk.ui.events_panel import EventsPanel
from dxdesk.ui.export_actions import ExportActions
from dxdesk.ui.follow_ups_panel import FollowUpsPanel
from dxdesk.ui.knowledge_actions import KnowledgeActions, Place
from dxdesk.ui.language import LANGUAGE_NAMES, LANGUAGE_SETTING, language_setting
from dxdesk.ui.list_editor import columns_width
from dxdesk.ui.long_task import LongTask
from dxdesk.ui.municipality_list import moves_list, municipality_model
from dxdesk.ui.overview_panel import OverviewPanel, make_table_view
from dxdesk.ui.plan_consultations_dialog import ask_plan_consultations
from dxdesk.ui.records_wizard import open_records_import
from dxdesk.ui.report_actions import OnScreen, ReportActions
from dxdesk.ui.runner import StoreRunner
from dxdesk.ui.survey_answer_sheet import ask_answer_sheet
from dxdesk.ui.survey_panel import SurveyPanel
from dxdesk.ui.survey_wizard import SurveyImportWizard, show_import_wizard
from dxdesk.ui.sync_controller import SyncController
from dxdesk.ui.sync_status import SyncState, read_state
from dxdesk.ui.table_model import ID_ROLE, select_record
from dxdesk.ui.undo import UndoDelete
from dxdesk.ui.unsaved_notice import confirm_close
from dxdesk.ui.wipe_notice import wipe_and_close

INDEX_AFTER_START_MS = 3000  # the search index catches up after start-up, not during it


def moves_municipality(changes: Changes, code: str | None) -> bool:
    """The chosen municipality's tabs should be filled again from the store: records of it came
    from elsewhere (a sync, an undo, an import, a settled conflict, a restore). The window's own
    edits each tab shows, or reads again itself (概要)."""
    if code is None or changes.source is Source.EDIT or not changes.concerns(code):
        return False
    return changes.everything or bool(changes.kinds)


class MainWindow(QMainWindow):
    overview_loaded = Signal()  # the municipality list and follow-ups are on screen
    municipality_shown = Signal(str)  # the chosen municipality's tabs are filled in (its code)

    def __init__(
        self,
        workspace: Workspace,
        *,
        title: str,
        settings_file: Path,
        automatic_backups: bool = False,
    ) -> None:
        super().__init__()
        self._ws = workspace
        self._settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
        self.runner = StoreRunner(self, collect=workspace.collect_changes)
        self.setWindowTitle(title)
        self._current: str | None = None
        self._survey_wizard: SurveyImportWizard | None = None
        # False where nobody can answer the close question (--smoke): close without asking.
        self.ask_before_closing = True

        self.filter_edit = QLineEdit(placeholderText=self.tr("市町村を絞り込む（Ctrl+L）"))
        self.filter_edit.setAccessibleName(self.tr("市町村の絞り込み"))
        self.filter_edit.setClearButtonEnabled(True)
        self.municipalities = municipality_model(self)
        self.municipality_view = make_table_view(self.municipalities, self.tr("担当市町村"))
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
        self.overview = OverviewPanel(workspace, self.runner)
        self.engagements = EngagementsPanel(workspace, self.runner)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.overview, self.tr("概要"))
        self.tabs.addTab(self.engagements, self.tr("相談記録"))
        self.assessment = AssessmentPanel(workspace, self.runner)
        self.tabs.addTab(self.assessment, self.tr("アセスメント"))
        self.survey = SurveyPanel(workspace, self.runner)
        self.tabs.addTab(self.survey, self.tr("調査"))
        self.follow_ups = FollowUpsPanel(workspace, self.runner)
        self.tabs.addTab(self.follow_ups, self.tr("フォローアップ（全市町村）"))
        self.events = EventsPanel(workspace, self.runner)
        self.tabs.addTab(self.events, self.tr("合同の場"))
        self.analysis = AnalysisPanel()
        self.tabs.addTab(self.analysis, self.tr("分析"))
        self.analysis.follow(self.runner, workspace.analysis)
        self.knowledge = KnowledgeActions(self, workspace, self.runner, self.show_place)
        self.tabs.addTab(self.knowledge.panel, self.tr("ナレッジ"))
        self.tabs.addTab(self.knowledge.know_who, self.tr("ノウフー"))
        self._knowledge_loaded = False
        self.tabs.currentChanged.connect(lambda _i: self._load_knowledge_if_shown())
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.heading)
        right_layout.addWidget(self.tabs)

        self.splitter = QSplitter()
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([410, 990])
        self._list_fitted = False
        self.setCentralWidget(self.splitter)

        self.sync = SyncController(
            self, workspace, self.runner, self._settings, before_sync=self._flush
        )
        self.sync_state = self.sync.status.state_label
        self.sync.wipe_ordered.connect(self._wipe)
        self.wiped = False
        set_file_fetcher(self, self.sync)  # 「開く」 on a file not here fetches it first
        self.statusBar().addPermanentWidget(self.sync.status)
        self._restore_visit: str | None = None  # to open once its municipality is shown
        self.runner.failed.connect(lambda message: self.statusBar().showMessage(message, 10000))
        # The list and the chosen municipality; every panel hears the same notice itself.
        self.runner.changed.connect(self._store_changed)

        self.municipality_view.selectionModel().selectionChanged.connect(self._selected)
        self.undo = UndoDelete(self.runner, self)
        self.engagements.deleted.connect(self._deleted)
        self.knowledge.panel.deleted.connect(self._deleted)
        self.follow_ups.deleted.connect(self._deleted)  # a follow-up's file, undone like records
        self.events.deleted.connect(self._deleted)
        self.engagements.open_event.connect(self._open_event)
        self.engagements.editor.share_requested.connect(self.knowledge.share)
        self.assessment.deleted.connect(self._deleted)
        self.undo.restored.connect(self._restored)
        self.backups = BackupActions(
            self,
            workspace.store,
            self.runner,
            flush=self._flush,
            sync_busy=lambda: self.sync.busy,
            sync_now=self.sync.sync_now,
        )
        self._build_menus()

        geometry = self._settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        self.refresh()
        # Anything written before the index knew of it, once the window has its data on screen.
        self.municipality_shown.connect(self._index_once)
        if automatic_backups:
            self.backups.start_automatic()

    def _index_once(self, _code: str) -> None:
        self.municipality_shown.disconnect(self._index_once)
        QTimer.singleShot(INDEX_AFTER_START_MS, self.knowledge.indexer.start)

    # -- loading ---------------------------------------------------------------------------

    def refresh(self, *, status: bool = True, follow_ups: bool = True) -> None:
        """Reload the municipality list and the sync state from the store (off the UI thread).

        The list comes first; the follow-ups of every municipality, a longer read, after the
        chosen municipality's own tabs. ``status=False`` leaves the sync state as it is;
        ``follow_ups=False`` reads the follow-ups only if the list's municipalities changed
        (the panel reads them itself when they are written).
        """

        def load() -> tuple[list[dict[str, Any]], SyncState | None]:
            state = read_state(self._ws.store) if status else None
            return self._ws.municipalities.overview(), state

        self.runner.run(load, on_done=lambda result: self._show_overview(result, follow_ups))

    def _show_overview(
        self, result: tuple[list[dict[str, Any]], SyncState | None], follow_ups: bool
    ) -> None:
        records, sync_state = result
        selected = self._current or self._settings.value("selection/municipality")
        self.municipalities.set_records(records)
        if sync_state is not None:
            self.sync.show_state(sync_state)
        self._select_code(selected if isinstance(selected, str) else None)
        self._fit_list_width()
        self.overview_loaded.emit()
        names = {m["code"]: m["name"] for m in records}
        self.follow_ups.show_municipalities(names, read=follow_ups)

    def _fit_list_width(self) -> None:
        """Widen the list once, when it first has rows, so that every column shows.

        Japanese fits the default width; English headers and level names run longer.
        """
        if self._list_fitted or self.municipalities.rowCount() == 0:
            return
        self._list_fitted = True
        needed = columns_width(self.municipality_view)
        left, right = self.splitter.sizes()
        if needed > left:
            self.splitter.setSizes([needed, max(left + right - needed, 0)])

    def _store_changed(self, changes: Changes) -> None:
        """The list and the chosen municipality, read again when the change concerns them (the
        sync controller shows the changes waiting to be sent itself)."""
        if moves_list(changes):
            self.refresh(status=False, follow_ups=False)
        if moves_municipality(changes, self._current):
            assert self._current is not None
            self._load_municipality(self._current)

    def _load_knowledge_if_shown(self) -> None:
        """The ナレッジ list is read when someone first looks at it (ノウフー reads itself)."""
        shown = self.tabs.currentWidget()
        if shown in (self.knowledge.panel, self.knowledge.know_who) and not self._knowledge_loaded:
            self._knowledge_loaded = True
            self.knowledge.panel.reload()

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
                "events": self._ws.events.for_municipality(code),
            }

        self.runner.run(load, on_done=self._show_municipality)

    def _show_municipality(self, data: dict[str, Any]) -> None:
        municipality = data["municipality"]
        if municipality["code"] != self._current:
            return  # the user moved on while this loaded
        self.heading.setText(f"{municipality['name']}　{municipality['region']}")
        self.overview.show_municipality(municipality, data["contacts"], data["assessments"])
        self.engagements.show_engagements(municipality["code"], data["engagements"], data["events"])
        self.assessment.show_assessments(municipality["code"], data["assessments"])
        if self._restore_visit is not None:
            self.engagements.select(self._restore_visit)
            self._restore_visit = None
        self.municipality_shown.emit(municipality["code"])

    # -- actions ---------------------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("ファイル(&F)"))
        self.sync.add_to_menu(file_menu)
        file_menu.addSeparator()
        backup_action = file_menu.addAction(self.tr("バックアップを作成(&B)…"))
        backup_action.triggered.connect(self._ask_backup)
        self.backups.add_to_menu(file_menu)
        file_menu.addSeparator()
        sheet_action = file_menu.addAction(self.tr("回答票を作成(&T)…"))
        sheet_action.triggered.connect(lambda: ask_answer_sheet(self, self._ws, self.runner))
        import_action = file_menu.addAction(self.tr("調査の回答を取り込む(&I)…"))
        import_action.triggered.connect(self.open_survey_import)
        records_action = file_menu.addAction(self.tr("記録を取り込む(&M)…"))
        records_action.triggered.connect(lambda: open_records_import(self, self._ws, self.runner))
        self.survey.use_actions(sheet_action, import_action)  # the 調査 tab's buttons
        file_menu.addSeparator()
        self.reports = ReportActions(
            self, self._ws, self.runner, on_screen=self._on_screen, flush=self._flush
        )
        self.reports.add_to_menu(file_menu)
        plan_action = file_menu.addAction(self.tr("定例よろず相談を予定する(&N)…"))
        plan_action.triggered.connect(lambda: ask_plan_consultations(self, self._ws, self.runner))
        self.calendar = CalendarActions(self, self._ws, self.runner, flush=self._flush)
        calendar_action = file_menu.addAction(self.tr("カレンダーに書き出す(&C)…"))
        calendar_action.triggered.connect(self.calendar.ask_export)
        self.exports = ExportActions(self, self._ws, self.runner, flush=self._flush)
        export_action = file_menu.addAction(self.tr("書き出す(&E)…"))
        export_action.triggered.connect(self.exports.ask_export)
        file_menu.addSeparator()
        quit_action = file_menu.addAction(self.tr("終了(&X)"))
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        edit_menu = self.menuBar().addMenu(self.tr("編集(&E)"))
        edit_menu.addAction(self.undo.action)
        edit_menu.addSeparator()
        new_action = edit_menu.addAction(self.tr("相談記録を追加"))
        new_action.setShortcut(QKeySequence.StandardKey.New)
        new_action.triggered.connect(self._new_engagement)
        self.knowledge.add_to_menu(edit_menu)
        filter_action = edit_menu.addAction(self.tr("市町村を絞り込む"))
        filter_action.setShortcut(QKeySequence("Ctrl+L"))
        filter_action.triggered.connect(self._focus_filter)
        edit_menu.addSeparator()
        self.language_menu = edit_menu.addMenu(self.tr("言語 / Language"))
        languages = QActionGroup(self)
        current = language_setting(self._settings)
        for code, name in LANGUAGE_NAMES.items():
            action = self.language_menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(code == current)
            action.setData(code)
            languages.addAction(action)
            action.triggered.connect(lambda _checked, code=code: self._choose_language(code))

    def _choose_language(self, code: str) -> None:
        """Stored for the next start: the open window keeps the language it was built in."""
        self._settings.setValue(LANGUAGE_SETTING, code)
        self._settings.sync()
        self.statusBar().showMessage(
            self.tr("表示言語は次回の起動から変わります / The language changes at next start"),
            10000,
        )

    def _ask_backup(self) -> None:
        self.backups.when_ready(self._ask_backup_target)  # encrypted: the passphrase first

    def _ask_backup_target(self) -> None:
        name = f"dxdesk-backup-{date.today().isoformat()}.dxbackup"
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("バックアップの保存先"), str(Path.home() / name), "DX Desk (*.dxbackup)"
        )
        if path:
            self.backup_to(Path(path))

    def backup_to(self, target: Path) -> LongTask:
        """Copy the store to ``target`` and the attached files beside it, with progress and Cancel;
        the window stays responsive."""
        flush_forms(self)
        task = LongTask(
            self,
            self.runner,
            title=self.tr("バックアップ"),
            label=self.tr("{name} にコピーしています…").format(name=target.name),
            # The attached files go beside the copy, in <target>.files/ (dxdesk backup -o too).
            work=lambda progress: self.backups.copy_by_hand(target, progress),
        )
        status = self.statusBar()
        done = self.tr("バックアップしました: {path}")
        task.finished.connect(lambda path: status.showMessage(done.format(path=path), 10000))
        cancelled = self.tr("バックアップを中止しました")
        task.cancelled.connect(lambda: status.showMessage(cancelled, 10000))
        title = self.tr("バックアップ")
        task.failed.connect(lambda message: QMessageBox.warning(self, title, message))
        task.start()
        return task

    def open_survey_import(self) -> SurveyImportWizard:
        wizard = show_import_wizard(self, self._ws, self.runner, self._survey_wizard)
        # (What the import wrote reaches the panels as the import's change notice.)
        self._survey_wizard = wizard
        return wizard

    def _deleted(self, facade: RecordFacade, what: str, keys: list[RecordKey]) -> None:
        self.undo.remember(facade, what, keys)
        self.statusBar().showMessage(
            self.tr("{what}を削除しました（Ctrl+Z で元に戻せます）").format(what=what), 15000
        )

    def _restored(self, what: str) -> None:
        """(The panels read what came back from the undo's change notice.)"""
        self.statusBar().showMessage(self.tr("{what}を元に戻しました").format(what=what), 10000)

    def _flush(self) -> None:
        """Queue a save of whatever is typed in any form of the window or its dialogs."""
        flush_forms(self)

    def _on_screen(self) -> OnScreen:
        shown = self.tabs.currentWidget()
        if shown is self.engagements:
            return OnScreen("visit", self.engagements.editor.record_id)
        if shown is self.assessment:
            return OnScreen("assessment", self.assessment.form.record_id)
        return OnScreen()

    def _new_engagement(self) -> None:
        self.tabs.setCurrentWidget(self.engagements)
        self.engagements.new_engagement()

    def _open_event(self, event_id: str) -> None:
        self.tabs.setCurrentWidget(self.events)
        self.events.show_event(event_id)

    def _focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def show_place(self, place: Place) -> None:
        """Bring a record on screen: an article or an event in its tab, anything else in its
        municipality."""
        if place.kind == "article":
            self.tabs.setCurrentWidget(self.knowledge.panel)
            self.knowledge.panel.select(place.record_id)
            return
        if place.kind == "event":  # (a search hit on a group event)
            self._open_event(place.record_id)
            return
        if place.kind == "followup" and place.engagement is None:
            self.tabs.setCurrentWidget(self.follow_ups)
        elif place.engagement is not None:
            self.tabs.setCurrentWidget(self.engagements)
        else:
            self.tabs.setCurrentWidget(self.overview)
        if place.municipality is None:
            return
        if place.municipality == self._current:
            if place.engagement is not None:
                self.engagements.select(place.engagement)
            return
        self._restore_visit = place.engagement
        self.filter_edit.clear()  # the municipality may be filtered out of the list
        self._select_code(place.municipality)

    def _wipe(self, order: WipeOrdered) -> None:
        """Revoked as lost: erase this laptop's data and close, without saving what is open."""
        if self.wiped:
            return
        self.wiped, self.ask_before_closing = True, False
        # After the handler that told it returns: stopping the workers waits for them.
        QTimer.singleShot(0, lambda: self._wipe_now(order))

    def _wipe_now(self, order: WipeOrdered) -> None:
        self.wipe_notice = wipe_and_close(self, self._ws.store, order, stop_workers=self._stop)

    def _stop(self) -> None:
        self.knowledge.shutdown()
        self.sync.shutdown()
        self.runner.wait_idle()

    def closeEvent(self, event: QCloseEvent) -> None:
        # The store sealed and deleted here, or erased by a command that was told to wipe
        # (store.gone): nothing to save, no settings to keep.
        if self.wiped or self._ws.store.gone():
            self._stop()
            super().closeEvent(event)
            return
        flush_forms(self)
        forms = self.findChildren(AutosaveForm)  # every form, wherever it sits
        if self.ask_before_closing and not confirm_close(self, self.runner, self._ws.store, forms):
            event.ignore()  # the person goes back to what could not be saved
            return
        self.knowledge.shutdown()
        self.sync.shutdown()
        self.runner.wait_idle()
        self._ws.attachments.remove_opened_copies()  # plaintext copies for viewers: gone now
        self._settings.setValue("window/geometry", self.saveGeometry())
        self._settings.sync()
        super().closeEvent(event)
