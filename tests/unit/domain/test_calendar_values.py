"""The calendar's values read from a person's input: messages name the field by its label as
the required-field message does, and an end time needs its start."""

from __future__ import annotations

import pytest

from dxdesk.domain.calendar_values import time_order_refusal, whole_number
from dxdesk.domain.errors import DomainError
from dxdesk.domain.record_fields import clean_value
from dxdesk.domain.records import kind_spec


@pytest.mark.parametrize(
    ("kind", "field", "value", "said"),
    [
        ("cadence", "months", 0, "months（間隔（か月））は 1〜24 か月の整数"),
        ("visit", "start_time", "25:00", "start_time（開始）の時刻 '25:00' が読めません"),
        ("event", "attendance", {"302015": -1}, "attendance（参加人数）の 302015 の人数は"),
        ("programme_plan", "targets", {"top_seminar": 1.5}, "targets（計画回数）の "),
    ],
)
def test_a_calendar_value_names_its_field_by_label(
    kind: str, field: str, value: object, said: str
) -> None:
    spec = kind_spec(kind).field(field)
    with pytest.raises(DomainError) as refused:
        clean_value(spec, value)
    assert str(refused.value).startswith(said)


def test_an_end_time_alone_is_refused_and_one_after_its_start_stands() -> None:
    assert time_order_refusal(None, "09:00") == (
        "終了時刻だけは指定できません。開始時刻も入れてください"
    )
    assert time_order_refusal("10:00", "09:00") == "終了 09:00 が開始 10:00 より前か同じです"
    assert time_order_refusal("09:00", "10:00") is None
    assert time_order_refusal("09:00", None) is None
    assert time_order_refusal(None, None) is None


@pytest.mark.parametrize(
    ("value", "number"),
    [
        (12, 12),
        ("１２", 12),
        (" 7 ", 7),
        ("1234567", None),
        ("-1", None),
        (True, None),
        (1.5, None),
    ],
)
def test_a_whole_number_reads_digits_and_nothing_else(value: object, number: int | None) -> None:
    assert whole_number(value) == number
