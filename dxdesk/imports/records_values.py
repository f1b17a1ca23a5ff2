"""A spreadsheet cell as a record field takes it: dates in 西暦, 和暦 or Excel serials,
municipalities by code or name, lists split where people split them.

Kinds and states need nothing here: the record cleaners already take their labels.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from dxdesk.domain.fiscal_year import ERAS
from dxdesk.domain.roster import Municipality, match_municipality
from dxdesk.domain.text import normalize_digits

_EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 is 1900-01-01 after Excel's 1900 leap-day bug
_SERIALS = range(20_000, 80_000)  # 1954..2119: a bare number outside this is not a date
_ERA_LETTERS = {"R": "令和", "H": "平成", "S": "昭和", "T": "大正", "M": "明治"}
_WESTERN = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
_JAPANESE = re.compile(
    r"(令和|平成|昭和|大正|明治|[RHSTM])(\d{1,2}|元)[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
)
# 「令和6年4月1日（月）」「2024/4/1(月・祝)」: the day of the week people add says nothing more
_WEEKDAY = re.compile(r"[（(][月火水木金土日](?:曜日?)?(?:[・/][祝休]日?)?[)）]$")
# 「2024-06-03 0:00:00」: a date cell as Excel and LibreOffice write it into CSV
_MIDNIGHT = re.compile(r"\s+0?0:00(?::00)?$")
_LIST_SEPARATORS = re.compile(r"[、,，;；\n\r]+")


class CellError(ValueError):
    """A cell that cannot be read as its field; the message is for the person."""


def cell_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if int(value) in _SERIALS:
            return _EXCEL_EPOCH + timedelta(days=int(value))
        raise CellError(f"日付 {value} が読めません（例: 2024-04-01、令和6年4月1日、R6.4.1）")
    text = _MIDNIGHT.sub("", normalize_digits(str(value)).strip())  # a CSV's datetime cell
    text = _WEEKDAY.sub("", re.sub(r"\s+", "", text)).upper()
    if text.isdigit() and int(text) in _SERIALS:  # a serial number that a CSV made text
        return _EXCEL_EPOCH + timedelta(days=int(text))
    if western := _WESTERN.fullmatch(text):
        return _day(value, *(int(g) for g in western.groups()))
    if japanese := _JAPANESE.fullmatch(text):
        era, year, month, day = japanese.groups()
        name = _ERA_LETTERS.get(era, era)
        first_year = next(first for label, _start, first in ERAS if label == name)
        return _day(
            value, first_year - 1 + (1 if year == "元" else int(year)), int(month), int(day)
        )
    raise CellError(f"日付「{value}」が読めません（例: 2024-04-01、令和6年4月1日、R6.4.1）")


def _day(original: Any, year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise CellError(f"日付「{original}」はありません") from None


def cell_time(value: Any) -> str:
    if isinstance(value, datetime | time):
        return f"{value.hour:02d}:{value.minute:02d}"
    if isinstance(value, float) and 0 <= value < 1:  # Excel keeps a time as part of a day
        minutes = round(value * 24 * 60)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"
    return str(value).strip()


def cell_list(value: Any) -> list[str]:
    return [part.strip() for part in _LIST_SEPARATORS.split(str(value)) if part.strip()]


def cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone or number typed as a number
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value).strip()


def cell_municipality(roster: Sequence[Municipality], value: Any) -> str:
    text = str(int(value)) if isinstance(value, int | float) else str(value)
    found = match_municipality(roster, text)
    if found is None:
        raise CellError(
            f"市町村「{value}」が分かりません（名前か 6 桁・5 桁の市町村コードで書いてください）"
        )
    return found.code
