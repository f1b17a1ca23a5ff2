"""「ナレッジとして共有」: turn one engagement into a knowledge article, edited before publishing.

The draft is saved as it is typed (on the store's worker, on this device only), so closing the
dialog or a crash loses nothing; reopening it for the same engagement shows the draft again.
People are personal data: the engagement's people are offered with everything that would be
published about them (organisation, role, contact), and none goes into the article unticked.
Only a held consultation is shared: for one that is planned (予定) or was cancelled (中止) the
dialog says why it cannot be, and offers nothing to edit (services.knowledge_drafts refuses).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dxdesk.domain.knowledge_draft import ArticleDraft
from dxdesk.domain.people import person_line
from dxdesk.services.knowledge_drafts import KnowledgeDrafts
from dxdesk.services.workspace import Workspace
from dxdesk.ui.article_editor import ArticleFields, Municipalities
from dxdesk.ui.autosave import AutosaveForm, Binding, SaveEverything
from dxdesk.ui.refusal_text import error_text
from dxdesk.ui.runner import StoreRunner

Person = dict[str, str]


class CandidateList(QListWidget):
    """The engagement's people, each a check box; the ticked ones are the article's people."""

    edited = Signal()  # the user ticked or unticked someone

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._candidates: list[Person] = []
        self._others: list[Person] = []  # people of the draft who are not candidates: kept
        self.itemChanged.connect(lambda _item: self.edited.emit())

    def person_text(self, person: Person) -> str:
        contact = person.get("contact") or self.tr("（なし）")
        return self.tr("{person}　連絡先: {contact}").format(
            person=person_line(person), contact=contact
        )

    def set_candidates(self, candidates: Sequence[Person]) -> None:
        self.blockSignals(True)
        try:
            self.clear()
            self._candidates = [dict(p) for p in candidates]
            for person in self._candidates:
                item = QListWidgetItem(self.person_text(person))
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
                self.addItem(item)
        finally:
            self.blockSignals(False)

    def value(self) -> list[Person]:
        ticked = [
            person
            for row, person in enumerate(self._candidates)
            if self.item(row).checkState() == Qt.CheckState.Checked
        ]
        return [*self._others, *ticked]

    def set_value(self, people: Sequence[Person] | None) -> None:
        people = list(people or [])
        self._others = [p for p in people if p not in self._candidates]
        self.blockSignals(True)
        try:
            for row, person in enumerate(self._candidates):
                ticked = person in people
                self.item(row).setCheckState(
                    Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
                )
        finally:
            self.blockSignals(False)


class ShareKnowledgeDialog(QDialog):
    published = Signal(dict)  # the article as stored

    def __init__(
        self,
        workspace: Workspace,
        runner: StoreRunner,
        engagement_id: str,
        municipalities: Municipalities,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("ナレッジとして共有"))
        self._runner = runner
        self._drafts = KnowledgeDrafts(workspace)
        self._engagement_id = engagement_id
        # Set once, when loaded; from then on read and changed on the worker only.
        self._draft: ArticleDraft | None = None
        self._failed = False  # the draft could not be made (say, the consultation is planned)
        self.fields = ArticleFields(municipalities, self)
        self.title_edit = self.fields.title_edit
        self.body_edit = self.fields.body_edit
        self.candidates = CandidateList()
        bindings = self.fields.bindings()
        self.form = AutosaveForm(
            SaveEverything(self._save_draft),
            runner,
            {
                **bindings,
                "people": (
                    self.tr("詳しい人"),
                    Binding(
                        self.candidates,
                        self.candidates.value,
                        self.candidates.set_value,
                        self.candidates.edited,
                    ),
                ),
            },
            self,
            laid_out=bindings.keys(),
        )
        self.note_label = QLabel(self.tr("人の情報は、チェックしたものだけが記事に入ります。"))
        self.note_label.setWordWrap(True)
        self.no_candidates_label = QLabel(self.tr("この相談記録から候補になる人はいません。"))
        self.no_candidates_label.hide()
        self.error_label = QLabel(wordWrap=True)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.setAccessibleName(self.tr("エラー"))
        self.error_label.setText(self.tr("下書きを読み込んでいます…"))
        self.publish_button = QPushButton(self.tr("公開"))
        self.discard_button = QPushButton(self.tr("下書きを破棄"))
        self.close_button = QPushButton(self.tr("閉じる"))
        self.publish_button.clicked.connect(self.publish)
        self.discard_button.clicked.connect(self.discard)
        self.close_button.clicked.connect(self.reject)
        self.publish_button.setEnabled(False)
        self.discard_button.setEnabled(False)

        people_box = QGroupBox(self.tr("詳しい人（候補）"))
        people_layout = QVBoxLayout(people_box)
        people_layout.addWidget(self.note_label)
        people_layout.addWidget(self.no_candidates_label)
        people_layout.addWidget(self.candidates)
        buttons = QHBoxLayout()
        buttons.addWidget(self.discard_button)
        buttons.addStretch(1)
        buttons.addWidget(self.publish_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form, 3)
        layout.addWidget(people_box, 1)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)
        self.resize(720, 760)
        self._set_busy(False)  # nothing to edit until the draft is loaded

        runner.run(
            lambda: self._drafts.start(engagement_id),
            on_done=self._started,
            on_error=self._start_failed,
        )

    @property
    def engagement_id(self) -> str:
        return self._engagement_id

    @property
    def loaded(self) -> bool:
        return self._draft is not None

    @property
    def failed(self) -> bool:
        """Whether no draft could be made: opened again, the dialog should be made anew."""
        return self._failed

    def _started(self, draft: ArticleDraft) -> None:
        self._draft = draft
        self.candidates.set_candidates(draft.candidates)
        self.no_candidates_label.setVisible(not draft.candidates)
        self.form.load({"id": draft.engagement_id, **draft.fields})
        self.error_label.setText("")
        self._set_busy(False)
        self.title_edit.setFocus()

    def _start_failed(self, error: BaseException) -> None:
        self._failed = True
        self.error_label.setText(
            self.tr("下書きを作れません: {error}").format(error=error_text(error))
        )
        self.close_button.setFocus()

    def _save_draft(self, engagement_id: str, patch: Any) -> dict[str, Any]:
        """On the worker: apply the edit to the draft and keep it on this device."""
        draft = self._draft
        assert draft is not None and draft.engagement_id == engagement_id
        draft.fields.update(patch)
        self._drafts.save(draft)
        return {"id": engagement_id, **draft.fields}

    def _set_busy(self, busy: bool) -> None:
        ready = self._draft is not None and not busy
        self.form.setEnabled(ready)
        self.candidates.setEnabled(ready)
        self.publish_button.setEnabled(ready)
        self.discard_button.setEnabled(ready)

    def publish(self) -> None:
        """Add the article as the draft now reads; a refusal is shown and nothing is written."""
        draft = self._draft
        if draft is None or not self.publish_button.isEnabled():
            return
        self.form.flush()  # queued before the publish on the same worker
        self._set_busy(True)
        self.error_label.setText(self.tr("公開しています…"))
        self._runner.run(
            lambda: self._drafts.publish(draft),
            on_done=self._published,
            on_error=self._publish_failed,
        )

    def _published(self, article: dict[str, Any]) -> None:
        self.form.load(None)  # the draft is gone; nothing more to save
        self.error_label.setText("")
        self.published.emit(article)
        self.accept()

    def _publish_failed(self, error: BaseException) -> None:
        self.error_label.setText(self.tr("公開できません: {error}").format(error=error_text(error)))
        self._set_busy(False)

    def discard(self) -> None:
        if self._draft is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("下書きの破棄"),
            self.tr("この下書きを破棄しますか？書いた内容は残りません。"),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.form.load(None)  # pending typing is saved first, then goes with the draft
        self._set_busy(True)
        engagement_id = self._engagement_id
        self._runner.run(
            lambda: self._drafts.discard(engagement_id),
            on_done=lambda _none: self.reject(),
            on_error=self._discard_failed,
        )

    def _discard_failed(self, error: BaseException) -> None:
        self.error_label.setText(self.tr("下書きを破棄できません: {error}").format(error=error))
        self.close_button.setFocus()

    def flush(self) -> None:
        """Queue a save of pending typing (the main window calls this when it closes)."""
        self.form.flush()

    def done(self, result: int) -> None:
        self.form.flush()  # closing keeps the draft, with the last keystrokes
        super().done(result)
