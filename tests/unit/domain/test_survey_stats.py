"""A question's figures across a group: counts in the list's order with 無回答, shares of the
respondents, a multiple choice counting each respondent once per choice, a number's median and
range, a scored item's average and 得点率."""

from __future__ import annotations

from fractions import Fraction

from dxdesk.domain.survey_definition import Choice
from dxdesk.domain.survey_stats import (
    choice_distribution,
    multiple_distribution,
    number_summary,
    scored_summary,
    yes_no_distribution,
)

CHOICES = (Choice("a", "専任"), Choice("b", "兼任"), Choice("c", "なし"))


def counts(tallies: object) -> list[tuple[str, int]]:
    return [(t.label, t.count) for t in tallies]  # type: ignore[attr-defined]


def test_a_single_choice_is_counted_in_the_lists_order_with_the_blanks() -> None:
    shown = choice_distribution(CHOICES, ["b", None, "a", "b", ""])
    assert counts(shown.tallies) == [("専任", 1), ("兼任", 2), ("なし", 0)]
    assert (shown.unanswered, shown.respondents, shown.answered) == (2, 5, 3)
    assert shown.share(2) == Fraction(2, 5)


def test_a_value_the_list_lacks_is_counted_after_the_list() -> None:
    shown = choice_distribution(CHOICES, ["a", "z"])  # "z": from an older definition
    assert counts(shown.tallies) == [("専任", 1), ("兼任", 0), ("なし", 0), ("z", 1)]


def test_a_multiple_choice_counts_each_respondent_once_per_choice_picked() -> None:
    shown = multiple_distribution(CHOICES, [["a", "b"], ["b", "b"], [], None, ["c"]])
    assert counts(shown.tallies) == [("専任", 1), ("兼任", 2), ("なし", 1)]
    assert shown.unanswered == 2
    assert shown.share(shown.count_of("b")) == Fraction(2, 5)  # of the respondents


def test_yes_no_counts_true_and_false() -> None:
    shown = yes_no_distribution([True, False, True, None])
    assert counts(shown.tallies) == [("はい", 2), ("いいえ", 1)]
    assert shown.unanswered == 1


def test_a_number_has_its_median_and_range_and_ignores_what_is_no_number() -> None:
    shown = number_summary([3, 12, None, 5.5, 1, True])
    assert (shown.count, shown.unanswered) == (4, 2)
    assert (shown.median, shown.minimum, shown.maximum) == (4.25, 1.0, 12.0)
    assert number_summary([None]).median is None


def test_a_scored_item_has_counts_per_score_its_average_and_ratio() -> None:
    scale = tuple(Choice(str(v), f"{v} 点") for v in (3, 2, 1, 0))
    shown = scored_summary(scale, 3, [3, 2, 2, None, 0])
    assert counts(shown.distribution.tallies) == [
        ("3 点", 1),
        ("2 点", 2),
        ("1 点", 0),
        ("0 点", 1),
    ]
    assert shown.mean == 1.75
    assert shown.ratio == Fraction(7, 12)
    assert scored_summary(scale, 3, [None]).ratio is None


def test_a_number_beyond_the_answers_bounds_reads_as_no_number() -> None:
    from dxdesk.domain.survey_stats import number_summary, scored_summary

    summary = number_summary([10**400, 5, float("inf")])  # stored before the bounds held
    assert (summary.count, summary.unanswered, summary.median) == (1, 2, 5)
    assert scored_summary((), 3, [10**400, 2]).mean == 2


def test_a_numbers_middle_half_and_a_stray_value_folded() -> None:
    from dxdesk.domain.survey_definition import Choice
    from dxdesk.domain.survey_stats import UNLISTED, choice_distribution, number_summary

    summary = number_summary([12, 3, 5, 1])
    assert (summary.lower_quartile, summary.median, summary.upper_quartile) == (2.5, 4, 6.75)
    shown = choice_distribution([Choice("a", "A")], ["a", "x", "y", None]).folded()
    assert [(t.label, t.count) for t in shown.tallies] == [("A", 1), (UNLISTED, 2)]
