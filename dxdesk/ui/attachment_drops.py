"""Files dropped anywhere on a record attach to it: on the list of its attachments, and on its
editor too (a photo dragged onto the visit's notes attaches rather than pasting a path).

``route_drops(area, attach)`` takes the drags of local files over ``area`` and every widget in
it that takes drops itself (text fields would otherwise insert the file's path as text); the
first route given for a widget wins, so a section routes to its own record before the whole
editor routes to the visit.

Over a list of records (follow-ups, a visit's notes), ``route_row_drops`` sends the files to the
record of the row under the cursor, not the row that happens to be selected; on the list's
empty part, to the selected one.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QMimeData, QObject
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QAbstractItemView, QAbstractScrollArea, QWidget

from dxdesk.ui.table_model import RECORD_ROLE

ROUTED = "dxdesk_drop_routed"  # a widget's property: its file drops go somewhere already


def local_files(mime: QMimeData | None) -> list[Path]:
    """The local files (or folders) a drag carries; none if it carries anything else too."""
    if mime is None or not mime.hasUrls():
        return []
    urls = mime.urls()
    if not urls or not all(url.isLocalFile() for url in urls):
        return []
    return [Path(url.toLocalFile()) for url in urls]


class DropRoute(QObject):
    """Event filter: drags of local files over its widgets go to ``attach`` (if ``can``)."""

    def __init__(
        self,
        attach: Callable[[list[Path]], None],
        can: Callable[[], bool],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._attach = attach
        self._can = can

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            assert isinstance(event, QDragEnterEvent | QDragMoveEvent)
            if local_files(event.mimeData()) and self._can():
                event.acceptProposedAction()
                return True
            return False
        if kind == QEvent.Type.Drop:
            assert isinstance(event, QDropEvent)
            paths = local_files(event.mimeData())
            if paths and self._can():
                event.acceptProposedAction()
                self._attach(paths)
                return True
        return False


def route_drops(area: QWidget, route: DropRoute) -> None:
    """Send the file drops over ``area`` (and what it holds) through ``route``."""
    area.setAcceptDrops(True)
    targets = [area, *area.findChildren(QWidget)]
    for widget in targets:
        if widget.property(ROUTED):
            continue
        if widget is area or widget.acceptDrops():
            widget.setProperty(ROUTED, True)
            widget.installEventFilter(route)
            # A text field's drops arrive at its viewport.
            if isinstance(widget, QAbstractScrollArea):
                viewport = widget.viewport()
                viewport.setProperty(ROUTED, True)
                viewport.installEventFilter(route)


class RowDropRoute(QObject):
    """Event filter on a list's viewport: files dropped on a row go to ``attach`` with that
    row's record; on no row, with the selected record (and are refused when there is none)."""

    def __init__(
        self,
        view: QAbstractItemView,
        attach: Callable[[list[Path], dict[str, Any]], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._view = view
        self._attach = attach

    def record_at(self, watched: QObject, event: QDropEvent) -> dict[str, Any] | None:
        """The record of the row under the cursor, or else the selected one."""
        where = event.position().toPoint()
        viewport = self._view.viewport()
        if watched is not viewport and isinstance(watched, QWidget):
            where = viewport.mapFrom(watched, where)  # (over the header or the frame)
        index = self._view.indexAt(where)
        if not index.isValid():
            rows = self._view.selectionModel().selectedRows()
            index = rows[0] if rows else index
        record = index.data(RECORD_ROLE) if index.isValid() else None
        return record if isinstance(record, dict) else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop):
            assert isinstance(event, QDropEvent)
            paths = local_files(event.mimeData())
            record = self.record_at(watched, event) if paths else None
            if record is None:
                event.ignore()
                return bool(paths)  # files with nowhere to go: refused, not pasted
            event.acceptProposedAction()
            if kind == QEvent.Type.Drop:
                self._attach(paths, record)
            return True
        return False


def route_row_drops(view: QAbstractItemView, route: RowDropRoute) -> None:
    """Send the file drops over the rows of ``view`` through ``route`` (before any route of
    the area around it, which then leaves the list alone)."""
    viewport = view.viewport()
    for widget in (view, viewport):
        widget.setAcceptDrops(True)
        widget.setProperty(ROUTED, True)
        widget.installEventFilter(route)
