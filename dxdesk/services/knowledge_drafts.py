"""Drafts of articles shared from an engagement, kept on this device until published.

A draft is saved as it is typed (``store_meta``, never synced), so closing the window or a crash
loses nothing; publishing adds the article and forgets the draft in one transaction. Only a
held consultation is shared: starting or publishing for one that is planned (予定) or was
cancelled (中止) raises ``NotHeld`` and writes nothing (a draft kept from before it was set back
to planned stays, for when it is held).
"""

from __future__ import annotations

import json

from sqlalchemy import delete
from sqlalchemy.orm import Session

from dxdesk.domain.errors import DomainError
from dxdesk.domain.knowledge_draft import ArticleDraft, check_shareable, draft_from_engagement
from dxdesk.models.store import Store
from dxdesk.models.tables import StoreMeta
from dxdesk.services.knowledge import KnowledgeArticleFacade
from dxdesk.services.records import Record, RecordNotFound
from dxdesk.services.workspace import Workspace

DRAFT_PREFIX = "article_draft:"


class KnowledgeDrafts:
    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace
        self._store: Store = workspace.store
        self._articles: KnowledgeArticleFacade = workspace.articles

    def start(self, engagement_id: str) -> ArticleDraft:
        """The saved draft for this engagement, or a new one made from it; raises ``NotHeld``
        when the consultation is not (or no longer) held."""
        saved = self._store.meta(DRAFT_PREFIX + engagement_id)
        if saved:
            self._check_held(engagement_id)
            return ArticleDraft.from_json(json.loads(saved))
        visit = self._ws.engagements.get(engagement_id)
        check_shareable(visit)  # before reading its notes and contacts
        code = visit["municipality"]
        interviews = self._ws.interviews.list_records(engagement=engagement_id)
        contacts = self._ws.contacts.list_records(municipality=code)
        name = self._ws.municipalities.get(code)["name"]
        return draft_from_engagement(visit, interviews, contacts, name)

    def _check_held(self, engagement_id: str) -> None:
        """Refuse (``NotHeld``) unless the consultation is held; once it is deleted, a kept
        draft still opens and publishes (the article's reference is checked then)."""
        try:
            visit = self._ws.engagements.get(engagement_id)
        except RecordNotFound:
            return
        check_shareable(visit)

    def save(self, draft: ArticleDraft) -> None:
        self._store.set_meta(
            DRAFT_PREFIX + draft.engagement_id, json.dumps(draft.as_json(), ensure_ascii=False)
        )

    def discard(self, engagement_id: str) -> None:
        with self._store.transaction() as session:
            _forget(session, engagement_id)

    def has_draft(self, engagement_id: str) -> bool:
        return self._store.meta(DRAFT_PREFIX + engagement_id) is not None

    def publish(self, draft: ArticleDraft) -> Record:
        """Add the article (checked like any other) and forget the draft, all or nothing."""
        title = draft.fields.get("title")
        if not (isinstance(title, str) and title.strip()):  # what colleagues find it by
            raise DomainError(
                "title（題名）は公開するときに必須です",
                refused={"title": "公開するときに必須です"},
                labels={"title": "題名"},
            )
        self._check_held(draft.engagement_id)  # set back to planned or cancelled since?
        with self._store.transaction() as session:
            article = self._articles.add_in(session, draft.fields)
            _forget(session, draft.engagement_id)
            return article


def _forget(session: Session, engagement_id: str) -> None:
    session.execute(delete(StoreMeta).where(StoreMeta.key == DRAFT_PREFIX + engagement_id))
