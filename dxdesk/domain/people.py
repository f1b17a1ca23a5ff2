"""The people who know (know-who) as an article lists them: who, where, what role, how to reach.

A person is a small JSON object so that it syncs and merges as one field value with the article.
``contact`` is how to reach them as typed; ``contact_id`` names the local contact record the
person was taken from, when there is one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Final

from dxdesk.domain.errors import DomainError

PERSON_KEYS: Final = ("name", "organisation", "role", "contact", "contact_id")
PERSON_LABELS: Final = {
    "name": "氏名",
    "organisation": "所属",
    "role": "役割",
    "contact": "連絡先",
    "contact_id": "連絡先の記録",
}
PERSON_TEXT_LIMIT: Final = 500
PEOPLE_LIMIT: Final = 50


class InvalidPerson(DomainError):
    pass


def clean_person(field: str, value: object) -> dict[str, str]:
    """One person with every key present (empty where unknown); the name is required."""
    if not isinstance(value, Mapping):
        raise InvalidPerson(f"{field} の各要素は氏名などを持つオブジェクトで指定してください")
    unknown = sorted(set(map(str, value)) - set(PERSON_KEYS))
    if unknown:
        raise InvalidPerson(
            f"{field} に {', '.join(unknown)} という項目はありません"
            f"（使えるもの: {', '.join(PERSON_KEYS)}）"
        )
    person: dict[str, str] = {}
    for key in PERSON_KEYS:
        raw = value.get(key, "")
        raw = "" if raw is None else raw
        if not isinstance(raw, str):
            raise InvalidPerson(f"{field} の{PERSON_LABELS[key]}は文字列で指定してください")
        if len(raw) > PERSON_TEXT_LIMIT:
            raise InvalidPerson(
                f"{field} の{PERSON_LABELS[key]}が長すぎます（上限 {PERSON_TEXT_LIMIT} 文字）"
            )
        person[key] = raw.strip()
    if not person["name"]:
        raise InvalidPerson(f"{field} の氏名は必須です")
    return person


def clean_people(field: str, value: object) -> list[dict[str, str]]:
    if not isinstance(value, list):
        raise InvalidPerson(f"{field} は人のリストで指定してください")
    if len(value) > PEOPLE_LIMIT:
        raise InvalidPerson(f"{field} は {PEOPLE_LIMIT} 人までです")
    people: list[dict[str, str]] = []
    for raw in value:
        person = clean_person(field, raw)
        if person not in people:  # the same person twice carries no meaning
            people.append(person)
    return people


def person_line(person: Mapping[str, str]) -> str:
    """「氏名（所属・役割）」 for lists, reports and search."""
    where = "・".join(part for part in (person.get("organisation"), person.get("role")) if part)
    return f"{person.get('name', '')}（{where}）" if where else person.get("name", "")


def name_key(name: str) -> str:
    """A person's name compared without spaces or width differences (山本 太郎 = 山本太郎)."""
    return "".join(unicodedata.normalize("NFKC", name).split())


_WITH_WHERE = re.compile(r"(?P<name>[^（(]+)[（(](?P<where>[^）)]*)[）)]\s*(?P<contact>.*)")


def person_from_line(line: str) -> dict[str, str]:
    """The person a line of the workbook export names: 「氏名（所属・役割）　連絡先」, where
    every part but the name may be missing (``person_line``, then the contact). Without the
    brackets, a last word with a digit or an @ is the contact; a name may hold a space."""
    text = line.strip()
    name, where, contact = text, "", ""
    if match := _WITH_WHERE.fullmatch(text):
        name, where, contact = match["name"], match["where"], match["contact"]
    else:
        head, _, tail = text.rpartition(" ") if " " in text else text.rpartition("\u3000")
        if head and any(c.isdigit() or c == "@" for c in tail):
            name, contact = head, tail
    organisation, _, role = where.partition("・")
    return {
        "name": name.strip(),
        "organisation": organisation.strip(),
        "role": role.strip(),
        "contact": contact.strip(),
    }
