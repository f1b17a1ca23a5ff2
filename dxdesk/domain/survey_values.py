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


class InvalidAnswers(DomainError):
    pass


def clean_answers(name: str, value: object) -> dict[str, AnswerValue]:
    """``value`` as answers, or InvalidAnswers naming the first question at fault."""
    if not isinstance(value, Mapping):
        raise InvalidAnswers(f"{name} は「設問番号: 値」のオブジェクトで指定してください")
    if len(value) > ANSWERS_LIMIT:
        raise InvalidAnswers(f"{name} の設問が多すぎます（上限 {ANSWERS_LIMIT} 問）")
    cleaned: dict[str, AnswerValue] = {}
    for code, answer in value.items():
        if not isinstance(code, str) or not CODE_PATTERN.match(code):
            raise InvalidAnswers(f"{name} の設問番号 {code!r} が読めません")
        if answer is None:
            continue  # unanswered: not stored
        cleaned[code] = _clean_one(name, code, answer)
    return cleaned


def _clean_one(name: str, code: str, answer: object) -> AnswerValue:
    if isinstance(answer, bool):
        return answer
    if isinstance(answer, int):
        return answer
    if isinstance(answer, float):
        if math.isfinite(answer):
            return answer
    elif isinstance(answer, str):
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
