"""Values of the programme's calendar: a time of day, a cadence in months, and an event's
attendance (how many people came from each municipality)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

from dxdesk.domain.errors import DomainError
from dxdesk.domain.municipality_codes import validate_code
from dxdesk.domain.text import normalize_digits

MAX_CADENCE_MONTHS: Final = 24
MAX_PEOPLE: Final = 9_999
_TIME_RE = re.compile(r"^([01]?\d|2[0-3])[:：]([0-5]\d)$")


class InvalidCalendarValue(DomainError):
    pass


def clean_time(name: str, value: object) -> str:
    """A time of day as 「HH:MM」 (Asia/Tokyo); 「9:30」 and 「０９：３０」 read alike."""
    if isinstance(value, str):
        match = _TIME_RE.match(normalize_digits(value.strip()))
        if match:
            return f"{int(match.group(1)):02d}:{match.group(2)}"
    raise InvalidCalendarValue(f"{name}の時刻 {value!r} が読めません（例: 09:30、00:00〜23:59）")


def whole_number(value: object) -> int | None:
    """A whole number given as an int or as digits (「１２」 reads as 12), or None when it is
    neither (a bool, a fraction, a sign, more than six digits)."""
    if isinstance(value, str):
        text = normalize_digits(value.strip())
        if text.isdigit() and len(text) <= 6:
            return int(text)
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


def clean_months(name: str, value: object) -> int:
    """A cadence: every 1〜24 months."""
    months = whole_number(value)
    if months is not None and 1 <= months <= MAX_CADENCE_MONTHS:
        return months
    raise InvalidCalendarValue(
        f"{name}は 1〜{MAX_CADENCE_MONTHS} か月の整数で指定してください（{value!r}）"
    )


def clean_attendance(name: str, value: object) -> dict[str, int]:
    """Municipality code -> how many of its people took part (0〜9,999; 0 for not known)."""
    if not isinstance(value, Mapping):
        raise InvalidCalendarValue(
            f"{name}は「市町村コード: 人数」のオブジェクトで指定してください"
        )
    cleaned: dict[str, int] = {}
    for raw_code, raw_people in value.items():
        code = validate_code(str(raw_code))
        people = whole_number(raw_people)
        if people is None or not 0 <= people <= MAX_PEOPLE:
            raise InvalidCalendarValue(
                f"{name}の {code} の人数は 0〜{MAX_PEOPLE:,} の整数で指定してください"
                f"（{raw_people!r}）"
            )
        cleaned[code] = people
    return dict(sorted(cleaned.items()))


def time_order_refusal(start: str | None, end: str | None) -> str | None:
    """Why an end time cannot stand with its start (both 「HH:MM」 on the same date), or None."""
    if end and not start:
        return "終了時刻だけは指定できません。開始時刻も入れてください"
    if start and end and end <= start:
        return f"終了 {end} が開始 {start} より前か同じです"
    return None
