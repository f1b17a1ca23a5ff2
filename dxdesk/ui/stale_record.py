"""An open record the store may have rewritten under its form, read again when nobody types.

A sync, an import, a settled conflict or a restore may write the record a panel's form shows.
The panel then reads it again with the municipality's next load, unless someone is typing in
the form: they keep it as it is (a background sync must not move the cursor), and it is read
again at a later load, once nobody types. A restored backup replaces the store, so the form is
read again regardless (what was typed is saved first).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from dxdesk.domain.changes import Changes
from dxdesk.ui.autosave import typing_in


class StaleRecord:
    def __init__(self, form: QWidget, *, flush: Callable[[], None], kinds: tuple[str, ...]):
        self._form = form
        self._flush = flush
        self._kinds = kinds  # what the form shows: its record's kind and its children's
        self._stale = False
        self._replaced = False

    def judge(self, changes: Changes, record_id: str | None, municipality: str | None) -> None:
        """Mark the open record stale if ``changes`` may have rewritten it. What the window
        wrote itself (an edit, an undo's own reload) the form shows already."""
        if record_id is None or not changes.rewrote:
            return
        if not changes.touches(*self._kinds) or not changes.concerns(municipality):
            return
        if changes.store_replaced or not typing_in(self._form):
            self._flush()
            self._stale = True
            self._replaced = self._replaced or changes.store_replaced

    def take(self) -> bool:
        """At a load: the record is to be read again now. Asked again here because someone may
        have started typing since the notice came (the load is one store call later); then it
        stays stale for the next load."""
        if not self._stale or (not self._replaced and typing_in(self._form)):
            return False
        self._stale = self._replaced = False
        return True
