"""The editor of one group event (合同の場): its fields, who took part and how many, its
follow-ups and its files.

Like the visit editor, every part saves as the person types (see ``autosave``) and a value the
rules refuse stays on screen marked 未保存 with the reason. Files dropped anywhere on the editor
attach to the event (資料 tab).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from dxdesk.domain.vocabulary import MODES, RECORD_STATUSES, THEMES
from dxdesk.services.workspace import Workspace
from dxdesk.ui.attachment_drops import route_drops
from dxdesk.ui.attachments_panel import AttachmentsPanel
from dxdesk.ui.attendance_table import AttendanceTable, Municipality, participant_bindings
from dxdesk.ui.autosave import (
    AutosaveForm,
    Binding,
    choice_binding,
    date_binding,
    long_text_binding,
    new_date_edit,
    text_binding,
)
from dxdesk.ui.choice_box import ChoiceBox
from dxdesk.ui.event_follow_ups import EventFollowUps
from dxdesk.ui.event_format import event_type_choices
from dxdesk.ui.format import vocabulary_text
from dxdesk.ui.runner import StoreRunner
from dxdesk.ui.time_edit import new_time_edit, time_binding, time_range_row

# Laid out by the editor itself, not in the form's rows.
OWN_PLACES = ("start_time", "end_time", "participants", "attendance")
# The form's rows, in the order of its bindings (title, type, status, date, ...).
LAID_OUT = [
    "title",
    "type",
    "status",
    "date",
    "mode",
    "place",
    "region",
    "themes",
    "summary",
    "notes",
]


class ThemeChecks(QWidget):
    """The programme's themes as check boxes (a theme stored but no longer listed still shows,
    checked, so that saving keeps it)."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        for theme in THEMES:
            self._add(theme)

    def _add(self, theme: str) -> QCheckBox:
        box = QCheckBox(theme)
        box.toggled.connect(lambda _on: self.edited.emit())
        # One column: the editor stays narrow enough for the list to show its names.
        self._grid.addWidget(box, len(self.boxes), 0)
        self.boxes[theme] = box
        return box

    def value(self) -> list[str]:
        return [theme for theme, box in self.boxes.items() if box.isChecked()]

    def set_value(self, themes: Sequence[str] | None) -> None:
        chosen = list(themes or [])
        for theme in chosen:
            if theme not in self.boxes:
                self._add(theme)
        for theme, box in self.boxes.items():
            box.blockSignals(True)
            box.setChecked(theme in chosen)
            box.blockSignals(False)


class RegionBox(ChoiceBox):
    """A 振興局 of the roster, or none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.set_regions([])

    def set_regions(self, regions: Sequence[str]) -> None:
        current = self.value()
        self.blockSignals(True)
        try:
            self.clear()
            self.addItem(self.tr("（指定なし）"), "")
            for region in regions:
                self.addItem(region, region)
            self.set_value(current)
        finally:
            self.blockSignals(False)

    def value(self) -> str:
        data = self.currentData()
        return data if isinstance(data, str) else ""

    def set_value(self, region: str | None) -> None:
        if region and self.findData(region) < 0:  # a region this laptop's roster lacks
            self.addItem(region, region)
        self.setCurrentIndex(max(self.findData(region or ""), 0))


class EventTypeBox(ChoiceBox):
    """The group-session types; the legacy 定例よろず相談 is listed only while the event shown
    has it (a 定例 is a consultation with one municipality, no longer a 合同の場)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fill(None)

    def _fill(self, stored: str | None) -> None:
        choices = event_type_choices([stored] if stored else [])
        if [self.itemData(i) for i in range(self.count())] == list(choices):
            return
        self.blockSignals(True)
        try:
            self.clear()
            for code, label in choices.items():
                self.addItem(vocabulary_text(label), code)
        finally:
            self.blockSignals(False)

    def value(self) -> str | None:
        data = self.currentData()
        return data if isinstance(data, str) else None

    def set_value(self, code: str | None) -> None:
        self._fill(code)
        self.setCurrentIndex(max(self.findData(code), 0))


class EventEditor(QWidget):
    saved = Signal(dict)  # the event as stored
    deleted = Signal(object, str, list)  # a follow-up or file went: facade, label, keys

    def __init__(
        self, workspace: Workspace, runner: StoreRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.title_edit = QLineEdit(placeholderText=self.tr("名称（例: 地域別よろず相談（海草））"))
        self.type_box = EventTypeBox()
        self.status_box = ChoiceBox()
        self.date_edit = new_date_edit()
        self.start_edit = new_time_edit(self.tr("開始"))
        self.end_edit = new_time_edit(self.tr("終了"))
        self.mode_box = ChoiceBox()
        self.place_edit = QLineEdit(placeholderText=self.tr("会場（オンラインなら空欄でも可）"))
        self.region_box = RegionBox()
        self.themes = ThemeChecks()
        self.attendance = AttendanceTable()
        self.summary_edit = QPlainTextEdit(placeholderText=self.tr("概要"))
        self.notes_edit = QPlainTextEdit(placeholderText=self.tr("メモ"))
        participants, attendance = participant_bindings(self.attendance)
        region = self.region_box
        self.form = AutosaveForm(
            workspace.events,
            runner,
            {
                "title": (self.tr("名称"), text_binding(self.title_edit)),
                "type": (
                    self.tr("種別"),
                    Binding(
                        self.type_box,
                        self.type_box.value,
                        self.type_box.set_value,
                        self.type_box.currentIndexChanged,
                    ),
                ),
                "status": (self.tr("状態"), choice_binding(self.status_box, RECORD_STATUSES)),
                "date": (self.tr("日付"), date_binding(self.date_edit)),
                "start_time": (self.tr("開始"), time_binding(self.start_edit)),
                "end_time": (self.tr("終了"), time_binding(self.end_edit)),
                "mode": (self.tr("形式"), choice_binding(self.mode_box, MODES)),
                "place": (self.tr("場所"), text_binding(self.place_edit)),
                "region": (
                    self.tr("振興局"),
                    Binding(region, region.value, region.set_value, region.currentIndexChanged),
                ),
                "themes": (
                    self.tr("テーマ"),
                    Binding(
                        self.themes, self.themes.value, self.themes.set_value, self.themes.edited
                    ),
                ),
                "participants": (self.tr("参加市町村"), participants),
                "attendance": (self.tr("参加人数"), attendance),
                "summary": (self.tr("概要"), long_text_binding(self.summary_edit)),
                "notes": (self.tr("メモ"), long_text_binding(self.notes_edit)),
            },
            self,
            laid_out=LAID_OUT,
        )
        self._lay_out_form()
        self.form.saved.connect(self.saved)
        self.region_box.currentIndexChanged.connect(
            lambda _i: self.attendance.set_region(self.region_box.value())
        )
        self.attendance.edited.connect(self._participants_changed)

        self.follow_ups = EventFollowUps(workspace, runner)
        self.follow_ups.deleted.connect(self.deleted)
        self.attachments = AttachmentsPanel(workspace, runner, "event")
        self.attachments.deleted.connect(self.deleted)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("合同の場の内容"))
        # Every tab in sight at the narrowest editor: no scroll arrows hiding 資料 (a label too
        # long for its room is shortened with … instead), and フォロー for the section's name.
        self.tabs.setUsesScrollButtons(False)
        self.tabs.setElideMode(Qt.TextElideMode.ElideRight)
        self.tabs.addTab(self.form, self.tr("内容"))
        self.tabs.addTab(self.attendance, self.tr("参加"))
        self.tabs.addTab(self.follow_ups, self.tr("フォロー"))
        self.tabs.addTab(self.attachments, self.tr("資料"))
        for tab, whole in enumerate(
            (
                self.tr("合同の場の内容"),
                self.tr("参加市町村と人数"),
                self.tr("フォローアップ"),
                self.tr("資料（ファイル）"),
            )
        ):
            self.tabs.setTabToolTip(tab, whole)
        attending = self.tr("参加（{count}）")
        follow_ups = self.tr("フォロー（{count}）")
        files = self.tr("資料（{count}）")
        self.attendance.edited.connect(
            lambda: self._count(1, attending, len(self.attendance.participants()))
        )
        self.follow_ups.count_changed.connect(lambda n: self._count(2, follow_ups, n))
        # A follow-up must stay with a participant: said in the 参加 tab when it is not.
        self.follow_ups.model.modelReset.connect(self._check_follow_ups)
        self.attachments.count_changed.connect(lambda n: self._count(3, files, n))
        self._attending_label = attending
        self.attachments.attaching.connect(lambda: self.tabs.setCurrentWidget(self.attachments))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        route_drops(self, self.attachments.drop_route)  # (after the sections took theirs)
        self.setEnabled(False)

    def _lay_out_form(self) -> None:
        """The start and end on one row, after the date (as the consultation editor has them)."""
        times = time_range_row(self.start_edit, self.end_edit)
        self.form.form.insertRow(LAID_OUT.index("date") + 1, self.tr("時間"), times)

    def _count(self, tab: int, label: str, count: int) -> None:
        self.tabs.setTabText(tab, label.format(count=count))

    def _participants_changed(self) -> None:
        self.follow_ups.set_participants(self.attendance.participants())
        self._check_follow_ups()

    def _check_follow_ups(self) -> None:
        """Warn (in the 参加 tab) of follow-ups whose municipality no longer takes part."""
        names = self.follow_ups.names()
        left = sorted(self.follow_ups.municipalities() - set(self.attendance.participants()))
        if not left:
            self.attendance.set_warning("")
            return
        self.attendance.set_warning(
            self.tr(
                "{names} にはこの合同の場のフォローアップがありますが、参加市町村にありません。"
                "参加に戻すか、「フォロー」タブでフォローアップの市町村を参加市町村に変えるか"
                "削除してください。"
            ).format(names="、".join(names.get(code, code) for code in left))
        )

    # The event form's state, as the panel and the tests see it.
    @property
    def record_id(self) -> str | None:
        return self.form.record_id

    @property
    def state_label(self) -> QLabel:
        return self.form.state_label

    def set_municipalities(self, roster: Sequence[Municipality], assigned: set[str]) -> None:
        """The roster (names and regions to choose from) and the account's municipalities."""
        self.attendance.set_municipalities(roster)
        self.region_box.set_regions(list(dict.fromkeys(m.region for m in roster if m.region)))
        names: Mapping[str, str] = {m.code: m.name for m in roster}
        self.follow_ups.set_municipalities(names, assigned)

    def load(self, record: dict[str, Any] | None) -> None:
        """Show an event (or nothing); pending typing anywhere in it is saved first."""
        self.follow_ups.form.flush()
        self.form.load(record)
        self.setEnabled(record is not None)
        self.attendance.set_region(self.region_box.value())
        self._count(1, self._attending_label, len(self.attendance.participants()))
        self._participants_changed()
        self.attachments.set_parent(None if record is None else record["id"])
        self.follow_ups.load(self.form.record_id)

    def reload_children(self) -> None:
        self.follow_ups.load(self.form.record_id)

    def flush(self) -> None:
        for form in (self.form, self.follow_ups.form):
            form.flush()
