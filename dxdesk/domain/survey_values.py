"""The stored form of a survey response's answers: question code -> value.

A value is, by the question's type (domain/survey_definition.py): an int (scored), a choice's
value (single), a list of choices' values (multiple), an int or a float (number), a bool
(yes/no), an ISO date (date) or a text. Here only the shape is checked, as a stored field is
(the definition it was read under may have changed since); reading a cell into one is
dxdesk/imports/answer_cells.py.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Final

from dxdesk.domain.errors import DomainError
from dxdesk.domain.survey_definition import CODE_PATTERN

AnswerValue = str | int | float | bool | list[str]
ANSWERS_LIMIT: Final = 1_000  # questions answered in one response
ANSWER_TEXT_LIMIT: Final = 20_000  # one free-text answer
CHOSEN_LIMIT: Final = 200  # choices in one multiple-choice answer
# A number answered: no survey counts beyond a quadrillion (a population, a budget in yen), and
# a bound keeps statistics in floats (10**400 made every report of the year fail).
NUMBER_LIMIT: Final = 10**15
# All the answers of one response, as characters of text: no survey comes near it.
TOTAL_TEXT_LIMIT: Final = 1_000_000


class InvalidAnswers(DomainError):
    pass


def clean_answers(name: str, value: object) -> dict[str, AnswerValue]:
    """``value`` as answers, or InvalidAnswers naming the first question at fault."""
    if not isinstance(value, Mapping):
        raise InvalidAnswers(f"{name} は「設問番号: 値」のオブジェクトで指定してください")
    if len(value) > ANSWERS_LIMIT:
        raise InvalidAnswers(f"{name} の設問が多すぎます（上限 {ANSWERS_LIMIT} 問）")
    cleaned: dict[str, AnswerValue] = {}
    total = 0
    for code, answer in value.items():
        if not isinstance(code, str) or not CODE_PATTERN.match(code):
            raise InvalidAnswers(f"{name} の設問番号 {code!r} が読めません")
        if answer is None:
            continue  # unanswered: not stored
        cleaned[code] = _clean_one(name, code, answer)
        total += _text_size(cleaned[code])
    if total > TOTAL_TEXT_LIMIT:
        raise InvalidAnswers(f"{name} が長すぎます（{total} 文字、上限 {TOTAL_TEXT_LIMIT} 文字）")
    return cleaned


def _text_size(answer: AnswerValue) -> int:
    if isinstance(answer, str):
        return len(answer)
    if isinstance(answer, list):
        return sum(len(v) for v in answer)
    return 0


def number_in_bounds(number: int | float) -> bool:
    """A number an answer may hold (finite, within NUMBER_LIMIT either way)."""
    if isinstance(number, float) and not math.isfinite(number):
        return False
    return -NUMBER_LIMIT <= number <= NUMBER_LIMIT  # an int compared as is: never a float


def _clean_one(name: str, code: str, answer: object) -> AnswerValue:
    if isinstance(answer, bool):
        return answer
    if isinstance(answer, int | float):
        if number_in_bounds(answer):
            return answer
        raise InvalidAnswers(f"{name} の {code} の数が大きすぎます（±{NUMBER_LIMIT:,} まで）")
    if isinstance(answer, str):
        if len(answer) <= ANSWER_TEXT_LIMIT:
            return answer
        raise InvalidAnswers(
            f"{name} の {code} が長すぎます（{len(answer)} 文字、上限 {ANSWER_TEXT_LIMIT} 文字）"
        )
    elif isinstance(answer, list) and _choices_list(answer):
        return list(dict.fromkeys(answer))
    raise InvalidAnswers(f"{name} の {code} の値 {answer!r} は保存できる形ではありません")


def _choices_list(answer: list[object]) -> bool:
    return len(answer) <= CHOSEN_LIMIT and all(isinstance(v, str) and len(v) <= 500 for v in answer)
