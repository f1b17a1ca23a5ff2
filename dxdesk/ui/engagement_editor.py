"""The editor of one engagement: its fields, its interview notes, its follow-ups and its files.

Every part saves as the user types (see ``autosave``), so nothing typed is lost. Files dropped
on a note or follow-up attach to it, anywhere else on the editor to the visit (資料 tab).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from dxdesk.domain.national_schemes import national_schemes
from dxdesk.domain.vocabulary import (
    ENGAGEMENT_TYPES,
    FOLLOW_UP_STATUSES,
    MODES,
    RECORD_STATUSES,
)
from dxdesk.services.workspace import Workspace
from dxdesk.ui.attachment_drops import route_drops
from dxdesk.ui.attachments_panel import AttachmentsPanel
from dxdesk.ui.autosave import (
    SAVE_DELAY_MS,
    AutosaveForm,
    OptionalDateEdit,
    choice_binding,
    date_binding,
    list_binding,
    long_text_binding,
    new_date_edit,
    optional_date_binding,
    text_binding,
)
from dxdesk.ui.child_records import ChildRecordsSection
from dxdesk.ui.choice_box import ChoiceBox
from dxdesk.ui.format import QT_TRANSLATE_NOOP, status_text, unwritten_text
from dxdesk.ui.runner import StoreRunner
from dxdesk.ui.table_model import Column
from dxdesk.ui.time_edit import new_time_edit, time_binding, time_range_row

__all__ = ["SAVE_DELAY_MS", "EngagementEditor"]

# The type of consultation that names a national advisor scheme (国の制度).
SCHEME_TYPE = "national_scheme"
# The fields laid out together on the 時間 row, under 日付, rather than on rows of their own.
_TIMES = ("start_time", "end_time")
# A scheme's name shows whole when the editor has room; narrower, the box shrinks to this many
# characters (the list still shows every name whole) so that the editor leaves the municipality
# list its room at the window's default size.
SCHEME_CHARS = 8


def _first_line(text: str | None) -> str:
    return (text or "").strip().split("\n", 1)[0]


class EngagementEditor(QWidget):
    saved = Signal(dict)  # the engagement as stored
    deleted = Signal(object, str, list)  # a note or follow-up went: facade, label, keys
    share_requested = Signal(str)  # 「ナレッジとして共有…」 for this engagement id

    def __init__(
        self, workspace: Workspace, runner: StoreRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._runner = runner
        self.date_edit = new_date_edit()
        self.start_edit = new_time_edit(self.tr("開始"))
        self.end_edit = new_time_edit(self.tr("終了"))
        self.status_choice = ChoiceBox()
        self.type_box = ChoiceBox()
        self.scheme_box = ChoiceBox()
        self.mode_box = ChoiceBox()
        self.place_edit = QLineEdit(
            placeholderText=self.tr("場所（会議室、オンラインの会議名など）")
        )
        self.title_edit = QLineEdit(placeholderText=self.tr("件名"))
        self.themes_edit = QLineEdit(placeholderText=self.tr("テーマ（「、」区切り）"))
        self.attendees_edit = QLineEdit(placeholderText=self.tr("市町村側の出席者（「、」区切り）"))
        self.advisors_edit = QLineEdit(
            placeholderText=self.tr("アドバイザー側の出席者（「、」区切り）")
        )
        self.summary_edit = QPlainTextEdit(placeholderText=self.tr("概要"))
        self.notes_edit = QPlainTextEdit(placeholderText=self.tr("メモ"))
        bindings = {
            "date": (self.tr("日付"), date_binding(self.date_edit)),
            "start_time": (self.tr("開始"), time_binding(self.start_edit)),
            "end_time": (self.tr("終了"), time_binding(self.end_edit)),
            "status": (
                self.tr("状態"),
                choice_binding(self.status_choice, RECORD_STATUSES),
            ),
            "type": (self.tr("種別"), choice_binding(self.type_box, ENGAGEMENT_TYPES)),
            # (A blank first entry: a consultation of that type may not know it yet.)
            "scheme": (
                self.tr("国の制度"),
                choice_binding(self.scheme_box, {"": "（未選択）", **national_schemes()}),
            ),
            "mode": (self.tr("形式"), choice_binding(self.mode_box, MODES)),
            "place": (self.tr("場所"), text_binding(self.place_edit)),
            "title": (self.tr("件名"), text_binding(self.title_edit)),
            "themes": (self.tr("テーマ"), list_binding(self.themes_edit)),
            "municipal_attendees": (
                self.tr("出席者（市町村）"),
                list_binding(self.attendees_edit),
            ),
            "advisor_attendees": (
                self.tr("出席者（アドバイザー）"),
                list_binding(self.advisors_edit),
            ),
            "summary": (self.tr("概要"), long_text_binding(self.summary_edit)),
            "notes": (self.tr("メモ"), long_text_binding(self.notes_edit)),
        }
        # The form's rows, in the order of its bindings (the times go on 日付's 時間 row).
        self._laid_out = [field for field in bindings if field not in _TIMES]
        self.form = AutosaveForm(
            workspace.engagements, runner, bindings, self, laid_out=self._laid_out
        )
        self.form.saved.connect(self.saved)
        self._lay_out_times()
        self._let_scheme_shrink()
        self._set_aside_scheme: int | None = None  # the scheme another type cleared
        self.type_box.currentIndexChanged.connect(self._type_edited)

        # A new note or item starts empty (a placeholder is never a value): see unwritten_text.
        self.interviewee_edit = QLineEdit(placeholderText=self.tr("お名前"))
        self.interview_role_edit = QLineEdit(placeholderText=self.tr("所属・役職"))
        self.interview_notes_edit = QPlainTextEdit(placeholderText=self.tr("聞き取った内容"))
        self.interviews = ChildRecordsSection(
            workspace.interviews,
            runner,
            columns=(
                Column(
                    "interviewee",
                    QT_TRANSLATE_NOOP("Column", "相手"),
                    display=lambda r: unwritten_text(r["interviewee"]),
                ),
                Column("role", QT_TRANSLATE_NOOP("Column", "役職・担当")),
                Column(
                    "notes",
                    QT_TRANSLATE_NOOP("Column", "内容"),
                    display=lambda r: _first_line(r["notes"]),
                ),
            ),
            bindings={
                "interviewee": (self.tr("相手"), text_binding(self.interviewee_edit)),
                "role": (self.tr("役職・担当"), text_binding(self.interview_role_edit)),
                "notes": (self.tr("内容"), long_text_binding(self.interview_notes_edit)),
            },
            new_payload=lambda engagement: {"engagement": engagement},
            describe=self._describe_interview,
            focus_field=self.interviewee_edit,
        )

        self.follow_up_edit = QLineEdit(placeholderText=self.tr("何をするか"))
        self.owner_edit = QLineEdit(placeholderText=self.tr("誰が"))
        self.due_edit = OptionalDateEdit(self.tr("期限あり"))
        self.status_box = ChoiceBox()
        self.follow_ups = ChildRecordsSection(
            workspace.follow_ups,
            runner,
            columns=(
                Column(
                    "description",
                    QT_TRANSLATE_NOOP("Column", "内容"),
                    display=lambda r: unwritten_text(r["description"]),
                ),
                Column("owner", QT_TRANSLATE_NOOP("Column", "担当")),
                Column("due", QT_TRANSLATE_NOOP("Column", "期限")),
                Column("status", QT_TRANSLATE_NOOP("Column", "状態"), display=status_text),
            ),
            bindings={
                "description": (self.tr("内容"), text_binding(self.follow_up_edit)),
                "owner": (self.tr("担当"), text_binding(self.owner_edit)),
                "due": (self.tr("期限"), optional_date_binding(self.due_edit)),
                "status": (self.tr("状態"), choice_binding(self.status_box, FOLLOW_UP_STATUSES)),
            },
            new_payload=lambda engagement: {"engagement": engagement},
            describe=self._describe_follow_up,
            focus_field=self.follow_up_edit,
        )
        for section in (self.interviews, self.follow_ups):
            section.deleted.connect(self.deleted)

        self.attachments = AttachmentsPanel(workspace, runner, "visit")
        self.interview_attachments = self._files_of(
            self.interviews,
            "interview",
            self.tr("ヒアリングを選ぶと、そのヒアリングにファイルを添付できます。"),
            self._describe_interview,
        )
        self.follow_up_attachments = self._files_of(
            self.follow_ups,
            "followup",
            self.tr("フォローアップを選ぶと、そのフォローアップにファイルを添付できます。"),
            self._describe_follow_up,
        )

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("相談記録の内容"))
        self.tabs.addTab(self.form, self.tr("内容"))
        self.tabs.addTab(self.interviews, self.tr("ヒアリング"))
        # 「フォロー」: the four tabs fit the editor's width at 1280 px; none hides behind
        # scroll arrows (a tab a little too long is elided, whole in its tooltip).
        self.tabs.addTab(self.follow_ups, self.tr("フォロー"))
        self.tabs.addTab(self.attachments, self.tr("資料"))
        self.tabs.setTabToolTip(2, self.tr("フォローアップ（相談後に行うこと）"))
        self._tab_names = [self.tabs.tabText(index) for index in range(self.tabs.count())]
        self.tabs.tabBar().setUsesScrollButtons(False)
        self.tabs.tabBar().setElideMode(Qt.TextElideMode.ElideRight)
        interviews = self.tr("ヒアリング（{count}）")
        follow_ups = self.tr("フォロー（{count}）")
        files = self.tr("資料（{count}）")
        self.interviews.count_changed.connect(lambda n: self._count(1, interviews, n))
        self.follow_ups.count_changed.connect(lambda n: self._count(2, follow_ups, n))
        self.attachments.count_changed.connect(lambda n: self._count(3, files, n))
        for panel in (self.attachments, self.interview_attachments, self.follow_up_attachments):
            panel.deleted.connect(self.deleted)
        # A file dropped on the visit's fields goes to its 資料, shown to say what happened.
        self.attachments.attaching.connect(lambda: self.tabs.setCurrentWidget(self.attachments))
        self.share_button = QPushButton(self.tr("ナレッジとして共有…"))
        self.share_button.setAccessibleName(self.tr("この相談記録をナレッジとして共有"))
        self.share_button.setEnabled(False)
        self.share_button.clicked.connect(self._share)
        # (Placed by the panel, beside its list's 新規 and 削除.)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        route_drops(self, self.attachments.drop_route)  # (after the sections took theirs)
        self.setEnabled(False)

    def _lay_out_times(self) -> None:
        """開始〜終了 on a row of their own under 日付 (as the group event editor has them): beside
        the date they made the editor too wide for the municipality list to show whole."""
        times = time_range_row(self.start_edit, self.end_edit)
        self.form.form.insertRow(self._laid_out.index("date") + 1, self.tr("時間"), times)
        self._show_scheme()

    def _let_scheme_shrink(self) -> None:
        box = self.scheme_box
        box.setSizeAdjustPolicy(ChoiceBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        box.setMinimumContentsLength(SCHEME_CHARS)
        # A name cut short by a narrow editor reads whole in its tooltip.
        box.currentTextChanged.connect(box.setToolTip)

    def _show_scheme(self) -> None:
        """国の制度 is a field of a consultation of type 国のアドバイザー制度 only."""
        named = self.type_box.currentData() == SCHEME_TYPE
        self.form.form.setRowVisible(self.scheme_box, named)
        self.scheme_box.setEnabled(named)

    def _type_edited(self) -> None:
        """Another type names no scheme: a chosen one is cleared with the type (the store
        refuses a scheme on any other type, which would hold the type back unsaved). It is
        remembered while the record stays open, so choosing the type again brings it back."""
        self._show_scheme()
        box = self.scheme_box
        if self.type_box.currentData() != SCHEME_TYPE:
            if box.currentIndex() > 0:
                self._set_aside_scheme = box.currentIndex()
                box.setCurrentIndex(0)  # (edited: saved with the type)
        elif self._set_aside_scheme is not None and box.currentIndex() == 0:
            box.setCurrentIndex(self._set_aside_scheme)  # (edited: saved with the type)

    def _describe_interview(self, record: dict[str, Any]) -> str:
        return self.tr("ヒアリング「{name}」").format(name=unwritten_text(record["interviewee"]))

    def _describe_follow_up(self, record: dict[str, Any]) -> str:
        return self.tr("フォローアップ「{what}」").format(
            what=unwritten_text(record["description"])
        )

    def _files_of(
        self,
        section: ChildRecordsSection,
        kind: str,
        hint: str,
        describe: Callable[[dict[str, Any]], str],
    ) -> AttachmentsPanel:
        """The files of the note or follow-up chosen in ``section``, below its form; files
        dropped on a row of its list attach to that row's record, elsewhere on the section to
        the chosen one."""
        panel = AttachmentsPanel(
            workspace=self._ws,
            runner=self._runner,
            parent_kind=kind,
            no_parent_hint=hint,
            compact=True,
        )
        layout = section.layout()
        if isinstance(layout, QBoxLayout):
            layout.addWidget(QLabel(self.tr("添付ファイル")))
            layout.addWidget(panel, 1)

        def follow() -> None:
            panel.set_parent(section.form.record_id)

        # The section's form has loaded its record once the signal's handlers have run.
        def soon(*_args: object) -> None:
            QTimer.singleShot(0, panel, follow)

        section.view.selectionModel().selectionChanged.connect(soon)
        section.model.modelReset.connect(soon)
        section.count_changed.connect(soon)
        panel.take_row_drops(section.view, describe)
        route_drops(section, panel.drop_route)
        return panel

    def _count(self, tab: int, label: str, count: int) -> None:
        """The tab's name with its count; none says only the name (so the four tabs fit)."""
        self.tabs.setTabText(tab, label.format(count=count) if count else self._tab_names[tab])

    # The engagement form's state, as the panel and the tests see it.
    @property
    def record_id(self) -> str | None:
        return self.form.record_id

    @property
    def state_label(self) -> QLabel:
        return self.form.state_label

    def load(self, record: dict[str, Any] | None) -> None:
        """Show an engagement (or nothing); pending typing anywhere in it is saved first."""
        self.interviews.form.flush()
        self.follow_ups.form.flush()
        self.form.load(record)
        self._set_aside_scheme = None  # (another record's scheme is not this one's)
        self._show_scheme()
        self.setEnabled(record is not None)
        self.share_button.setEnabled(record is not None)
        self.attachments.set_parent(None if record is None else record["id"])
        self.reload_children()

    def _share(self) -> None:
        engagement = self.form.record_id
        if engagement is None:
            return
        self.flush()  # the draft is made from the engagement as just typed
        self.share_requested.emit(engagement)

    def reload_children(self) -> None:
        engagement = self.form.record_id
        self.interviews.load(engagement)
        self.follow_ups.load(engagement)

    def flush(self) -> None:
        for form in (self.form, self.interviews.form, self.follow_ups.form):
            form.flush()
