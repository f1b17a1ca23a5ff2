"""Fiscal years (年度, 1 April to 31 March) and how they are written in 和暦 and 西暦.

A fiscal year is held as the Western year it starts in: FY2025 = 令和7年度 = "R7 (2025)".
The screen shows "R7 (2025)" (:func:`format_fiscal_year`); printed documents write years and
dates as official documents do, "令和7年度" and "令和7年6月12日" (:func:`format_fiscal_year_ja`,
:func:`format_date_ja`).
Its 和暦 name follows the era that covers most of it, as the ministries write it: FY2019
began under 平成 on 1 April 2019 but is called 令和元年度.

A date is written in the era of the day itself, back to 明治 as the Gregorian calendar knows
it: Japan took up that calendar on 1 January 1873 (明治6年1月1日; the day before was 明治5年12月2日
of the old lunisolar calendar), so a date before it has no 和暦 written with its Gregorian month
and day, and prints in 西暦 ("1850年6月30日"). Printing never fails on a date.
"""

import re
from datetime import date

from dxdesk.domain.errors import InvalidFiscalYear
from dxdesk.domain.text import normalize_digits

FIRST_FISCAL_YEAR = 1989  # 平成元年度; nothing older is recorded
LAST_FISCAL_YEAR = 2100

REIWA_START = date(2019, 5, 1)
HEISEI_START = date(1989, 1, 8)
SHOWA_START = date(1926, 12, 25)
TAISHO_START = date(1912, 7, 30)
# 明治 began on 1868-01-25 (慶応4年1月1日 in the Gregorian calendar), but its dates up to 明治5年
# are lunisolar: its Gregorian dates start at 明治6年1月1日, the first Gregorian date Japan wrote.
GREGORIAN_START = date(1873, 1, 1)
# Newest first: (era, its first day, the Western year of its first year).
ERAS = (
    ("令和", REIWA_START, 2019),
    ("平成", HEISEI_START, 1989),
    ("昭和", SHOWA_START, 1926),
    ("大正", TAISHO_START, 1912),
    ("明治", GREGORIAN_START, 1868),
)
_REIWA_FIRST_FY = 2019
_HEISEI_FIRST_FY = 1989
_LAST_HEISEI_YEAR = 31  # 平成31年 ran to 30 April 2019, so "平成31年度" still names FY2019

_EXAMPLES = "例: 2025、R7、令和7、R7 (2025)"  # no 年度: a form shows the reason after 年度
_WESTERN = re.compile(r"(?:FY)?([0-9]{4})(?:年度)?", re.IGNORECASE)
_JAPANESE = re.compile(r"(R|H|令和|平成)([0-9]{1,2}|元)(?:年度)?", re.IGNORECASE)
_BOTH = re.compile(r"(.+?)\((.+)\)")
_SPACES = re.compile(r"\s+")


def _check_range(fy: int) -> int:
    if not FIRST_FISCAL_YEAR <= fy <= LAST_FISCAL_YEAR:
        raise InvalidFiscalYear(
            f"年度 {fy} は扱えません"
            f"（{FIRST_FISCAL_YEAR}〜{LAST_FISCAL_YEAR} の範囲で指定してください）"
        )
    return fy


def fiscal_year_of(d: date) -> int:
    return d.year if d.month >= 4 else d.year - 1


def fiscal_year_bounds(fy: int) -> tuple[date, date]:
    """First and last day of the fiscal year, both inclusive."""
    _check_range(fy)
    return date(fy, 4, 1), date(fy + 1, 3, 31)


def reiwa_to_fiscal_year(n: int) -> int:
    if n < 1:
        raise InvalidFiscalYear(f"令和{n}年度はありません（令和は 1 年から）")
    return _check_range(_REIWA_FIRST_FY - 1 + n)


def fiscal_year_to_reiwa(fy: int) -> int:
    _check_range(fy)
    if fy < _REIWA_FIRST_FY:
        raise InvalidFiscalYear(f"{fy} 年度は令和ではありません（令和元年度は 2019 年度）")
    return fy - _REIWA_FIRST_FY + 1


def _era_year(fy: int) -> tuple[str, str, int]:
    """(kanji era, initial, year in the era) of a fiscal year."""
    _check_range(fy)
    if fy >= _REIWA_FIRST_FY:
        return "令和", "R", fy - _REIWA_FIRST_FY + 1
    return "平成", "H", fy - _HEISEI_FIRST_FY + 1


def era_label(fy: int) -> str:
    """Short 和暦 form: "R7", "R1", "H30"."""
    _, initial, n = _era_year(fy)
    return f"{initial}{n}"


def format_fiscal_year(fy: int) -> str:
    """The form users see everywhere: "R7 (2025)"."""
    return f"{era_label(fy)} ({fy})"


def format_fiscal_year_ja(fy: int) -> str:
    """Formal form for printed reports: "令和7年度", "令和元年度", "平成30年度"."""
    era, _, n = _era_year(fy)
    return f"{era}{'元' if n == 1 else n}年度"


def _calendar_era(d: date) -> tuple[str, int] | None:
    for era, first_day, first_year in ERAS:
        if d >= first_day:
            return era, d.year - first_year + 1
    return None


def era_of(d: date) -> tuple[str, int]:
    """Calendar era of a date (not of its fiscal year): 2019-04-30 is 平成31年."""
    era = _calendar_era(d)
    if era is None:
        raise InvalidFiscalYear(
            f"{d.isoformat()} は太陽暦になる前（明治6年より前）で、和暦に直せません"
        )
    return era


WEEKDAYS = "月火水木金土日"


def format_date_ja(d: date, *, weekday: bool = False) -> str:
    """A date as official documents write it: "令和6年5月14日" ("令和元年5月1日"), in the
    calendar era of the day itself, with "（火）" when ``weekday`` is asked. A date before 明治6年
    (1873), when Japan took up the Gregorian calendar, is written in 西暦: "1850年6月30日"."""
    calendar_era = _calendar_era(d)
    if calendar_era is None:
        year_text = f"{d.year}年"
    else:
        era, year = calendar_era
        year_text = f"{era}{'元' if year == 1 else year}年"
    text = f"{year_text}{d.month}月{d.day}日"
    return f"{text}（{WEEKDAYS[d.weekday()]}）" if weekday else text


def parse_fiscal_year(value: str | int) -> int:
    """Read a fiscal year as people write it: 2025, "FY2025", "R7", "令和元年度", "R7 (2025)"."""
    if isinstance(value, bool):  # bool is an int, but True is no year
        raise InvalidFiscalYear(f"年度 {value!r} が読めません（{_EXAMPLES}）")
    if isinstance(value, int):
        return _check_range(value)
    text = _SPACES.sub("", normalize_digits(value))
    both = _BOTH.fullmatch(text)
    if both is None:
        return _parse_one(value, text)
    first, second = (_parse_one(value, part) for part in both.groups())
    if first != second:
        raise InvalidFiscalYear(
            f"年度「{value}」の和暦と西暦が合いません"
            f"（{format_fiscal_year(first)} と {format_fiscal_year(second)}）"
        )
    return first


def _parse_one(original: str, text: str) -> int:
    if western := _WESTERN.fullmatch(text):
        return _check_range(int(western.group(1)))
    if japanese := _JAPANESE.fullmatch(text):
        era, number = japanese.groups()
        n = 1 if number == "元" else int(number)
        if era.upper() in ("R", "令和"):
            return reiwa_to_fiscal_year(n)
        if not 1 <= n <= _LAST_HEISEI_YEAR:
            raise InvalidFiscalYear(f"平成{n}年度はありません（平成は 1〜{_LAST_HEISEI_YEAR} 年）")
        return _check_range(_HEISEI_FIRST_FY - 1 + n)
    raise InvalidFiscalYear(f"年度「{original}」が読めません（{_EXAMPLES}）")
