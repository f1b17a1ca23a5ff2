"""定例よろず相談を予定する: next regular consultation of each assigned municipality, in one go.

A row per municipality, filled with the suggestion that keeps its rhythm (services/planning):
the date, the times, the mode and the place of its latest one. 予定を作成 writes the ticked rows
as planned consultations on the store's worker, all of them or none; what is wrong with a row
is said on that row, and nothing is written until every ticked row is right.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date
from typing import Any

import shiboken6
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dxdesk.domain.records import kind_spec
from dxdesk.domain.vocabulary import MODES
from dxdesk.services.planning import (
    PlannedConsultation,
    PlanRefused,
    Suggestion,
    plan_consultations,
    suggestions,
)
from dxdesk.services.workspace import Workspace
from dxdesk.ui.autosave import new_date_edit
from dxdesk.ui.choice_box import ChoiceBox
from dxdesk.ui.format import vocabulary_text
from dxdesk.ui.message_label import ERROR_COLOR, mark_field, message_label, show_error
from dxdesk.ui.refusal_text import error_text
from dxdesk.ui.runner import StoreRunner, while_open
from dxdesk.ui.time_edit import new_time_edit, time_value

# The table's columns, in order.
TICK, NAME, DATE, START, END, MODE, PLACE, NOTE = range(8)


@dataclass
class _Row:
    code: str
    name: str
    tick: QCheckBox
    date_edit: QDateEdit
    start: QLineEdit
    end: QLineEdit
    mode: ChoiceBox
    place: QLineEdit
    note: QLabel
    ahead: str  # 「予定あり（…）」, kept when the row is refused

    def fields(self) -> dict[str, QWidget]:
        """The row's editable fields, by the name of the record field each writes."""
        return {
            "date": self.date_edit,
            "start_time": self.start,
            "end_time": self.end,
            "mode": self.mode,
            "place": self.place,
        }

    def plan(self) -> PlannedConsultation:
        picked = self.date_edit.date()
        return PlannedConsultation(
            municipality=self.code,
            date=date(picked.year(), picked.month(), picked.day()),
            start_time=time_value(self.start),
            end_time=time_value(self.end),
            mode=str(self.mode.currentData()),
            place=self.place.text().strip(),
        )


class PlanConsultationsDialog(QDialog):
    def __init__(
        self,
        workspace: Workspace,
        runner: StoreRunner,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._runner = runner
        self._today = today or date.today()
        self.rows: list[_Row] = []
        self.setWindowTitle(self.tr("定例よろず相談を予定する"))
        self.resize(980, 560)
        intro = QLabel(
            self.tr(
                "担当の市町村ごとに、次の定例よろず相談を予定します。日付・時刻・形式・場所は"
                "前回に合わせた案です（定例の間隔があればその間隔で）。予定を作る行にチェックを"
                "入れ、必要なら直してから「予定を作成」を押してください。次の予定が既にある"
                "市町村はチェックを外してあります。"
            )
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 8)
        self.table.setAccessibleName(self.tr("予定する定例よろず相談"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("予定"),
                self.tr("市町村"),
                self.tr("日付"),
                self.tr("開始"),
                self.tr("終了"),
                self.tr("形式"),
                self.tr("場所"),
                self.tr("備考"),
            ]
        )
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(PLACE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(NOTE, QHeaderView.ResizeMode.Stretch)
        self.message = message_label()
        self.message.setText(self.tr("読み込み中…"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.create_button = QPushButton(self.tr("予定を作成"))
        self.create_button.setDefault(True)
        self.create_button.setEnabled(False)
        self.buttons.addButton(self.create_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.create_button.clicked.connect(self._create)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        store, today = workspace.store, self._today

        def load() -> tuple[list[dict[str, Any]], dict[str, Suggestion]]:
            municipalities = workspace.municipalities.overview()
            codes = [m["code"] for m in municipalities]
            return municipalities, suggestions(store, codes, today=today)

        runner.run(
            load,
            on_done=while_open(self, lambda loaded: self._fill(*loaded)),
            on_error=while_open(self, self._failed),
        )

    def _fill(self, municipalities: list[dict[str, Any]], found: dict[str, Suggestion]) -> None:
        self.table.setRowCount(len(municipalities))
        for index, municipality in enumerate(municipalities):
            self.rows.append(self._row(index, municipality, found[municipality["code"]]))
        self.table.resizeRowsToContents()
        if not municipalities:
            self.message.setText(
                self.tr("担当の市町村がありません。同期すると担当の市町村が表示されます。")
            )
            return
        self.message.setText("")
        self.create_button.setEnabled(True)

    def _row(self, index: int, municipality: dict[str, Any], suggestion: Suggestion) -> _Row:
        name = municipality["name"]
        tick = QCheckBox()
        tick.setAccessibleName(self.tr("{name}を予定する").format(name=name))
        tick.setChecked(suggestion.planned_ahead is None)
        date_edit = new_date_edit()
        day = suggestion.date
        date_edit.setDate(QDate(day.year, day.month, day.day))
        date_edit.setMinimumDate(QDate(self._today.year, self._today.month, self._today.day))
        start = new_time_edit(self.tr("{name}の開始").format(name=name))
        start.setText(suggestion.start_time or "")
        end = new_time_edit(self.tr("{name}の終了").format(name=name))
        end.setText(suggestion.end_time or "")
        mode = ChoiceBox()
        for code, label in MODES.items():
            mode.addItem(vocabulary_text(label), code)
        mode.setCurrentIndex(max(mode.findData(suggestion.mode), 0))
        place = QLineEdit(suggestion.place)
        place.setAccessibleName(self.tr("{name}の場所").format(name=name))
        note = QLabel()
        note.setWordWrap(True)
        note.setTextFormat(Qt.TextFormat.RichText)  # (a refusal goes on a red second line)
        ahead = ""
        if suggestion.planned_ahead is not None:
            ahead = self.tr("予定あり（{date}）").format(date=suggestion.planned_ahead.isoformat())
        note.setText(html.escape(ahead))
        self.table.setItem(index, NAME, QTableWidgetItem(name))
        for column, widget in (
            (TICK, tick),
            (DATE, date_edit),
            (START, start),
            (END, end),
            (MODE, mode),
            (PLACE, place),
            (NOTE, note),
        ):
            self.table.setCellWidget(index, column, widget)
        row = _Row(
            municipality["code"], name, tick, date_edit, start, end, mode, place, note, ahead
        )
        tick.toggled.connect(lambda on, r=row: self._enable(r, on))
        self._enable(row, tick.isChecked())
        return row

    @staticmethod
    def _enable(row: _Row, on: bool) -> None:
        for widget in (row.date_edit, row.start, row.end, row.mode, row.place):
            widget.setEnabled(on)

    def _create(self) -> None:
        chosen = [row for row in self.rows if row.tick.isChecked()]
        for row in self.rows:  # an earlier refusal: said again if still so
            self._mark(row, None)
        if not chosen:
            self._say(self.tr("予定を作る市町村にチェックを入れてください。"), error=True)
            return
        plans = [row.plan() for row in chosen]
        store, today = self._ws.store, self._today
        self.create_button.setEnabled(False)
        self._say(self.tr("予定を作成しています…"))
        window = self.parent()
        done = self.tr("定例よろず相談の予定を {count} 件作成しました。")
        opened = while_open(self, lambda _ids: self.accept())

        def created(ids: list[str]) -> None:
            # Said in the window even if the dialog was closed meanwhile: the plans were written.
            if isinstance(window, QMainWindow) and shiboken6.isValid(window):
                window.statusBar().showMessage(done.format(count=len(ids)), 10_000)
            opened(ids)

        self._runner.run(
            lambda: plan_consultations(store, plans, today=today),
            on_done=created,
            on_error=while_open(self, lambda error: self._refused(chosen, error)),
        )

    def _refused(self, chosen: list[_Row], error: BaseException) -> None:
        self.create_button.setEnabled(True)
        if not isinstance(error, PlanRefused):
            self._say(
                self.tr("予定を作成できませんでした: {reason}").format(reason=error_text(error)),
                error=True,
            )
            return
        for index, why in error.rows.items():
            self._mark(chosen[index], why)
        first = chosen[min(error.rows)]
        self.table.scrollTo(self.table.model().index(self.rows.index(first), NAME))
        self._say(
            self.tr(
                "{count} 行に問題があるため、予定は 1 件も作成していません。"
                "備考欄を見て直してください。"
            ).format(count=len(error.rows)),
            error=True,
        )

    @staticmethod
    def _mark(row: _Row, why: str | None) -> None:
        """Say ``why`` under the row's note (its 「予定あり」 stays) and mark the fields it names,
        each with its reason as tooltip; None takes an earlier refusal away."""
        lines = [html.escape(row.ahead)] if row.ahead else []
        if why is not None:
            lines.append(f'<span style="color: {ERROR_COLOR};">{html.escape(why)}</span>')
        row.note.setText("<br>".join(lines))
        at_fault = _reasons_by_field(row, why) if why is not None else {}
        for name, widget in row.fields().items():
            mark_field(widget, at_fault.get(name))

    def _failed(self, error: BaseException) -> None:
        self._say(
            self.tr("担当の市町村を読み込めませんでした: {reason}").format(
                reason=error_text(error)
            ),
            error=True,
        )

    def _say(self, text: str, *, error: bool = False) -> None:
        show_error(self.message, text, error=error)


def _reasons_by_field(row: _Row, why: str) -> dict[str, str]:
    """The row's fields a refusal names, each with its part of the reason.

    The store says a field's refusal as 「終了: …」 (its label first, parts joined by 「、」);
    the plan's own refusals of a row (a past date, a date already planned) begin with the date.
    """
    spec = kind_spec("visit")
    found: dict[str, str] = {}
    current: str | None = None
    for part in why.split("、"):
        named = [n for n in row.fields() if part.startswith(f"{spec.field(n).label}:")]
        if named:
            current = named[0]
            found[current] = part[len(spec.field(current).label) + 1 :].strip()
        elif current is not None:  # a reason that itself has 「、」 in it
            found[current] += f"、{part}"
    if not found and why.startswith(row.plan().date.isoformat()):
        found["date"] = why
    return found


def ask_plan_consultations(
    parent: QWidget, ws: Workspace, runner: StoreRunner
) -> PlanConsultationsDialog:
    """Open the dialog (window-modal, without blocking the window's work)."""
    dialog = PlanConsultationsDialog(ws, runner, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
