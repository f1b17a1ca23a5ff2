"""「ナレッジとして共有」: a draft article made from one engagement, for the advisor to edit.

What the engagement says about the practice (title, summary, themes, year, municipality) is
copied into the draft. People are personal: they are offered as candidates, none of them taken
into the article until the advisor ticks them, and the engagement's free memo is not copied.
Only a held consultation is shared: one that is planned (予定) or was cancelled (中止) taught
nothing yet (:func:`share_refusal`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from dxdesk.domain.errors import DomainError
from dxdesk.domain.fiscal_year import FIRST_FISCAL_YEAR, LAST_FISCAL_YEAR, fiscal_year_of
from dxdesk.domain.people import name_key
from dxdesk.domain.record_fields import parse_date

# Why a consultation that was not held cannot be shared as knowledge, by its status.
_NOT_HELD = {
    "planned": "この相談はまだ予定（未実施）のため、ナレッジとして共有できません。"
    "実施したあとで状態を「実施」にしてから共有してください",
    "cancelled": "この相談は中止になったため、ナレッジとして共有できません。"
    "共有できるのは実施した相談だけです",
}


class NotHeld(DomainError):
    """Sharing a consultation that is planned or was cancelled: nothing was learned at it."""


def share_refusal(visit: Mapping[str, Any]) -> str | None:
    """Why this consultation cannot be shared as knowledge (not held), or None when it can."""
    status = visit.get("status") or "held"  # a record kept before the calendar was held
    if status == "held":
        return None
    return _NOT_HELD.get(status, f"状態が「{status}」の相談はナレッジとして共有できません")


def check_shareable(visit: Mapping[str, Any]) -> None:
    """Raise ``NotHeld`` unless the consultation was held."""
    refusal = share_refusal(visit)
    if refusal is not None:
        raise NotHeld(refusal)


@dataclass
class ArticleDraft:
    engagement_id: str
    fields: dict[str, Any]  # the article's fields as they would be published
    candidates: list[dict[str, str]] = field(default_factory=list)  # people to choose from

    def as_json(self) -> dict[str, Any]:
        return {
            "engagement_id": self.engagement_id,
            "fields": self.fields,
            "candidates": self.candidates,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ArticleDraft:
        return cls(
            str(data["engagement_id"]),
            dict(data["fields"]),
            [dict(p) for p in data.get("candidates", [])],
        )


def _person(
    name: str, organisation: str = "", role: str = "", contact: str = "", contact_id: str = ""
) -> dict[str, str]:
    return {
        "name": name.strip(),
        "organisation": organisation.strip(),
        "role": role.strip(),
        "contact": contact.strip(),
        "contact_id": contact_id,
    }


def people_candidates(
    visit: Mapping[str, Any],
    interviews: Iterable[Mapping[str, Any]],
    contacts: Iterable[Mapping[str, Any]],
    municipality_name: str,
) -> list[dict[str, str]]:
    """The municipality's people this engagement names, each once, with what the contacts add."""
    by_name = {name_key(c["name"]): c for c in contacts}
    found: dict[str, dict[str, str]] = {}

    def offer(name: str, role: str = "") -> None:
        key = name_key(name)
        if not key or key in found:
            return
        contact = by_name.get(key)
        if contact is not None:
            reach = " ".join(p for p in (contact.get("email", ""), contact.get("phone", "")) if p)
            found[key] = _person(
                contact["name"],
                f"{municipality_name} {contact.get('department', '')}".strip(),
                contact.get("title", "") or role,
                reach,
                contact["id"],
            )
        else:
            found[key] = _person(name, municipality_name, role)

    for interview in interviews:
        offer(interview.get("interviewee", ""), interview.get("role", ""))
    for name in visit.get("municipal_attendees", []):
        offer(name)
    return list(found.values())


def draft_from_engagement(
    visit: Mapping[str, Any],
    interviews: Iterable[Mapping[str, Any]],
    contacts: Iterable[Mapping[str, Any]],
    municipality_name: str,
) -> ArticleDraft:
    """The article a held consultation suggests; raises ``NotHeld`` for any other."""
    check_shareable(visit)
    themes = list(visit.get("themes", []))
    title = visit.get("title", "").strip() or "、".join(themes) or "相談から"
    year = fiscal_year_of(parse_date(visit["date"]))
    # A visit stored before dates were bounded may lie in a year no article can take.
    fiscal_year = year if FIRST_FISCAL_YEAR <= year <= LAST_FISCAL_YEAR else None
    fields: dict[str, Any] = {
        "title": f"{municipality_name}: {title}" if municipality_name else title,
        "category": "know_how",
        "body": visit.get("summary", ""),
        "fiscal_year": fiscal_year,
        "municipality": visit["municipality"],
        "people": [],
        "engagements": [visit["id"]],
        "themes": themes,
        "tags": [],
    }
    candidates = people_candidates(visit, interviews, contacts, municipality_name)
    return ArticleDraft(visit["id"], fields, candidates)
