"""Know-who: who, in which municipality, knows about which theme.

Gathered from three places: the people an article names, contacts (with the themes of the
engagements they attended), and interview notes (with the themes of their engagement). The same
name in the same municipality is one person; what each source says about them is kept. Only a
held consultation counts: the attendees of one that is planned (予定) or was cancelled (中止)
did not attend it, and nobody was interviewed at it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from dxdesk.domain.people import name_key
from dxdesk.models.store import Store
from dxdesk.models.tables import (
    ContactRow,
    EngagementRow,
    InterviewNoteRow,
    KnowledgeArticleRow,
    MunicipalityRow,
)

HELD = "held"  # the status of a consultation that took place (RECORD_STATUSES)


@dataclass
class Source:
    kind: str  # article, contact, interview
    id: str
    label: str  # the article's title, 連絡先, or the engagement's date and title


@dataclass
class KnownPerson:
    name: str
    municipality: str | None
    municipality_name: str
    organisation: str = ""
    role: str = ""
    contact: str = ""
    themes: list[str] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "municipality": self.municipality,
            "municipality_name": self.municipality_name,
            "organisation": self.organisation,
            "role": self.role,
            "contact": self.contact,
            "themes": self.themes,
            "sources": [vars(s) for s in self.sources],
        }


class _People:
    def __init__(self, names: dict[str, str]) -> None:
        self._names = names
        self.found: dict[tuple[str, str | None], KnownPerson] = {}

    def add(
        self, name: str, municipality: str | None, source: Source, themes: list[str], **details: str
    ) -> None:
        key = (name_key(name), municipality)
        if not key[0]:
            return
        person = self.found.get(key)
        if person is None:
            person = KnownPerson(
                name.strip(), municipality, self._names.get(municipality or "", "")
            )
            self.found[key] = person
        for attribute, value in details.items():
            if value and not getattr(person, attribute):
                setattr(person, attribute, value)
        person.themes.extend(t for t in themes if t not in person.themes)
        if source not in person.sources:
            person.sources.append(source)


def know_who(
    store: Store, *, theme: str | None = None, municipality: str | None = None, text: str = ""
) -> list[KnownPerson]:
    """Everyone known to know something, filtered by theme, municipality and a word."""
    with store.session() as session:
        names = {row.code: row.name for row in session.scalars(select(MunicipalityRow))}
        people = _People(names)
        for article in session.scalars(
            select(KnowledgeArticleRow).where(KnowledgeArticleRow.deleted.is_(False))
        ):
            source = Source("article", article.id, article.title)
            for person in article.people:
                people.add(
                    person["name"],
                    article.municipality,
                    source,
                    list(article.themes),
                    organisation=person.get("organisation", ""),
                    role=person.get("role", ""),
                    contact=person.get("contact", ""),
                )
        visits = {
            row.id: row
            for row in session.scalars(
                select(EngagementRow).where(
                    EngagementRow.deleted.is_(False), EngagementRow.status == HELD
                )
            )
        }
        attended: dict[tuple[str, str], list[str]] = defaultdict(list)
        for visit in visits.values():
            for name in visit.municipal_attendees:
                attended[(name_key(name), visit.municipality)].extend(visit.themes)
        for contact in session.scalars(select(ContactRow).where(ContactRow.deleted.is_(False))):
            reach = " ".join(p for p in (contact.email, contact.phone) if p)
            people.add(
                contact.name,
                contact.municipality,
                Source("contact", contact.id, "連絡先"),
                attended.get((name_key(contact.name), contact.municipality), []),
                organisation=contact.department,
                role=contact.title,
                contact=reach,
            )
        for note in session.scalars(
            select(InterviewNoteRow).where(InterviewNoteRow.deleted.is_(False))
        ):
            parent = visits.get(note.engagement)
            if parent is None:
                continue
            people.add(
                note.interviewee,
                note.municipality,
                Source("interview", note.id, f"{parent.date.isoformat()} {parent.title}".strip()),
                list(parent.themes),
                role=note.role,
            )
    found = list(people.found.values())
    if theme:
        found = [p for p in found if theme in p.themes]
    if municipality:
        found = [p for p in found if p.municipality == municipality]
    if text.strip():
        word = name_key(text).lower()
        found = [p for p in found if word in _haystack(p)]
    return sorted(found, key=lambda p: (p.municipality or "999999", name_key(p.name)))


def _haystack(person: KnownPerson) -> str:
    parts = [person.name, person.municipality_name, person.organisation, person.role]
    parts += person.themes + [s.label for s in person.sources]
    return name_key(" ".join(parts)).lower()
