"""A search hit's snippet as rich text, and a list delegate that draws rich text.

The store marks each match in a snippet as 【term】. The marks are taken off here and the match
shown bold on yellow instead; everything else is HTML-escaped.
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from dxdesk.services.search import MARK_END, MARK_START

HTML_ROLE = Qt.ItemDataRole.UserRole + 3
HIGHLIGHT = '<span style="font-weight:bold; background-color:#ffe14d; color:#000000;">'

AnyIndex = QModelIndex | QPersistentModelIndex


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def _marked_at(snippet: str, at: int, terms: Sequence[str]) -> int:
    """Length of the term the model marked at ``at`` (``【term】``), or 0 when none is.

    The model marks exactly a term's length of text, so a bracket the text itself holds
    (【重要】 in a note) is told apart from a mark by what it encloses.
    """
    if snippet[at] != MARK_START:
        return 0
    for term in terms:
        end = at + 1 + len(term)
        if snippet[end : end + 1] == MARK_END and _fold(snippet[at + 1 : end]) == _fold(term):
            return len(term)
    return 0


def _spans(snippet: str, terms: Sequence[str]) -> list[tuple[str, bool]]:
    """The snippet as (text, is a match) pieces, the model's marks taken off."""
    pieces: list[tuple[str, bool]] = []
    plain: list[str] = []
    at = 0
    while at < len(snippet):
        length = _marked_at(snippet, at, terms)
        if length:
            pieces.append(("".join(plain), False))
            pieces.append((snippet[at + 1 : at + 1 + length], True))
            plain, at = [], at + length + 2
        else:
            plain.append(snippet[at])
            at += 1
    pieces.append(("".join(plain), False))
    return [(text, match) for text, match in pieces if text]


def snippet_html(snippet: str, terms: Sequence[str]) -> str:
    """The snippet as rich text: matches bold on yellow, everything else escaped."""
    return "".join(
        f"{HIGHLIGHT}{html.escape(text)}</span>" if match else html.escape(text)
        for text, match in _spans(snippet, terms)
    )


def snippet_plain(snippet: str, terms: Sequence[str]) -> str:
    return "".join(text for text, _ in _spans(snippet, terms))


class HtmlDelegate(QStyledItemDelegate):
    """Draws an item's ``HTML_ROLE`` text over the usual item background (selection included)."""

    def _document(self, option: QStyleOptionViewItem, index: AnyIndex) -> QTextDocument:
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setDocumentMargin(4)
        document.setHtml(str(index.data(HTML_ROLE) or ""))
        return document

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        item.text = ""
        widget = item.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, widget)
        document = self._document(item, index)
        context = QAbstractTextDocumentLayout.PaintContext()
        if item.state & QStyle.StateFlag.State_Selected:
            palette = item.palette
            context.palette.setColor(
                QPalette.ColorRole.Text, palette.color(QPalette.ColorRole.HighlightedText)
            )
        rect = item.rect
        painter.save()
        painter.translate(rect.topLeft())
        painter.setClipRect(rect.translated(-rect.topLeft()))
        document.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        document = self._document(item, index)
        return QSize(int(document.idealWidth()), int(document.size().height()))
