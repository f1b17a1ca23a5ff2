"""The conflict dialog: each open conflict with base, theirs and mine side by side; a person
keeps one of the two, or for long text edits a merged proposal and keeps that."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from dxdesk.domain.changes import Source
from dxdesk.services.workspace import Workspace
from dxdesk.sync.conflicts import OpenConflict, resolve
from dxdesk.ui.message_label import message_label
from dxdesk.ui.refusal_text import error_text
from dxdesk.ui.runner import StoreRunner
from dxdesk.ui.sync_conflict_text import (
    AnswerReading,
    ConflictItem,
    difference_text,
    field_label,
    is_long_text,
    load_conflicts,
    proposal,
    record_text,
    value_text,
)
from dxdesk.ui.sync_login import ERROR_STYLE
from dxdesk.ui.sync_status import local_time_text

HEADING_STYLE = "font-size: 13pt; font-weight: bold;"


def _value_view(name: str) -> QPlainTextEdit:
    view = QPlainTextEdit()
    view.setReadOnly(True)
    view.setAccessibleName(name)
    return view


class ConflictDialog(QDialog):
    resolved = Signal()  # a conflict was settled: records and the status bar may have changed

    def __init__(
        self, parent: QWidget, workspace: Workspace, runner: StoreRunner, *, me: str
    ) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._runner = runner
        self._me = me
        self._items: list[ConflictItem] = []
        self.setWindowTitle(self.tr("同期の競合"))
        intro = message_label(
            self.tr(
                "他の人の変更とこの端末の変更が重なりました。1 件ずつ、残す値を選んでください。"
                "選んだ値は次の同期でサーバーに送ります。"
            )
        )
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("未解決の競合"))
        self.list.currentRowChanged.connect(self._show_current)

        self.heading = message_label()
        self.heading.setStyleSheet(HEADING_STYLE)
        self.explanation = message_label()
        self.base_title, self.theirs_title, self.mine_title = (
            message_label(),
            message_label(),
            message_label(),
        )
        self.base_view = _value_view(self.tr("元の値"))
        self.theirs_view = _value_view(self.tr("相手の値"))
        self.mine_view = _value_view(self.tr("自分の値"))
        columns = QGridLayout()
        for column, (title, view) in enumerate(
            (
                (self.base_title, self.base_view),
                (self.theirs_title, self.theirs_view),
                (self.mine_title, self.mine_view),
            )
        ):
            columns.addWidget(title, 0, column, Qt.AlignmentFlag.AlignBottom)
            columns.addWidget(view, 1, column)
            columns.setColumnStretch(column, 1)

        self.merged_box = QGroupBox(self.tr("統合案（編集してから確定できます）"))
        self.merged_edit = QPlainTextEdit()
        self.merged_edit.setAccessibleName(self.tr("統合案"))
        self.keep_merged_button = QPushButton(self.tr("この文章で確定"))
        self.keep_merged_button.clicked.connect(self._keep_merged)
        merged_layout = QVBoxLayout(self.merged_box)
        merged_layout.addWidget(self.merged_edit)
        merged_layout.addWidget(self.keep_merged_button, 0, Qt.AlignmentFlag.AlignRight)

        self.theirs_button = QPushButton()
        self.theirs_button.clicked.connect(lambda: self._take("theirs"))
        self.mine_button = QPushButton()
        self.mine_button.clicked.connect(lambda: self._take("mine"))
        choices = QHBoxLayout()
        choices.addStretch(1)
        choices.addWidget(self.theirs_button)
        choices.addWidget(self.mine_button)

        self.detail = QWidget()
        detail_layout = QVBoxLayout(self.detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.heading)
        detail_layout.addWidget(self.explanation)
        detail_layout.addLayout(columns, 2)
        detail_layout.addWidget(self.merged_box, 2)
        detail_layout.addLayout(choices)

        splitter = QSplitter()
        splitter.addWidget(self.list)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([300, 900])
        self.state_label = message_label()
        self.state_label.setAccessibleName(self.tr("競合の解決の結果"))
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.state_label)
        layout.addWidget(close)
        self.resize(1200, 700)
        self._show_current(-1)

    # -- loading ---------------------------------------------------------------------------

    def reload(self) -> None:
        self._runner.run(lambda: load_conflicts(self._ws), on_done=self._show_items)

    def _show_items(self, items: list[ConflictItem]) -> None:
        row = max(self.list.currentRow(), 0)
        self._items = items
        self.list.blockSignals(True)
        self.list.clear()
        for item in items:
            conflict = item.conflict
            text = f"{item.record}\n{field_label(conflict.kind, conflict.field)}"
            entry = QListWidgetItem(text)
            entry.setData(Qt.ItemDataRole.UserRole, conflict.id)
            self.list.addItem(entry)
        self.list.blockSignals(False)
        self.list.setCurrentRow(min(row, len(items) - 1))
        self._show_current(self.list.currentRow())

    @property
    def current(self) -> OpenConflict | None:
        row = self.list.currentRow()
        return self._items[row].conflict if 0 <= row < len(self._items) else None

    # -- showing one -----------------------------------------------------------------------

    def _show_current(self, row: int) -> None:
        conflict = self.current
        self.detail.setEnabled(conflict is not None)
        if conflict is None:
            self.heading.setText(self.tr("未解決の競合はありません"))
            self.explanation.setText("")
            for view in (self.base_view, self.theirs_view, self.mine_view, self.merged_edit):
                view.clear()
            for label in (self.base_title, self.theirs_title, self.mine_title):
                label.setText("")
            self.merged_box.hide()
            self.theirs_button.setText(self.tr("相手の値にする"))
            self.mine_button.setText(self.tr("自分の値にする"))
            return
        record = self._items[row].record
        who = self.tr("{name} さん").format(name=conflict.theirs_by or self.tr("他の利用者"))
        when = local_time_text(conflict.theirs_at) or self.tr("日時不明")
        self.theirs_title.setText(self.tr("相手の値 — {who}（{when}）").format(who=who, when=when))
        self.mine_title.setText(self.tr("自分の値 — {me}（この端末）").format(me=self._me))
        self.base_title.setText(self.tr("元の値（前回の同期の時点）"))
        if conflict.field == "*":
            self._show_whole_record(conflict, record, who, when)
        else:
            self._show_field(conflict, record, who, when, self._items[row].reading)

    def _show_field(
        self,
        conflict: OpenConflict,
        record: str,
        who: str,
        when: str,
        reading: AnswerReading | None = None,
    ) -> None:
        """``reading``: a survey response's answers by their questions' labels."""
        kind, field = conflict.kind, conflict.field
        self.heading.setText(
            self.tr("{record} の「{field}」").format(record=record, field=field_label(kind, field))
        )
        explanation = self.tr(
            "{who}が {when} に「{field}」を変更し、この端末でも同じ項目を別の値に変更して"
            "いました。どちらの値を残すか選んでください。"
        ).format(who=who, when=when, field=field_label(kind, field))
        difference = difference_text(kind, field, conflict.theirs, conflict.mine, reading)
        if difference:  # answers, a definition: where the two differ, not only both wholes
            explanation += "\n\n" + difference
        self.base_view.setPlainText(value_text(kind, field, conflict.base, reading))
        self.theirs_view.setPlainText(value_text(kind, field, conflict.theirs, reading))
        self.mine_view.setPlainText(value_text(kind, field, conflict.mine, reading))
        self.base_title.show()
        self.base_view.show()
        long_text = is_long_text(kind, field)
        self.merged_box.setVisible(long_text)
        if long_text:
            explanation += self.tr(
                "文章は、両方の変更を合わせた下の案を直してから確定することもできます。"
            )
            self.merged_edit.setPlainText(
                proposal(
                    conflict.base,
                    conflict.theirs,
                    conflict.mine,
                    theirs_name=who,
                    mine_name=self.tr("自分（{me}）").format(me=self._me),
                )
            )
        self.explanation.setText(explanation)
        self.theirs_button.setText(self.tr("相手の値にする"))
        self.mine_button.setText(self.tr("自分の値にする"))

    def _show_whole_record(self, conflict: OpenConflict, record: str, who: str, when: str) -> None:
        kind = conflict.kind
        self.heading.setText(record)
        self.base_title.hide()
        self.base_view.hide()
        self.merged_box.hide()
        mine = record_text(kind, conflict.mine)
        if conflict.reason == "deleted":
            explanation = self.tr(
                "{who}が {when} にこの記録を削除しましたが、この端末ではその前に記録を"
                "変更していました。記録を残すと、この端末の変更とともに記録が全員に戻ります。"
            ).format(who=who, when=when)
            theirs = self.tr("（削除されました）")
            take_theirs, take_mine = self.tr("削除を受け入れる"), self.tr("記録を残す")
        elif conflict.reason == "changed":
            explanation = self.tr(
                "この端末で削除した記録を、{who}が {when} に変更していました。"
                "削除するか、相手の変更を残すか選んでください。"
            ).format(who=who, when=when)
            theirs = record_text(kind, conflict.theirs)
            mine = self.tr("（この端末で削除しました）")
            take_theirs, take_mine = self.tr("相手の変更を残す"), self.tr("削除する")
        else:  # refused
            self.theirs_title.setText(self.tr("サーバーの返答"))
            explanation = self.tr(
                "サーバーがこの端末の変更を受け付けませんでした。担当から外れた市町村の記録などで"
                "起こります。原因が解消していれば「もう一度送る」、不要なら「送らずに取り下げる」"
                "を選んでください。"
            )
            theirs = conflict.detail or self.tr("（理由の説明はありません）")
            take_theirs, take_mine = self.tr("送らずに取り下げる"), self.tr("もう一度送る")
        self.explanation.setText(explanation)
        self.theirs_view.setPlainText(theirs)
        self.mine_view.setPlainText(mine)
        self.theirs_button.setText(take_theirs)
        self.mine_button.setText(take_mine)

    # -- resolving -------------------------------------------------------------------------

    def _take(self, take: str) -> None:
        conflict = self.current
        if conflict is not None:
            store = self._ws.store
            if take == "mine":
                self._resolve(lambda: resolve(store, conflict.id, take="mine"))
            else:
                self._resolve(lambda: resolve(store, conflict.id, take="theirs"))

    def _keep_merged(self) -> None:
        conflict = self.current
        if conflict is not None:
            text = self.merged_edit.toPlainText()
            self._resolve(lambda: resolve(self._ws.store, conflict.id, value=text))

    def _resolve(self, call: Any) -> None:
        self.detail.setEnabled(False)
        # What the choice wrote reaches every panel as a settled conflict's change notice.
        self._runner.run(
            call, on_done=self._resolved, on_error=self._failed, source=Source.CONFLICT
        )

    def _resolved(self, _result: object) -> None:
        self.state_label.setStyleSheet("")
        self.state_label.setText(self.tr("解決しました。次の同期でサーバーに送ります。"))
        self.resolved.emit()
        self.reload()

    def _failed(self, error: BaseException) -> None:
        self.detail.setEnabled(True)
        self.state_label.setStyleSheet(ERROR_STYLE)
        self.state_label.setText(
            self.tr("解決できませんでした: {error}").format(error=error_text(error))
        )
