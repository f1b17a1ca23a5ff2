"""One answer cell of any question type to its stored value (domain/survey_values.py).

Cells arrive as the form tools and people write them: a choice's label or value, its position
("2", "2 はい"), Microsoft Forms' multiple choice 「A;B;C;」 in one cell, numbers in full-width
digits or with thousands separators, はい/いいえ/○/×, dates as cells or as 2024/5/7 and
令和6年5月7日. Anything else is an ``AnswerError`` whose message says what is wrong and what to
write instead. Scored questions keep the assessment's own rules (imports/answers.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, time

from dxdesk.domain.catalog import Catalog
from dxdesk.domain.fiscal_year import ERAS
from dxdesk.domain.survey_definition import Choice, Question, SurveyDefinition
from dxdesk.domain.survey_values import ANSWER_TEXT_LIMIT, AnswerValue
from dxdesk.imports.answers import NO_KEYS, YES_KEYS, AnswerError, parse_answer
from dxdesk.imports.columns import fold, squash
from dxdesk.imports.template_layout import number_bounds

__all__ = ["AnswerError", "answer_time", "cell_parser", "parse_cell"]

CellParser = Callable[[object], AnswerValue | None]
_POSITION = re.compile(r"^(\d{1,3})\s*[.:．：、)）]?\s*(.*)$")
_MULTIPLE_SPLIT = re.compile(r"[;\n\r]")  # Forms' own separator, and a line per choice
_LOOSE_SPLIT = re.compile(r"[、,]")  # what a person types between choices
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_NUMBER_WITH_UNIT = re.compile(r"^([+-]?[\d,]*\d(?:\.\d+)?)\s*([^\d\s].*)$")
_WESTERN_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_ERA_DATE = re.compile(
    r"^(令和|平成|昭和|R|H|S)\s*(\d{1,2}|元)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$",
    re.I,
)
_ERA_FIRST_YEAR = {name: first for name, _start, first in ERAS} | {
    "R": 2019,
    "H": 1989,
    "S": 1926,
}


def parse_cell(
    question: Question, definition: SurveyDefinition, catalog: Catalog, raw: object
) -> AnswerValue | None:
    """The stored value of one cell; None when it is blank; AnswerError when it is no answer."""
    return cell_parser(question, definition, catalog)(raw)


def cell_parser(question: Question, definition: SurveyDefinition, catalog: Catalog) -> CellParser:
    """``parse_cell`` for one question, its choices looked up once (a column has many rows), and
    each distinct cell read once: a column of 1,741 answers holds a few dozen distinct cells."""
    parse = _cell_parser(question, definition, catalog)
    return parse if question.type == "text" else _remembered(parse)


def _remembered(parse: CellParser) -> CellParser:
    """``parse`` remembering what each cell gave (by type as well as value: True == 1 == 1.0);
    a list is handed out as a copy, a refusal is raised anew each time."""
    seen: dict[tuple[type, object], AnswerValue | None] = {}

    def parser(raw: object) -> AnswerValue | None:
        key = (type(raw), raw)
        try:
            value = seen[key]
        except KeyError:
            value = seen[key] = parse(raw)
        return list(value) if isinstance(value, list) else value

    return parser


def _cell_parser(question: Question, definition: SurveyDefinition, catalog: Catalog) -> CellParser:
    match question.type:
        case "scored":
            item = catalog.item(question.item or question.code)
            return _blank_or(lambda raw: parse_answer(item, raw))
        case "single":
            choose = _chooser(question, definition.choices_of(question))
            return _blank_or(lambda raw: choose(_text_of(raw)))
        case "multiple":
            return _blank_or(_multiple(question, definition.choices_of(question)))
        case "number":
            return _blank_or(lambda raw: _number(question, raw))
        case "yes_no":
            return _blank_or(_yes_no)
        case "date":
            return _blank_or(_date)
        case _:
            return _blank_or(_text)


def _blank_or(parse: Callable[[object], AnswerValue | None]) -> CellParser:
    def parser(raw: object) -> AnswerValue | None:
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        return parse(raw)

    return parser


def _text_of(raw: object) -> str:
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return unicodedata.normalize("NFKC", str(raw)).strip()


def _listed(choices: tuple[Choice, ...]) -> str:
    return "、".join(c.label for c in choices)


def _chooser(question: Question, choices: tuple[Choice, ...]) -> Callable[[str], str]:
    """A choice's value from its label, its value, or its position when that is unambiguous."""
    named: dict[str, str] = {}
    for choice in choices:
        named.setdefault(squash(choice.label), choice.value)
        named.setdefault(squash(choice.value), choice.value)
    # "2" is the second choice only when no choice is itself written as a number.
    by_position = not any(key.isdigit() for key in named)

    def choose(text: str) -> str:
        found = named.get(squash(text))
        if found is not None:
            return found
        position = _POSITION.match(text) if by_position else None
        if position is not None and 1 <= int(position.group(1)) <= len(choices):
            choice = choices[int(position.group(1)) - 1]
            label = position.group(2)
            if not label or squash(label) in (squash(choice.label), squash(choice.value)):
                return choice.value
            raise AnswerError(
                f"「{text}」は番号 {position.group(1)}（{choice.label}）と選択肢「{label}」が"
                "食い違っています。どちらか一方にしてください"
            )
        raise AnswerError(
            f"「{text}」は設問 {question.code} の選択肢にありません。"
            f"次のどれかを書いてください: {_listed(choices)}"
        )

    return choose


def _multiple(question: Question, choices: tuple[Choice, ...]) -> Callable[[object], list[str]]:
    choose = _chooser(question, choices)
    order = {c.value: n for n, c in enumerate(choices)}

    def parse(raw: object) -> list[str]:
        chosen: list[str] = []
        for piece in _MULTIPLE_SPLIT.split(_text_of(raw)):
            piece = piece.strip()
            if not piece:
                continue  # Forms ends the list with ";"
            try:
                chosen.append(choose(piece))  # a label may itself hold "、"
            except AnswerError:
                parts = [p.strip() for p in _LOOSE_SPLIT.split(piece) if p.strip()]
                if len(parts) < 2:
                    raise _not_a_choice(question, piece, choices) from None
                for part in parts:
                    try:
                        chosen.append(choose(part))
                    except AnswerError:
                        raise _not_a_choice(question, part, choices) from None
        return sorted(dict.fromkeys(chosen), key=order.__getitem__)

    return parse


def _not_a_choice(question: Question, text: str, choices: tuple[Choice, ...]) -> AnswerError:
    return AnswerError(
        f"選択肢「{text}」は設問 {question.code} の定義にありません"
        f"（選択肢: {_listed(choices)}）。ファイルを直すか、調査の定義に選択肢を加えてください"
    )


def _number(question: Question, raw: object) -> int | float:
    value = _number_of(question, raw)
    low, high = number_bounds(question)  # what the answer sheet's validation allows too
    if value < low or (high is not None and value > high):
        span = f"{low} 以上" if high is None else f"{low}〜{high}"
        raise AnswerError(
            f"「{raw}」は設問 {question.code} の範囲外です。{span}の数値を書いてください"
        )
    return value


def _number_of(question: Question, raw: object) -> int | float:
    if isinstance(raw, (bool, datetime | date | time)):
        raise AnswerError(f"「{raw}」は数値ではありません。設問 {question.code} は数値で答えます")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return int(raw) if raw.is_integer() else raw
    text = _text_of(raw)
    if _NUMBER.match(text):
        value = float(text.replace(",", ""))
        return int(value) if value.is_integer() and "." not in text else value
    with_unit = _NUMBER_WITH_UNIT.match(text)
    if with_unit:
        unit = f"。単位「{question.unit}」は不要です" if question.unit else ""
        raise AnswerError(
            f"「{raw}」には単位が付いています。数値だけを書いてください"
            f"（例: {with_unit.group(1)}{unit}）"
        )
    raise AnswerError(f"「{raw}」は数値として読めません。数値だけを書いてください")


def _yes_no(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    key = fold(_text_of(raw))
    if key in YES_KEYS:
        return True
    if key in NO_KEYS:
        return False
    raise AnswerError(f"「{raw}」は「はい」か「いいえ」で答えてください（有・無、○・× も可）")


def _date(raw: object) -> str:
    if isinstance(raw, datetime):
        return raw.date().isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    text = _text_of(raw)
    try:
        western = _WESTERN_DATE.match(text)
        if western:
            return date(*(int(g) for g in western.groups())).isoformat()
        era = _ERA_DATE.match(text)
        if era:
            name, year, month, day = era.groups()
            first = _ERA_FIRST_YEAR[name.upper() if len(name) == 1 else name]
            number = 1 if year == "元" else int(year)
            return date(first + number - 1, int(month), int(day)).isoformat()
    except ValueError:
        raise AnswerError(f"「{raw}」という日付はありません") from None
    raise AnswerError(f"「{raw}」は日付として読めません（例: 2024-05-07、令和6年5月7日）")


_CLOCK = re.compile(r"^\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[AaPp][Mm])?$")
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$")  # Forms' English export


def answer_time(raw: object) -> date | None:
    """The date of an answer time cell (開始時刻, 完了時刻, タイムスタンプ): a date or datetime
    cell, or text as a CSV holds it (「2024/09/01 10:30」, 「2024-09-01T10:30:00」, Forms'
    「9/1/24 10:30:00」, or a date alone, read as ``parse_cell`` reads a date question); None
    when blank; AnswerError when it is no time."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = _text_of(raw).replace("T", " ", 1)
    day, _space, clock = text.partition(" ")
    clock = clock.strip()
    if clock and not _CLOCK.match(clock):
        raise AnswerError(f"「{raw}」は回答日時として読めません（例: 2024/09/01 10:30）")
    us = _US_DATE.match(day)
    if us:
        month, number, year = (int(g) for g in us.groups())
        try:
            return date(year + 2000 if year < 100 else year, month, number)
        except ValueError:
            raise AnswerError(f"「{raw}」という日付はありません") from None
    try:
        return date.fromisoformat(_date(day))
    except AnswerError:
        raise AnswerError(f"「{raw}」は回答日時として読めません（例: 2024/09/01 10:30）") from None


def _text(raw: object) -> str:
    if isinstance(raw, datetime):
        moment = raw.time()
        return raw.date().isoformat() if moment == time() else raw.isoformat(" ", "minutes")
    text = str(int(raw)) if isinstance(raw, float) and raw.is_integer() else str(raw).strip()
    if len(text) > ANSWER_TEXT_LIMIT:
        raise AnswerError(
            f"回答が長すぎます（{len(text)} 文字、上限 {ANSWER_TEXT_LIMIT} 文字）。短くしてください"
        )
    return text
