"""Figures for one survey question across a group of responses (the prefecture, a region).

A group's answers come in as one value per responding municipality, None where it left the
question blank (無回答). Shares are of the respondents (the municipalities that sent the survey
back, blank or not), so a single choice's shares and its 無回答 add up to 100 % and a multiple
choice's say how many of the respondents picked each choice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from statistics import median, quantiles

from dxdesk.domain.survey_definition import Choice
from dxdesk.domain.survey_labels import YES_NO_CHOICES as YES_NO_CHOICES
from dxdesk.domain.survey_values import AnswerValue, number_in_bounds

UNANSWERED = "無回答"
UNLISTED = "その他（定義にない値）"
UNLISTED_VALUE = "\x00unlisted"  # a key no stored value can be (no control characters)


@dataclass(frozen=True)
class Tally:
    value: str  # the stored value as text ("2", "true", a choice's value)
    label: str
    count: int
    listed: bool = True  # False: a value the choice list lacks


@dataclass(frozen=True)
class Distribution:
    """Counts per choice in the list's order, then any value the list lacks (an answer kept
    from an older definition), with how many left the question blank."""

    tallies: tuple[Tally, ...]
    unanswered: int
    respondents: int

    @property
    def answered(self) -> int:
        return self.respondents - self.unanswered

    def share(self, count: int) -> Fraction | None:
        """``count`` as a share of the respondents; None with no respondents."""
        return Fraction(count, self.respondents) if self.respondents else None

    def count_of(self, value: str) -> int:
        return next((t.count for t in self.tallies if t.value == value), 0)

    def folded(self) -> Distribution:
        """The values the choice list lacks as one row 「その他（定義にない値）」 (a hand-out
        names no other municipality's stray value); the same when there are none."""
        listed = tuple(t for t in self.tallies if t.listed)
        if len(listed) == len(self.tallies):
            return self
        others = sum(t.count for t in self.tallies if not t.listed)
        other = Tally(UNLISTED_VALUE, UNLISTED, others, listed=False)
        return Distribution((*listed, other), self.unanswered, self.respondents)


@dataclass(frozen=True)
class NumberSummary:
    count: int  # respondents who gave a number
    unanswered: int
    median: float | None
    minimum: float | None
    maximum: float | None
    lower_quartile: float | None = None  # 25 %, inclusive of the ends (as Excel's QUARTILE)
    upper_quartile: float | None = None  # 75 %


@dataclass(frozen=True)
class ScoredSummary:
    distribution: Distribution  # per score value of the item's scale
    mean: float | None  # average score of those who answered
    maximum: int  # the scale's top score

    @property
    def ratio(self) -> Fraction | None:
        """The group's 得点率 on this item: the average score over the top score."""
        if self.mean is None or self.maximum <= 0:
            return None
        return Fraction(repr(self.mean)) / self.maximum


def choice_distribution(
    choices: Sequence[Choice], answers: Iterable[AnswerValue | None]
) -> Distribution:
    """A single choice's counts (one value per respondent)."""
    counted: Counter[str] = Counter()
    unanswered = respondents = 0
    for answer in answers:
        respondents += 1
        if answer is None or answer == "" or answer == []:
            unanswered += 1
        else:
            counted[value_key(answer)] += 1
    return Distribution(_tallies(choices, counted), unanswered, respondents)


def multiple_distribution(
    choices: Sequence[Choice], answers: Iterable[AnswerValue | None]
) -> Distribution:
    """A multiple choice's counts: each respondent counts once under every choice it picked."""
    counted: Counter[str] = Counter()
    unanswered = respondents = 0
    for answer in answers:
        respondents += 1
        picked = answer if isinstance(answer, list) else [] if answer is None else [answer]
        keys = dict.fromkeys(value_key(v) for v in picked if v != "")
        if not keys:
            unanswered += 1
        counted.update(list(keys))
    return Distribution(_tallies(choices, counted), unanswered, respondents)


def yes_no_distribution(answers: Iterable[AnswerValue | None]) -> Distribution:
    return choice_distribution(YES_NO_CHOICES, answers)


def scored_summary(
    scale: Sequence[Choice], maximum: int, answers: Iterable[AnswerValue | None]
) -> ScoredSummary:
    """A scored item's counts per score (``scale``: each score as a choice, value its digits)."""
    given = list(answers)
    scores = _numbers(given)
    kept = [a if _number(a) is not None else None for a in given]
    return ScoredSummary(
        choice_distribution(scale, kept), sum(scores) / len(scores) if scores else None, maximum
    )


def number_summary(answers: Iterable[AnswerValue | None]) -> NumberSummary:
    given = list(answers)
    numbers = sorted(_numbers(given))
    lower: float | None
    upper: float | None
    if len(numbers) >= 2:
        lower, _middle, upper = quantiles(numbers, n=4, method="inclusive")
    else:
        lower = upper = numbers[0] if numbers else None
    return NumberSummary(
        count=len(numbers),
        unanswered=len(given) - len(numbers),
        median=median(numbers) if numbers else None,
        minimum=numbers[0] if numbers else None,
        maximum=numbers[-1] if numbers else None,
        lower_quartile=lower,
        upper_quartile=upper,
    )


def value_key(value: AnswerValue) -> str:
    """How a stored value is matched against a choice's value: a yes/no as "true"/"false", a
    score or number as its digits."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _number(value: AnswerValue | None) -> float | None:
    """A number answer (or score) as a float; None for anything else (a bool is no number,
    nor one out of the answers' bounds: stored before they held, it would not convert)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not number_in_bounds(value):
        return None
    return float(value)


def _numbers(answers: Iterable[AnswerValue | None]) -> list[float]:
    return [n for n in map(_number, answers) if n is not None]


def _tallies(choices: Sequence[Choice], counted: Counter[str]) -> tuple[Tally, ...]:
    known = {c.value for c in choices}
    listed = [Tally(c.value, c.label, counted.get(c.value, 0)) for c in choices]
    others = [Tally(v, v, n, listed=False) for v, n in counted.items() if v not in known]
    return (*listed, *others)
