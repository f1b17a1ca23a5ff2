"""Cells of a sheet of past records read as the fields take them."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from dxdesk.domain.roster import load_roster
from dxdesk.imports.records_values import (
    CellError,
    cell_date,
    cell_list,
    cell_municipality,
    cell_time,
)


@pytest.mark.parametrize(
    ("cell", "day"),
    [
        ("令和6年4月1日", date(2024, 4, 1)),
        ("R6.4.1", date(2024, 4, 1)),
        ("r6/4/1", date(2024, 4, 1)),
        ("H31.4.1", date(2019, 4, 1)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("２０２４年４月１日", date(2024, 4, 1)),
        ("2024/4/1", date(2024, 4, 1)),
        ("令和6年4月1日（月）", date(2024, 4, 1)),  # the day of the week people add
        ("2024/4/29(月・祝)", date(2024, 4, 29)),
        (45383, date(2024, 4, 1)),  # an Excel serial number
        ("45383", date(2024, 4, 1)),  # the same, as text in a CSV
        ("2024-06-03 0:00:00", date(2024, 6, 3)),  # a date cell written into CSV
        (datetime(2024, 4, 1, 10, 30), date(2024, 4, 1)),
    ],
)
def test_dates_in_seireki_wareki_and_serials(cell: object, day: date) -> None:
    assert cell_date(cell) == day


@pytest.mark.parametrize(
    "cell", ["来週", "R6.2.30", 12, "2024-13-01", "4月1日(月)", "2024-06-03 10:30"]
)
def test_what_is_no_date_is_refused_plainly(cell: object) -> None:
    with pytest.raises(CellError, match="日付"):
        cell_date(cell)


def test_lists_times_and_municipalities() -> None:
    assert cell_list("山田、佐藤,鈴木;高橋\n伊藤") == ["山田", "佐藤", "鈴木", "高橋", "伊藤"]
    assert cell_time(time(9, 5)) == "09:05" and cell_time(0.5) == "12:00"
    first = load_roster()[0]
    assert cell_municipality(load_roster(), first.name) == first.code
    assert cell_municipality(load_roster(), int(first.code)) == first.code
    with pytest.raises(CellError, match="架空村"):
        cell_municipality(load_roster(), "架空村")
