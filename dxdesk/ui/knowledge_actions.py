"""The window's knowledge features: the ナレッジ and ノウフー tabs, search (Ctrl+F), sharing a
visit as an article, and keeping the search index caught up after syncs and imports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from dxdesk.domain.changes import Changes, Source
from dxdesk.services.workspace import Workspace
from dxdesk.ui.know_who_panel import KnowWhoPanel
from dxdesk.ui.knowledge_panel import KnowledgePanel
from dxdesk.ui.runner import StoreRunner
from dxdesk.ui.search_indexer import SearchIndexer

if TYPE_CHECKING:  # imported when first opened: the window starts without them
    from dxdesk.ui.search_dialog import SearchDialog
    from dxdesk.ui.share_knowledge import ShareKnowledgeDialog


@dataclass(frozen=True)
class Place:
    """Where a record is shown: an article in its tab, or a municipality's visit or overview."""

    kind: str
    record_id: str
    municipality: str | None = None
    engagement: str | None = None


def locate(ws: Workspace, kind: str, record_id: str) -> Place:
    """Find what to show for a search hit or a know-who source (on the worker)."""
    if kind == "article":
        return Place(kind, record_id)
    record = ws.records(kind).get(record_id)
    engagement = record_id if kind == "visit" else record.get("engagement")
    municipality = record.get("municipality")
    if municipality is None and engagement:
        municipality = ws.engagements.get(engagement)["municipality"]
    return Place(kind, record_id, municipality, engagement)


class KnowledgeActions(QObject):
    def __init__(
        self,
        window: QMainWindow,
        workspace: Workspace,
        runner: StoreRunner,
        show_place: Callable[[Place], None],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._ws = workspace
        self._runner = runner
        self._show_place = show_place
        self._municipalities: list[tuple[str, str]] = []
        self._shares: dict[str, ShareKnowledgeDialog] = {}
        self.search_dialog: SearchDialog | None = None
        self.panel = KnowledgePanel(workspace, runner)
        self.know_who = KnowWhoPanel(workspace, runner)
        self.know_who.open_requested.connect(self.open_record)
        self.panel.changed.connect(self._articles_changed)
        runner.changed.connect(self._store_changed)
        self.indexer = SearchIndexer(workspace.store, runner, self)
        status = window.statusBar()
        indexing = self.tr("検索の索引を更新しています…")
        self.indexer.busy_changed.connect(
            lambda busy: status.showMessage(indexing) if busy else status.clearMessage()
        )
        self.indexer.failed.connect(lambda message: status.showMessage(message, 15000))
        every = workspace.municipalities.overview
        runner.run(
            lambda: [(m["code"], m["name"]) for m in every(assigned_only=False)],
            on_done=self._set_municipalities,
        )

    def add_to_menu(self, menu: QMenu) -> None:
        action = menu.addAction(self.tr("検索(&S)…"))
        action.setShortcut(QKeySequence.StandardKey.Find)
        action.triggered.connect(self.open_search)

    def _set_municipalities(self, municipalities: list[tuple[str, str]]) -> None:
        self._municipalities = municipalities
        self.know_who.set_municipalities(municipalities)
        if self.search_dialog is not None:
            self.search_dialog.set_municipalities(municipalities)

    def open_search(self) -> SearchDialog:
        from dxdesk.ui.search_dialog import SearchDialog

        if self.search_dialog is None:
            self.search_dialog = SearchDialog(
                self._ws, self._runner, self._municipalities, self._window
            )
            self.search_dialog.open_requested.connect(self.open_record)
        dialog = self.search_dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        dialog.focus_query()
        return dialog

    def open_record(self, kind: str, record_id: str) -> None:
        self._runner.run(
            lambda: locate(self._ws, kind, record_id),
            on_done=self._show_place,
            on_error=lambda error: self._window.statusBar().showMessage(
                self.tr("記録を開けません: {0}").format(error), 10000
            ),
        )

    def share(self, engagement_id: str) -> ShareKnowledgeDialog:
        from dxdesk.ui.share_knowledge import ShareKnowledgeDialog

        dialog = self._shares.get(engagement_id)
        if dialog is not None and dialog.failed:
            # Refused (a planned consultation, say): asked again, it is asked anew, since the
            # consultation may have been held and saved since.
            dialog.close()
            dialog.deleteLater()
            dialog = None
        if dialog is None:
            dialog = ShareKnowledgeDialog(
                self._ws, self._runner, engagement_id, self._municipalities, self._window
            )
            dialog.published.connect(self._published)
            self._shares[engagement_id] = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def _published(self, article: dict[str, object]) -> None:
        self._articles_changed()
        self._show_place(Place("article", str(article["id"])))
        self._window.statusBar().showMessage(
            self.tr("ナレッジとして公開しました（次の同期で共有されます）"), 15000
        )

    def _articles_changed(self) -> None:
        self.indexer.start()  # (ノウフー reads the articles again from their change notice)

    def _store_changed(self, changes: Changes) -> None:
        """After a sync, an import, an undo or a restore: index what came in, reload the lists
        (the open article stays as it is on screen). The tabs' own writes they show already."""
        if changes.source is Source.EDIT or changes.source is Source.LOGIN:
            return
        self.indexer.start()
        if changes.everything or changes.kinds:
            self.panel.reload()  # (ノウフー hears the notice itself)

    def shutdown(self) -> None:
        self.indexer.stop()
