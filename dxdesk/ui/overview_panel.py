"""概要: the municipality's profile, its regular consultations (assigned advisors, cadence, last
held, next planned, overdue), its staff contacts (know-who) and levels by fiscal year.

The window fills the panel when a municipality is chosen or a sync, an import, an undo or a
restore wrote it (its load fills every tab); the panel itself hears the window's own edits
of what it shows (a level confirmed in the アセスメント tab) and reads its lists again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dxdesk.domain.changes import Changes, Source
from dxdesk.domain.percent import format_percent
from dxdesk.domain.scoring import exact_ratio
from dxdesk.domain.vocabulary import ENGAGEMENT_TYPES
from dxdesk.services.schedule import ScheduleRow, schedule_for
from dxdesk.services.workspace import Workspace
from dxdesk.sync.engine import META_LAST_SUCCESS
from dxdesk.ui.cadence_editor import ask_cadence
from dxdesk.ui.format import (
    QT_TRANSLATE_NOOP,
    cadence_text,
    fiscal_year_text,
    level_text,
    vocabulary_text,
)
from dxdesk.ui.message_label import ERROR_STYLE
from dxdesk.ui.runner import StoreRunner
from dxdesk.ui.table_model import Column, RecordTableModel, sorting_proxy

# Column widths follow the first rows only: measuring every row of a long list costs seconds.
RESIZE_SAMPLE_ROWS = 60

CONTACT_COLUMNS = (
    Column("name", QT_TRANSLATE_NOOP("Column", "氏名")),
    Column("department", QT_TRANSLATE_NOOP("Column", "所属")),
    Column("title", QT_TRANSLATE_NOOP("Column", "役職")),
    Column("phone", QT_TRANSLATE_NOOP("Column", "電話")),
    Column("email", QT_TRANSLATE_NOOP("Column", "メール")),
)
LEVEL_COLUMNS = (
    Column(
        "fiscal_year",
        QT_TRANSLATE_NOOP("Column", "年度"),
        display=lambda r: fiscal_year_text(r["fiscal_year"]),
    ),
    Column(
        "level", QT_TRANSLATE_NOOP("Column", "支援分類"), display=lambda r: level_text(r["level"])
    ),
    Column(
        "suggested_level",
        QT_TRANSLATE_NOOP("Column", "提案"),
        display=lambda r: level_text(r["suggested_level"]),
    ),
    Column(
        "ratio",
        QT_TRANSLATE_NOOP("Column", "得点率"),
        display=lambda r: format_percent(exact_ratio(r["total"], r["maximum"])),
        align_right=True,
    ),
    Column("assessed_on", QT_TRANSLATE_NOOP("Column", "実施日")),
)
# What LEVEL_COLUMNS show of an assessment (提案 and 得点率 come from its answers, read by its
# catalog version), and which of a municipality's assessments they are.
LEVEL_FIELDS = frozenset(
    {"fiscal_year", "level", "scores", "catalog_version", "assessed_on", "municipality", "deleted"}
)


OVERDUE_STYLE = f"{ERROR_STYLE} font-weight: bold;"
# What a consultation's write must touch to move the rhythm: its last held, next planned, late.
RHYTHM_FIELDS = frozenset(
    {"date", "status", "type", "start_time", "title", "municipality", "deleted"}
)
LOADING = "…"


@dataclass(frozen=True)
class Rhythm:
    """What 概要 shows of a municipality's regular consultations (read on the worker)."""

    schedule: ScheduleRow
    cadence: dict[str, Any] | None  # the cadence record that counts, for the dialog
    synced: bool  # a sync ever succeeded here: the advisors are the server's


def read_rhythm(workspace: Workspace, code: str, today: date) -> Rhythm:
    return Rhythm(
        schedule=schedule_for(workspace.store, code, today=today),
        cadence=workspace.cadences.current().get(code),
        synced=workspace.store.meta(META_LAST_SUCCESS) is not None,
    )


def make_table_view(
    model: RecordTableModel, name: str, *, sort_column: int = 0, descending: bool = False
) -> QTableView:
    """A read-only, sortable table over ``model`` as every list of the app shows it."""
    view = QTableView()
    view.setModel(sorting_proxy(model, view))
    view.setSortingEnabled(True)
    view.setAccessibleName(name)
    view.verticalHeader().hide()
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    view.setWordWrap(False)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setResizeContentsPrecision(RESIZE_SAMPLE_ROWS)
    view.horizontalHeader().setStretchLastSection(True)
    order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
    view.sortByColumn(sort_column, order)
    return view


class OverviewPanel(QWidget):
    def __init__(
        self, workspace: Workspace, runner: StoreRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._runner = runner
        self._code: str | None = None
        runner.changed.connect(self._store_changed)
        self._labels = {key: QLabel() for key in ("name", "kana", "kind", "region", "population")}
        profile = QGroupBox(self.tr("プロフィール"))
        form = QFormLayout(profile)
        for key, title in (
            ("name", self.tr("名称")),
            ("kana", self.tr("よみ")),
            ("kind", self.tr("区分")),
            ("region", self.tr("振興局")),
            ("population", self.tr("人口（2020年）")),
        ):
            form.addRow(title, self._labels[key])
        self.rhythm_box = self._rhythm_box()
        self.contacts = RecordTableModel(CONTACT_COLUMNS, parent=self)
        self.levels = RecordTableModel(LEVEL_COLUMNS, parent=self)
        contacts_box = QGroupBox(self.tr("連絡先（ノウフー）"))
        QVBoxLayout(contacts_box).addWidget(make_table_view(self.contacts, self.tr("連絡先")))
        levels_box = QGroupBox(self.tr("年度別の支援分類"))
        QVBoxLayout(levels_box).addWidget(
            make_table_view(self.levels, self.tr("年度別の支援分類"), descending=True)
        )
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(profile, 1)
        top.addWidget(self.rhythm_box, 1)
        layout.addLayout(top)
        layout.addWidget(contacts_box, 1)
        layout.addWidget(levels_box, 1)

    def _rhythm_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("定例よろず相談"))
        form = QFormLayout(box)
        self._rhythm: Rhythm | None = None
        self._advisors: list[str] = []
        self.advisors_label = QLabel()
        self.advisors_label.setWordWrap(True)
        self.cadence_label = QLabel()
        self.cadence_button = QPushButton(self.tr("変更…"))
        self.cadence_button.setAccessibleName(self.tr("定例の間隔を変更"))
        self.cadence_button.setEnabled(False)
        self.cadence_button.clicked.connect(self._ask_cadence)
        cadence_row = QHBoxLayout()
        cadence_row.addWidget(self.cadence_label, 1)
        cadence_row.addWidget(self.cadence_button)
        self.last_held_label = QLabel()
        self.next_planned_label = QLabel()
        self.overdue_label = QLabel()
        self.overdue_label.setWordWrap(True)
        for label in (self.last_held_label, self.next_planned_label, self.overdue_label):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.tr("担当アドバイザー"), self.advisors_label)
        form.addRow(self.tr("定例の間隔"), cadence_row)
        form.addRow(self.tr("最終実施"), self.last_held_label)
        form.addRow(self.tr("次回予定"), self.next_planned_label)
        form.addRow(self.tr("状態"), self.overdue_label)
        return box

    def _rhythm_labels(self) -> tuple[QLabel, ...]:
        return (
            self.advisors_label,
            self.cadence_label,
            self.last_held_label,
            self.next_planned_label,
            self.overdue_label,
        )

    def _load_rhythm(self, code: str) -> None:
        today = date.today()
        self._runner.run(
            lambda: read_rhythm(self._ws, code, today),
            on_done=lambda rhythm: self._show_rhythm(code, rhythm),
        )

    def _consultation_text(self, consultation: dict[str, Any] | None) -> str:
        if consultation is None:
            return self.tr("なし")
        when = consultation["date"]
        if consultation.get("start_time"):
            when = f"{when} {consultation['start_time']}"
        kind = ENGAGEMENT_TYPES.get(consultation["type"], consultation["type"])
        title = consultation.get("title") or vocabulary_text(kind)
        return f"{when}　{title}"

    def _advisors_text(self, synced: bool) -> str:
        if self._advisors:
            return "、".join(self._advisors)
        if not synced:
            return self.tr("未同期（サーバーと同期すると表示されます）")
        return self.tr("なし（サーバーで割り当てられていません）")

    def _show_rhythm(self, code: str, rhythm: Rhythm) -> None:
        if code != self._code:
            return  # another municipality was chosen meanwhile
        self._rhythm = rhythm
        row = rhythm.schedule
        self.advisors_label.setText(self._advisors_text(rhythm.synced))
        self.cadence_label.setText(cadence_text(row.months))
        self.cadence_button.setEnabled(True)
        self.last_held_label.setText(self._consultation_text(row.last_held))
        self.next_planned_label.setText(self._consultation_text(row.next_planned))
        if row.overdue:
            parts = [self.tr("期限超過")]
            if row.late:
                parts.append(
                    self.tr("予定日を過ぎた予定 {count} 件（実施・中止を記録してください）").format(
                        count=len(row.late)
                    )
                )
            elif row.due is not None:
                parts.append(self.tr("期限 {due}").format(due=row.due.isoformat()))
            else:
                parts.append(self.tr("実施も予定もありません"))
            self.overdue_label.setText("　".join(parts))
            self.overdue_label.setStyleSheet(OVERDUE_STYLE)
            return
        self.overdue_label.setStyleSheet("")
        if row.months is None:
            self.overdue_label.setText(self.tr("—（間隔が定められていません）"))
        elif row.due is not None:
            self.overdue_label.setText(
                self.tr("間隔内（期限 {due}）").format(due=row.due.isoformat())
            )
        else:
            self.overdue_label.setText(self.tr("間隔内"))

    def _ask_cadence(self) -> None:
        code, rhythm = self._code, self._rhythm
        if code is None or rhythm is None:
            return
        ask_cadence(self, self._ws, self._runner, code, rhythm.schedule.name, rhythm.cadence)

    def show_municipality(
        self,
        municipality: dict[str, Any],
        contacts: list[dict[str, Any]],
        assessments: list[dict[str, Any]],
    ) -> None:
        self._code = municipality["code"]
        gun = municipality.get("gun") or ""
        self._labels["name"].setText(f"{gun}{municipality['name']}（{municipality['code']}）")
        self._labels["kana"].setText(municipality["kana"])
        self._labels["kind"].setText(municipality["kind"])
        self._labels["region"].setText(municipality["region"])
        population = municipality.get("population")
        self._labels["population"].setText(
            self.tr("不明")
            if population is None
            else self.tr("{population} 人").format(population=f"{population:,}")
        )
        self.contacts.set_records(contacts)
        self.levels.set_records(assessments)
        self._advisors = list(municipality.get("advisors") or [])
        self.cadence_button.setEnabled(False)  # (until its cadence is read)
        self._rhythm = None
        for label in self._rhythm_labels():  # never the previous municipality's meanwhile
            label.setText(LOADING)
        self.overdue_label.setStyleSheet("")
        self._load_rhythm(self._code)

    def _store_changed(self, changes: Changes) -> None:
        """The window's own edit of a contact or of what the levels show, in this municipality.
        (Other sources fill every tab through the window's load of the municipality.)"""
        code = self._code
        if changes.source is not Source.EDIT or code is None or not changes.concerns(code):
            return
        if changes.wrote("visit", RHYTHM_FIELDS) or changes.touches("cadence"):
            self._load_rhythm(code)
        if changes.touches("contact") or changes.wrote("assessment", LEVEL_FIELDS):
            self._runner.run(
                lambda: (
                    self._ws.contacts.list_records(municipality=code),
                    self._ws.assessments.list_records(municipality=code),
                ),
                on_done=lambda lists: self._show_lists(code, *lists),
            )

    def _show_lists(
        self, code: str, contacts: list[dict[str, Any]], assessments: list[dict[str, Any]]
    ) -> None:
        if code == self._code:  # (not if another municipality was chosen meanwhile)
            self.contacts.set_records(contacts)
            self.levels.set_records(assessments)
