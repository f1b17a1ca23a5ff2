"""Files dropped anywhere on a record attach to it: on the list of its attachments, and on its
editor too (a photo dragged onto the visit's notes attaches rather than pasting a path).

``route_drops(area, attach)`` takes the drags of local files over ``area`` and every widget in
it that takes drops itself (text fields would otherwise insert the file's path as text); the
first route given for a widget wins, so a section routes to its own record before the whole
editor routes to the visit.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QObject
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

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
