"""The cadence rule: a municipality is overdue when nothing was held or is planned within its
cadence, or when a planned consultation's date has passed while it is still planned."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from dxdesk.domain.cadence import (
    CadenceState,
    add_months,
    cadence_label,
    cadence_state,
    next_weekday,
    shift_month,
)

TODAY = date(2025, 6, 15)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),  # clamped to the shorter month's end
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # a leap year's February
        (date(2025, 3, 31), -1, date(2025, 2, 28)),  # backwards too
        (date(2025, 8, 31), 1, date(2025, 9, 30)),
        (date(2025, 11, 15), 2, date(2026, 1, 15)),  # over the year's end
        (date(2025, 1, 15), -2, date(2024, 11, 15)),  # back over the year's start
        (date(2025, 6, 15), 24, date(2027, 6, 15)),
        (date(2025, 6, 15), 0, date(2025, 6, 15)),
    ],
)
def test_add_months_keeps_the_day_or_clamps_to_the_month_end(
    day: date, months: int, expected: date
) -> None:
    assert add_months(day, months) == expected


def test_without_a_cadence_nothing_is_overdue_even_with_nothing_held() -> None:
    assert cadence_state(None, [], [], TODAY) == CadenceState(None, None, None, None, False, ())


def test_without_a_cadence_a_late_plan_is_listed_but_not_overdue() -> None:
    state = cadence_state(None, [date(2025, 1, 10)], [date(2025, 6, 1)], TODAY)

    assert (state.overdue, state.late, state.due) == (False, (date(2025, 6, 1),), None)
    assert state.last_held == date(2025, 1, 10)


def test_nothing_held_and_nothing_planned_is_overdue_with_no_due_date() -> None:
    state = cadence_state(1, [], [], TODAY)

    assert (state.overdue, state.due, state.last_held, state.next_planned) == (
        True,
        None,
        None,
        None,
    )


def test_nothing_held_but_one_planned_within_the_cadence_is_not_overdue() -> None:
    state = cadence_state(1, [], [date(2025, 7, 1)], TODAY)

    assert (state.overdue, state.next_planned, state.due) == (False, date(2025, 7, 1), None)


def test_held_within_the_cadence_is_not_overdue_and_due_is_a_cadence_later() -> None:
    state = cadence_state(2, [date(2025, 3, 1), date(2025, 5, 20)], [], TODAY)

    assert (state.overdue, state.last_held, state.due) == (
        False,
        date(2025, 5, 20),
        date(2025, 7, 20),
    )


def test_held_exactly_one_cadence_ago_still_counts_and_the_day_before_does_not() -> None:
    assert not cadence_state(1, [date(2025, 5, 15)], [], TODAY).overdue
    assert cadence_state(1, [date(2025, 5, 14)], [], TODAY).overdue


def test_overdue_agrees_with_the_due_date_at_month_ends() -> None:
    # Held 2/28, every month: due 3/28, so on 3/29, 3/30 and 3/31 it is overdue, as the
    # schedule's 期限 says; on 3/28 itself it is not.
    held = [date(2027, 2, 28)]
    assert cadence_state(1, held, [], date(2027, 3, 28)).due == date(2027, 3, 28)
    assert not cadence_state(1, held, [], date(2027, 3, 28)).overdue
    for day in (29, 30, 31):
        assert cadence_state(1, held, [], date(2027, 3, day)).overdue
    # The due date of one held on 1/31 is the end of February.
    assert cadence_state(1, [date(2025, 1, 31)], [], date(2025, 3, 31)).due == date(2025, 2, 28)


def test_overdue_is_exactly_due_before_today_over_every_day_and_cadence() -> None:
    start = date(2026, 1, 1)
    for months in (1, 2, 3, 12):
        for offset in range(0, 400, 3):
            held = start + timedelta(days=offset)
            for ahead in range(25, 40):
                today = held + timedelta(days=ahead * months)
                state = cadence_state(months, [held], [], today)
                assert state.due is not None
                assert state.overdue == (state.due < today), (months, held, today)


def test_planned_up_to_one_cadence_ahead_counts_and_later_does_not() -> None:
    held_long_ago = [date(2024, 12, 1)]
    within = cadence_state(2, held_long_ago, [date(2025, 8, 15)], TODAY)
    beyond = cadence_state(2, held_long_ago, [date(2025, 8, 16)], TODAY)

    assert (within.overdue, beyond.overdue) == (False, True)
    assert beyond.next_planned == date(2025, 8, 16)  # shown, though too far off


def test_planned_today_is_next_not_late() -> None:
    state = cadence_state(1, [], [TODAY], TODAY)

    assert (state.next_planned, state.late, state.overdue) == (TODAY, (), False)


def test_a_plan_left_planned_after_its_date_is_late_and_overdue_though_held_recently() -> None:
    state = cadence_state(
        1, [date(2025, 6, 10)], [date(2025, 6, 14), date(2025, 4, 1), date(2025, 7, 1)], TODAY
    )

    assert state.overdue
    assert state.late == (date(2025, 4, 1), date(2025, 6, 14))  # oldest first
    assert state.next_planned == date(2025, 7, 1)
    assert state.last_held == date(2025, 6, 10)


def test_a_cadence_below_one_month_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="at least one month"):
        cadence_state(0, [], [], TODAY)


def test_a_cadence_is_said_in_months() -> None:
    assert [cadence_label(m) for m in (None, 1, 2, 12)] == [
        "未設定",
        "毎月",
        "2か月ごと",
        "12か月ごと",
    ]


def test_shift_month_crosses_years_both_ways() -> None:
    assert shift_month(2025, 12, 1) == (2026, 1)
    assert shift_month(2025, 1, -1) == (2024, 12)
    assert shift_month(2025, 3, 22) == (2027, 1)


def test_next_weekday_moves_a_weekend_to_monday() -> None:
    friday, saturday, sunday = date(2026, 1, 2), date(2026, 1, 3), date(2026, 1, 4)
    assert next_weekday(friday) == friday
    assert next_weekday(saturday) == next_weekday(sunday) == date(2026, 1, 5)
