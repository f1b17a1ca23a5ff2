"""One way to write a ratio as a percent: rounded half up, on screen, on paper, in the rule."""

from fractions import Fraction

import pytest

from dxdesk.domain.percent import format_percent, format_point_change


@pytest.mark.parametrize(
    ("ratio", "text"),
    [
        (Fraction(46, 78), "59%"),  # 58.97 %: the field trial's 59 % against 58 %
        (46 / 78, "59%"),
        (0.5897, "59%"),  # as the store keeps it, four places
        (Fraction(1, 8), "13%"),  # 12.5 %: half goes up (Python's format gives 12 %)
        (0.125, "13%"),
        (0.585, "59%"),  # 58.5 %, though the float is a hair below it
        (Fraction(54, 78), "69%"),
        (Fraction(52, 78), "67%"),
        (0.0, "0%"),
        (1.0, "100%"),
        (None, "—"),
    ],
)
def test_percent_rounds_half_up(ratio: Fraction | float | None, text: str) -> None:
    assert format_percent(ratio) == text


def test_percent_with_places() -> None:
    assert format_percent(Fraction(141, 200), places=1) == "70.5%"
    assert format_percent(Fraction(7, 10), places=1) == "70.0%"
    assert format_percent(Fraction(1, 3), places=2) == "33.33%"


@pytest.mark.parametrize(
    ("change", "text"),
    [
        (0.052, "+5.2 pt"),
        (-0.03, "−3.0 pt"),
        (0.0001, "±0.0 pt"),
        (-0.0004, "±0.0 pt"),
        (0.0005, "+0.1 pt"),  # half up, away from zero
        (-0.0005, "−0.1 pt"),
        (None, "—"),
    ],
)
def test_point_change(change: float | None, text: str) -> None:
    assert format_point_change(change) == text
