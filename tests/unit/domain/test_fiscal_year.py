from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dxdesk.domain.errors import InvalidFiscalYear
from dxdesk.domain.fiscal_year import (
    era_label,
    era_of,
    fiscal_year_bounds,
    fiscal_year_of,
    fiscal_year_to_reiwa,
    format_date_ja,
    format_fiscal_year,
    format_fiscal_year_ja,
    parse_fiscal_year,
    reiwa_to_fiscal_year,
)

SUPPORTED = st.integers(min_value=1989, max_value=2100)


def test_fiscal_year_turns_on_the_first_of_april() -> None:
    assert fiscal_year_of(date(2025, 3, 31)) == 2024
    assert fiscal_year_of(date(2025, 4, 1)) == 2025
    assert fiscal_year_of(date(2025, 12, 31)) == 2025
    assert fiscal_year_of(date(2026, 1, 1)) == 2025


def test_bounds() -> None:
    assert fiscal_year_bounds(2025) == (date(2025, 4, 1), date(2026, 3, 31))


@given(st.dates(min_value=date(1989, 4, 1), max_value=date(2101, 3, 31)))
def test_every_date_lies_within_the_bounds_of_its_fiscal_year(d: date) -> None:
    first, last = fiscal_year_bounds(fiscal_year_of(d))
    assert first <= d <= last


def test_calendar_era_changes_on_1_may_2019() -> None:
    assert era_of(date(2019, 4, 30)) == ("平成", 31)
    assert era_of(date(2019, 5, 1)) == ("令和", 1)
    assert era_of(date(2025, 6, 1)) == ("令和", 7)


def test_calendar_era_changes_on_8_january_1989() -> None:
    assert era_of(date(1989, 1, 7)) == ("昭和", 64)
    assert era_of(date(1989, 1, 8)) == ("平成", 1)


def test_fiscal_2019_is_reiwa_gannen_although_it_began_under_heisei() -> None:
    assert fiscal_year_of(date(2019, 4, 1)) == 2019
    assert era_label(2019) == "R1"
    assert format_fiscal_year(2019) == "R1 (2019)"
    assert format_fiscal_year_ja(2019) == "令和元年度"


def test_fiscal_2018_is_heisei_30() -> None:
    assert era_label(2018) == "H30"
    assert format_fiscal_year(2018) == "H30 (2018)"
    assert format_fiscal_year_ja(2018) == "平成30年度"


def test_programme_years() -> None:
    assert [format_fiscal_year(fy) for fy in (2023, 2024, 2025, 2026)] == [
        "R5 (2023)",
        "R6 (2024)",
        "R7 (2025)",
        "R8 (2026)",
    ]
    assert format_fiscal_year_ja(2025) == "令和7年度"
    assert format_fiscal_year_ja(1989) == "平成元年度"


def test_reiwa_conversions() -> None:
    assert reiwa_to_fiscal_year(7) == 2025
    assert reiwa_to_fiscal_year(1) == 2019
    assert fiscal_year_to_reiwa(2025) == 7
    with pytest.raises(InvalidFiscalYear, match="令和ではありません"):
        fiscal_year_to_reiwa(2018)
    with pytest.raises(InvalidFiscalYear):
        reiwa_to_fiscal_year(0)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (2025, 2025),
        ("2025", 2025),
        ("FY2025", 2025),
        ("fy 2025", 2025),
        ("2025年度", 2025),
        ("R7", 2025),
        ("r7", 2025),
        ("Ｒ７", 2025),
        ("令和7年度", 2025),
        ("令和７年度", 2025),
        ("令和元年度", 2019),
        ("R元", 2019),
        ("R1", 2019),
        ("H30", 2018),
        ("平成30年度", 2018),
        ("平成31年度", 2019),  # how FY2019 was written before the era changed
        ("H1", 1989),
        ("R7 (2025)", 2025),
        ("R7(2025)", 2025),
        ("Ｒ７（２０２５）", 2025),
        ("令和7年度（2025年度）", 2025),
        (" R8 ", 2026),
    ],
)
def test_parse_accepts_the_forms_people_write(value: str | int, expected: int) -> None:
    assert parse_fiscal_year(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "",
        "abc",
        "R",
        "令和",
        "R0",
        "H0",
        "H32",
        "S63",
        "1988",
        "2101",
        "R83",
        "25",
        "R7 (2024)",
        "R7 (2025",
        "2025-26",
        1988,
        2101,
        True,
    ],
)
def test_parse_rejects_bad_input(value: str | int) -> None:
    with pytest.raises(InvalidFiscalYear):
        parse_fiscal_year(value)


def test_disagreeing_parts_are_named_in_the_message() -> None:
    with pytest.raises(InvalidFiscalYear) as caught:
        parse_fiscal_year("R7 (2024)")
    assert "R7 (2025)" in str(caught.value)
    assert "R6 (2024)" in str(caught.value)


def test_out_of_range_years_cannot_be_formatted() -> None:
    with pytest.raises(InvalidFiscalYear, match="1989"):
        format_fiscal_year(1988)


@given(SUPPORTED)
def test_every_displayed_form_parses_back(fy: int) -> None:
    assert parse_fiscal_year(format_fiscal_year(fy)) == fy
    assert parse_fiscal_year(format_fiscal_year_ja(fy)) == fy
    assert parse_fiscal_year(era_label(fy)) == fy
    assert parse_fiscal_year(str(fy)) == fy


@given(SUPPORTED)
def test_full_width_forms_parse_back(fy: int) -> None:
    full_width = format_fiscal_year(fy).translate(
        str.maketrans("0123456789RH ()", "０１２３４５６７８９ＲＨ\u3000（）")
    )
    assert parse_fiscal_year(full_width) == fy


@given(SUPPORTED)
def test_label_matches_the_era_of_most_of_the_year(fy: int) -> None:
    # The era in force on 1 October, the middle of the fiscal year.
    era, year = era_of(date(fy, 10, 1))
    assert era_label(fy) == ("R" if era == "令和" else "H") + str(year)


def test_dates_are_written_as_official_documents_write_them() -> None:
    assert format_date_ja(date(2024, 5, 14)) == "令和6年5月14日"
    assert format_date_ja(date(2025, 6, 12), weekday=True) == "令和7年6月12日（木）"
    assert format_date_ja(date(2019, 5, 1)) == "令和元年5月1日"
    assert format_date_ja(date(2019, 4, 30)) == "平成31年4月30日"  # the calendar era, not the FY's
    assert format_date_ja(date(1989, 1, 8)) == "平成元年1月8日"


@pytest.mark.parametrize(
    ("day", "written"),
    [
        (date(1989, 1, 7), "昭和64年1月7日"),
        (date(1926, 12, 25), "昭和元年12月25日"),
        (date(1926, 12, 24), "大正15年12月24日"),
        (date(1925, 6, 30), "大正14年6月30日"),
        (date(1912, 7, 30), "大正元年7月30日"),
        (date(1912, 7, 29), "明治45年7月29日"),
        (date(1873, 1, 1), "明治6年1月1日"),  # the first day of the Gregorian calendar in Japan
        (date(1872, 12, 31), "1872年12月31日"),  # a lunisolar date under 明治: 西暦 instead
        (date(1850, 6, 30), "1850年6月30日"),
        (date(1752, 1, 1), "1752年1月1日"),
        (date(1, 1, 1), "1年1月1日"),
    ],
)
def test_every_date_prints_in_its_era_or_else_in_the_western_calendar(
    day: date, written: str
) -> None:
    assert format_date_ja(day) == written


@given(st.dates())
def test_no_date_fails_to_print(day: date) -> None:
    assert format_date_ja(day, weekday=True).endswith(
        f"{day.day}日（{'月火水木金土日'[day.weekday()]}）"
    )
