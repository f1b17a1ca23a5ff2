"""The survey's definition for one fiscal year: its questions, in order, and their choices.

A definition is data the secretariat edits (a workbook, dxdesk/imports/definition_workbook.py);
it travels as a record (kind ``survey_definition``) whose ``definition`` field holds
:meth:`SurveyDefinition.as_json`. Answers of a year are read under the definition they were
imported with, so an earlier year keeps its own questions.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Final

from dxdesk.domain.catalog import Catalog
from dxdesk.domain.errors import DomainError

# A question's type: what its answer is (its stored form in parentheses).
QUESTION_TYPES: Final[Mapping[str, str]] = {
    "scored": "採点項目",  # an assessment item of the catalog (int: the score)
    "single": "単一選択",  # one of a choice list (str: the choice's value)
    "multiple": "複数選択",  # several of a choice list (list[str]: values, in the list's order)
    "number": "数値",  # (int or float), with its unit shown beside it
    "yes_no": "はい・いいえ",  # (bool)
    "date": "日付",  # (str: ISO date)
    "text": "自由記述",  # (str)
}
CHOICE_TYPES: Final = frozenset({"single", "multiple"})
CODE_PATTERN: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,39}$")
TEXT_LIMIT: Final = 2_000  # a question's text or help
QUESTIONS_LIMIT: Final = 1_000
CHOICES_LIMIT: Final = 200  # choices in one list


class InvalidDefinition(DomainError):
    """A definition that cannot be used; the message names what is wrong."""


@dataclass(frozen=True)
class Choice:
    value: str  # what is stored (a short code, or the label itself)
    label: str  # what the respondent reads and the form exports


@dataclass(frozen=True)
class Question:
    code: str  # unique within the definition ("Q1-2", "3-12", "D1")
    page: int  # the form's page, from 1
    section: str  # the page's heading ("DX推進体制", "くらしづくり")
    text: str
    type: str  # a key of QUESTION_TYPES
    item: str | None = None  # the catalog's item code (scored questions only)
    choices: str | None = None  # the choice list's name (single and multiple only)
    unit: str = ""  # a number's unit ("人", "件")
    required: bool = False
    help: str = ""
    to_confirm: bool = False  # 要確認: wording modelled, to be confirmed by the secretariat

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "page": self.page,
            "section": self.section,
            "text": self.text,
            "type": self.type,
            "item": self.item,
            "choices": self.choices,
            "unit": self.unit,
            "required": self.required,
            "help": self.help,
            "to_confirm": self.to_confirm,
        }


@dataclass(frozen=True)
class SurveyDefinition:
    fiscal_year: int
    prefecture: str  # "和歌山県": the D items are the prefecture's own
    title: str
    questions: tuple[Question, ...]
    choice_lists: Mapping[str, tuple[Choice, ...]] = field(default_factory=dict)
    catalog_version: str | None = None  # the catalog its scored questions come from

    @cached_property
    def by_code(self) -> Mapping[str, Question]:
        return {q.code: q for q in self.questions}

    def question(self, code: str) -> Question:
        try:
            return self.by_code[code]
        except KeyError:
            raise InvalidDefinition(f"設問 {code} はこの定義にありません") from None

    def choices_of(self, question: Question) -> tuple[Choice, ...]:
        return self.choice_lists.get(question.choices or "", ())

    @cached_property
    def pages(self) -> tuple[tuple[int, str, tuple[Question, ...]], ...]:
        """(page, its first section, its questions) in the survey's order."""
        grouped: dict[int, list[Question]] = {}
        for question in self.questions:
            grouped.setdefault(question.page, []).append(question)
        return tuple((page, qs[0].section, tuple(qs)) for page, qs in grouped.items())

    @cached_property
    def scored(self) -> Mapping[str, Question]:
        """Catalog item code -> its question."""
        return {q.item: q for q in self.questions if q.type == "scored" and q.item}

    def as_json(self) -> dict[str, Any]:
        return {
            "fiscal_year": self.fiscal_year,
            "prefecture": self.prefecture,
            "title": self.title,
            "catalog_version": self.catalog_version,
            "questions": [q.as_json() for q in self.questions],
            "choice_lists": {
                name: [{"value": c.value, "label": c.label} for c in choices]
                for name, choices in self.choice_lists.items()
            },
        }


def definition_from_json(data: object) -> SurveyDefinition:
    """A definition from its stored form, checked whole (InvalidDefinition names the fault)."""
    if not isinstance(data, Mapping):
        raise InvalidDefinition("調査の定義は JSON オブジェクトで指定してください")
    try:
        lists = _choice_lists(data.get("choice_lists") or {})
        raw_questions = data["questions"]
        if not isinstance(raw_questions, Sequence) or isinstance(raw_questions, str | bytes):
            raise InvalidDefinition("questions は設問のリストで指定してください")
        if not 0 < len(raw_questions) <= QUESTIONS_LIMIT:
            raise InvalidDefinition(f"設問は 1〜{QUESTIONS_LIMIT} 問にしてください")
        questions = tuple(_question(q) for q in raw_questions)
        definition = SurveyDefinition(
            fiscal_year=_int(data["fiscal_year"], "fiscal_year"),
            prefecture=_text(data.get("prefecture") or "", "prefecture", 100),
            title=_text(data.get("title") or "", "title", 200),
            questions=questions,
            choice_lists=lists,
            catalog_version=data.get("catalog_version") or None,
        )
    except KeyError as missing:
        raise InvalidDefinition(f"調査の定義に {missing.args[0]} がありません") from None
    problems = definition_problems(definition)
    if problems:
        raise InvalidDefinition(" / ".join(problems))
    return definition


def definition_problems(definition: SurveyDefinition, catalog: Catalog | None = None) -> list[str]:
    """What makes a definition unusable: duplicate codes, a missing choice list, a scored
    question whose item is not in ``catalog`` (when given)."""
    problems: list[str] = []
    seen: set[str] = set()
    for q in definition.questions:
        if q.code in seen:
            problems.append(f"設問番号 {q.code} が重複しています")
        seen.add(q.code)
        if q.type in CHOICE_TYPES and q.choices not in definition.choice_lists:
            problems.append(f"設問 {q.code} の選択肢リスト「{q.choices or ''}」がありません")
        if q.type == "scored":
            if not q.item:
                problems.append(f"設問 {q.code} は採点項目ですが、項目コードがありません")
            elif catalog is not None and q.item not in catalog.codes:
                problems.append(f"設問 {q.code} の項目 {q.item} はアセスメント項目にありません")
    return problems


def catalog_definition(
    catalog: Catalog, fiscal_year: int, prefecture: str = ""
) -> SurveyDefinition:
    """The survey as far as the catalog knows it (its scored items, one page per category): used
    for a year no definition was loaded for."""
    questions = tuple(
        Question(
            code=item.code,
            page=page,
            section=category.name,
            text=item.question,
            type="scored",
            item=item.code,
        )
        for page, category in enumerate(catalog.categories, start=1)
        for item in catalog.items_in(category.id)
    )
    return SurveyDefinition(
        fiscal_year, prefecture, "アセスメント項目", questions, {}, catalog.version
    )


def _choice_lists(raw: object) -> dict[str, tuple[Choice, ...]]:
    if not isinstance(raw, Mapping):
        raise InvalidDefinition("choice_lists は名前から選択肢へのオブジェクトで指定してください")
    lists: dict[str, tuple[Choice, ...]] = {}
    for name, choices in raw.items():
        if not isinstance(choices, Sequence) or not 0 < len(choices) <= CHOICES_LIMIT:
            raise InvalidDefinition(f"選択肢リスト {name} は 1〜{CHOICES_LIMIT} 個にしてください")
        lists[_code(name, "選択肢リスト名")] = tuple(
            Choice(_text(c["value"], "value", 200), _text(c["label"], "label", 500))
            for c in choices
            if isinstance(c, Mapping)
        )
        if len(lists[name]) != len(choices):
            raise InvalidDefinition(f"選択肢リスト {name} に value と label のない選択肢があります")
    return lists


def _question(raw: object) -> Question:
    if not isinstance(raw, Mapping):
        raise InvalidDefinition("設問はオブジェクトで指定してください")
    kind = raw.get("type")
    if kind not in QUESTION_TYPES:
        raise InvalidDefinition(f"設問の形式 {kind!r} はありません（{', '.join(QUESTION_TYPES)}）")
    page = _int(raw.get("page"), "page")
    if not 1 <= page <= 100:
        raise InvalidDefinition(f"ページは 1〜100 で指定してください（{page}）")
    return Question(
        code=_code(raw.get("code"), "設問番号"),
        page=page,
        section=_text(raw.get("section") or "", "section", 200),
        text=_text(raw.get("text"), "text", TEXT_LIMIT),
        type=str(kind),
        item=(_text(raw["item"], "item", 20) or None) if raw.get("item") else None,
        choices=(_code(raw["choices"], "選択肢リスト名")) if raw.get("choices") else None,
        unit=_text(raw.get("unit") or "", "unit", 20),
        required=bool(raw.get("required", False)),
        help=_text(raw.get("help") or "", "help", TEXT_LIMIT),
        to_confirm=bool(raw.get("to_confirm", False)),
    )


def _code(value: object, what: str) -> str:
    if isinstance(value, str) and CODE_PATTERN.match(value):
        return value
    raise InvalidDefinition(
        f"{what} {value!r} は使えません（英数字で始まる 40 文字までの英数字・-・_・.）"
    )


def _text(value: object, what: str, limit: int) -> str:
    if not isinstance(value, str):
        raise InvalidDefinition(f"{what} は文字列で指定してください（{value!r}）")
    if len(value) > limit:
        raise InvalidDefinition(f"{what} が長すぎます（{len(value)} 文字、上限 {limit} 文字）")
    return value.strip()


def _int(value: object, what: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise InvalidDefinition(f"{what} は整数で指定してください（{value!r}）")
