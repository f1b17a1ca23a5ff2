"""検索 (Ctrl+F): every kind of record at once, matches highlighted, the chosen one opened.

An attached file is found by its name and by the text inside it; its row says which record it
is attached to, and opening it opens that record (the visit whose PDF holds the word). A
consultation that is planned (予定) or was cancelled (中止) says so, in its row and in the row of
a file attached to it, so it is not read as a meeting that took place.

Searching runs on the store worker ~250 ms after typing stops. Answers carry the ticket of the
search that asked: an answer to an older query is dropped, so what is shown always fits what is
typed, whichever order the answers arrive in.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dxdesk.domain.fiscal_year import FIRST_FISCAL_YEAR, fiscal_year_of
from dxdesk.domain.records import kind_spec
from dxdesk.domain.vocabulary import THEMES
from dxdesk.services.search import KINDS, SearchHit, query_terms, search
from dxdesk.services.workspace import Workspace
from dxdesk.ui.choice_box import ChoiceBox
from dxdesk.ui.format import (
    fiscal_year_text,
    record_status_text,
    untitled_text,
    vocabulary_text,
)
from dxdesk.ui.runner import StoreRunner
from dxdesk.ui.search_snippet import HTML_ROLE, HtmlDelegate, snippet_html, snippet_plain

DELAY_MS = 250  # after the last key, so a word typed fast is searched once
LIMIT = 50
RECENT_YEARS = 6
KIND_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
MUTED = '<span style="color:#666666;">'


def kind_text(kind: str) -> str:
    return vocabulary_text(kind_spec(kind).label)


class SearchDialog(QDialog):
    open_requested = Signal(str, str)  # kind, record id

    def __init__(
        self,
        workspace: Workspace,
        runner: StoreRunner,
        municipalities: Sequence[tuple[str, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._runner = runner
        self._names: dict[str, str] = {}
        self._ticket = 0  # the latest search asked for; older answers are dropped
        self._answered = 0
        self.setModal(False)
        self.setWindowTitle(self.tr("検索"))
        self.resize(720, 560)

        self.query_edit = QLineEdit(
            placeholderText=self.tr("検索（2 文字からでも。空白で区切るとすべてを含む）")
        )
        self.query_edit.setAccessibleName(self.tr("検索する言葉"))
        self.query_edit.setClearButtonEnabled(True)
        self.kind_box = ChoiceBox()
        self.kind_box.setAccessibleName(self.tr("種類で絞り込み"))
        self.kind_box.addItem(self.tr("すべて"), None)
        for kind in KINDS:
            self.kind_box.addItem(kind_text(kind), kind)
        self.municipality_box = ChoiceBox()
        self.municipality_box.setAccessibleName(self.tr("市町村で絞り込み"))
        self.theme_box = ChoiceBox()
        self.theme_box.setEditable(True)
        self.theme_box.setAccessibleName(self.tr("テーマで絞り込み"))
        self.theme_box.addItem("")
        self.theme_box.addItems(list(THEMES))
        theme_edit = self.theme_box.lineEdit()
        if theme_edit is not None:
            theme_edit.setPlaceholderText(self.tr("すべて"))
        self.year_box = ChoiceBox()
        self.year_box.setAccessibleName(self.tr("年度で絞り込み"))
        self.year_box.addItem(self.tr("すべて"), None)
        latest = fiscal_year_of(date.today())
        for fiscal_year in range(latest, max(FIRST_FISCAL_YEAR, latest - RECENT_YEARS) - 1, -1):
            self.year_box.addItem(fiscal_year_text(fiscal_year), fiscal_year)
        self.set_municipalities(municipalities)

        self.status = QLabel()
        self.status.setAccessibleName(self.tr("検索の結果"))
        self.results = QListWidget()
        self.results.setAccessibleName(self.tr("検索結果の一覧"))
        self.results.setItemDelegate(HtmlDelegate(self.results))
        self.results.setUniformItemSizes(False)

        filters = QHBoxLayout()
        for label, box in (
            (self.tr("種類"), self.kind_box),
            (self.tr("市町村"), self.municipality_box),
            (self.tr("テーマ"), self.theme_box),
            (self.tr("年度"), self.year_box),
        ):
            form = QFormLayout()
            form.addRow(label, box)
            filters.addLayout(form)
        layout = QVBoxLayout(self)
        layout.addWidget(self.query_edit)
        layout.addLayout(filters)
        layout.addWidget(self.status)
        layout.addWidget(self.results, 1)

        self._timer = QTimer(self, singleShot=True, interval=DELAY_MS)
        self._timer.timeout.connect(self.search_now)
        self.query_edit.textChanged.connect(self._schedule)
        self.query_edit.returnPressed.connect(self._return_in_query)
        self.query_edit.installEventFilter(self)
        for box in (self.kind_box, self.municipality_box, self.year_box):
            box.currentIndexChanged.connect(self._schedule)
        self.theme_box.currentTextChanged.connect(self._schedule)
        self.results.activated.connect(self._open)  # Enter, double-click

    # -- public ----------------------------------------------------------------------------

    def focus_query(self) -> None:
        self.query_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.query_edit.selectAll()

    def set_municipalities(self, municipalities: Sequence[tuple[str, str]]) -> None:
        chosen = self.municipality_box.currentData()
        self._names = dict(municipalities)
        self.municipality_box.blockSignals(True)
        self.municipality_box.clear()
        self.municipality_box.addItem(self.tr("すべて"), None)
        for code, name in municipalities:
            self.municipality_box.addItem(name, code)
        self.municipality_box.setCurrentIndex(max(0, self.municipality_box.findData(chosen)))
        self.municipality_box.blockSignals(False)

    def search_now(self) -> None:
        """Search for what is typed with the chosen filters (on the worker)."""
        self._timer.stop()
        self._ticket += 1
        ticket = self._ticket
        query = self.query_edit.text()
        terms = query_terms(query)
        if not terms:
            self._answered = ticket
            self.results.clear()
            self.status.setStyleSheet("")
            self.status.clear()
            return
        filters: dict[str, Any] = {
            "kind": self.kind_box.currentData(),
            "municipality": self.municipality_box.currentData(),
            "theme": self.theme_box.currentText().strip() or None,
            "fiscal_year": self.year_box.currentData(),
        }
        store = self._ws.store
        self._runner.run(
            lambda: search(store, query, limit=LIMIT, **filters),
            on_done=lambda hits: self._show_hits(ticket, terms, hits),
            on_error=lambda error: self._show_error(ticket, error),
        )

    def pending(self) -> bool:
        """Whether what is shown is not yet the answer to what is typed."""
        return self._timer.isActive() or self._answered != self._ticket

    # -- answers ---------------------------------------------------------------------------

    def _show_hits(self, ticket: int, terms: list[str], hits: list[SearchHit]) -> None:
        if ticket != self._ticket:
            return  # an older query answered late
        self._answered = ticket
        self.status.setStyleSheet("")
        self.results.clear()
        for hit in hits:
            self.results.addItem(self._item(hit, terms))
        if not hits:
            self.status.setText(self.tr("見つかりませんでした"))
        elif len(hits) >= LIMIT:
            self.status.setText(self.tr("{count} 件（上位のみ）").format(count=len(hits)))
        else:
            self.status.setText(self.tr("{count} 件").format(count=len(hits)))
        if hits:
            self.results.setCurrentRow(0)

    def _show_error(self, ticket: int, error: BaseException) -> None:
        if ticket != self._ticket:
            return
        self._answered = ticket
        self.results.clear()
        self.status.setStyleSheet("color: #b00020;")
        self.status.setText(self.tr("検索できませんでした: {error}").format(error=error))

    def _item(self, hit: SearchHit, terms: list[str]) -> QListWidgetItem:
        kind = kind_text(hit.kind)
        place = self._names.get(hit.municipality or "", hit.municipality or "")
        planned_or_cancelled = hit.kind == "visit" and hit.status is not None
        status = record_status_text({"status": hit.status}) if planned_or_cancelled else ""
        heading = " · ".join(part for part in (kind, place, status) if part)
        title = untitled_text(hit.title)
        where = self._attached_to(hit)
        rich = (
            f"{MUTED}{html.escape(heading)}</span>　<b>{html.escape(title)}</b>"
            + (f"　{MUTED}{html.escape(where)}</span>" if where else "")
            + f"<br>{snippet_html(hit.snippet, terms)}"
        )
        plain = (
            f"{heading}　{title}"
            + (f"　{where}" if where else "")
            + f"\n{snippet_plain(hit.snippet, terms)}"
        )
        opens_kind, opens_id = hit.opens  # an attachment opens the record it is attached to
        item = QListWidgetItem(plain)
        item.setData(HTML_ROLE, rich)
        item.setData(KIND_ROLE, opens_kind)
        item.setData(ID_ROLE, opens_id)
        item.setToolTip(plain)
        return item

    def _attached_to(self, hit: SearchHit) -> str:
        """「相談記録『窓口BPRの相談』に添付」 for an attachment; "" for anything else."""
        if hit.parent_kind is None:
            return ""
        kind, title = kind_text(hit.parent_kind), untitled_text(hit.parent_title or "")
        if hit.status is not None:  # attached to a consultation that was not held
            return self.tr("{kind}「{title}」（{status}）に添付").format(
                kind=kind, title=title, status=record_status_text({"status": hit.status})
            )
        return self.tr("{kind}「{title}」に添付").format(kind=kind, title=title)

    # -- keys and opening ------------------------------------------------------------------

    def _schedule(self) -> None:
        self._timer.start()

    def _return_in_query(self) -> None:
        if self.pending():
            self.search_now()  # Enter before the pause: search now, open nothing stale
        elif self.results.count():
            self._open(self.results.currentIndex())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Down from the query goes to the results, as in a browser's search.
        if (
            watched is self.query_edit
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
            and self.results.count()
        ):
            self.results.setFocus(Qt.FocusReason.TabFocusReason)
            if self.results.currentRow() < 0:
                self.results.setCurrentRow(0)
            return True
        return super().eventFilter(watched, event)

    def _open(self, index: QModelIndex) -> None:
        if not index.isValid():
            index = self.results.model().index(0, 0)
        if index.isValid():
            self.open_requested.emit(str(index.data(KIND_ROLE)), str(index.data(ID_ROLE)))
