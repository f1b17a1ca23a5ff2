"""The follow-ups taken at a group event: each for one of its participating municipalities.

The visit editor's section (child_records.ChildRecordsSection) with the event as the parent:
its follow-ups are read by the event, a new one names the event and a participant, and the
municipality is chosen among the participants (what this module adds to the section).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtWidgets import QLineEdit, QWidget

from dxdesk.domain.vocabulary import FOLLOW_UP_STATUSES
from dxdesk.services.workspace import Workspace
from dxdesk.ui.autosave import (
    Binding,
    OptionalDateEdit,
    choice_binding,
    optional_date_binding,
    text_binding,
)
from dxdesk.ui.child_records import ChildRecordsSection
from dxdesk.ui.choice_box import ChoiceBox
from dxdesk.ui.format import QT_TRANSLATE_NOOP, status_text, unwritten_text
from dxdesk.ui.message_label import message_label
from dxdesk.ui.runner import StoreRunner
from dxdesk.ui.table_model import Column

Record = dict[str, Any]


class ParticipantBox(ChoiceBox):
    """One of the event's participants, by name."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._names: dict[str, str] = {}

    def set_participants(self, codes: Sequence[str], names: Mapping[str, str]) -> None:
        current = self.currentData()
        self._names = dict(names)
        self.blockSignals(True)
        try:
            self.clear()
            for code in codes:
                self.addItem(self._names.get(code, code), code)
            self.set_value(current)
        finally:
            self.blockSignals(False)

    def set_value(self, code: str | None) -> None:
        if code and self.findData(code) < 0:  # no longer a participant: still shown as stored
            self.addItem(self._names.get(code, code), code)
        self.setCurrentIndex(max(self.findData(code), 0))


class EventFollowUps(ChildRecordsSection):
    def __init__(
        self, workspace: Workspace, runner: StoreRunner, parent: QWidget | None = None
    ) -> None:
        self._names: dict[str, str] = {}
        self._assigned: set[str] = set()
        self._participants: list[str] = []
        self.municipality_box = ParticipantBox()
        self.description_edit = QLineEdit(placeholderText=self.tr("何をするか"))
        self.owner_edit = QLineEdit(placeholderText=self.tr("誰が"))
        self.due_edit = OptionalDateEdit(self.tr("期限あり"))
        self.status_box = ChoiceBox()
        box = self.municipality_box
        super().__init__(
            workspace.follow_ups,
            runner,
            columns=(
                Column(
                    "municipality",
                    QT_TRANSLATE_NOOP("Column", "市町村"),
                    display=lambda r: self._names.get(r["municipality"], r["municipality"]),
                ),
                Column(
                    "description",
                    QT_TRANSLATE_NOOP("Column", "内容"),
                    display=lambda r: unwritten_text(r["description"]),
                ),
                Column("due", QT_TRANSLATE_NOOP("Column", "期限")),
                Column("status", QT_TRANSLATE_NOOP("Column", "状態"), display=status_text),
            ),
            bindings={
                "municipality": (
                    self.tr("市町村"),
                    Binding(box, box.currentData, box.set_value, box.currentIndexChanged),
                ),
                "description": (self.tr("内容"), text_binding(self.description_edit)),
                "owner": (self.tr("担当"), text_binding(self.owner_edit)),
                "due": (self.tr("期限"), optional_date_binding(self.due_edit)),
                "status": (self.tr("状態"), choice_binding(self.status_box, FOLLOW_UP_STATUSES)),
            },
            new_payload=self._new_follow_up,
            describe=self.describe,
            focus_field=self.description_edit,
            parent_field="event",
            list_children=workspace.events.follow_ups,
            parent=parent,
        )
        self.hint = message_label(style="color: #555;")
        self.hint.setAccessibleName(self.tr("フォローアップの追加について"))
        layout = self.layout()
        if layout is not None:
            layout.addWidget(self.hint)

    def describe(self, record: Record) -> str:
        return self.tr("フォローアップ「{what}」").format(
            what=unwritten_text(record["description"])
        )

    def set_municipalities(self, names: Mapping[str, str], assigned: set[str]) -> None:
        self._names = dict(names)
        self._assigned = set(assigned)
        self.set_participants(self._participants)
        rows = self.model.rowCount()
        if rows:  # the names the list shows came
            self.model.dataChanged.emit(self.model.index(0, 0), self.model.index(rows - 1, 0))

    def set_participants(self, codes: Sequence[str]) -> None:
        """The event's participants as on screen (a follow-up is for one of them)."""
        self._participants = list(codes)
        self.municipality_box.set_participants(self._participants, self._names)
        self.hint.setText(self._why_not_add())

    def names(self) -> dict[str, str]:
        """The roster's names by code."""
        return dict(self._names)

    def municipalities(self) -> set[str]:
        """The municipalities the listed follow-ups are for."""
        return {r["municipality"] for r in self.model.records()}

    def _why_not_add(self) -> str:
        if not self._participants:
            return self.tr(
                "フォローアップは参加市町村ごとに記録します。先に「参加市町村」で選んでください。"
            )
        if not any(code in self._assigned for code in self._participants):
            return self.tr(
                "担当の市町村が参加していないため、フォローアップを追加できません"
                "（フォローアップは担当の市町村についてだけ記録できます）。"
            )
        return ""

    def _new_follow_up(self, event_id: str) -> Record:
        mine = [code for code in self._participants if code in self._assigned]
        return {"event": event_id, "municipality": mine[0], "description": ""}

    def add(self) -> None:
        reason = self._why_not_add()
        if reason:
            self.hint.setText(reason)
            return
        super().add()
