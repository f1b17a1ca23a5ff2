"""The editor of one knowledge article (know-how, know-who), saving as the user types.

``ArticleFields`` holds the widgets of an article's own fields and their bindings, so that the
share dialog (share_knowledge.py) edits a draft with the same form. Below the form, the
article's files (prefecture-wide, like the article); files dropped on the editor attach to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from dxdesk.domain.fiscal_year import FIRST_FISCAL_YEAR, fiscal_year_of
from dxdesk.domain.vocabulary import ARTICLE_CATEGORIES
from dxdesk.services.workspace import Workspace
from dxdesk.ui.attachment_drops import route_drops
from dxdesk.ui.attachments_panel import AttachmentsPanel
from dxdesk.ui.autosave import (
    AutosaveForm,
    Binding,
    choice_binding,
    list_binding,
    long_text_binding,
    text_binding,
)
from dxdesk.ui.choice_box import ChoiceBox
from dxdesk.ui.format import fiscal_year_text
from dxdesk.ui.people_editor import PeopleEditor
from dxdesk.ui.runner import StoreRunner

Municipalities = Sequence[tuple[str, str]]  # (code, name)


def _select_data(box: QComboBox, value: Any) -> None:
    """Select the item whose data is ``value`` (the first, 'none', when there is none)."""
    index = next((i for i in range(box.count()) if box.itemData(i) == value), 0)
    box.setCurrentIndex(index)


class FiscalYearBox(ChoiceBox):
    """A fiscal year or none: next year down to 平成元年度, newest first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.addItem(self.tr("（指定なし）"), None)
        for fiscal_year in range(fiscal_year_of(date.today()) + 1, FIRST_FISCAL_YEAR - 1, -1):
            self.addItem(fiscal_year_text(fiscal_year), fiscal_year)

    def set_value(self, value: int | None) -> None:
        if value is not None and self.findData(value) < 0:  # a year beyond the list (synced)
            self.insertItem(1, fiscal_year_text(value), value)
        _select_data(self, value)


class MunicipalityBox(ChoiceBox):
    """One of the municipalities, or （県全体） (None) for the prefecture as a whole."""

    def __init__(self, municipalities: Municipalities, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.set_municipalities(municipalities)

    def set_municipalities(self, municipalities: Municipalities) -> None:
        current = self.currentData()
        self.blockSignals(True)
        try:
            self.clear()
            self.addItem(self.tr("（県全体）"), None)
            for code, name in municipalities:
                self.addItem(name, code)
            _select_data(self, current)
        finally:
            self.blockSignals(False)

    def set_value(self, code: str | None) -> None:
        if code is not None and self.findData(code) < 0:  # the list is not loaded yet
            self.addItem(code, code)
        _select_data(self, code)


class ArticleFields(QObject):
    """The widgets of an article's own fields (all but its people), with their bindings."""

    def __init__(self, municipalities: Municipalities, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title_edit = QLineEdit(placeholderText=self.tr("題名"))
        self.category_box = ChoiceBox()
        self.fiscal_year_box = FiscalYearBox()
        self.municipality_box = MunicipalityBox(municipalities)
        self.themes_edit = QLineEdit(placeholderText=self.tr("テーマ（「、」区切り）"))
        self.tags_edit = QLineEdit(placeholderText=self.tr("タグ（「、」区切り）"))
        self.body_edit = QPlainTextEdit(
            placeholderText=self.tr("どう進めたか、何が効いたか、つまずいた点")
        )

    def bindings(self) -> dict[str, tuple[str, Binding]]:
        year, place = self.fiscal_year_box, self.municipality_box
        return {
            "title": (self.tr("題名"), text_binding(self.title_edit)),
            "category": (self.tr("区分"), choice_binding(self.category_box, ARTICLE_CATEGORIES)),
            "fiscal_year": (
                self.tr("年度"),
                Binding(year, year.currentData, year.set_value, year.currentIndexChanged),
            ),
            "municipality": (
                self.tr("市町村"),
                Binding(place, place.currentData, place.set_value, place.currentIndexChanged),
            ),
            "themes": (self.tr("テーマ"), list_binding(self.themes_edit)),
            "tags": (self.tr("タグ"), list_binding(self.tags_edit)),
            "body": (self.tr("本文"), long_text_binding(self.body_edit)),
        }


def people_binding(editor: PeopleEditor) -> Binding:
    return Binding(editor, editor.value, editor.set_value, editor.edited)


class ArticleEditor(QWidget):
    saved = Signal(dict)  # the article as stored
    deleted = Signal(object, str, list)  # an attachment went: facade, label, keys (for undo)

    def __init__(
        self,
        workspace: Workspace,
        runner: StoreRunner,
        municipalities: Municipalities,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.fields = ArticleFields(municipalities, self)
        self.title_edit = self.fields.title_edit
        self.category_box = self.fields.category_box
        self.fiscal_year_box = self.fields.fiscal_year_box
        self.municipality_box = self.fields.municipality_box
        self.themes_edit = self.fields.themes_edit
        self.tags_edit = self.fields.tags_edit
        self.body_edit = self.fields.body_edit
        self.people_editor = PeopleEditor()
        self.form = AutosaveForm(
            workspace.articles,
            runner,
            {
                **self.fields.bindings(),
                "people": (self.tr("詳しい人"), people_binding(self.people_editor)),
            },
            self,
        )
        self.form.saved.connect(self.saved)
        # Shown, not edited here: the old free-text note and where the article came from.
        self.memo_label = QLabel(wordWrap=True)
        self.memo_label.setAccessibleName(self.tr("詳しい人（メモ）"))
        self.sources_label = QLabel()
        self.sources_label.setAccessibleName(self.tr("元の相談記録"))
        rows = self.form.form.rowCount() - 1  # above the save state
        self.form.form.insertRow(rows, self.tr("詳しい人（メモ）"), self.memo_label)
        self.form.form.insertRow(rows + 1, self.tr("元の相談記録"), self.sources_label)
        self._show_extras(None)
        self.attachments = AttachmentsPanel(workspace, runner, "article", compact=True)
        self.attachments.deleted.connect(self.deleted)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form, 3)
        layout.addWidget(QLabel(self.tr("添付ファイル")))
        layout.addWidget(self.attachments, 1)
        route_drops(self, self.attachments.drop_route)
        self.setEnabled(False)

    @property
    def record_id(self) -> str | None:
        return self.form.record_id

    @property
    def state_label(self) -> QLabel:
        return self.form.state_label

    def set_municipalities(self, municipalities: Municipalities) -> None:
        self.municipality_box.set_municipalities(municipalities)

    def load(self, record: dict[str, Any] | None) -> None:
        """Show an article (or nothing); pending typing of the previous one is saved first."""
        self.form.load(record)
        self.setEnabled(record is not None)
        self._show_extras(record)
        self.attachments.set_parent(None if record is None else record["id"])

    def _show_extras(self, record: dict[str, Any] | None) -> None:
        memo = "" if record is None else (record.get("person") or "").strip()
        self.memo_label.setText(memo)
        self.form.form.setRowVisible(self.memo_label, bool(memo))
        sources = [] if record is None else list(record.get("engagements") or [])
        self.sources_label.setText(
            self.tr("{count} 件の相談記録から").format(count=len(sources)) if sources else ""
        )
        self.sources_label.setToolTip("\n".join(sources))
        self.form.form.setRowVisible(self.sources_label, bool(sources))

    def flush(self) -> None:
        self.form.flush()
